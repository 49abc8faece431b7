#!/usr/bin/python3
"""PyTorch 1.13 twin of Nabla's dcgan (docs/gan.md): same data, same networks, same game, same steps.

    /usr/bin/python3 scripts/dcgan_torch.py train STEPS OUT.f32 [n_samples=10000] [seed=1] [train_images=50000] [channels=32]
        trains on the first train_images training images, then writes n_samples samples (grey levels in [0, 1], float32 little-endian, n x 784) to OUT.f32,
        whose FMNIST-FID Nabla's tooling computes (dev.nabla.models.gan.bench.FidOfSamplesMain)
    /usr/bin/python3 scripts/dcgan_torch.py bench [steps=20]          # ms per training step (D step + G step)
    /usr/bin/python3 scripts/dcgan_torch.py grid SAMPLES.f32 OUT.png  # the first 64 samples as an 8 x 8 grid (PIL)

Data: Fashion-MNIST from /usr/share/datasets/fashion-mnist, the first 50,000 training images (Nabla holds the
last 10,000 out for validation; with --set limit=L it trains on the first L - floor(L/6), the train_images here), pixels p in [0, 1] entering as 2p - 1, shuffled every epoch, batch 64.
Model (latent 64, c = channels, default 32), as dev.nabla.models.gan.DcGan:
  G: z -> ConvT(64, 4c, 7, 1, 0) BN ReLU -> ConvT(4c, 2c, 4, 2, 1) BN ReLU -> ConvT(2c, 1, 4, 2, 1) tanh
  D: Conv(1, 2c, 4, 2, 1) LReLU(0.2) -> Conv(2c, 4c, 4, 2, 1) BN LReLU(0.2) -> Conv(4c, 1, 7, 1, 0)
PyTorch's default initialisation (as Nabla's layers). Game: the discriminator's BCE on real (label 1) and
generated (label 0, generated without gradient into G), then the non-saturating generator loss on fresh noise,
one D step per G step, two Adams (lr 2e-4, betas (0.5, 0.999)). One thread (torch.set_num_threads(1) and
threadpoolctl for OpenBLAS). Samples are drawn in evaluation mode (BatchNorm's running statistics), as Nabla does.
"""
import gzip, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from threadpoolctl import threadpool_limits

torch.set_num_threads(1)
DATA = "/usr/share/datasets/fashion-mnist"
LATENT, C, BATCH = 64, 32, 64


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    rank = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def nets():
    g = nn.Sequential(nn.Unflatten(1, (LATENT, 1, 1)),
                      nn.ConvTranspose2d(LATENT, 4 * C, 7, 1, 0), nn.BatchNorm2d(4 * C), nn.ReLU(),
                      nn.ConvTranspose2d(4 * C, 2 * C, 4, 2, 1), nn.BatchNorm2d(2 * C), nn.ReLU(),
                      nn.ConvTranspose2d(2 * C, 1, 4, 2, 1), nn.Tanh())
    d = nn.Sequential(nn.Conv2d(1, 2 * C, 4, 2, 1), nn.LeakyReLU(0.2),
                      nn.Conv2d(2 * C, 4 * C, 4, 2, 1), nn.BatchNorm2d(4 * C), nn.LeakyReLU(0.2),
                      nn.Conv2d(4 * C, 1, 7, 1, 0), nn.Flatten())
    return g, d


def step(g, d, og, od, real):
    n = real.shape[0]
    od.zero_grad()
    with torch.no_grad():
        fake = g(torch.randn(n, LATENT))
    a, b = d(real), d(fake)
    d_loss = F.softplus(-a).mean() + F.softplus(b).mean()
    d_loss.backward()
    od.step()
    og.zero_grad()
    g_loss = F.softplus(-d(g(torch.randn(n, LATENT)))).mean()
    g_loss.backward()
    og.step()
    return d_loss.item(), g_loss.item(), torch.sigmoid(a).mean().item(), torch.sigmoid(b).mean().item()


def train(steps, out, n_samples, seed, train_images, channels):
    global C
    C = channels
    torch.manual_seed(seed)
    x = idx(f"{DATA}/train-images-idx3-ubyte.gz")[:train_images].astype(np.float32) / np.float32(255)
    x = torch.from_numpy(x).reshape(-1, 1, 28, 28) * 2 - 1
    g, d = nets()
    og = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    od = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    done, t0 = 0, time.time()
    while done < steps:
        order = torch.randperm(x.shape[0])
        for i in range(0, x.shape[0], BATCH):
            if done == steps:
                break
            m = step(g, d, og, od, x[order[i:i + BATCH]])
            done += 1
            if done % 200 == 0 or done == steps:
                print("torch step %d d_loss %.4f g_loss %.4f d_real %.4f d_fake %.4f (%.1f s)" % ((done,) + m + (time.time() - t0,)),
                      flush=True)
    g.eval()
    with torch.no_grad():
        s = torch.cat([g(torch.randn(min(1000, n_samples - k), LATENT)) for k in range(0, n_samples, 1000)])
    ((s + 1) / 2).clamp(0, 1).reshape(-1, 784).numpy().astype("<f4").tofile(out)
    print("torch trained %d steps in %.1f s; wrote %d samples to %s" % (steps, time.time() - t0, n_samples, out))


def bench(steps):
    torch.manual_seed(1)
    x = idx(f"{DATA}/t10k-images-idx3-ubyte.gz")[:BATCH].astype(np.float32) / np.float32(255)
    real = torch.from_numpy(x).reshape(-1, 1, 28, 28) * 2 - 1
    g, d = nets()
    og = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    od = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    for _ in range(5):
        step(g, d, og, od, real)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(steps):
            step(g, d, og, od, real)
        best = min(best, (time.perf_counter() - t0) * 1000 / steps)
    print("peer dcgan ms/step %.3f (torch %s, 1 thread)" % (best, torch.__version__))


def grid(samples, out):
    from PIL import Image
    x = np.fromfile(samples, dtype="<f4").reshape(-1, 28, 28)[:64]
    g = np.ones((8 * 29 + 1, 8 * 29 + 1), dtype=np.float32)
    for k in range(x.shape[0]):
        r, c = divmod(k, 8)
        g[1 + r * 29:29 + r * 29, 1 + c * 29:29 + c * 29] = x[k]
    img = Image.fromarray((np.clip(g, 0, 1) * 255).astype(np.uint8))
    img.resize((img.width * 2, img.height * 2), Image.NEAREST).save(out)


if __name__ == "__main__":
    if sys.argv[1] == "grid":
        grid(sys.argv[2], sys.argv[3])
        sys.exit(0)
    with threadpool_limits(1, "blas"):
        if sys.argv[1] == "train":
            train(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 10_000,
                  int(sys.argv[5]) if len(sys.argv) > 5 else 1, int(sys.argv[6]) if len(sys.argv) > 6 else 50_000,
                  int(sys.argv[7]) if len(sys.argv) > 7 else 32)
        else:
            bench(int(sys.argv[2]) if len(sys.argv) > 2 else 20)
