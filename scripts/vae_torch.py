#!/usr/bin/python3
"""PyTorch twin of Nabla's MLP VAE (docs/vae.md): same data, same binarisation, same configuration.

    /usr/bin/python3 scripts/vae_torch.py train [epochs=20] [iw_images=0] [K=1000]   # prints the test IW bound
    /usr/bin/python3 scripts/vae_torch.py bench [steps=50]                           # ms per step, MLP and conv
    /usr/bin/python3 scripts/vae_torch.py bits                                        # checksums of the binarisation

Data: Fashion-MNIST from /usr/share/datasets/fashion-mnist (Debian dataset-fashion-mnist), the first
50,000 training images for training (Nabla holds the last 10,000 out for validation), all 10,000 test
images. Binarisation: dev.nabla.models.vae.Binarization reproduced bit for bit (SplitMix64's finaliser of
seed + (k+1)*phi, 53 bits, u < pixel/255 in float32), seed 1 for the training file, 2 for the test file.
Model: 784-512-512-(20+20) encoder, 20-512-512-784 decoder, ReLU, Bernoulli logits; Adam 1e-3; batch 128.
One thread (torch.set_num_threads(1) and threadpoolctl for OpenBLAS).
"""
import gzip, math, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from threadpoolctl import threadpool_limits

torch.set_num_threads(1)
DATA = "/usr/share/datasets/fashion-mnist"
PHI = np.uint64(0x9E3779B97F4A7C15)


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    rank = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def uniform(seed, n):
    k = np.arange(1, n + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + k * PHI
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53


def binarised(part, seed):
    px = idx(f"{DATA}/{part}-images-idx3-ubyte.gz").reshape(-1, 784)
    p = (px.astype(np.float32) / np.float32(255)).astype(np.float64).ravel()
    return (uniform(seed, p.size) < p).astype(np.float32).reshape(-1, 784)


class VAE(nn.Module):
    def __init__(self, d=784, h=512, latent=20, conv=False, c=32):
        super().__init__()
        self.conv = conv
        if conv:
            self.enc = nn.Sequential(nn.Unflatten(1, (1, 28, 28)), nn.Conv2d(1, c, 4, 2, 1), nn.ReLU(),
                                     nn.Conv2d(c, 2 * c, 4, 2, 1), nn.ReLU(), nn.Flatten(),
                                     nn.Linear(2 * c * 49, h), nn.ReLU())
            self.dec = nn.Sequential(nn.Linear(latent, h), nn.ReLU(), nn.Linear(h, 2 * c * 49), nn.ReLU(),
                                     nn.Unflatten(1, (2 * c, 7, 7)), nn.ConvTranspose2d(2 * c, c, 4, 2, 1), nn.ReLU(),
                                     nn.ConvTranspose2d(c, 1, 4, 2, 1), nn.Flatten())
        else:
            self.enc = nn.Sequential(nn.Linear(d, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU())
            self.dec = nn.Sequential(nn.Linear(latent, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, d))
        self.mu = nn.Linear(h, latent)
        self.logvar = nn.Linear(h, latent)

    def encode(self, x):
        h = self.enc(x)
        return self.mu(h), self.logvar(h)

    def neg_elbo(self, x):
        mu, logvar = self.encode(x)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        logits = self.dec(z)
        recon = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)
        kl = 0.5 * (mu ** 2 + logvar.exp() - 1 - logvar).sum(1)
        return recon, kl

    @torch.no_grad()
    def iw_bound(self, x, k):
        mu, logvar = self.encode(x.unsqueeze(0))
        out = []
        for start in range(0, k, 4096):
            m = min(4096, k - start)
            eps = torch.randn(m, mu.shape[1])
            z = mu + torch.exp(0.5 * logvar) * eps
            logits = self.dec(z)
            loglik = -F.binary_cross_entropy_with_logits(logits, x.expand(m, -1), reduction="none").sum(1)
            logp = -0.5 * (z ** 2).sum(1) - 0.5 * z.shape[1] * math.log(2 * math.pi)
            logq = -0.5 * (eps ** 2 + logvar).sum(1) - 0.5 * z.shape[1] * math.log(2 * math.pi)
            out.append(loglik + logp - logq)
        w = torch.cat(out).double()
        return (torch.logsumexp(w, 0) - math.log(k)).item()


def train(epochs=20, iw_images=0, k=1000):
    torch.manual_seed(1)
    xtr = torch.from_numpy(binarised("train", 1)[:50000])
    xte = torch.from_numpy(binarised("t10k", 2))
    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    n = xtr.shape[0]
    t0 = time.time()
    for epoch in range(epochs):
        perm = torch.randperm(n)
        total = 0.0
        for b in range(0, n, 128):
            x = xtr[perm[b:b + 128]]
            recon, kl = model.neg_elbo(x)
            loss = (recon + kl).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * x.shape[0]
        print(f"epoch {epoch + 1}: train -ELBO {total / n:.4f} ({time.time() - t0:.0f} s)", flush=True)
    model.eval()
    with torch.no_grad():
        recon, kl = model.neg_elbo(xte)
    m = iw_images if iw_images > 0 else xte.shape[0]
    iw = sum(model.iw_bound(xte[i], k) for i in range(m)) / m
    elbo = -(recon + kl).mean().item()
    print(f"test ELBO {elbo:.4f} nats (recon {recon.mean().item():.4f}, kl {kl.mean().item():.4f})")
    print(f"test importance-weighted bound (K={k}, {m} images) {iw:.4f} nats, NLL {-iw:.4f}, "
          f"{-iw / (784 * math.log(2)):.4f} bits/dim")
    print(f"iw_bound={iw:.6f}")


def bench(steps=50):
    torch.manual_seed(1)
    x = torch.from_numpy(binarised("t10k", 2)[:128])
    for name, conv in (("mlp", False), ("conv", True)):
        model = VAE(conv=conv, h=512 if not conv else 256)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        def step():
            recon, kl = model.neg_elbo(x)
            loss = (recon + kl).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        for _ in range(10):
            step()
        best = []
        for rep in range(3):
            t = time.perf_counter()
            for _ in range(steps):
                step()
            best.append((time.perf_counter() - t) / steps * 1000)
        print(f"torch {name} ms/step {min(best):.3f}")


def bits():
    tr = binarised("train", 1)
    te = binarised("t10k", 2)
    print(f"train ones {int(tr.sum())} test ones {int(te.sum())} first-image ones {int(tr[0].sum())}")


if __name__ == "__main__":
    with threadpool_limits(1, "blas"):
        cmd = sys.argv[1] if len(sys.argv) > 1 else "train"
        args = [int(a) for a in sys.argv[2:]]
        {"train": train, "bench": bench, "bits": bits}[cmd](*args)
