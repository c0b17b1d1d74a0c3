"""Benchmark: data-parallel LeNet-5 training over MPI with 1 and 2 processes (one BLAS thread each).

Prints the training throughput (median of 3 passes over 6,400 samples; global batch 64,
float32, SGD with momentum, DistributedSampler + DistributedDataParallel) with 1 and 2 ranks
and the scaling
(target: >= 1.6x with 2 ranks), then the time of one gradient all-reduce over 2 ranks for
LeNet-5's 61,706 parameters and ResNet-18's 11,689,512 (float32, one flat bucket).
Run: python benchmarks/ddp.py   (needs pip install 'lamina[mpi]')
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

SAMPLES, BATCH, WARMUP, PASSES = 6_400, 64, 5, 3
SIZES = {"lenet5": 61_706, "resnet18": 11_689_512}


def _lenet():  # type: ignore[no-untyped-def]
    from lamina import nn

    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120),
        nn.ReLU(),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, 10),
    )


def worker() -> None:
    """One rank: time the training steps, then the all-reduce of each bucket size."""
    import lamina
    import lamina.distributed as d
    from lamina import nn, optim
    from lamina.data import DataLoader, TensorDataset

    lamina.manual_seed(0)
    n = d.world_size()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((SAMPLES, 1, 28, 28)).astype(np.float32)
    ds = TensorDataset(x, rng.integers(0, 10, SAMPLES))
    net = _lenet()
    assert sum(p.data.size for p in net.parameters()) == SIZES["lenet5"]
    ddp = d.DistributedDataParallel(net)
    opt = optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    loader = DataLoader(ds, BATCH // n, sampler=d.DistributedSampler(ds, seed=0))
    loss_fn = nn.CrossEntropyLoss()
    rates = []
    for epoch in range(PASSES):  # the median pass: the machine may be shared
        loader.sampler.set_epoch(epoch)
        start = 0.0
        for step, (xb, yb) in enumerate(loader):
            if step == WARMUP:
                d.barrier()
                start = time.perf_counter()
            loss = loss_fn(ddp(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
        d.barrier()
        rates.append((len(loader) - WARMUP) * BATCH / (time.perf_counter() - start))
    reduce_ms = {}
    for name, size in SIZES.items():
        buf = np.ones(size, np.float32)
        times = []
        for _ in range(7 if size < 10**6 else 3):
            d.barrier()
            t = time.perf_counter()
            d.all_reduce(buf, "mean")
            times.append(time.perf_counter() - t)
        reduce_ms[name] = 1e3 * float(np.median(times))
    if d.is_main():
        cells = " ".join(f"{k}={v:.3f}" for k, v in reduce_ms.items())
        print(f"ranks={n} samples_per_s={np.median(rates):.1f} allreduce_ms {cells}")


def main() -> None:
    mpiexec = Path(sys.executable).parent / "mpiexec"
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    rates = {}
    for n in (1, 2):
        cmd = [str(mpiexec), "-n", str(n), sys.executable, __file__, "--worker"]
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
        if out.returncode:
            raise SystemExit(f"ddp benchmark: {n} rank(s) failed:\n{out.stderr[-2000:]}")
        line = out.stdout.strip().splitlines()[-1]
        print(line)
        rates[n] = float(line.split("samples_per_s=")[1].split()[0])
    print(
        f"lenet scaling with 2 ranks: {rates[2] / rates[1]:.2f}x "
        f"(efficiency {rates[2] / rates[1] / 2:.0%}; target >= 1.6x)"
    )


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:
        main()
