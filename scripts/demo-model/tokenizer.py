"""Step 2: a SentencePiece Unigram vocabulary of our own, trained on the pretraining text (Debian's
`sentencepiece` tools), written as a Hugging Face tokenizer.json in the structure of T5's own.

T5's 32k vocabulary would make the output softmax the largest cost of pretraining on two cores;
8,000 pieces (7,900 learned + 100 sentinels <extra_id_0..99>, T5's convention, last ids first)
cover this text at about 1.3 pieces per word.
"""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import corpora

PIECES, SENTINELS = 7900, 100
ALPHABET = [chr(c) for c in range(0x21, 0x7F)] + [chr(c) for c in range(0xA1, 0x100) if chr(c).isprintable()] + list("€–—‘’“”•…™")
VOCAB = PIECES + SENTINELS


def sentinel_id(i: int) -> int:
    return VOCAB - 1 - i


def spm_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise corpora.MissingCorpus("sentencepiece", "apt-get install sentencepiece", f"the '{name}' command is not installed")
    return path


def train(data: Path, out: Path, seed_text_lines: int = 400000) -> Path:
    """Trains the vocabulary on (a deterministic prefix of) the pretraining text; returns the .model path."""
    out.mkdir(parents=True, exist_ok=True)
    prefix = out / "spm"
    if (prefix.with_suffix(".model")).exists():
        return prefix.with_suffix(".model")
    corpus = out / "spm-input.txt"
    with open(corpus, "w", encoding="utf-8") as f:
        # Every printable Latin-1 character and common typography gets a piece even if the text
        # lacks it, so that "café", "100%" or "€5" in a user's file never become <unk>.
        f.write(" ".join(ALPHABET) + "\n")
        n = 0
        for name in ("unlabelled", "sentiment", "spam", "genre", "hedge", "review"):
            for line in open(data / f"{name}.jsonl", encoding="utf-8"):
                r = json.loads(line)
                f.write(r["text"] + "\n")
                n += 1
                if n >= seed_text_lines:
                    break
    cmd = [spm_tool("spm_train"), f"--input={corpus}", f"--model_prefix={prefix}", "--model_type=unigram",
           f"--vocab_size={PIECES}", "--pad_id=0", "--eos_id=1", "--unk_id=2", "--bos_id=-1",
           "--pad_piece=<pad>", "--eos_piece=</s>", "--unk_piece=<unk>", "--character_coverage=1.0",
           "--normalization_rule_name=nfkc", "--input_sentence_size=300000", "--shuffle_input_sentence=false",
           "--max_sentence_length=8192", "--num_threads=2", "--minloglevel=2"]
    subprocess.run(cmd, check=True)
    corpus.unlink()
    return prefix.with_suffix(".model")


def tokenizer_json(vocab_file: Path) -> dict:
    pieces = []
    for line in vocab_file.read_text(encoding="utf-8").splitlines():
        piece, score = line.split("\t")
        pieces.append([piece, float(score)])
    assert len(pieces) == PIECES, len(pieces)
    for i in range(SENTINELS):  # <extra_id_0> is the last id, as in T5
        pieces.append([f"<extra_id_{SENTINELS - 1 - i}>", 0.0])
    special = lambda i, c: {"id": i, "content": c, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}
    added = [special(0, "<pad>"), special(1, "</s>"), special(2, "<unk>")]
    added += [special(sentinel_id(i), f"<extra_id_{i}>") for i in range(SENTINELS - 1, -1, -1)]
    metaspace = {"type": "Metaspace", "replacement": "▁", "add_prefix_space": True}
    seq = lambda i: {"Sequence": {"id": i, "type_id": 0}}
    eos = {"SpecialToken": {"id": "</s>", "type_id": 0}}
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        # spm was trained with the plain NFKC rule, and WhitespaceSplit matches its removal of extra spaces.
        "normalizer": {"type": "NFKC"},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, metaspace]},
        "post_processor": {"type": "TemplateProcessing", "single": [seq("A"), eos], "pair": [seq("A"), eos, seq("B"), eos],
                           "special_tokens": {"</s>": {"id": "</s>", "ids": [1], "tokens": ["</s>"]}}},
        "decoder": metaspace,
        "model": {"type": "Unigram", "unk_id": 2, "vocab": pieces},
    }


def write_hf_files(model_file: Path, out: Path):
    out.mkdir(parents=True, exist_ok=True)
    (out / "tokenizer.json").write_text(json.dumps(tokenizer_json(model_file.with_suffix(".vocab")), ensure_ascii=False) + "\n", encoding="utf-8")
    extra = [f"<extra_id_{i}>" for i in range(SENTINELS)]
    (out / "tokenizer_config.json").write_text(json.dumps({
        "eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>", "extra_ids": SENTINELS,
        "additional_special_tokens": extra, "model_max_length": 512, "clean_up_tokenization_spaces": True,
        "tokenizer_class": "T5Tokenizer"}, indent=2) + "\n")
    (out / "special_tokens_map.json").write_text(json.dumps({
        "eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>", "additional_special_tokens": extra}, indent=2) + "\n")


def encode_lines(model_file: Path, lines):
    """Ids (without </s>) for each line, via spm_encode (the same pieces tokenizer.json gives)."""
    r = subprocess.run([spm_tool("spm_encode"), f"--model={model_file}", "--output_format=id"],
                       input="\n".join(l.replace("\n", " ") for l in lines) + "\n", capture_output=True, text=True, check=True)
    out = [[int(t) for t in l.split()] for l in r.stdout.split("\n")[: len(lines)]]
    assert len(out) == len(lines)
    return out


if __name__ == "__main__":
    build = Path(sys.argv[1] if len(sys.argv) > 1 else "build/demo-model")
    m = train(build / "data", build / "tokenizer")
    write_hf_files(m, build / "tokenizer")
    print(m)
