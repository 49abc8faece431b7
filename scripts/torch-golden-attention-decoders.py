#!/usr/bin/python3
"""Golden vectors for Nabla's attention decoders, written by PyTorch in float64 tensor ops.

Run with Debian's PyTorch (1.13) under /usr/bin/python3, from the repository root:

    /usr/bin/python3 scripts/torch-golden-attention-decoders.py

Two cases, one decoder step each over a padded batch of 3 sources (lengths 5, 2, 4; the padded keys hold
random values, which must not matter):

  bahdanau_step   e = v^T tanh(s W_s + h W_h), a = softmax over the real positions, c = sum a h,
                  s' = GRU([y; c], s), logits = [s'; c; y] W_o + b_o
  luong_general   h' = GRU([y; feed], h), e = h'^T (W_a h_s) (keys W_a), a = masked softmax, c = sum a h,
                  feed' = tanh([c; h'] W_c), logits = feed' W_o + b_o

with Nabla's layout (a Linear's weight is [in, out], x @ W; GRU weights in PyTorch's [3H, in], gates r, z, n)
and Nabla's parameter names. The scalar loss is sum(logits R1) + sum(state R2) + sum(a R3) (+ sum(feed' R4)),
with fixed random R's. Each file holds the parameters, the inputs (keys, lengths, y, s or h and feed), the
outputs, R1..R4, the loss, and grad.<name> for every parameter and input. The files go to
models/src/test/resources/dev/nabla/models/attention/torch/ and are checked in; AttentionGoldenTest reads them.
"""
import json
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models", "src", "test", "resources",
                   "dev", "nabla", "models", "attention", "torch")
B, S, E, H, A, V = 3, 5, 3, 4, 3, 6
LENGTHS = [5, 2, 4]


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": {k: str(v) for k, v in metadata.items()}}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        if t.dtype == torch.float64:
            dtype, fmt = "F64", "<d"
        elif t.dtype == torch.int64:
            dtype, fmt = "I64", "<q"
        else:
            raise ValueError(name + ": unsupported dtype " + str(t.dtype))
        blob = b"".join(struct.pack(fmt, v) for v in t.reshape(-1).tolist())
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def gru(x, h, w_ih, w_hh, b_ih, b_hh):
    gi = x @ w_ih.T + b_ih
    gh = h @ w_hh.T + b_hh
    ir, iz, inn = gi.chunk(3, 1)
    hr, hz, hn = gh.chunk(3, 1)
    r = torch.sigmoid(ir + hr)
    z = torch.sigmoid(iz + hz)
    n = torch.tanh(inn + r * hn)
    return (1 - z) * n + z * h


def param(*shape):
    return (torch.rand(*shape, dtype=torch.float64) * 2 - 1).requires_grad_(True)


def mask():
    return torch.arange(S).unsqueeze(0) < torch.tensor(LENGTHS).unsqueeze(1)


def masked_softmax(e):
    return e.masked_fill(~mask(), float("-inf")).softmax(-1)


def bahdanau():
    p = {
        "attention.query.weight": param(H, A),
        "attention.key.weight": param(H, A),
        "attention.v.weight": param(A, 1),
        "cell.weight_ih": param(3 * H, E + H),
        "cell.weight_hh": param(3 * H, H),
        "cell.bias_ih": param(3 * H),
        "cell.bias_hh": param(3 * H),
        "output.weight": param(H + H + E, V),
        "output.bias": param(V),
    }
    keys, y, s = param(B, S, H), param(B, E), param(B, H)
    e = (torch.tanh((keys @ p["attention.key.weight"]) + (s @ p["attention.query.weight"]).unsqueeze(1))
         @ p["attention.v.weight"]).squeeze(2)
    a = masked_softmax(e)
    c = (a.unsqueeze(1) @ keys).squeeze(1)
    s2 = gru(torch.cat([y, c], 1), s, p["cell.weight_ih"], p["cell.weight_hh"], p["cell.bias_ih"], p["cell.bias_hh"])
    logits = torch.cat([s2, c, y], 1) @ p["output.weight"] + p["output.bias"]
    r1, r2, r3 = torch.randn(B, V, dtype=torch.float64), torch.randn(B, H, dtype=torch.float64), torch.randn(B, S, dtype=torch.float64)
    loss = (logits * r1).sum() + (s2 * r2).sum() + (a * r3).sum()
    inputs = {"keys": keys, "y": y, "s": s}
    grads = torch.autograd.grad(loss, list(p.values()) + list(inputs.values()))
    out = dict(p)
    out.update(inputs)
    out.update({"lengths": torch.tensor(LENGTHS), "logits": logits, "state": s2, "weights": a,
                "R1": r1, "R2": r2, "R3": r3, "loss": loss.reshape(1)})
    for name, g in zip(list(p) + list(inputs), grads):
        out["grad." + name] = g
    write_safetensors(os.path.join(OUT, "bahdanau_step.safetensors"), out, {"case": "bahdanau_step"})


def luong_general():
    p = {
        "attention.score.weight": param(H, H),
        "cell.weight_ih": param(3 * H, E + H),
        "cell.weight_hh": param(3 * H, H),
        "cell.bias_ih": param(3 * H),
        "cell.bias_hh": param(3 * H),
        "combine.weight": param(H + H, H),
        "output.weight": param(H, V),
        "output.bias": param(V),
    }
    keys, y, h, feed = param(B, S, H), param(B, E), param(B, H), param(B, H)
    h2 = gru(torch.cat([y, feed], 1), h, p["cell.weight_ih"], p["cell.weight_hh"], p["cell.bias_ih"], p["cell.bias_hh"])
    e = ((keys @ p["attention.score.weight"]) @ h2.unsqueeze(2)).squeeze(2)
    a = masked_softmax(e)
    c = (a.unsqueeze(1) @ keys).squeeze(1)
    feed2 = torch.tanh(torch.cat([c, h2], 1) @ p["combine.weight"])
    logits = feed2 @ p["output.weight"] + p["output.bias"]
    r1, r2, r3, r4 = (torch.randn(B, V, dtype=torch.float64), torch.randn(B, H, dtype=torch.float64),
                      torch.randn(B, S, dtype=torch.float64), torch.randn(B, H, dtype=torch.float64))
    loss = (logits * r1).sum() + (h2 * r2).sum() + (a * r3).sum() + (feed2 * r4).sum()
    inputs = {"keys": keys, "y": y, "h": h, "feed": feed}
    grads = torch.autograd.grad(loss, list(p.values()) + list(inputs.values()))
    out = dict(p)
    out.update(inputs)
    out.update({"lengths": torch.tensor(LENGTHS), "logits": logits, "state": h2, "feed_out": feed2, "weights": a,
                "R1": r1, "R2": r2, "R3": r3, "R4": r4, "loss": loss.reshape(1)})
    for name, g in zip(list(p) + list(inputs), grads):
        out["grad." + name] = g
    write_safetensors(os.path.join(OUT, "luong_general_step.safetensors"), out, {"case": "luong_general_step"})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(13)
    bahdanau()
    luong_general()
    print("wrote", OUT)
