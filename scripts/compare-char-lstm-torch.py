#!/usr/bin/python3
"""The PyTorch twin of Nabla's char-lstm run (scripts/compare-char-lstm): the same text, split, vocabulary,
windows, truncated BPTT with the state carried across windows, optimizer and evaluation protocol.

    /usr/bin/python3 scripts/compare-char-lstm-torch.py TEXT OUT_DIR [STEPS BATCH BPTT LR EMBEDDING HIDDEN SEED]

- split: the first floor(0.9 n) characters train, the next floor(0.05 n) validate, the rest test
  (dev.nabla.models.data.TokenStream.split); the vocabulary is every distinct character in code-point order;
- windows: the training stream cut into BATCH rows of L = n // BATCH characters; window b of row r is
  tokens[r L + b T, r L + (b + 1) T) and its targets one later, for b < (L - 1) // T; an epoch takes
  b = 0, 1, ... in order, the first window from a zero state, the next from the last one's, detached;
- evaluation (LanguageModels.nats): a split cut into min(32, n // (T + 1)) rows, windows of T, the state
  carried, cross-entropy summed over every covered position; bits = nats / ln 2.
Writes OUT_DIR/torch.txt (test_bits=, validation_bits=, seconds=, ms_per_step=) and OUT_DIR/torch-sample.txt.
"""
import math
import sys
import time

import torch
import torch.nn as nn
from threadpoolctl import threadpool_limits

text_file, out = sys.argv[1], sys.argv[2]
args = [int(a) if i != 3 else float(a) for i, a in enumerate(sys.argv[3:])]
steps, batch, bptt, lr, emb, hidden, seed = (args + [3000, 32, 64, 2e-3, 64, 256, 1][len(args):])[:7]
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


class CharLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(len(chars), emb)
        self.rnn = nn.LSTM(emb, hidden, batch_first=True)
        self.head = nn.Linear(hidden, len(chars))

    def forward(self, x, state):
        y, state = self.rnn(self.embedding(x), state)
        return self.head(y.reshape(-1, hidden)), state


def windows(stream, rows, seq):
    seg = len(stream) // rows
    per_row = (seg - 1) // seq
    base = stream[: rows * seg].view(rows, seg)
    return [(base[:, w * seq:(w + 1) * seq], base[:, w * seq + 1:(w + 1) * seq + 1]) for w in range(per_row)]


def nats(model, stream):
    seq = min(bptt, len(stream) - 1)
    rows = max(1, min(32, len(stream) // (seq + 1)))
    total, count, state = 0.0, 0, None
    model.eval()
    with torch.no_grad():
        for x, y in windows(stream, rows, seq):
            logits, state = model(x, state)
            total += nn.functional.cross_entropy(logits.double(), y.reshape(-1), reduction="sum").item()
            count += y.numel()
    model.train()
    return total / count


model = CharLSTM()
opt = torch.optim.Adam(model.parameters(), lr=lr)
batches = windows(train, batch, bptt)
with threadpool_limits(1, "blas"):
    t0 = time.time()
    step, state = 0, None
    while step < steps:
        for w, (x, y) in enumerate(batches):
            if step >= steps:
                break
            if w == 0:
                state = None
            opt.zero_grad()
            logits, state = model(x, state)
            state = tuple(s.detach() for s in state)
            loss = nn.functional.cross_entropy(logits, y.reshape(-1))
            loss.backward()
            opt.step()
            step += 1
            if step % 100 == 0:
                print(f"step {step}: loss {loss.item():.4f} ({(time.time() - t0) / step * 1000:.0f} ms/step)", flush=True)
    seconds = time.time() - t0
    test_bits = nats(model, test) / math.log(2)
    val_bits = nats(model, val) / math.log(2)

    # a sample: ROMEO: then 500 characters at temperature 0.8
    model.eval()
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        x = torch.tensor([[ids[c] for c in "ROMEO:"]])
        state, drawn = None, []
        for _ in range(500):
            logits, state = model(x, state)
            p = torch.softmax(logits[-1].double() / 0.8, dim=0)
            c = torch.multinomial(p, 1, generator=g).item()
            drawn.append(chars[c])
            x = torch.tensor([[c]])
with open(f"{out}/torch.txt", "w") as f:
    f.write(f"test_bits={test_bits:.6f}\nvalidation_bits={val_bits:.6f}\nseconds={seconds:.1f}\n"
            f"ms_per_step={seconds / steps * 1000:.1f}\n")
with open(f"{out}/torch-sample.txt", "w") as f:
    f.write("ROMEO:" + "".join(drawn) + "\n")
print(f"torch: test {test_bits:.4f} bits/char, validation {val_bits:.4f}, {seconds:.0f} s ({seconds / steps * 1000:.0f} ms/step)")
