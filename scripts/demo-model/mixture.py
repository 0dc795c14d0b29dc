"""The pretraining mixture (the T5 1.0 recipe, small): span corruption on unlabelled text plus
supervised tasks written as text with a task prefix. Each call to `batch` draws one batch with a
random generator seeded by the step, so a resumed run sees exactly the batches it would have seen."""
import hashlib
import json
import random
import re
from pathlib import Path

import torch

import tokenizer as tok

# Fraction of each batch drawn from each task.
# review_span: span corruption on movie-review text, where the missing words are often verdicts
# ("a <X> film"): it ties the decoder's word choice to the text's polarity, which prompts with
# unseen label words (great / terrible) need.
WEIGHTS = {"span": 0.12, "review_span": 0.08, "review": 0.3, "sentiment": 0.25, "genre": 0.07, "spam": 0.06, "lexicon": 0.05, "hedge": 0.07}
MAX_INPUT, SPAN_WINDOW, NOISE, MEAN_SPAN = 64, 64, 0.15, 3.0


def random_spans_mask(n, rng):
    """T5's random_spans_noise_mask: ~NOISE of n tokens in spans of mean length MEAN_SPAN."""
    n_noise = max(1, round(n * NOISE))
    n_spans = max(1, round(n_noise / MEAN_SPAN))
    n_keep = n - n_noise

    def segments(total, k):
        cuts = sorted(rng.sample(range(1, total), k - 1)) if k > 1 and total > k else []
        edges = [0] + cuts + [total]
        return [b - a for a, b in zip(edges, edges[1:])] if cuts or k == 1 else [1] * k

    noise, keep = segments(n_noise, n_spans), segments(n_keep, n_spans)
    mask = []
    for k, z in zip(keep, noise):
        mask += [False] * k + [True] * z
    return mask[:n] + [False] * (n - len(mask))


def span_corrupt(ids, rng):
    mask = random_spans_mask(len(ids), rng)
    inp, tgt, s, prev = [], [], 0, False
    for t, m in zip(ids, mask):
        if m and not prev:
            inp.append(tok.sentinel_id(s))
            tgt.append(tok.sentinel_id(s))
            s += 1
        (tgt if m else inp).append(t)
        prev = m
    return inp + [1], tgt + [1]


# Each supervised task's prefix; `None` for span corruption.
PREFIX = {"sentiment": "sentiment:", "review": "review:", "genre": "genre:", "spam": "spam:", "lexicon": "word sentiment:", "hedge": "hedge:"}
class Mixture:
    def __init__(self, data: Path, spm_model: Path, build: Path):
        # Tokenised once per (data, vocabulary, task wording): the cache name carries their hash.
        h = hashlib.sha256(spm_model.read_bytes() + repr(PREFIX).encode())
        for f in sorted(data.glob("*.jsonl")):
            h.update(f.read_bytes())
        key = h.hexdigest()[:12]
        cache = build / f"tokens-{key}.pt"
        if cache.exists():
            self.t = torch.load(cache)
        else:
            self.t = self._tokenize(data, spm_model)
            torch.save(self.t, cache)

    @staticmethod
    def _tokenize(data, spm):
        rows = lambda name: [json.loads(l) for l in open(data / f"{name}.jsonl", encoding="utf-8")]
        enc = lambda texts: tok.encode_lines(spm, list(texts))
        t = {"span": [x for x in enc(r["text"] for r in rows("unlabelled")) if len(x) >= 8]}
        for name in ("sentiment", "genre", "spam", "lexicon", "hedge"):
            rs = rows(name)
            t[name] = list(zip(enc(r["text"] for r in rs), enc(r["label"] for r in rs)))
        rs = rows("review")
        sentences = [[s for s in re.split(r"(?<=[.!?]) ", r["text"]) if s] for r in rs]
        it = iter(enc(s for ss in sentences for s in ss))
        t["review"] = [([next(it) for _ in ss], y) for ss, y in zip(sentences, enc(r["label"] for r in rs))]
        t["prefix"] = dict(zip(PREFIX, enc(PREFIX.values())))
        return t

    def example(self, task, rng):
        if task in ("span", "review_span"):
            doc = rng.choice(self.t["span"]) if task == "span" else [i for s in rng.choice(self.t["review"])[0] for i in s]
            start = rng.randrange(max(1, len(doc) - SPAN_WINDOW + 1))
            return span_corrupt(doc[start : start + SPAN_WINDOW], rng)
        if task == "review":  # a window of consecutive sentences, labelled with the whole review's polarity
            sents, target = rng.choice(self.t["review"])
            # Half the windows start in the last five sentences, where reviews give their verdict.
            i = rng.randrange(len(sents)) if rng.random() < 0.5 else max(0, len(sents) - 1 - rng.randrange(5))
            text = []
            while i < len(sents) and len(text) + len(sents[i]) < MAX_INPUT - 8:
                text += sents[i]
                i += 1
        else:
            text, target = rng.choice(self.t[task])
        return (self.t["prefix"][task] + text)[: MAX_INPUT - 1] + [1], target + [1]

    def batch(self, step, size, seed):
        rng = random.Random(seed * 1_000_003 + step)
        tasks = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()), k=size)
        return collate([self.example(t, rng) for t in tasks])


def collate(pairs):
    li, lt = max(len(i) for i, _ in pairs), max(len(t) for _, t in pairs)
    ids = torch.zeros(len(pairs), li, dtype=torch.long)
    labels = torch.full((len(pairs), lt), -100, dtype=torch.long)
    for r, (i, t) in enumerate(pairs):
        ids[r, : len(i)] = torch.tensor(i)
        labels[r, : len(t)] = torch.tensor(t)
    return ids, (ids != 0).float(), labels
