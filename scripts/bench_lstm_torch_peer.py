#!/usr/bin/python3
"""The PyTorch peer of CharLstmStepMain: the issue's char-LSTM training step (vocabulary 65, embedding 64,
nn.LSTM(64, 256, batch_first=True), a linear head to 65 logits, cross-entropy over all 32 x 64 positions,
backward, Adam lr 2e-3), timed the same way (the median over 7 timed rounds of the mean step time of a round
of 10 steps, after 5 warm-up rounds), on one thread. Run by scripts/bench-lstm-vs-torch; prints

    peer step_ms <value>

Needs /usr/bin/python3 with Debian's python3-torch and python3-threadpoolctl (not part of the build).
torch.set_num_threads limits PyTorch's own pool but not OpenBLAS's, hence threadpool_limits as well.
"""
import argparse
import statistics
import time

import torch
from threadpoolctl import threadpool_info, threadpool_limits

VOCAB = 65
EMBED = 64


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--per-round", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--steps", type=int, default=64)
    parser.add_argument("--hidden", type=int, default=256)
    args = parser.parse_args()
    torch.manual_seed(1)
    with threadpool_limits(args.threads, "blas"):
        torch.set_num_threads(args.threads)
        blas = [f"{i.get('internal_api')} {i.get('version')}" for i in threadpool_info() if i.get("user_api") == "blas"]
        print(f"peer_info torch {torch.__version__}, {torch.get_num_threads()} threads, BLAS: {', '.join(blas)}",
              flush=True)
        embedding = torch.nn.Embedding(VOCAB, EMBED)
        lstm = torch.nn.LSTM(EMBED, args.hidden, batch_first=True)
        head = torch.nn.Linear(args.hidden, VOCAB)
        params = list(embedding.parameters()) + list(lstm.parameters()) + list(head.parameters())
        adam = torch.optim.Adam(params, lr=2e-3)
        gen = torch.Generator().manual_seed(7)

        def step():
            x = torch.randint(0, VOCAB, (args.batch, args.steps), generator=gen)
            y = torch.randint(0, VOCAB, (args.batch * args.steps,), generator=gen)
            out, _ = lstm(embedding(x))
            logits = head(out.reshape(args.batch * args.steps, args.hidden))
            loss = torch.nn.functional.cross_entropy(logits, y)
            adam.zero_grad()
            loss.backward()
            adam.step()
            return loss.item()

        times = []
        loss = float("nan")
        for r in range(-args.warmup, args.rounds):
            t0 = time.perf_counter()
            for _ in range(args.per_round):
                loss = step()
            ms = (time.perf_counter() - t0) * 1000 / args.per_round
            if r >= 0:
                times.append(ms)
        print(f"peer_info last loss {loss:.4f}, step times by round {[round(t, 1) for t in times]} ms", flush=True)
        print(f"peer step_ms {statistics.median(times):.3f}", flush=True)


if __name__ == "__main__":
    main()
