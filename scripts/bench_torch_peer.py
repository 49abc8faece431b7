#!/usr/bin/python3
"""The PyTorch peer of the native backend's benchmark (NativeBench): the same workloads, measured the
same way (median of 7 timed rounds after 3 warm-up rounds, the same repetitions per round), on the same
number of threads. Run by scripts/bench-vs-torch; prints one machine-readable line per figure:

    peer <key> <value>

with keys matmul_f32_<n>_gflops (n = 64, 256, 1024, 2048; the product allocates its output, as
Tensor.matmul does), add_1m_us / mul_1m_us / exp_1m_us (2^20 float32 into a preallocated output),
add16_grad_us_per_op (a 16-element add of two tensors that require grad, 1000 per round, the results
kept until the round ends and then freed) and mlp_ms (a 256-512-10 MLP, batch 128, forward and
backward: x @ w1, tanh, @ w2, log_softmax over dim 1, mean, backward) and mlp_small_us (the same step for
a 64-128-10 MLP on a batch of 32, 50 per round).

Needs /usr/bin/python3 with Debian's python3-torch and python3-threadpoolctl (not part of the build).
torch.set_num_threads limits PyTorch's own pool but not OpenBLAS's, hence threadpool_limits as well.
"""
import argparse
import statistics
import time

import torch
from threadpoolctl import threadpool_info, threadpool_limits


def median_seconds(body, reps):
    """Seconds per call of body: the median of 7 timed rounds of reps calls, after 3 warm-up rounds."""
    times = []
    for r in range(-3, 7):
        t0 = time.perf_counter()
        for _ in range(reps):
            body()
        t = (time.perf_counter() - t0) / reps
        if r >= 0:
            times.append(t)
    return statistics.median(times)


def emit(key, value):
    print(f"peer {key} {value:.4f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, required=True)
    args = parser.parse_args()
    torch.manual_seed(0)
    with threadpool_limits(args.threads, "blas"), torch.no_grad():
        torch.set_num_threads(args.threads)
        blas = [f"{i.get('internal_api')} {i.get('version')}" for i in threadpool_info() if i.get("user_api") == "blas"]
        print(f"peer_info torch {torch.__version__}, {torch.get_num_threads()} threads, BLAS: {', '.join(blas)}",
              flush=True)

        for n in (64, 256, 1024, 2048):
            reps = 2000 if n <= 64 else 100 if n <= 256 else 5 if n <= 1024 else 2
            a = torch.randn(n, n)
            b = torch.randn(n, n)
            t = median_seconds(lambda: a @ b, reps)
            emit(f"matmul_f32_{n}_gflops", 2.0 * n * n * n / t / 1e9)

        m = 1 << 20
        x = torch.rand(m) * 4 - 2
        y = torch.rand(m) * 4 - 2
        out = torch.empty(m)
        emit("add_1m_us", median_seconds(lambda: torch.add(x, y, out=out), 200) * 1e6)
        emit("mul_1m_us", median_seconds(lambda: torch.mul(x, y, out=out), 200) * 1e6)
        emit("exp_1m_us", median_seconds(lambda: torch.exp(x, out=out), 50) * 1e6)

    torch.set_num_threads(args.threads)
    with threadpool_limits(args.threads, "blas"):
        ops = 1000
        ga = torch.randn(16, requires_grad=True)
        gb = torch.randn(16, requires_grad=True)

        def per_round():
            kept = [ga + gb for _ in range(ops)]
            del kept

        emit("add16_grad_us_per_op", median_seconds(per_round, 20) * 1e6 / ops)

        w1 = (torch.randn(256, 512) * 0.05).requires_grad_()
        w2 = (torch.randn(512, 10) * 0.05).requires_grad_()
        inp = torch.randn(128, 256)

        def mlp():
            torch.log_softmax(torch.tanh(inp @ w1) @ w2, 1).mean().backward()

        emit("mlp_ms", median_seconds(mlp, 10) * 1e3)

        sw1 = (torch.randn(64, 128) * 0.1).requires_grad_()
        sw2 = (torch.randn(128, 10) * 0.1).requires_grad_()
        sinp = torch.randn(32, 64)

        def small_mlp():
            torch.log_softmax(torch.tanh(sinp @ sw1) @ sw2, 1).mean().backward()

        emit("mlp_small_us", median_seconds(small_mlp, 50) * 1e6)


if __name__ == "__main__":
    main()
