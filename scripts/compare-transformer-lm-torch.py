#!/usr/bin/python3
"""The PyTorch twin of Nabla's transformer-lm run (scripts/compare-transformer-lm): the same text, split,
vocabulary, windows, model (scripts/transformer_lm_torch.py), optimizer, schedule and evaluation protocol.

    /usr/bin/python3 scripts/compare-transformer-lm-torch.py TEXT OUT_DIR [STEPS BATCH CONTEXT LR WARMUP MIN_LR SEED]

- split: the first floor(0.9 n) characters train, the next floor(0.05 n) validate, the rest test
  (dev.nabla.models.data.TokenStream.split); the vocabulary is every distinct character in code-point order;
- windows: window i of a split reads tokens[i T, (i + 1) T) and predicts one later, i < (n - 1) // T
  (TokenStream.windows with one row); an epoch takes the training windows in a fresh random order, in batches
  of BATCH (the last one smaller), as Nabla's loop does;
- optimizer: Adam(lr, betas (0.9, 0.999), eps 1e-8), the rate lr (step + 1) / WARMUP for the first WARMUP
  steps, then cosine from lr to MIN_LR over the remaining STEPS - WARMUP (LoopTrainer: schedule=cosine,
  warmupSteps, minLr);
- evaluation (LanguageModelNats): every window of the split read on its own, cross-entropy summed over
  every predicted character in float64; bits = nats / ln 2.
Writes OUT_DIR/torch.txt (test_bits=, validation_bits=, seconds=, ms_per_step=) and OUT_DIR/torch-sample.txt.
"""
import math
import os
import sys
import time

import torch
import torch.nn as nn
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from transformer_lm_torch import TransformerLm  # noqa: E402

text_file, out = sys.argv[1], sys.argv[2]
conv = [int, int, int, float, int, float, int]
defaults = [2000, 32, 64, 1e-3, 100, 1e-4, 1]
args = [c(a) for c, a in zip(conv, sys.argv[3:])]
steps, batch, context, lr, warmup, min_lr, seed = (args + defaults[len(args):])[:7]
torch.set_num_threads(1)
torch.manual_seed(seed)

text = open(text_file, encoding="utf-8").read()
chars = sorted(set(text))
ids = {c: i for i, c in enumerate(chars)}
tokens = torch.tensor([ids[c] for c in text], dtype=torch.long)
n = len(tokens)
a = int(math.floor(0.9 * n))
b = a + int(math.floor(0.05 * n))
train, val, test = tokens[:a], tokens[a:b], tokens[b:]


def windows(stream, seq):
    count = (len(stream) - 1) // seq
    x = stream[: count * seq].view(count, seq)
    y = stream[1: count * seq + 1].view(count, seq)
    return x, y


def nats(model, stream):
    seq = min(context, len(stream) - 1)
    x, y = windows(stream, seq)
    total = 0.0
    model.eval()
    with torch.no_grad():
        for i in range(0, len(x), 64):
            logits = model(x[i:i + 64])
            total += nn.functional.cross_entropy(logits.reshape(-1, len(chars)).double(), y[i:i + 64].reshape(-1),
                                                 reduction="sum").item()
    model.train()
    return total / y.numel()


def rate(step):
    if step < warmup:
        return lr * (step + 1) / warmup
    rest = max(1, steps - warmup)
    s = min(step - warmup, rest)
    return min_lr + (lr - min_lr) * (1 + math.cos(math.pi * s / rest)) / 2


model = TransformerLm(len(chars), context=context)
opt = torch.optim.Adam(model.parameters(), lr=lr)
xs, ys = windows(train, context)
with threadpool_limits(1, "blas"):
    t0 = time.time()
    step = 0
    while step < steps:
        order = torch.randperm(len(xs))
        for i in range(0, len(order), batch):
            if step >= steps:
                break
            idx = order[i:i + batch]
            for g in opt.param_groups:
                g["lr"] = rate(step)
            logits = model(xs[idx])
            loss = nn.functional.cross_entropy(logits.reshape(-1, len(chars)), ys[idx].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 100 == 0:
                print(f"step {step}: loss {loss.item():.4f} lr {rate(step - 1):.2e} "
                      f"({(time.time() - t0) / step * 1000:.0f} ms/step)", flush=True)
    seconds = time.time() - t0
    test_bits = nats(model, test) / math.log(2)
    val_bits = nats(model, val) / math.log(2)

    # a sample: ROMEO: then 500 characters at temperature 0.8, the last `context` characters as the context
    model.eval()
    g = torch.Generator().manual_seed(seed)
    drawn = [ids[c] for c in "ROMEO:"]
    with torch.no_grad():
        for _ in range(500):
            logits = model(torch.tensor([drawn[-context:]]))
            p = torch.softmax(logits[0, -1].double() / 0.8, dim=0)
            drawn.append(torch.multinomial(p, 1, generator=g).item())
with open(f"{out}/torch.txt", "w") as f:
    f.write(f"test_bits={test_bits:.6f}\nvalidation_bits={val_bits:.6f}\nseconds={seconds:.1f}\n"
            f"ms_per_step={seconds / steps * 1000:.1f}\n")
with open(f"{out}/torch-sample.txt", "w") as f:
    f.write("".join(chars[c] for c in drawn) + "\n")
print(f"torch: test {test_bits:.4f} bits/char, validation {val_bits:.4f}, {seconds:.0f} s ({seconds / steps * 1000:.0f} ms/step)")
