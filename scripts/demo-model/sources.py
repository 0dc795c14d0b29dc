"""Readers for each corpus: plain text for span corruption and labelled examples for the
supervised mixture. Pure functions over the unpacked packages (see corpora.py)."""
import csv
import email
import email.policy
import gzip
import html
import json
import re
from pathlib import Path

PATTERN_CORPORA = "usr/share/doc/python3-pattern/test/corpora"
PATTERN_LEXICON = "usr/lib/python3/dist-packages/pattern/text/en/en-sentiment.xml"

_space = re.compile(r"\s+")


def clean(text: str) -> str:
    return _space.sub(" ", text).strip()


def nlp_corpus(pkg: Path):
    """About 50k English sentences of many registers (compromise's test corpus)."""
    for f in sorted((pkg / "builds").glob("doc-*.json"), key=lambda p: int(p.stem.split("-")[1])):
        for s in json.loads(f.read_text(encoding="utf-8")):
            s = clean(s)
            if s:
                yield s


_brown_tag = re.compile(r"/[^\s/]+(?=\s|$)")


def brown(pkg: Path):
    """(genre, paragraph) for every paragraph of the Brown corpus, tags stripped."""
    cats = dict(line.split() for line in (pkg / "cats.txt").read_text().splitlines() if line.strip())
    for name in sorted(cats):
        raw = (pkg / name).read_text(encoding="latin-1")
        for para in re.split(r"\n\s*\n", raw):
            words = _brown_tag.sub("", clean(para)).replace("``", '"').replace("''", '"')
            words = re.sub(r" ([,.;:?!)'])", r"\1", words).replace("( ", "(")
            if len(words.split()) >= 5:
                yield cats[name].replace("_", " "), words


def _pattern_csv(root: Path, name: str):
    with open(root / PATTERN_CORPORA / name, encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f):
            yield int(row[0]), clean(row[1])


def rt_sentences(root: Path):
    """Pang & Lee's sentence polarity v1.0 sample: (1 positive | -1 negative, sentence), 2000 + 2000.
    (The pattern package's file names are swapped against its README: this is '...pang&lee2.csv'.)"""
    return list(_pattern_csv(root, "polarity-en-pang&lee2.csv"))


def movie_reviews(root: Path):
    """Pang & Lee's polarity v2.0 sample: 1500 whole movie reviews, 750 + 750."""
    return list(_pattern_csv(root, "polarity-en-pang&lee1.csv"))


def uncertainty(root: Path):
    """CoNLL-2010 hedge detection sample: (1 certain | -1 uncertain, sentence), as pattern's own test reads it."""
    return list(_pattern_csv(root, "uncertainty-conll2010.csv"))


def oanc_sentences(root: Path):
    _tag = re.compile(r"/[^\s/]+(?=\s|$)")
    for line in (root / PATTERN_CORPORA / "tagged-en-oanc.txt").read_text(encoding="utf-8").splitlines():
        s = re.sub(r" ([,.;:?!)'])", r"\1", _tag.sub("", clean(line)))
        if len(s.split()) >= 4:
            yield s


def sentiment_lexicon(root: Path):
    """(word, polarity) for adjectives of pattern's English lexicon with |polarity| >= 0.3."""
    xml = (root / PATTERN_LEXICON).read_text(encoding="utf-8")
    seen = {}
    for m in re.finditer(r'<word form="([^"]+)"[^>]* polarity="([-0-9.]+)"', xml):
        seen.setdefault(m.group(1), []).append(float(m.group(2)))
    for w, ps in sorted(seen.items()):
        p = sum(ps) / len(ps)
        if abs(p) >= 0.3:
            yield w, p


def fortunes(root: Path):
    d = root / "usr/share/games/fortunes"
    for f in sorted(d.iterdir()):
        if f.suffix or not f.is_file():
            continue
        for chunk in f.read_text(encoding="utf-8", errors="replace").split("\n%\n"):
            s = clean(chunk)
            if 3 <= len(s.split()) <= 200:
                yield s


def gcide(root: Path, limit: int):
    """Definitions from GCIDE as 'Word: definition' lines (the first `limit` entries with prose)."""
    with gzip.open(root / "usr/share/dictd/gcide.dict.dz", "rt", encoding="utf-8", errors="replace") as f:
        text = f.read()
    n = 0
    for entry in re.split(r"\n\s*\n", text):
        lines = entry.strip().splitlines()
        if len(lines) < 2 or "\\" not in lines[0]:
            continue
        head = lines[0].split("\\")[0].strip()
        body = clean(" ".join(l for l in lines[1:] if not l.strip().startswith("[")))
        body = re.sub(r"\[[^\]]*\]|--\S+|\{[^}]*\}", "", body).strip()
        if head and len(body.split()) >= 5:
            yield f"{head}: {clean(body)}"
            n += 1
            if n >= limit:
                return


_tags = re.compile(r"<[^>]+>")


def _email_parts(raw: str):
    msg = email.message_from_string(raw, policy=email.policy.compat32)
    subject = clean(str(email.header.make_header(email.header.decode_header(msg.get("Subject", "") or ""))))
    body = ""
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype in ("text/plain", "text/html"):
            payload = part.get_payload(decode=True) or b""
            text = payload.decode(part.get_content_charset() or "latin-1", errors="replace")
            if ctype == "text/html":
                text = html.unescape(_tags.sub(" ", re.sub(r"(?is)<(style|script).*?</\1>", " ", text)))
            body = text
            if ctype == "text/plain":
                break
    lines = [l for l in body.splitlines() if not l.lstrip().startswith(">")]
    return subject, clean(" ".join(lines))


def spam_assassin(pkg: Path):
    """(id, 'spam' | 'ham', subject, body) for the 6,046 SpamAssassin emails."""
    for group in sorted(p for p in (pkg / "data").iterdir() if p.is_dir()):
        for f in sorted(group.glob("*.json")):
            rec = json.loads(f.read_text(encoding="utf-8"))
            try:
                subject, body = _email_parts(rec["text"])
            except Exception:  # a few malformed headers: keep the email with what parsed
                subject, body = "", clean(rec["text"][-2000:])
            yield f"{group.name}/{rec['id']}", ("spam" if group.name.startswith("spam") else "ham"), subject, body
