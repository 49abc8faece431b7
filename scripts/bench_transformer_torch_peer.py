#!/usr/bin/python3
"""The PyTorch peer of TransformerLmStepMain: the issue's Transformer LM training step (vocabulary 65, d_model 128,
4 heads, feed-forward 512, 2 pre-LN layers, dropout 0, context 64, batch 32: scripts/transformer_lm_torch.py),
cross-entropy over all 32 x 64 positions on windows of real text (--text: each row context + 1 characters of
the text's first 90 % at a seeded random start, the vocabulary its distinct characters in code-point order, as
TransformerLmStepMain), backward, Adam lr 1e-3, timed as the median over the timed rounds of
the mean step time of a round, after warm-up rounds, on one thread; also the process's CPU time per step (steadier
than the wall time on a shared machine). Run by scripts/bench-transformer-vs-torch;
prints `peer step_ms <value>`. torch.set_num_threads limits PyTorch's own pool, threadpool_limits OpenBLAS's.
"""
import argparse
import os
import statistics
import sys
import time

import torch
from threadpoolctl import threadpool_info, threadpool_limits

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from transformer_lm_torch import TransformerLm  # noqa: E402


def training_tokens(path):
    text = open(path, encoding="utf-8").read()
    alphabet = sorted(set(text))
    index = {c: i for i, c in enumerate(alphabet)}
    return torch.tensor([index[c] for c in text[:int(0.9 * len(text))]], dtype=torch.long), len(alphabet)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--text", required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--per-round", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--context", type=int, default=64)
    args = parser.parse_args()
    torch.manual_seed(1)
    tokens, vocab = training_tokens(args.text)
    with threadpool_limits(args.threads, "blas"):
        torch.set_num_threads(args.threads)
        blas = [f"{i.get('internal_api')} {i.get('version')}" for i in threadpool_info() if i.get("user_api") == "blas"]
        print(f"peer_info torch {torch.__version__}, {torch.get_num_threads()} threads, BLAS: {', '.join(blas)}",
              flush=True)
        model = TransformerLm(vocab, context=args.context)
        adam = torch.optim.Adam(model.parameters(), lr=1e-3)
        gen = torch.Generator().manual_seed(7)

        def step():
            starts = torch.randint(0, len(tokens) - args.context, (args.batch, 1), generator=gen)
            rows = tokens[starts + torch.arange(args.context + 1)]
            x, y = rows[:, :-1], rows[:, 1:].reshape(-1)
            logits = model(x).reshape(-1, vocab)
            loss = torch.nn.functional.cross_entropy(logits, y)
            adam.zero_grad()
            loss.backward()
            adam.step()
            return loss.item()

        times = []
        cpu_times = []
        loss = float("nan")
        for r in range(-args.warmup, args.rounds):
            t0 = time.perf_counter()
            c0 = time.process_time()
            for _ in range(args.per_round):
                loss = step()
            ms = (time.perf_counter() - t0) * 1000 / args.per_round
            cpu_ms = (time.process_time() - c0) * 1000 / args.per_round
            if r >= 0:
                times.append(ms)
                cpu_times.append(cpu_ms)
        print(f"peer_info last loss {loss:.4f}, step times by round {[round(t, 1) for t in times]} ms", flush=True)
        print(f"peer step_ms {statistics.median(times):.3f}", flush=True)
        print(f"peer step_cpu_ms {statistics.median(cpu_times):.3f}", flush=True)
        print(f"peer step_best_ms {min(times):.3f}", flush=True)


if __name__ == "__main__":
    main()
