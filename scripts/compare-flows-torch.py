#!/usr/bin/python3
"""PyTorch peer of Nabla's flows for scripts/compare-flows.

Reads the folder written by dev.nabla.models.flows.bench.CompareFlowsMain (train.csv, test.csv,
init.txt with Nabla's initial parameters and buffers, config.txt), builds the same architecture
(RealNVP: affine couplings with checkerboard masks + ActNorm; MAF: MADE layers with Reverse between),
loads the same initial values, trains with torch.optim.Adam on the same batches in the same order for
the same number of steps, and prints the test log-likelihood. Run with Debian's /usr/bin/python3.

The batch order is that of Nabla's TrainingLoop with TrainingOptions.shuffle(false): every epoch walks
the training rows in index order in batches of `batch`, the last batch short when `batch` does not
divide the row count (dropLast is off); training stops after `steps` steps (TrainingOptions.maxSteps),
possibly inside an epoch. See batches() below.
"""
import math
import sys
import time

import numpy as np
import torch
from threadpoolctl import threadpool_limits


def load_state(path):
    state = {}
    with open(path) as f:
        for line in f:
            name, dims, values = line.rstrip("\n").split("\t")
            shape = [int(d) for d in dims.split(",")] if dims else []
            arr = np.array([float(v) for v in values.split(" ")], dtype=np.float32).reshape(shape)
            state[name] = torch.tensor(arr)
    return state


ACTIVATION = {"relu": torch.relu, "tanh": torch.tanh}
act = torch.relu


def mlp(x, layers):
    """Linear -> act -> ... -> Linear with weights [in, out] as in Nabla's Linear (y = x @ W + b)."""
    for i, (w, b, m) in enumerate(layers):
        x = x @ (w if m is None else w * m) + b
        if i + 1 < len(layers):
            x = act(x)
    return x


class Coupling:
    def __init__(self, st, p):
        self.mask, self.inv = st[p + "mask"], st[p + "inverse_mask"]
        self.scale = st[p + "scale"].clone().requires_grad_()
        self.layers = []
        k = 0
        while p + "net.%d.weight" % k in st:
            self.layers.append((st[p + "net.%d.weight" % k].clone().requires_grad_(),
                                st[p + "net.%d.bias" % k].clone().requires_grad_(), None))
            k += 2
        self.params = [self.scale] + [t for l in self.layers for t in l[:2]]

    def forward(self, x):
        d = x.shape[1]
        h = mlp(x * self.mask, self.layers)
        s = torch.tanh(h[:, :d]) * self.scale * self.inv
        t = h[:, d:] * self.inv
        return x * torch.exp(s) + t, s.sum(1)


class ActNorm:
    def __init__(self, st, p):
        self.loc = st[p + "loc"].clone().requires_grad_()
        self.log_scale = st[p + "log_scale"].clone().requires_grad_()
        self.initialized = bool(st[p + "initialized"].item() != 0)
        self.params = [self.loc, self.log_scale]

    def forward(self, x):
        if not self.initialized:
            with torch.no_grad():
                self.loc.copy_(-x.mean(0))
                self.log_scale.copy_(-torch.log(x.std(0, unbiased=False) + 1e-6))
            self.initialized = True
        return (x + self.loc) * torch.exp(self.log_scale), self.log_scale.sum().expand(x.shape[0])


class MAF:
    def __init__(self, st, p):
        self.layers = []
        k = 0
        while p + "made.layers.%d.weight" % k in st:
            q = p + "made.layers.%d." % k
            self.layers.append((st[q + "weight"].clone().requires_grad_(), st[q + "bias"].clone().requires_grad_(),
                                st[q + "mask"]))
            k += 1
        self.params = [t for l in self.layers for t in l[:2]]

    def forward(self, x):
        d = x.shape[1]
        out = mlp(x, self.layers)
        mu, alpha = out[:, :d], out[:, d:]
        return (x - mu) * torch.exp(-alpha), -alpha.sum(1)


class Reverse:
    params = []

    def forward(self, x):
        return torch.flip(x, [1]), torch.zeros(x.shape[0])


def build(model, st):
    flows = []
    k = 0
    while True:
        p = "flows.%d." % k
        if model == "realnvp":
            if p + "scale" in st:
                flows.append(Coupling(st, p))
            elif p + "loc" in st:
                flows.append(ActNorm(st, p))
            else:
                break
        elif model == "maf":
            if p + "made.layers.0.weight" in st:
                flows.append(MAF(st, p))
            elif any(n.startswith("flows.%d." % (k + 1)) for n in st):
                flows.append(Reverse())  # the stateless reversal between MAF blocks
            else:
                break
        else:
            raise SystemExit("unknown model " + model)
        k += 1
    return flows


def log_prob(flows, x):
    ld = torch.zeros(x.shape[0])
    for fl in flows:
        x, l = fl.forward(x)
        ld = ld + l
    d = x.shape[1]
    return -0.5 * (x * x).sum(1) - 0.5 * d * math.log(2 * math.pi) + ld


def batches(n, batch, steps):
    """Row ranges [start, end) of the first `steps` batches, as TrainingLoop orders them unshuffled."""
    per_epoch = (n + batch - 1) // batch
    for s in range(steps):
        b = s % per_epoch
        yield b * batch, min(n, (b + 1) * batch)


def main(folder):
    torch.set_num_threads(1)
    cfg = dict(line.strip().split("=", 1) for line in open(folder + "/config.txt") if "=" in line)
    steps, batch, lr = int(cfg["steps"]), int(cfg["batch"]), float(cfg["lr"])
    global act
    act = ACTIVATION[cfg.get("activation", "relu")]
    train = torch.tensor(np.loadtxt(folder + "/train.csv", delimiter=",", dtype=np.float32))
    test = torch.tensor(np.loadtxt(folder + "/test.csv", delimiter=",", dtype=np.float32))
    flows = build(cfg["model"], load_state(folder + "/init.txt"))
    params = [t for fl in flows for t in fl.params]
    opt = torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-8)
    n = train.shape[0]
    t0 = time.time()
    for s, (start, end) in enumerate(batches(n, batch, steps)):
        loss = -log_prob(flows, train[start:end]).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if (s + 1) % max(1, steps // 10) == 0 or s == 0:
            print("step %5d  loss %.5f  (%.1f s)" % (s + 1, loss.item(), time.time() - t0), flush=True)
    seconds = time.time() - t0
    with torch.no_grad():
        test_ll = log_prob(flows, test).mean().item()
        train_ll = log_prob(flows, train).mean().item()
    result = "test_ll=%.6f\ntrain_ll=%.6f\nfinal_loss=%.6f\nseconds=%.1f\n" % (test_ll, train_ll, loss.item(), seconds)
    open(folder + "/torch.txt", "w").write(result)
    print(result, end="")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: compare-flows-torch.py FOLDER (written by CompareFlowsMain)")
    with threadpool_limits(1, "blas"):
        main(sys.argv[1])
