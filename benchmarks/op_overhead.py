"""Benchmark: the per-op overhead of lamina's autodiff on tiny arrays (no PyTorch column).

On (4, 4) float32 arrays the maths is nothing, so the time is the graph's own cost: a
forward of add, mul, tanh and sum (4 ops) with gradients recorded, and the backward of that
graph. Prints microseconds per op (median of 7 runs of 2,000 repeats) for each kernel mode.
Run: python benchmarks/op_overhead.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np

import lamina as L
from lamina import kernels

REPEATS, RUNS, OPS = 2_000, 7, 4


def _step(a: L.Tensor, b: L.Tensor) -> None:
    y = L.tanh(a * b + a).sum()
    y.backward()


def per_op_us(mode: str) -> tuple[float, float]:
    """Microseconds per op: forward only (no_grad) and forward + backward with a graph."""
    rng = np.random.default_rng(0)
    a = L.tensor(rng.standard_normal((4, 4)).astype(np.float32), requires_grad=True)
    b = L.tensor(rng.standard_normal((4, 4)).astype(np.float32))
    with kernels.use(mode):
        fwd, both = [], []
        for _ in range(RUNS):
            start = time.perf_counter()
            with L.no_grad():
                for _ in range(REPEATS):
                    L.tanh(a * b + a).sum()
            fwd.append(time.perf_counter() - start)
            start = time.perf_counter()
            for _ in range(REPEATS):
                _step(a, b)
            both.append(time.perf_counter() - start)
    scale = 1e6 / (REPEATS * OPS)
    return statistics.median(fwd) * scale, statistics.median(both) * scale


def main() -> None:
    with open("/proc/cpuinfo") as f:
        cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "")
    print(f"op overhead on {cpu}")
    for mode in kernels.available():
        fwd, both = per_op_us(mode)
        print(f"op overhead [{mode:9s}]  forward {fwd:.2f} us/op   with backward {both:.2f} us/op")


if __name__ == "__main__":
    main()
