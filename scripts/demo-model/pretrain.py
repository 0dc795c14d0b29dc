"""Step 3: pretrain the demo T5 on the mixture (mixture.py), with progress, checkpoints every
--save-every steps (an interrupted run resumes where it stopped, bit for bit), and held-out checks.

Deterministic for a seed: the batches are a function of (seed, step), the weights start from the seed,
and the run uses a fixed number of threads.
"""
import argparse
import json
import math
import os
import random
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

import tokenizer as tok
from mixture import Mixture
from prepare import ROOT, read_csv
from rank import accuracy
from sentiment_init import piece_sentiment, sentiment_pairs
from t5 import T5, default_config, shift_right


def ppmi_embeddings(docs, vocab, dim, window=4, seed=0):
    """Word vectors from co-occurrence statistics: truncated SVD of the positive PMI matrix,
    scaled to unit standard deviation (the scale T5's own initialisation uses)."""
    import numpy as np
    counts = np.zeros(vocab * vocab, dtype=np.float64)
    for s in range(0, len(docs), 20000):
        ii, jj = [], []
        for d in docs[s : s + 20000]:
            a = np.asarray(d, dtype=np.int64)
            for k in range(1, window + 1):
                ii.append(a[:-k]); jj.append(a[k:])
        i, j = np.concatenate(ii), np.concatenate(jj)
        counts += np.bincount(i * vocab + j, minlength=vocab * vocab) + np.bincount(j * vocab + i, minlength=vocab * vocab)
    c = torch.from_numpy(counts.reshape(vocab, vocab)).float()
    total, row = c.sum(), c.sum(1, keepdim=True)
    col = c.sum(0, keepdim=True) ** 0.75
    pmi = torch.log((c * col.sum() / (row.clamp(min=1) * col.clamp(min=1e-9))).clamp(min=1e-12))
    ppmi = pmi.clamp(min=0) * (c > 0)
    torch.manual_seed(seed)
    u, s, _ = torch.svd_lowrank(ppmi, q=dim, niter=4)
    e = u * s.sqrt()
    return (e - e.mean(0)) / e.std()


class HeldOut:
    """Checks on data held out of pretraining, a dev signal (the test sets are never looked at here):
    rank classification with a task prefix on the prompt-training data of the two held-out tasks:
    the rt-polarity prompt-training sentences (also with the held-out label words named in the
    input) and the studio's demo emails (200 ham + 200 spam)."""

    def __init__(self, data, spm):
        rt = read_csv(data / "heldout" / "rt_prompt_train.csv")
        spam = read_csv(ROOT / "public" / "demo-data" / "spam.csv")
        self.sets = {}
        for name, rows, prefix, labels, words in (
            ("rt_dev", rt, "sentiment: ", ["negative", "positive"], ["negative", "positive"]),
            ("rt_dev_great", rt, "sentiment (great or terrible): ", ["negative", "positive"], ["terrible", "great"]),
            ("spam_dev", spam, "spam: ", ["ham", "spam"], ["ham", "spam"]),
        ):
            ids = [x[:63] + [1] for x in tok.encode_lines(spm, [prefix + t for t, _ in rows])]
            gold = [labels.index(l) for _, l in rows]
            self.sets[name] = (ids, gold, [x + [1] for x in tok.encode_lines(spm, words)])

    def __call__(self, model):
        return {k: round(accuracy(model, *v), 4) for k, v in self.sets.items()}


def lr_at(step, args):
    warm = min(1.0, (step + 1) / args.warmup)
    frac = step / max(1, args.steps)
    return args.lr * warm * (1 - 0.9 * frac)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build/demo-model")
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--save-every", type=int, default=50)
    ap.add_argument("--embed-init", choices=["ppmi+sentiment", "ppmi", "random"], default="ppmi+sentiment")
    ap.add_argument("--sentiment-dims", type=int, default=8, help="embedding dimensions that carry the piece sentiment (ppmi+sentiment)")
    ap.add_argument("--run", default="run", help="subfolder of --build for this run's checkpoint and log")
    ap.add_argument("--config", default="{}", help="JSON overrides of the model shape")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    build = Path(args.build)
    spm = build / "tokenizer" / "spm.model"
    for need, step in ((spm, "tokenizer.py"), (build / "data" / "counts.json", "prepare.py")):
        if not need.exists():
            sys.exit(f"error: {need} is missing: run scripts/demo-model/{step} first (or scripts/demo-model/build.sh).")
    run = build / args.run
    run.mkdir(parents=True, exist_ok=True)
    mix = Mixture(build / "data", spm, build)
    held = HeldOut(build / "data", spm)
    cfg = default_config(vocab_size=tok.VOCAB, **json.loads(args.config))

    torch.manual_seed(args.seed)
    model = T5(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.98), weight_decay=0.01)
    ckpt, state = run / "checkpoint.pt", {"step": 0, "log": [], "evals": [], "seconds": 0.0}
    if ckpt.exists():
        saved = torch.load(ckpt)
        if saved["args"] != {k: v for k, v in vars(args).items() if k not in ("threads", "eval_every", "save_every")}:
            sys.exit(f"error: {ckpt} was written with other settings ({saved['args']}); use another --run or delete it.")
        model.load_state_dict(saved["model"])
        opt.load_state_dict(saved["opt"])
        state = saved["state"]
        print(f"resuming at step {state['step']}", flush=True)
    elif args.embed_init.startswith("ppmi"):
        t = time.time()
        with torch.no_grad():
            e = ppmi_embeddings(mix.t["span"], cfg["vocab_size"], cfg["d_model"], seed=args.seed)
        if args.embed_init == "ppmi+sentiment":
            pairs = sentiment_pairs(mix.t, tok.encode_lines(spm, ["positive"])[0])
            w, acc = piece_sentiment(pairs, cfg["vocab_size"])
            e[:, -args.sentiment_dims :] = w[:, None]
            print(f"piece sentiment from {len(pairs)} pretraining examples (training accuracy {acc:.3f})", flush=True)
        with torch.no_grad():
            model.shared.weight.copy_(e)
            model.lm_head.weight.copy_(e * cfg["d_model"] ** -0.5)
        print(f"embeddings from co-occurrence statistics in {time.time() - t:.0f} s", flush=True)

    def save():
        tmp = ckpt.with_suffix(".tmp")
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state,
                    "args": {k: v for k, v in vars(args).items() if k not in ("threads", "eval_every", "save_every")}}, tmp)
        os.replace(tmp, ckpt)  # atomic: an interrupted save leaves the previous checkpoint

    t0 = time.time() - state["seconds"]
    while state["step"] < args.steps:
        step = state["step"]
        model.train()
        ids, mask, labels = mix.batch(step, args.batch, args.seed)
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args)
        logits = model(model.shared(ids), mask, shift_right(labels))
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        state["step"] = step + 1
        state["log"].append(round(loss.item(), 4))
        state["seconds"] = time.time() - t0
        if state["step"] % 10 == 0:
            recent = state["log"][-10:]
            eta = state["seconds"] / state["step"] * (args.steps - state["step"])
            print(f"step {state['step']}/{args.steps}  loss {sum(recent) / len(recent):.3f}  {state['seconds'] / 60:.1f} min, ~{eta / 60:.1f} min left", flush=True)
        if state["step"] % args.eval_every == 0 or state["step"] == args.steps:
            ev = {"step": state["step"], **held(model)}
            state["evals"].append(ev)
            print("held-out", json.dumps(ev), flush=True)
        if state["step"] % args.save_every == 0 or state["step"] == args.steps:
            save()
    torch.save({"model": model.state_dict(), "config": cfg, "state": state}, run / "final.pt")
    print(json.dumps({"steps": state["step"], "minutes": round(state["seconds"] / 60, 1), "evals": state["evals"][-1:]}))


if __name__ == "__main__":
    main()
