#!/usr/bin/python3
"""The PyTorch peer of AttentionBenchMain: scaled dot-product attention composed as PyTorch 1.13 users write
it, softmax(q @ k.transpose(-2, -1) * scale + mask) @ v, forward and backward (the output's gradient given),
float32 q, k, v of [heads, t, d] (default 128 = 32 x 4 heads, t 64, d 32), an additive causal mask (-inf above
the diagonal), scale 1/sqrt(d); timed the same way (the median over 7 timed rounds of the mean time of a round
of 20 iterations, after 5 warm-up rounds), on one thread. Run by scripts/bench-attention-vs-torch; prints

    peer composed_ms <value>

Needs /usr/bin/python3 with Debian's python3-torch and python3-threadpoolctl (not part of the build).
torch.set_num_threads limits PyTorch's own pool but not OpenBLAS's, hence threadpool_limits as well.
"""
import argparse
import math
import statistics
import time

import torch
from threadpoolctl import threadpool_info, threadpool_limits


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--per-round", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--heads", type=int, default=128)
    parser.add_argument("--t", type=int, default=64)
    parser.add_argument("--d", type=int, default=32)
    args = parser.parse_args()
    torch.manual_seed(1)
    with threadpool_limits(args.threads, "blas"):
        torch.set_num_threads(args.threads)
        blas = [f"{i.get('internal_api')} {i.get('version')}" for i in threadpool_info() if i.get("user_api") == "blas"]
        print(f"peer_info torch {torch.__version__}, {torch.get_num_threads()} threads, BLAS: {', '.join(blas)}",
              flush=True)
        shape = (args.heads, args.t, args.d)
        q = torch.randn(shape, requires_grad=True)
        k = torch.randn(shape, requires_grad=True)
        v = torch.randn(shape, requires_grad=True)
        d_o = torch.randn(shape)
        mask = torch.triu(torch.full((args.t, args.t), float("-inf")), diagonal=1)
        scale = 1 / math.sqrt(args.d)

        def once():
            o = torch.softmax(q @ k.transpose(-2, -1) * scale + mask, dim=-1) @ v
            return torch.autograd.grad(o, (q, k, v), d_o)

        times = []
        for r in range(-args.warmup, args.rounds):
            t0 = time.perf_counter()
            for _ in range(args.per_round):
                once()
            ms = (time.perf_counter() - t0) * 1000 / args.per_round
            if r >= 0:
                times.append(ms)
        print(f"peer_info composed: times by round {[round(t, 2) for t in times]} ms", flush=True)
        print(f"peer composed_ms {statistics.median(times):.3f}", flush=True)


if __name__ == "__main__":
    main()
