"""Sentiment coordinates for the starting embeddings: a bag-of-pieces logistic regression on the
pretraining sentiment data (the rt-polarity pretraining half, review sentences labelled with their
review's polarity, the lexicon), whose per-piece weights are written into the last few embedding
dimensions. Measured: with them a fresh model reads sentence polarity within 50 steps (70% on the
rt-polarity dev sentences), where co-occurrence statistics alone left it at 55% after 1,200 steps.
Only pretraining data is used: the held-out sentences never reach this fit."""
import torch
import torch.nn.functional as F


def piece_sentiment(pairs, vocab, l2=1e-4):
    """pairs: (piece ids, is_positive). Returns ([vocab] weights scaled to unit standard deviation
    over the pieces seen, training accuracy)."""
    bags = [sorted(set(ids)) for ids, _ in pairs]
    flat = torch.tensor([i for b in bags for i in b], dtype=torch.long)
    offsets = torch.tensor([0] + [len(b) for b in bags][:-1]).cumsum(0)
    y = torch.tensor([float(p) for _, p in pairs])
    w = torch.zeros(vocab, 1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    opt = torch.optim.LBFGS([w, b], max_iter=300, line_search_fn="strong_wolfe")

    def score():
        return F.embedding_bag(flat, w, offsets, mode="sum").squeeze(1) + b

    def closure():
        opt.zero_grad()
        loss = F.binary_cross_entropy_with_logits(score(), y) + l2 * w.pow(2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    with torch.no_grad():
        acc = ((score() > 0).float() == y).float().mean().item()
        weights = w.squeeze(1).clone()
    return weights / weights[weights != 0].std(), acc


def sentiment_pairs(t, positive_ids):
    """The pretraining mixture's sentiment-type examples as (piece ids, is_positive)."""
    pos = tuple(positive_ids)
    pairs = [(x, tuple(y) == pos) for x, y in t["sentiment"] + t["lexicon"]]
    pairs += [(s, tuple(y) == pos) for sentences, y in t["review"] for s in sentences]
    return pairs
