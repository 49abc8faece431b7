#!/usr/bin/python3
"""The PyTorch peer of TransformerStackStepMain: the issue's Transformer LM layers alone (a causal
nn.TransformerEncoder of 2 post-LN layers, d_model 128, 4 heads, feed-forward 512, dropout 0.1, batch_first,
no final norm) on a random [32, 64, 128] input, loss sum(out * R), backward, Adam lr 1e-3; timed the same way
(the median over 7 timed rounds of the mean step time of a round of 10 steps, after 5 warm-up rounds), on one
thread. Run by scripts/bench-transformer-layers-vs-torch; prints

    peer step_ms <value>
"""
import argparse
import statistics
import time

import torch
from threadpoolctl import threadpool_info, threadpool_limits


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--per-round", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--length", type=int, default=64)
    args = parser.parse_args()
    torch.manual_seed(1)
    with threadpool_limits(args.threads, "blas"):
        torch.set_num_threads(args.threads)
        blas = [f"{i.get('internal_api')} {i.get('version')}" for i in threadpool_info() if i.get("user_api") == "blas"]
        print(f"peer_info torch {torch.__version__}, {torch.get_num_threads()} threads, BLAS: {', '.join(blas)}",
              flush=True)
        layer = torch.nn.TransformerEncoderLayer(128, 4, dim_feedforward=512, dropout=0.1, batch_first=True)
        stack = torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        stack.train()
        adam = torch.optim.Adam(stack.parameters(), lr=1e-3)
        x = torch.randn(args.batch, args.length, 128)
        r = torch.randn(args.batch, args.length, 128)
        mask = torch.triu(torch.ones(args.length, args.length, dtype=torch.bool), diagonal=1)

        def step():
            loss = (stack(x, mask=mask) * r).sum()
            adam.zero_grad()
            loss.backward()
            adam.step()
            return loss.item()

        times = []
        loss = float("nan")
        for rnd in range(-args.warmup, args.rounds):
            t0 = time.perf_counter()
            for _ in range(args.per_round):
                loss = step()
            ms = (time.perf_counter() - t0) * 1000 / args.per_round
            if rnd >= 0:
                times.append(ms)
        print(f"peer_info last loss {loss:.4f}, step times by round {[round(t, 1) for t in times]} ms", flush=True)
        print(f"peer step_ms {statistics.median(times):.3f}", flush=True)


if __name__ == "__main__":
    main()
