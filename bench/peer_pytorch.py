#!/usr/bin/python3
"""The PyTorch peer of `npm run bench`: the same prompt-tuning step on the same shapes, in PyTorch
eager on the CPU, the way a PEFT user would run it (frozen T5, the soft prompt [P, d_model] the only
tensor that requires grad, prepended to the input embeddings with attention mask 1; loss = mean
cross-entropy over the target tokens; then one Adafactor update).

No `transformers` needed: a compact T5 v1.1 (gated-gelu, untied head, relative position buckets
computed on every forward as transformers does) written here, with random weights drawn as
transformers' T5PreTrainedModel._init_weights draws them. The optimiser is the same unfactored
Adafactor as src/core/tuning/adafactor.ts (lr 0.3, beta2_t = 1 - t^-0.8, eps 1e-30, update clipped
at RMS 1, weight decay 1e-5), since torch.optim has no Adafactor in this version.

Prints one JSON object. Usage:
  /usr/bin/python3 bench/peer_pytorch.py [--threads 2] [--batch 8] [--input-length 64]
                                         [--prompt-length 20] [--reps 5] [--dropout 0.1]
"""
import argparse
import json
import math
import platform
import resource
import statistics
import time

import sys
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

# The unfactored Adafactor of src/core/tuning/adafactor.ts, shared with the learning benchmark's peer.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts" / "demo-model"))
from prompt_tune import Adafactor  # noqa: E402

VOCAB, D_MODEL, D_KV, HEADS, D_FF, LAYERS = 32128, 512, 64, 6, 1024, 8
BUCKETS, MAX_DISTANCE, EPS = 32, 128, 1e-6


def relative_position_bucket(relative_position, bidirectional, num_buckets=BUCKETS, max_distance=MAX_DISTANCE):
    """transformers' T5Attention._relative_position_bucket."""
    relative_buckets = 0
    if bidirectional:
        num_buckets //= 2
        relative_buckets += (relative_position > 0).to(torch.long) * num_buckets
        relative_position = torch.abs(relative_position)
    else:
        relative_position = -torch.min(relative_position, torch.zeros_like(relative_position))
    max_exact = num_buckets // 2
    is_small = relative_position < max_exact
    large = max_exact + (
        torch.log(relative_position.float() / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact)
    ).to(torch.long)
    large = torch.min(large, torch.full_like(large, num_buckets - 1))
    return relative_buckets + torch.where(is_small, relative_position, large)


class RMSNorm(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(D_MODEL))

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + EPS))


class Attention(nn.Module):
    def __init__(self, has_bias, bidirectional, dropout):
        super().__init__()
        inner = HEADS * D_KV
        self.q, self.k, self.v = (nn.Linear(D_MODEL, inner, bias=False) for _ in range(3))
        self.o = nn.Linear(inner, D_MODEL, bias=False)
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.relative_attention_bias = nn.Embedding(BUCKETS, HEADS) if has_bias else None

    def position_bias(self, q_len, k_len):
        rel = torch.arange(k_len)[None, :] - torch.arange(q_len)[:, None]
        buckets = relative_position_bucket(rel, self.bidirectional)
        return self.relative_attention_bias(buckets).permute(2, 0, 1).unsqueeze(0)  # [1, H, q, k]

    def forward(self, x, kv, bias):
        b, lq, _ = x.shape
        lk = kv.shape[1]
        q = self.q(x).view(b, lq, HEADS, D_KV).transpose(1, 2)
        k = self.k(kv).view(b, lk, HEADS, D_KV).transpose(1, 2)
        v = self.v(kv).view(b, lk, HEADS, D_KV).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(-1, -2)) + bias  # T5: no 1/sqrt(d_kv)
        weights = F.dropout(F.softmax(scores.float(), dim=-1), self.dropout, self.training)
        ctx = torch.matmul(weights, v).transpose(1, 2).reshape(b, lq, HEADS * D_KV)
        return self.o(ctx)


class GatedGelu(nn.Module):
    def __init__(self, dropout):
        super().__init__()
        self.wi_0 = nn.Linear(D_MODEL, D_FF, bias=False)
        self.wi_1 = nn.Linear(D_MODEL, D_FF, bias=False)
        self.wo = nn.Linear(D_FF, D_MODEL, bias=False)
        self.dropout = dropout

    def forward(self, x):
        h = F.gelu(self.wi_0(x), approximate="tanh") * self.wi_1(x)
        return self.wo(F.dropout(h, self.dropout, self.training))


class Block(nn.Module):
    def __init__(self, decoder, first, dropout):
        super().__init__()
        self.self_norm = RMSNorm()
        self.self_attn = Attention(first, not decoder, dropout)
        self.cross_norm = RMSNorm() if decoder else None
        self.cross_attn = Attention(False, False, dropout) if decoder else None
        self.ff_norm = RMSNorm()
        self.ff = GatedGelu(dropout)
        self.p = dropout

    def forward(self, h, self_bias, enc=None, cross_bias=None):
        drop = lambda x: F.dropout(x, self.p, self.training)
        n = self.self_norm(h)
        h = h + drop(self.self_attn(n, n, self_bias))
        if self.cross_attn is not None:
            h = h + drop(self.cross_attn(self.cross_norm(h), enc, cross_bias))
        return h + drop(self.ff(self.ff_norm(h)))


class T5(nn.Module):
    """T5 v1.1 small shape: d_model 512, d_kv 64, 6 heads, d_ff 1024, 8+8 layers, gated-gelu, untied head."""

    def __init__(self, dropout):
        super().__init__()
        self.shared = nn.Embedding(VOCAB, D_MODEL)
        self.encoder = nn.ModuleList(Block(False, i == 0, dropout) for i in range(LAYERS))
        self.decoder = nn.ModuleList(Block(True, i == 0, dropout) for i in range(LAYERS))
        self.enc_norm, self.dec_norm = RMSNorm(), RMSNorm()
        self.lm_head = nn.Linear(D_MODEL, VOCAB, bias=False)
        self.p = dropout
        self.init_weights()

    @torch.no_grad()
    def init_weights(self):
        """As transformers' T5PreTrainedModel._init_weights (initializer_factor 1)."""
        self.shared.weight.normal_(0, 1.0)
        self.lm_head.weight.normal_(0, D_MODEL ** -0.5)
        for m in self.modules():
            if isinstance(m, Attention):
                m.q.weight.normal_(0, (D_MODEL * D_KV) ** -0.5)
                m.k.weight.normal_(0, D_MODEL ** -0.5)
                m.v.weight.normal_(0, D_MODEL ** -0.5)
                m.o.weight.normal_(0, (HEADS * D_KV) ** -0.5)
                if m.relative_attention_bias is not None:
                    m.relative_attention_bias.weight.normal_(0, D_MODEL ** -0.5)
            elif isinstance(m, GatedGelu):
                m.wi_0.weight.normal_(0, D_MODEL ** -0.5)
                m.wi_1.weight.normal_(0, D_MODEL ** -0.5)
                m.wo.weight.normal_(0, D_FF ** -0.5)

    def forward(self, inputs_embeds, attention_mask, decoder_input_ids):
        drop = lambda x: F.dropout(x, self.p, self.training)
        b, l, _ = inputs_embeds.shape
        pad = (1.0 - attention_mask[:, None, None, :]) * torch.finfo(torch.float32).min
        enc_bias = self.encoder[0].self_attn.position_bias(l, l) + pad
        h = drop(inputs_embeds)
        for block in self.encoder:
            h = block(h, enc_bias)
        enc = drop(self.enc_norm(h))
        t = decoder_input_ids.shape[1]
        causal = torch.triu(torch.full((t, t), torch.finfo(torch.float32).min), 1)
        dec_bias = self.decoder[0].self_attn.position_bias(t, t) + causal
        h = drop(self.shared(decoder_input_ids))
        for block in self.decoder:
            h = block(h, dec_bias, enc, pad)
        return self.lm_head(drop(self.dec_norm(h)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--input-length", type=int, default=64)
    ap.add_argument("--prompt-length", type=int, default=20)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--dropout", type=float, default=0.1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    model = T5(args.dropout)
    model.requires_grad_(False)  # frozen: only the prompt is trained
    model.train()  # dropout on, as when training
    prompt = nn.Parameter(torch.randn(args.prompt_length, D_MODEL) * 0.5)
    opt = Adafactor(prompt)

    b, L, P = args.batch, args.input_length, args.prompt_length
    input_ids = torch.randint(3, VOCAB, (b, L))
    input_ids[:, -1] = 1
    labels = torch.stack([torch.tensor([1465 if i % 2 else 2841, 1]) for i in range(b)])
    decoder_input_ids = torch.cat([torch.zeros(b, 1, dtype=torch.long), labels[:, :-1]], 1)
    mask = torch.ones(b, P + L)

    def step():
        t0 = time.perf_counter()
        embeds = torch.cat([prompt.unsqueeze(0).expand(b, -1, -1), model.shared(input_ids)], 1)
        logits = model(embeds, mask, decoder_input_ids)
        loss = F.cross_entropy(logits.reshape(-1, VOCAB), labels.reshape(-1), ignore_index=-100)
        loss.backward()
        opt.step()
        return (time.perf_counter() - t0) * 1000, loss.item()

    first_ms, _ = step()
    times, loss = [], 0.0
    for _ in range(args.reps):
        ms, loss = step()
        times.append(ms)
    med = statistics.median(times)
    tokens = (L + P) * b
    print(json.dumps({
        "impl": f"PyTorch {torch.__version__} eager, CPU, {torch.get_num_threads()} threads",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "machine": platform.processor() or platform.machine(),
        "shape": {"batch": b, "inputLength": L, "promptLength": P},
        "tokensPerStep": tokens,
        "firstStepMs": first_ms,
        "timesMs": times,
        "medianMs": med,
        "tokensPerSecond": tokens * 1000 / med,
        "loss": loss,
        "maxRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))


if __name__ == "__main__":
    main()
