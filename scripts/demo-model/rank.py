"""Rank classification in PyTorch: the label whose text the model scores highest."""
import torch
import torch.nn.functional as F

from mixture import collate


@torch.no_grad()
def label_scores(model, input_ids, label_ids, prompt=None, batch=64):
    """[N, C] summed log-probabilities of each label (token lists with </s>) for each input."""
    model.eval()
    out = []
    for s in range(0, len(input_ids), batch):
        chunk = input_ids[s : s + batch]
        ids, mask, _ = collate([(i, [1]) for i in chunk])
        emb = model.shared(ids)
        if prompt is not None:
            emb = torch.cat([prompt.expand(len(chunk), -1, -1), emb], 1)
            mask = torch.cat([torch.ones(len(chunk), prompt.shape[1]), mask], 1)
        enc, pad = model.encode(emb, mask, p=0.0)
        cols = []
        for lab in label_ids:
            labels = torch.tensor([lab] * len(chunk))
            dec = torch.zeros_like(labels)
            dec[:, 1:] = labels[:, :-1]
            logp = F.log_softmax(model.decode(enc, pad, dec, p=0.0), -1)
            cols.append(logp.gather(-1, labels[..., None]).squeeze(-1).sum(-1))
        out.append(torch.stack(cols, 1))
    return torch.cat(out)


def accuracy(model, input_ids, gold, label_ids, prompt=None):
    pred = label_scores(model, input_ids, label_ids, prompt).argmax(1)
    return (pred == torch.tensor(gold)).float().mean().item()
