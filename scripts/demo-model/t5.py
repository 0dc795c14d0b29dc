"""A compact T5 v1.1 in PyTorch (gated-GELU, untied head, relative position buckets) whose
state_dict keys are exactly Hugging Face's T5ForConditionalGeneration names, plus safetensors
reading and writing without extra packages. Used to pretrain the demo model and as the PyTorch
peer of `npm run bench:learn`."""
import json
import math
import struct
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

EPS = 1e-6


def relative_position_bucket(rel, bidirectional, num_buckets, max_distance):
    """transformers' T5Attention._relative_position_bucket."""
    buckets = 0
    if bidirectional:
        num_buckets //= 2
        buckets = (rel > 0).long() * num_buckets
        rel = rel.abs()
    else:
        rel = -torch.clamp(rel, max=0)
    max_exact = num_buckets // 2
    large = max_exact + (torch.log(rel.float().clamp(min=1) / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact)).long()
    large = torch.clamp(large, max=num_buckets - 1)
    return buckets + torch.where(rel < max_exact, rel, large)


class Norm(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + EPS))


class Attention(nn.Module):
    def __init__(self, c, has_bias):
        super().__init__()
        inner = c["num_heads"] * c["d_kv"]
        self.q, self.k, self.v = (nn.Linear(c["d_model"], inner, bias=False) for _ in range(3))
        self.o = nn.Linear(inner, c["d_model"], bias=False)
        self.h, self.dk = c["num_heads"], c["d_kv"]
        if has_bias:
            self.relative_attention_bias = nn.Embedding(c["relative_attention_num_buckets"], c["num_heads"])

    def forward(self, x, kv, bias, p):
        b, lq, _ = x.shape
        split = lambda t: t.view(b, -1, self.h, self.dk).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(kv)), split(self.v(kv))
        w = F.dropout(F.softmax(q @ k.transpose(-1, -2) + bias, dim=-1), p, self.training)  # T5: no 1/sqrt(d_kv)
        return self.o((w @ v).transpose(1, 2).reshape(b, lq, -1))


class SelfLayer(nn.Module):
    def __init__(self, c, has_bias):
        super().__init__()
        self.SelfAttention, self.layer_norm = Attention(c, has_bias), Norm(c["d_model"])


class CrossLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.EncDecAttention, self.layer_norm = Attention(c, False), Norm(c["d_model"])


class GatedGelu(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.wi_0 = nn.Linear(c["d_model"], c["d_ff"], bias=False)
        self.wi_1 = nn.Linear(c["d_model"], c["d_ff"], bias=False)
        self.wo = nn.Linear(c["d_ff"], c["d_model"], bias=False)


class FfLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.DenseReluDense, self.layer_norm = GatedGelu(c), Norm(c["d_model"])


class Block(nn.Module):
    def __init__(self, c, decoder, first):
        super().__init__()
        self.layer = nn.ModuleList([SelfLayer(c, first)] + ([CrossLayer(c)] if decoder else []) + [FfLayer(c)])

    def forward(self, h, self_bias, p, enc=None, cross_bias=None):
        drop = lambda x: F.dropout(x, p, self.training)
        a = self.layer[0]
        n = a.layer_norm(h)
        h = h + drop(a.SelfAttention(n, n, self_bias, p))
        if enc is not None:
            x = self.layer[1]
            h = h + drop(x.EncDecAttention(x.layer_norm(h), enc, cross_bias, p))
        f = self.layer[-1]
        d = f.DenseReluDense
        n = f.layer_norm(h)
        return h + drop(d.wo(drop(F.gelu(d.wi_0(n), approximate="tanh") * d.wi_1(n))))


class Stack(nn.Module):
    def __init__(self, c, decoder):
        super().__init__()
        n = c["num_decoder_layers"] if decoder else c["num_layers"]
        self.block = nn.ModuleList(Block(c, decoder, i == 0) for i in range(n))
        self.final_layer_norm = Norm(c["d_model"])
        self.decoder = decoder
        self.c = c

    def position_bias(self, lq, lk):
        rel = torch.arange(lk)[None, :] - torch.arange(lq)[:, None]
        buckets = relative_position_bucket(rel, not self.decoder, self.c["relative_attention_num_buckets"], self.c["relative_attention_max_distance"])
        return self.block[0].layer[0].SelfAttention.relative_attention_bias(buckets).permute(2, 0, 1).unsqueeze(0)


def default_config(**kw):
    c = dict(vocab_size=8000, d_model=256, d_kv=64, num_heads=4, d_ff=640, num_layers=4, num_decoder_layers=2,
             relative_attention_num_buckets=32, relative_attention_max_distance=128, dropout_rate=0.0)
    c.update(kw)
    return c


class T5(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.shared = nn.Embedding(c["vocab_size"], c["d_model"])
        self.encoder, self.decoder = Stack(c, False), Stack(c, True)
        self.lm_head = nn.Linear(c["d_model"], c["vocab_size"], bias=False)
        self.init_weights()

    @torch.no_grad()
    def init_weights(self):
        """As transformers' T5PreTrainedModel._init_weights (initializer_factor 1)."""
        d, dk, h, ff = self.c["d_model"], self.c["d_kv"], self.c["num_heads"], self.c["d_ff"]
        self.shared.weight.normal_(0, 1.0)
        self.lm_head.weight.normal_(0, d ** -0.5)
        for m in self.modules():
            if isinstance(m, Attention):
                m.q.weight.normal_(0, (d * dk) ** -0.5)
                m.k.weight.normal_(0, d ** -0.5)
                m.v.weight.normal_(0, d ** -0.5)
                m.o.weight.normal_(0, (h * dk) ** -0.5)
                if hasattr(m, "relative_attention_bias"):
                    m.relative_attention_bias.weight.normal_(0, d ** -0.5)
            elif isinstance(m, GatedGelu):
                m.wi_0.weight.normal_(0, d ** -0.5)
                m.wi_1.weight.normal_(0, d ** -0.5)
                m.wo.weight.normal_(0, ff ** -0.5)

    def encode(self, embeds, mask, p=None):
        p = self.c["dropout_rate"] if p is None else p
        pad = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        bias = self.encoder.position_bias(embeds.shape[1], embeds.shape[1]) + pad
        h = F.dropout(embeds, p, self.training)
        for blk in self.encoder.block:
            h = blk(h, bias, p)
        return F.dropout(self.encoder.final_layer_norm(h), p, self.training), pad

    def decode(self, enc, pad, decoder_input_ids, p=None):
        p = self.c["dropout_rate"] if p is None else p
        t = decoder_input_ids.shape[1]
        causal = torch.triu(torch.full((t, t), torch.finfo(torch.float32).min), 1)
        bias = self.decoder.position_bias(t, t) + causal
        h = F.dropout(self.shared(decoder_input_ids), p, self.training)
        for blk in self.decoder.block:
            h = blk(h, bias, p, enc, pad)
        return self.lm_head(F.dropout(self.decoder.final_layer_norm(h), p, self.training))

    def forward(self, input_embeds, mask, decoder_input_ids):
        enc, pad = self.encode(input_embeds, mask)
        return self.decode(enc, pad, decoder_input_ids)


def shift_right(labels):
    """Decoder inputs: start token 0, then the labels with padding (-100) as 0."""
    d = torch.zeros_like(labels)
    d[:, 1:] = labels[:, :-1].clamp(min=0)
    return d


def hf_config(c, **extra):
    return {"architectures": ["T5ForConditionalGeneration"], "model_type": "t5", **{k: v for k, v in c.items()},
            "layer_norm_epsilon": EPS, "initializer_factor": 1.0, "feed_forward_proj": "gated-gelu",
            "dense_act_fn": "gelu_new", "is_gated_act": True, "tie_word_embeddings": False, "is_encoder_decoder": True,
            "use_cache": True, "pad_token_id": 0, "eos_token_id": 1, "decoder_start_token_id": 0, **extra}


_DT = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}
_TD = {v: k for k, v in _DT.items()}


def save_safetensors(path: Path, tensors: dict, metadata: dict | None = None):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        b = t.view(torch.uint8).numpy().tobytes() if t.dtype != torch.float32 else t.numpy().tobytes()
        header[name] = {"dtype": _DT[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    if metadata:
        header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h)
        for b in blobs:
            f.write(b)


def load_safetensors(path: Path) -> dict:
    raw = Path(path).read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        buf = bytearray(raw[8 + n + a : 8 + n + b])
        out[name] = torch.frombuffer(buf, dtype=_TD[info["dtype"]]).reshape(info["shape"]).float() if buf else torch.zeros(info["shape"])
    return out


def load_model(folder: Path) -> T5:
    c = json.loads((Path(folder) / "config.json").read_text())
    keys = ("vocab_size", "d_model", "d_kv", "num_heads", "d_ff", "num_layers", "num_decoder_layers",
            "relative_attention_num_buckets", "relative_attention_max_distance", "dropout_rate")
    m = T5({k: c[k] for k in keys})
    m.load_state_dict(load_safetensors(Path(folder) / "model.safetensors"))
    return m
