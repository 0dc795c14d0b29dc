"""Step 4: write the pretrained model as a Hugging Face T5 folder: config.json, model.safetensors
(F16), tokenizer.json (+ config, special tokens map), spiece.model (for transformers' T5Tokenizer),
and README.md, the model card (sources and licences, objective, steps, loss curve, held-out results)."""
import argparse
import json
import shutil
from pathlib import Path

import torch

import corpora
import mixture
from t5 import hf_config, save_safetensors

NAME = "prompt-tuning-studio/demo-t5-small"


def loss_table(log, rows=12):
    n = len(log)
    edges = [round(i * n / rows) for i in range(rows + 1)]
    out = ["| steps | mean training loss |", "| --- | --- |"]
    for a, b in zip(edges, edges[1:]):
        if b > a:
            out.append(f"| {a + 1}-{b} | {sum(log[a:b]) / (b - a):.3f} |")
    return "\n".join(out)


# The held-out checks pretrain.py runs, by key (older runs checked 600 held-out emails that were all ham).
CHECKS = {
    "rt_dev": "rt-polarity `sentiment:`",
    "rt_dev_great": "rt-polarity `(great or terrible)`",
    "spam_dev": "spam (demo emails, 200 + 200)",
    "ham_dev": "600 held-out emails, all ham",
}


def eval_table(evals):
    keys = [k for k in CHECKS if any(k in e for e in evals)]
    cell = lambda e, k: f"{e[k]:.3f}" if k in e else ""
    rows = [f"| {e['step']} | " + " | ".join(cell(e, k) for k in keys) + " |" for e in evals]
    return "\n".join(["| step | " + " | ".join(CHECKS[k] for k in keys) + " |", "| --- " * (len(keys) + 1) + "|", *rows])


def card(cfg, state, params, args, counts, heldout):
    evals = eval_table(state["evals"])
    weights = ", ".join(f"{k} {v:.0%}" for k, v in mixture.WEIGHTS.items())
    npm = "\n".join(f"| npm `{n}` {v} | {lic} |" for n, (v, lic) in corpora.NPM.items())
    deb = "\n".join(f"| Debian `{n}` | {lic} |" for n, lic in corpora.DEBIAN.items())
    held = ""
    if heldout:
        held = "\n## Prompt tuning on held-out data\n\n" + heldout.strip() + "\n"
    return f"""---
license: other
language: en
library_name: transformers
tags: [t5, prompt-tuning, demo]
---
# {NAME}

A small T5 (v1.1 layout: gated-GELU feed-forward, untied output head, relative position buckets)
pretrained from scratch on two CPU cores by `scripts/demo-model/build.sh` in the Prompt Tuning
Studio repository, so that the studio's offline demo runs on a model that has learnt something.
It is **not** Google's T5: it is tiny ({params / 1e6:.1f} M parameters), saw about {state['step'] * args['batch']:,} examples,
and knows English only as far as a few million words of text teach it. It is good enough to show
prompt tuning lift a held-out task from chance; it is no substitute for `google/t5-v1_1-*` or Flan-T5.

| | |
| --- | --- |
| shape | d_model {cfg['d_model']}, {cfg['num_heads']} heads x d_kv {cfg['d_kv']}, d_ff {cfg['d_ff']}, {cfg['num_layers']} encoder + {cfg['num_decoder_layers']} decoder layers |
| vocabulary | {cfg['vocab_size']:,} SentencePiece Unigram pieces trained on the same text (7,900 + 100 sentinels) |
| weights | F16 safetensors |
| pretraining | {state['step']:,} steps of batch {args['batch']}, AdamW lr {args['lr']} (warm-up {args['warmup']}, linear decay to 10%), {state['seconds'] / 60:.0f} min on 2 CPU cores, seed {args['seed']} |
| embeddings | `{args['embed_init']}`: `ppmi` starts them from co-occurrence statistics (SVD of positive PMI, window 4); `ppmi+sentiment` also writes each piece's weight in a bag-of-pieces sentiment regression fitted on the pretraining sentiment data into the last {args.get('sentiment_dims', 8)} dimensions (input embeddings and output head) |

## Objective

The T5 1.0 recipe at small scale: span corruption (15% of tokens in spans of mean length 3,
replaced by sentinels) on unlabelled text, mixed in every batch with supervised tasks written as
text with a task prefix, each with its own label words. Mixture by examples: {weights}.

| task | input | target |
| --- | --- | --- |
| span | text with spans replaced by `<extra_id_N>` | the spans |
| review_span | the same on movie-review text (the pretraining reviews) | the spans, often verdict words |
| review | `review: ` + a few sentences of a movie review | `positive` / `negative` (the whole review's polarity) |
| sentiment | `sentiment: ` + an rt-polarity sentence (2,000 of the 4,000) | `positive` / `negative` |
| genre | `genre: ` + a Brown corpus paragraph | its genre (15) |
| spam | `spam: ` + subject and first words of an email (half of SpamAssassin) | `spam` / `ham` |
| lexicon | `word sentiment: ` + an adjective of pattern's lexicon | `positive` / `negative` |
| hedge | `hedge: ` + a CoNLL-2010 Wikipedia sentence | `certain` / `uncertain` |

Held out of pretraining entirely (`scripts/demo-model/splits.json`): the other half of the emails
({counts['heldout_emails']:,}: the studio's demo CSV and the spam test), and 2,000 rt-polarity sentences
(1,000 to train prompts on, 1,000 to test them). No supervised task had label words other than
those above: `great` and `terrible`, the held-out rt-polarity test's label words, were never the
answer of a task (like any word, they can be among the spans span corruption hides).

## Sources and licences

| source | licence |
| --- | --- |
{npm}
{deb}

The pattern corpora (Pang & Lee's sentence polarity and review polarity samples, CoNLL-2010, OANC)
are "for personal use" per their README: their text is fetched at build time and never committed;
the model learnt from them. Examples in the mixture: {json.dumps({k: v for k, v in counts.items() if k != 'heldout_emails'})}.

## Training loss

{loss_table(state['log'])}

## Held-out checks during pretraining

Rank classification with a task prefix on dev sets held out of pretraining: the 1,000 rt-polarity
prompt-training sentences with `sentiment: ` (answers `positive` / `negative`) and with
`sentiment (great or terrible): ` (answers in the held-out label words, a form pretraining never
used: zero-shot), and the studio's demo emails (200 ham + 200 spam, the spam prompts' training data)
with `spam: `. Accuracy; chance is 0.5 for both.

{evals}
{held}"""


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build/demo-model")
    ap.add_argument("--run", default="run")
    ap.add_argument("--out", default="public/demo-model")
    ap.add_argument("--heldout", help="a Markdown file with held-out prompt-tuning results for the card")
    args = ap.parse_args()
    build, out = Path(args.build), Path(args.out)
    final = torch.load(build / args.run / "final.pt")
    ckpt = torch.load(build / args.run / "checkpoint.pt")
    cfg, state = final["config"], final["state"]
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    tensors = {k: v.to(torch.float16) for k, v in final["model"].items()}
    save_safetensors(out / "model.safetensors", tensors, {"format": "pt"})
    config = hf_config(cfg, _name_or_path=NAME, dropout_rate=0.0)
    config["_demo"] = "pretrained by scripts/demo-model/build.sh: a small T5 for the offline demo (see README.md)"
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    for f in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(build / "tokenizer" / f, out / f)
    shutil.copy(build / "tokenizer" / "spm.model", out / "spiece.model")
    counts = json.loads((build / "data" / "counts.json").read_text())
    heldout = Path(args.heldout).read_text() if args.heldout else ""
    params = sum(v.numel() for v in tensors.values())
    (out / "README.md").write_text(card(cfg, state, params, ckpt["args"], counts, heldout))
    print(f"wrote {out} ({sum(f.stat().st_size for f in out.iterdir()) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
