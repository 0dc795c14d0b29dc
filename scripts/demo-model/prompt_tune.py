"""Prompt tuning in PyTorch, the recipe of Lester et al. (2021) as the app runs it: a frozen T5, P
prompt vectors prepended to the encoder input embeddings, label texts as targets (teacher forcing,
mean cross-entropy over target tokens), unfactored Adafactor (lr 0.3, beta2 decay -0.8, update clipped
at RMS 1, weight decay 1e-5), rank classification. Used to check the demo model while it is built and
as the PyTorch peer of `npm run bench:learn`.

Prints one JSON object: held-out accuracy against steps.
"""
import argparse
import json
import random
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

import tokenizer as tok
from mixture import collate
from prepare import read_csv
from rank import label_scores
from t5 import load_model, shift_right

VOCAB_FIRST, VOCAB_LAST = 3, 5002  # the 5,000 most common pieces, as src/core/tuning/promptInit.ts


class Adafactor:
    """Unfactored Adafactor, exactly as src/core/tuning/adafactor.ts (the paper's settings)."""

    def __init__(self, param, lr=0.3, decay_rate=-0.8, eps=1e-30, clip_threshold=1.0, weight_decay=1e-5):
        self.p, self.lr, self.decay, self.eps, self.clip, self.wd = param, lr, decay_rate, eps, clip_threshold, weight_decay
        self.v = torch.zeros_like(param)
        self.t = 0

    @torch.no_grad()
    def step(self):
        self.t += 1
        beta2 = 1 - self.t ** self.decay
        g = self.p.grad
        self.v.mul_(beta2).add_((g * g + self.eps) * (1 - beta2))
        update = g * torch.rsqrt(self.v)
        update.div_(torch.clamp(update.pow(2).mean().sqrt() / self.clip, min=1.0))
        self.p.mul_(1 - self.wd * self.lr).sub_(update * self.lr)
        self.p.grad = None


def init_prompt(model, init, length, label_ids, rng):
    emb = model.shared.weight.detach()
    if init == "random":
        return torch.rand(length, emb.shape[1], generator=torch.Generator().manual_seed(rng.randrange(2**31))) - 0.5
    rows = [emb[torch.tensor(ids[:-1])].mean(0) for ids in label_ids][:length] if init == "labels" else []
    pool = list(range(VOCAB_FIRST, min(VOCAB_LAST, emb.shape[0] - 1) + 1))
    rng.shuffle(pool)
    rows += [emb[i] for i in pool[: length - len(rows)]]
    return torch.stack(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", required=True, help="a T5 folder with config.json, model.safetensors, spiece.model")
    ap.add_argument("--train", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--label-text", default="", help="comma list label=text, e.g. positive=great,negative=terrible")
    ap.add_argument("--prompt-length", type=int, default=20)
    ap.add_argument("--init", choices=["labels", "vocab", "random"], default="labels")
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=0.3)
    ap.add_argument("--dropout", type=float, default=None)
    ap.add_argument("--max-length", type=int, default=64)
    ap.add_argument("--eval-every", type=int, default=50)
    ap.add_argument("--test-limit", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    folder = Path(args.model)
    spm = folder / "spiece.model"
    model = load_model(folder)
    for p in model.parameters():
        p.requires_grad_(False)
    dropout = model.c["dropout_rate"] if args.dropout is None else args.dropout

    train, test = read_csv(args.train), read_csv(args.test)
    if args.test_limit:
        test = test[: args.test_limit]
    classes = sorted({l for _, l in train})
    mapping = dict(kv.split("=", 1) for kv in args.label_text.split(",") if kv)
    label_ids = [x + [1] for x in tok.encode_lines(spm, [mapping.get(c, c) for c in classes])]
    enc = lambda rows: [x[: args.max_length - 1] + [1] for x in tok.encode_lines(spm, [t for t, _ in rows])]
    tr_ids, te_ids = enc(train), enc(test)
    tr_y, te_y = [classes.index(l) for _, l in train], torch.tensor([classes.index(l) for _, l in test])

    rng = random.Random(args.seed)
    prompt = init_prompt(model, args.init, args.prompt_length, label_ids, rng).clone().requires_grad_(True)
    opt = Adafactor(prompt, lr=args.lr)

    def evaluate():
        return (label_scores(model, te_ids, label_ids, prompt.detach()[None]).argmax(1) == te_y).float().mean().item()

    curve, order, t0 = [{"step": 0, "accuracy": round(evaluate(), 4)}], [], time.time()
    for step in range(1, args.steps + 1):
        if len(order) < args.batch:
            more = list(range(len(tr_ids)))
            rng.shuffle(more)
            order += more
        rows, order = order[: args.batch], order[args.batch :]
        ids, mask, _ = collate([(tr_ids[i], [1]) for i in rows])
        labels = collate([(label_ids[tr_y[i]], label_ids[tr_y[i]]) for i in rows])[2]
        model.train()
        n = len(rows)
        emb = torch.cat([prompt.expand(n, -1, -1), model.shared(ids)], 1)
        m = torch.cat([torch.ones(n, args.prompt_length), mask], 1)
        enc_out, pad = model.encode(emb, m, p=dropout)
        logits = model.decode(enc_out, pad, shift_right(labels), p=dropout)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100)
        loss.backward()
        opt.step()
        if step % args.eval_every == 0 or step == args.steps:
            curve.append({"step": step, "loss": round(loss.item(), 4), "accuracy": round(evaluate(), 4)})
            print(json.dumps(curve[-1]), file=sys.stderr, flush=True)
    print(json.dumps({"init": args.init, "prompt_length": args.prompt_length, "steps": args.steps, "seconds": round(time.time() - t0, 1),
                      "classes": classes, "label_texts": [mapping.get(c, c) for c in classes], "curve": curve, "final": curve[-1]["accuracy"]}))


if __name__ == "__main__":
    main()
