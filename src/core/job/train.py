# /// script
# requires-python = ">=3.9"
# dependencies = [
#     "torch>=2.1",
#     "transformers>=4.41,<5",
#     "peft>=0.10",
#     "accelerate>=0.27",
#     "safetensors>=0.4",
#     "sentencepiece>=0.1.99",
#     "protobuf",
#     "numpy",
# ]
# ///
"""Prompt tuning (Lester, Al-Rfou & Constant 2021) of a frozen T5 with Hugging Face PEFT.

Exported by Prompt Tuning Studio ("export-job"): recipe.json holds every setting, data/ the exact
train/validation split the studio made, and this script trains an encoder-only soft prompt with
PEFT's PromptTuningConfig under the Hugging Face Trainer (so `accelerate launch` spreads it over
many GPUs, with DeepSpeed ZeRO-3 for XL/XXL). It writes a PEFT adapter the studio imports.
Classification validates by rank classification over the label texts; a text-to-text task (task
kind "text") generates each answer greedily and scores it by SQuAD exact match and token F1.

    python3 train.py --dry-run           # checks recipe and data, prints the plan (standard library only)
    uv run train.py                      # one GPU; uv installs the dependencies declared above
    accelerate launch --config_file accelerate/multi_gpu.yaml train.py
    accelerate launch --config_file accelerate/zero3.yaml train.py      # XL/XXL (needs deepspeed)

Only the standard library is imported at the top: the dry run must work on a bare Python.
"""
import argparse
import contextlib
import csv
import hashlib
import json
import os
import re
import string
import struct
import sys
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
RECIPE_FORMAT = "prompt-tuning-studio/job"
RECIPE_VERSION = 1
DATA_COLUMNS = ["text", "label"]
IGNORE_INDEX = -100
# The studio's "vocab" initialisation samples from the 5,000 most common SentencePiece pieces (ids 0-2 are special).
VOCAB_INIT_FIRST_ID, VOCAB_INIT_LAST_ID = 3, 5002


class RecipeError(Exception):
    """A problem with recipe.json, the data or the warm-start prompt: printed without a traceback."""


# ---- the studio's seeded random numbers (mulberry32), so a seed gives the studio's initial prompt ----

def seeded_random(seed):
    state = [seed & 0xFFFFFFFF]

    def imul(a, b):
        return (a * b) & 0xFFFFFFFF

    def random():
        state[0] = (state[0] + 0x6D2B79F5) & 0xFFFFFFFF
        t = state[0]
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return random


def shuffle(items, random):
    """Fisher-Yates in place, drawing exactly as the studio does."""
    for i in range(len(items) - 1, 0, -1):
        j = int(random() * (i + 1))
        items[i], items[j] = items[j], items[i]
    return items


def sample_vocab_ids(count, vocab_size, random):
    last = min(VOCAB_INIT_LAST_ID, vocab_size - 1)
    pool = list(range(VOCAB_INIT_FIRST_ID, last + 1))
    out = []
    while len(out) < count:
        out.extend(shuffle(list(pool), random)[: count - len(out)])
    return out


FIELD = re.compile(r"\{([^{}]+)\}")


def apply_template(template, text, fields=None):
    """As the studio's applyTemplate: {text} is the row's text, {name} its column name (left as written
    when the row has none); a template naming nothing gets the text appended."""
    if not FIELD.search(template):
        return template + text
    fields = fields or {}
    return FIELD.sub(lambda m: text if m.group(1) == "text" else fields.get(m.group(1), m.group(0)), template)


# ---- SQuAD's answer metrics, exactly as the studio computes them (textMetrics.ts) ----

PUNCTUATION = set(string.punctuation)
ARTICLES = {"a", "an", "the"}


def normalize_answer(text):
    """Lower case, ASCII punctuation removed, the articles a/an/the dropped as words, spaces collapsed."""
    text = "".join(ch for ch in text.lower() if ch not in PUNCTUATION)
    return " ".join(w for w in text.split() if w not in ARTICLES)


def token_f1(prediction, target):
    """F1 over the bags of normalised words; an empty answer to an empty target scores 1, to anything else 0."""
    p, t = normalize_answer(prediction).split(), normalize_answer(target).split()
    if not p or not t:
        return float(len(p) == len(t))
    counts = {}
    for w in t:
        counts[w] = counts.get(w, 0) + 1
    common = 0
    for w in p:
        if counts.get(w, 0) > 0:
            common += 1
            counts[w] -= 1
    if common == 0:
        return 0.0
    precision, recall = common / len(p), common / len(t)
    return 2 * precision * recall / (precision + recall)


def text_scores(answers, targets):
    """Exact match (the share of answers equal to their target after normalisation) and mean token F1."""
    n = max(len(targets), 1)
    exact = sum(normalize_answer(a) == normalize_answer(t) for a, t in zip(answers, targets))
    return {"exact_match": exact / n, "f1": sum(token_f1(a, t) for a, t in zip(answers, targets)) / n}


def is_text_task(task):
    return task.get("kind") == "text"


# ---- recipe, data and warm-start checks (standard library only) ----

def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_recipe(path):
    try:
        recipe = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RecipeError(f"{path} not found: run train.py from the exported job folder")
    except ValueError as e:
        raise RecipeError(f"{path} is not valid JSON ({e})")
    if not isinstance(recipe, dict) or recipe.get("format") != RECIPE_FORMAT:
        raise RecipeError(f"{path} is not a Prompt Tuning Studio job recipe (format {RECIPE_FORMAT!r})")
    if recipe.get("version") != RECIPE_VERSION:
        raise RecipeError(f"{path} is recipe version {recipe.get('version')!r}; this train.py reads version {RECIPE_VERSION}")
    return recipe


def setting_problems(settings, limits):
    """Each setting against the bounds the studio's settings contract wrote into the recipe."""
    problems = []
    for key, limit in limits.items():
        value = settings.get(key)
        if value is None:
            if not limit.get("optional"):
                problems.append(f"settings.{key} is missing")
            continue
        if limit["kind"] == "choice":
            if value not in limit["choices"]:
                problems.append(f"settings.{key} must be one of {', '.join(limit['choices'])}; got {value!r}")
            continue
        if limit["kind"] == "text":
            if not isinstance(value, str) or len(value) > limit["maxLength"]:
                problems.append(f"settings.{key} must be text of at most {limit['maxLength']} characters; got {value!r:.60}")
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (limit["kind"] == "int" and value != int(value)):
            problems.append(f"settings.{key} must be a {'whole ' if limit['kind'] == 'int' else ''}number; got {value!r}")
            continue
        low_ok = value >= limit["min"] if limit.get("minInclusive", True) else value > limit["min"]
        if not low_ok or value > limit["max"]:
            problems.append(f"settings.{key} must be from {limit['min']} to {limit['max']}; got {value}")
    unknown = sorted(set(settings) - set(limits))
    if unknown:
        problems.append(f"settings has keys this recipe does not define: {', '.join(unknown)}")
    if not problems and settings["maxInputTokens"] - settings["promptLength"] < 2:
        problems.append(f"settings.maxInputTokens ({settings['maxInputTokens']}) leaves no room for text after a {settings['promptLength']}-token prompt")
    return problems


# What transformers' Trainer uses for optim="adafactor": parameter scaling and relative steps off, the
# rest its Adafactor's defaults. These are the paper's settings; the recipe states them, this checks them.
TRAINER_ADAFACTOR = {"decayRate": -0.8, "epsilon": 1e-30, "clipThreshold": 1.0, "beta1": None, "scaleParameter": False, "relativeStep": False}


def optimizer_problems(optimizer, settings):
    if optimizer.get("name") != settings.get("optimizer"):
        return [f"optimizer.name ({optimizer.get('name')!r}) differs from settings.optimizer ({settings.get('optimizer')!r})"]
    if optimizer["name"] != "adafactor":
        return []
    return [f"optimizer.{k} is {optimizer.get(k)!r}, but this script's Adafactor (transformers' Trainer) uses {v!r}" for k, v in TRAINER_ADAFACTOR.items() if optimizer.get(k) != v]


def read_rows(path, fields=()):
    """(text, label, {field: value}) per row; the columns after text and label are the template's fields."""
    columns = DATA_COLUMNS + list(fields)
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != columns:
            raise RecipeError(f"{path} must start with the header {','.join(columns)}; found {header}")
        rows = []
        for n, row in enumerate(reader, start=2):
            if len(row) != len(columns):
                raise RecipeError(f"{path} line {n}: expected {len(columns)} fields ({', '.join(columns)}), found {len(row)}")
            rows.append((row[0], row[1], dict(zip(fields, row[2:]))))
        return rows


def check_data(recipe, root):
    """The split the studio wrote, unchanged: each file's hash and row count, every label known (a text
    task: every row has an answer)."""
    task = recipe["task"]
    labels, texts = task["labels"], task["targetTexts"]
    text_task = is_text_task(task)
    if not text_task and (not labels or len(labels) != len(texts)):
        raise RecipeError(f"task.labels ({len(labels)}) and task.targetTexts ({len(texts)}) must be equally long and not empty")
    if not text_task and (len(set(texts)) != len(texts) or any(not t.strip() for t in texts)):
        raise RecipeError("task.targetTexts must be distinct and not empty: rank classification tells labels apart by their texts")
    missing = [f for f in FIELD.findall(task["template"]) if f != "text" and f not in task.get("fields", [])]
    if missing:
        raise RecipeError(f"the template names {', '.join('{' + f + '}' for f in missing)}, which task.fields does not list; export the job again")
    rows = {}
    for part, entry in recipe["data"].items():
        path = root / entry["file"]
        if not path.is_file():
            raise RecipeError(f"data file {entry['file']} is missing")
        if sha256(path) != entry["sha256"]:
            raise RecipeError(f"{entry['file']} differs from the one exported (sha256); export the job again rather than editing the split")
        rows[part] = read_rows(path, task.get("fields", []))
        if len(rows[part]) != entry["rows"]:
            raise RecipeError(f"{entry['file']} has {len(rows[part])} rows; the recipe says {entry['rows']}")
        if text_task:
            empty = [n for n, (_, label, _) in enumerate(rows[part], start=2) if not label.strip()]
            if empty:
                raise RecipeError(f"{entry['file']} line {empty[0]}: a text-to-text row needs an answer in its label column")
            continue
        unknown = sorted({label for _, label, _ in rows[part]} - set(labels))
        if unknown and part != "test":
            raise RecipeError(f"{entry['file']} has labels the task does not know: {', '.join(map(repr, unknown[:5]))}")
    if not rows.get("train"):
        raise RecipeError("there are no training rows")
    return rows


def safetensors_header(path):
    with open(path, "rb") as f:
        raw = f.read(8)
        if len(raw) < 8:
            raise RecipeError(f"{path.name} is too short to be a safetensors file")
        (length,) = struct.unpack("<Q", raw)
        if length > 100 * 1024 * 1024:
            raise RecipeError(f"{path.name} has an implausible header length {length}")
        try:
            return json.loads(f.read(length))
        except ValueError:
            raise RecipeError(f"{path.name} has a damaged header")


def check_warm_start(recipe, root):
    warm = recipe.get("warmStart")
    if not warm:
        return None
    path = root / warm["file"]
    if not path.is_file():
        raise RecipeError(f"the warm-start prompt {warm['file']} is missing")
    if sha256(path) != warm["sha256"]:
        raise RecipeError(f"{warm['file']} differs from the one exported (sha256)")
    info = safetensors_header(path).get("prompt_embeddings")
    if not info or len(info.get("shape", [])) != 2:
        raise RecipeError(f"{warm['file']} holds no [tokens, width] tensor 'prompt_embeddings'")
    length, width = info["shape"]
    want = (recipe["settings"]["promptLength"], recipe["model"]["dModel"])
    if (length, width) != want:
        raise RecipeError(f"the warm-start prompt is {length} x {width}; the recipe needs {want[0]} x {want[1]} (prompt length x the model's d_model)")
    return path


def batch_layout(batch, world, max_per_device):
    """Per-GPU batch and gradient accumulation whose product over all GPUs is the recipe's batch."""
    if batch % world:
        raise RecipeError(f"batch size {batch} does not divide over {world} processes; use a number of GPUs that divides it")
    per_process = batch // world
    limit = max_per_device or per_process
    accumulation = -(-per_process // limit)
    if per_process % accumulation:
        raise RecipeError(f"{per_process} examples per GPU cannot be split into equal steps of at most {limit}; pick --max-per-device-batch dividing {per_process}")
    return per_process // accumulation, accumulation


def plan(recipe, rows, args, world):
    s, m, task = recipe["settings"], recipe["model"], recipe["task"]
    per_device, accumulation = batch_layout(s["batchSize"], world, args.max_per_device_batch)
    members = range(1, s["ensembleSize"] + 1) if args.member is None else [args.member]
    counts = {part: len(r) for part, r in rows.items()}
    lines = [
        f"model        {m['id']} ({m['parameters']:,} parameters, d_model {m['dModel']}; {'from the Hugging Face Hub' if m['fromHub'] else 'NOT a Hub id: point model.id at the model on this machine'})",
        f"data         {', '.join(f'{n} {p}' for p, n in counts.items())} rows (the studio's split, seed {s['seed']})",
        f"task         template {task['template']!r}; " + ("text to text: greedy answers scored by SQuAD exact match and F1" if is_text_task(task) else ", ".join(f"{l!r} -> {t!r}" for l, t in zip(task["labels"], task["targetTexts"]))),
        f"prompt       {s['promptLength']} tokens, {'warm start from ' + recipe['warmStart']['file'] if recipe.get('warmStart') else 'init ' + s['init']}; inputs cut to {s['maxInputTokens'] - s['promptLength']} tokens",
        f"optimiser    {s['optimizer']} lr {s['learningRate']} (constant), {recipe['steps']} steps of batch {s['batchSize']} = {world} process(es) x {per_device} x {accumulation} accumulation",
        f"validation   {'every ' + str(s['evalEvery']) + ' steps and ' if s['evalEvery'] else ''}after the last, keeping the best ({'exact match' if is_text_task(task) else 'accuracy'}, then loss)" + (f", stop after {s['patience']} without improvement" if s["patience"] else "") if counts.get("validation") else "validation   none: the last prompt is kept",
        f"precision    {recipe['cluster']['precision']}{', DeepSpeed ZeRO-3' if recipe['cluster']['zero3'] else ''}{', gradient checkpointing' if recipe['cluster']['gradientCheckpointing'] else ''}",
        f"writes       " + ", ".join(str(output_dir(args.out, k, s["ensembleSize"])) for k in members),
    ]
    return lines


def output_dir(out, member, members):
    return Path(out) if members == 1 else Path(f"{out}-{member}")


# ---- training: third-party imports from here on ----

def gathered(params, modifier_rank=None):
    """Under DeepSpeed ZeRO-3 every parameter is split over the GPUs; gather these ones to read or write them."""
    from transformers.integrations import is_deepspeed_zero3_enabled

    if not is_deepspeed_zero3_enabled():
        return contextlib.nullcontext()
    import deepspeed

    return deepspeed.zero.GatheredParameters(params, modifier_rank=modifier_rank)


def initial_prompt(recipe, seed, embeddings, label_token_ids, warm_start):
    """The studio's initialisations, drawn from the same seeded numbers (promptInit.ts)."""
    import torch

    s = recipe["settings"]
    length, width = s["promptLength"], recipe["model"]["dModel"]
    if warm_start is not None:
        from safetensors.torch import load_file

        return load_file(str(warm_start))["prompt_embeddings"].float()
    random = seeded_random(seed)
    if s["init"] == "random":
        return torch.tensor([random() - 0.5 for _ in range(length * width)], dtype=torch.float32).view(length, width)
    labels = label_token_ids[:length] if s["init"] == "labels" else []
    if any(not ids for ids in labels):
        raise RecipeError("a label text has no tokens; give every label a non-empty target text")
    sampled = sample_vocab_ids(length - len(labels), embeddings.shape[0], random)
    rows = [embeddings[ids].float().mean(0, keepdim=True) for ids in labels]
    if sampled:
        rows.append(embeddings[sampled].float())
    return torch.cat(rows, 0)


def score_rows(logits, labels):
    """Per row: the summed log-probability of its label text and the number of its tokens."""
    import torch

    if isinstance(logits, tuple):
        logits = logits[0]
    mask = labels != IGNORE_INDEX
    picked = torch.log_softmax(logits.float(), -1).gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    return torch.stack([(picked * mask).sum(-1), mask.sum(-1).float()], -1)


def rank_classification(truth, num_labels):
    """compute_metrics over rows (example i, label j): accuracy of the likeliest label, and the mean token loss of the true one."""
    import numpy as np

    def metrics(prediction):
        scores = np.asarray(prediction.predictions).reshape(len(truth[0]), num_labels, 2)
        rows = np.arange(len(truth[0]))
        true = np.asarray(truth[0])
        accuracy = float((scores[:, :, 0].argmax(1) == true).mean())
        label_loss = float(-scores[rows, true, 0].sum() / max(scores[rows, true, 1].sum(), 1))
        return {"accuracy": accuracy, "label_loss": label_loss}

    return metrics


def generated_answers(tokenizer, truth):
    """compute_metrics for a text task: the greedy answers decoded and scored against the target texts as the
    studio scores them (accuracy is the exact match, so the best prompt is kept by the same rule)."""
    import numpy as np

    def metrics(prediction):
        ids = np.asarray(prediction.predictions)
        ids = np.where(ids < 0, tokenizer.pad_token_id, ids)  # the Trainer pads gathered generations with -100
        answers = [a.strip() for a in tokenizer.batch_decode(ids, skip_special_tokens=True)]
        scores = text_scores(answers, truth[0])
        return {"accuracy": scores["exact_match"], **scores}

    return metrics


def task_data(task, rows, tokenizer, budget):
    """The Trainer's rows: `train`, `evaluate(part)` (rows and what compute_metrics compares with), the texts
    the labels initialisation averages. Classification ranks every label text for each validation row; a
    text task generates each row's own answer, at most `longest` tokens (the longest validation or test target)."""
    def inputs(text, fields):
        return tokenizer(apply_template(task["template"], text, fields), truncation=True, max_length=budget)["input_ids"]

    if is_text_task(task):
        def encode(part):
            return [({"input_ids": inputs(t, f), "labels": tokenizer(label)["input_ids"]}, label) for t, label, f in rows.get(part, [])]

        def evaluate(part):
            encoded = encode(part)
            return [row for row, _ in encoded], [answer for _, answer in encoded]

        longest = max((len(tokenizer(label)["input_ids"]) for part in ("validation", "test") for _, label, _ in rows.get(part, [])), default=1)
        return {"train": [row for row, _ in encode("train")], "evaluate": evaluate, "init_texts": task.get("initTexts", []), "longest": longest}

    targets = [tokenizer(t)["input_ids"] for t in task["targetTexts"]]
    index = {label: i for i, label in enumerate(task["labels"])}

    def encode(part):
        return [(inputs(t, f), index[label]) for t, label, f in rows.get(part, []) if label in index]

    def evaluate(part):
        encoded = encode(part)
        # Rank classification: every example once per label, scored by the Trainer, compared in compute_metrics.
        return [{"input_ids": ids, "labels": target} for ids, _ in encoded for target in targets], [i for _, i in encoded]

    return {"train": [{"input_ids": ids, "labels": targets[i]} for ids, i in encode("train")], "evaluate": evaluate, "init_texts": task["targetTexts"], "num_labels": len(targets)}


def train_member(recipe, rows, args, member, warm_start):
    import torch
    from peft import PromptTuningConfig, TaskType, get_peft_model, set_peft_model_state_dict
    from safetensors.torch import load_file, save_file
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer, DataCollatorForSeq2Seq, Seq2SeqTrainer, Seq2SeqTrainingArguments, Trainer, TrainerCallback, TrainingArguments

    s, m, task, cluster = recipe["settings"], recipe["model"], recipe["task"], recipe["cluster"]
    world = int(os.environ.get("WORLD_SIZE", "1"))
    per_device, accumulation = batch_layout(s["batchSize"], world, args.max_per_device_batch)
    seed = s["seed"] + member - 1
    out = output_dir(args.out, member, s["ensembleSize"])
    validating = bool(rows.get("validation"))
    optimizer = recipe["optimizer"]
    text_task = is_text_task(task)
    tokenizer = AutoTokenizer.from_pretrained(m["tokenizer"])
    data = task_data(task, rows, tokenizer, s["maxInputTokens"] - s["promptLength"])
    # A text task validates by greedy generation, long enough for the longest target (max_length counts the decoder's start token).
    generation = {"predict_with_generate": True, "generation_max_length": data["longest"] + 1, "generation_num_beams": 1} if text_task else {}
    # Created before the model: under ZeRO-3 this makes from_pretrained load the weights already partitioned.
    training_args = (Seq2SeqTrainingArguments if text_task else TrainingArguments)(
        output_dir=str(out / "trainer"), max_steps=recipe["steps"], per_device_train_batch_size=per_device,
        per_device_eval_batch_size=per_device, gradient_accumulation_steps=accumulation, learning_rate=s["learningRate"],
        lr_scheduler_type="constant", warmup_steps=0, max_grad_norm=0.0,
        # Adafactor as the paper sets it (transformers' Trainer turns off parameter scaling and relative steps).
        optim="adafactor" if s["optimizer"] == "adafactor" else "adamw_torch",
        weight_decay=optimizer.get("weightDecay", 0.0), adam_beta1=optimizer.get("beta1") or 0.9, adam_beta2=optimizer.get("beta2", 0.999), adam_epsilon=optimizer.get("epsilon", 1e-8),
        eval_strategy="steps" if validating and s["evalEvery"] else "no", eval_steps=s["evalEvery"] or None, save_strategy="no",
        logging_steps=max(1, min(50, s["evalEvery"] or 50)), report_to=[], seed=seed, data_seed=seed, group_by_length=True,
        bf16=cluster["precision"] == "bf16", gradient_checkpointing=cluster["gradientCheckpointing"],
        gradient_checkpointing_kwargs={"use_reentrant": False} if cluster["gradientCheckpointing"] else None,
        remove_unused_columns=False, deepspeed=args.deepspeed, **generation,
    )
    extra = {} if s["dropoutRate"] is None else {"dropout_rate": s["dropoutRate"]}
    dtype = torch.bfloat16 if cluster["zero3"] else torch.float32
    model = AutoModelForSeq2SeqLM.from_pretrained(m["id"], torch_dtype=dtype, **extra)
    # PEFT takes token_dim as given and never checks it against the model: a wrong width would fail deep inside.
    if model.config.d_model != m["dModel"]:
        raise RecipeError(f"{m['id']} has d_model {model.config.d_model} but the recipe (and any warm-start prompt) is {m['dModel']} wide")

    config = PromptTuningConfig(
        task_type=TaskType.SEQ_2_SEQ_LM, num_virtual_tokens=s["promptLength"], token_dim=m["dModel"],
        # 1: the prompt goes in front of the encoder input only, as in Lester et al. (PEFT's seq2seq default is 2).
        num_transformer_submodules=1, num_attention_heads=m["numHeads"], num_layers=m["numLayers"], prompt_tuning_init="RANDOM",
    )
    peft_model = get_peft_model(model, config)
    embedding = peft_model.prompt_encoder["default"].embedding
    word_embeddings = model.get_input_embeddings().weight
    with gathered([word_embeddings]):
        values = initial_prompt(recipe, seed, word_embeddings.detach(), [tokenizer(t)["input_ids"][:-1] for t in data["init_texts"]], warm_start)
    # A prompt adapter cannot be loaded trainable (PEFT refuses it), so the values go into a fresh one.
    set_peft_model_state_dict(peft_model, {"prompt_embeddings": values})

    def read_prompt():
        with gathered([embedding.weight]):
            return embedding.weight.detach().float().cpu().clone()

    class KeepBest(TrainerCallback):
        """The studio's rule: best accuracy (a text task: exact match), ties to the lower loss; stop after `patience` validations without one."""

        def __init__(self):
            self.best, self.values, self.stale, self.evaluated_at, self.history = None, None, 0, -1, []

        def on_evaluate(self, args, state, control, metrics=None, **kwargs):
            if not metrics or "eval_accuracy" not in metrics:
                return
            # A text task's loss is the Trainer's teacher-forced loss of the targets; classification's, the true label's.
            accuracy, loss = metrics["eval_accuracy"], metrics["eval_loss" if text_task else "eval_label_loss"]
            self.evaluated_at = state.global_step
            self.history.append({"step": state.global_step, "accuracy": accuracy, "loss": loss, **({"f1": metrics["eval_f1"]} if text_task else {})})
            if self.best is None or accuracy > self.best["accuracy"] or (accuracy == self.best["accuracy"] and loss < self.best["loss"]):
                self.best, self.values, self.stale = self.history[-1], read_prompt(), 0
            else:
                self.stale += 1
            if s["patience"] and self.stale >= s["patience"]:
                control.should_training_stop = True

    keep = KeepBest()
    validation, answers = data["evaluate"]("validation")
    truth = [answers]  # what compute_metrics compares with; the test set's replace it at the end
    scoring = {"compute_metrics": generated_answers(tokenizer, truth)} if text_task else {"compute_metrics": rank_classification(truth, data["num_labels"]), "preprocess_logits_for_metrics": score_rows}
    trainer = (Seq2SeqTrainer if text_task else Trainer)(
        model=peft_model, args=training_args, train_dataset=data["train"], eval_dataset=validation if validating else None,
        data_collator=DataCollatorForSeq2Seq(tokenizer, label_pad_token_id=IGNORE_INDEX), callbacks=[keep], **scoring,
    )
    trainer.train()
    steps = trainer.state.global_step
    # The studio validates after the last step too, whatever the schedule.
    if validating and keep.evaluated_at != steps:
        trainer.evaluate()
    final = keep.values if keep.values is not None else read_prompt()
    with gathered([embedding.weight], modifier_rank=0):
        set_peft_model_state_dict(peft_model, {"prompt_embeddings": final})
    test = None
    if rows.get("test"):
        test_rows, truth[0] = data["evaluate"]("test")
        test = trainer.evaluate(eval_dataset=test_rows, metric_key_prefix="test")
    # In inference mode PEFT saves the embedding weight itself rather than running the prompt encoder.
    peft_model.peft_config["default"].inference_mode = True
    with gathered([embedding.weight]):  # every process takes part in the gather; one writes
        if trainer.is_world_process_zero():
            peft_model.save_pretrained(str(out), safe_serialization=True)
    if trainer.is_world_process_zero():
        weights = out / "adapter_model.safetensors"
        saved = load_file(str(weights))["prompt_embeddings"].float()
        if saved.shape != final.shape or not torch.allclose(saved, final, atol=1e-2, rtol=1e-2):
            raise RecipeError(f"PEFT saved a {tuple(saved.shape)} prompt that differs from the best one {tuple(final.shape)}")
        # PEFT writes the tensor with {"format": "pt"} only; the studio also reads labels, template and the rest from here.
        save_file({"prompt_embeddings": final.contiguous()}, str(weights), metadata=studio_metadata(recipe, steps, keep.best))
        report = {"member": member, "seed": seed, "steps": steps, "best": keep.best, "validations": keep.history, "test": test}
        (out / "metrics.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out}: {json.dumps({'best': keep.best, 'test': test})}")


def studio_metadata(recipe, steps, best):
    """The safetensors metadata the studio writes into its own prompt files (promptFile.ts)."""
    task, m = recipe["task"], recipe["model"]
    text_task = is_text_task(task)
    meta = {
        "format": "pt", "d_model": str(m["dModel"]), "base_model": m["id"], "task": "text" if text_task else "classify",
        "template": task["template"], "init": "prompt" if recipe.get("warmStart") else recipe["settings"]["init"], "steps": str(steps),
        "validation": json.dumps({k: best[k] for k in ("accuracy", "loss", "f1") if k in best} if best else {}),
        "created": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
    }
    # A text-to-text prompt writes free text: it has no label set to record.
    if text_task:
        return meta
    meta["labels"] = json.dumps(task["targetTexts"])
    if task["labels"] != task["targetTexts"]:
        meta["label_map"] = json.dumps(dict(zip(task["labels"], task["targetTexts"])))
    return meta


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="check recipe.json, the data and any warm-start prompt, print the plan, train nothing")
    parser.add_argument("--recipe", default=str(HERE / "recipe.json"))
    parser.add_argument("--out", default=str(HERE / "adapter"), help="adapter folder (ensembles: OUT-1, OUT-2, ...)")
    parser.add_argument("--member", type=int, help="train only this ensemble member (1..K), e.g. one launch per member under ZeRO-3")
    parser.add_argument("--max-per-device-batch", type=int, help="cap the batch on one GPU; the rest becomes gradient accumulation")
    parser.add_argument("--max-steps", type=int, help="train at most this many steps (a short trial run); default: the recipe's steps")
    parser.add_argument("--processes", type=int, help="number of GPU processes the dry run plans for (default: WORLD_SIZE or 1)")
    parser.add_argument("--deepspeed", help="a DeepSpeed config file, when launching with torchrun or deepspeed instead of accelerate")
    args = parser.parse_args(argv)
    try:
        recipe = load_recipe(args.recipe)
        root = Path(args.recipe).resolve().parent
        problems = setting_problems(recipe["settings"], recipe["settingLimits"]) + optimizer_problems(recipe["optimizer"], recipe["settings"])
        if problems:
            raise RecipeError("recipe.json: " + "; ".join(problems))
        rows = check_data(recipe, root)
        warm_start = check_warm_start(recipe, root)
        members = recipe["settings"]["ensembleSize"]
        if args.member is not None and not 1 <= args.member <= members:
            raise RecipeError(f"--member must be from 1 to {members}")
        world = args.processes or int(os.environ.get("WORLD_SIZE", "1"))
        deepspeed = args.deepspeed or os.environ.get("ACCELERATE_USE_DEEPSPEED", "").lower() == "true"
        if members > 1 and args.member is None and deepspeed and not args.dry_run:
            raise RecipeError(f"under DeepSpeed, launch once per ensemble member: add --member k for k = 1..{members}")
        if args.max_steps is not None:
            if args.max_steps < 1:
                raise RecipeError("--max-steps must be at least 1")
            recipe["steps"] = min(recipe["steps"], args.max_steps)
        lines = plan(recipe, rows, args, world)
    except (RecipeError, KeyError, TypeError) as e:
        message = f"recipe.json lacks {e}" if isinstance(e, KeyError) else str(e)
        print(f"error: {message}", file=sys.stderr)
        return 2
    if int(os.environ.get("RANK", "0")) == 0:
        print("\n".join(lines))
    if args.dry_run:
        print("dry run: the recipe, the data and the prompt are valid; nothing was downloaded or trained")
        return 0
    try:
        for member in [args.member] if args.member else range(1, members + 1):
            train_member(recipe, rows, args, member, warm_start)
    except RecipeError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
