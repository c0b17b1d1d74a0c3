"""Timing helpers shared by the benchmarks: interleaved runs, medians, one table row each."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np
import torch

import lamina as L
import lamina.nn.functional as F
from lamina import kernels, memory

memory.apply_default()  # a benchmark owns its process, as the command line does

__all__ = ["bench_modes", "classifier_epochs", "compare", "cpu_model", "setup_torch"]


def setup_torch(threads: int = 2) -> None:
    """PyTorch on the CPU with a fixed number of threads, the same as NumPy's BLAS gets here."""
    torch.set_num_threads(threads)


def _time(fn: Callable[[], object]) -> float:
    # Let the other framework's idle worker threads stop spinning first: OpenMP and OpenBLAS
    # busy-wait after their last job, and on 2 cores that steals a core from the one timed.
    time.sleep(0.5)
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def cpu_model() -> str:
    """The CPU's model name (from /proc/cpuinfo on Linux), printed beside every ratio."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def bench_modes() -> tuple[str, ...]:
    """The kernel modes timed: every installed one, or LAMINA_BENCH_MODES (comma-separated)."""
    wanted = os.environ.get("LAMINA_BENCH_MODES")
    return tuple(wanted.split(",")) if wanted else kernels.available()


def compare(
    name: str,
    lamina_epoch: Callable[[], object],
    torch_epoch: Callable[[], object],
    repeats: int = 3,
) -> dict[str, float]:
    """Warm both up, then alternate epochs of lamina (under each kernel mode) and PyTorch;
    print the medians and ratios side by side and return them. ``lamina_s`` and ``ratio``
    are the default mode's; ``ratio_<mode>`` each mode's."""
    modes = bench_modes()
    for mode in modes:
        with kernels.use(mode):
            lamina_epoch()
    torch_epoch()
    ours: dict[str, list[float]] = {mode: [] for mode in modes}
    theirs = []
    for _ in range(repeats):
        for mode in modes:
            with kernels.use(mode):
                ours[mode].append(_time(lamina_epoch))
        theirs.append(_time(torch_epoch))
    torch_s = statistics.median(theirs)
    result = {"torch_s": torch_s}
    cells = []
    for mode in modes:
        result[f"lamina_s_{mode}"] = t = statistics.median(ours[mode])
        result[f"ratio_{mode}"] = t / torch_s
        cells.append(f"{mode} {t:.3f} s ({t / torch_s:.2f})")
    default = kernels.current() if kernels.current() in modes else modes[-1]
    result["lamina_s"], result["ratio"] = result[f"lamina_s_{default}"], result[f"ratio_{default}"]
    print(
        f"{name:10s} torch {torch_s:.3f} s/epoch   lamina: "
        + "   ".join(cells)
        + f"   (ratio lamina/torch; medians of {repeats}, interleaved; {cpu_model()})"
    )
    return result


def classifier_epochs(
    model: object,
    tmodel: torch.nn.Module,
    opt: object,
    topt: torch.optim.Optimizer,
    x: np.ndarray,
    y: np.ndarray,
    batch: int,
) -> tuple[Callable[[], None], Callable[[], None]]:
    """One epoch of cross-entropy training in lamina and one in PyTorch, on the same batches."""
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)

    def lamina_epoch() -> None:
        for i in range(0, len(x), batch):
            loss = F.cross_entropy(model(L.tensor(x[i : i + batch])), L.tensor(y[i : i + batch]))
            opt.zero_grad()
            loss.backward()
            opt.step()

    def torch_epoch() -> None:
        for i in range(0, len(x), batch):
            loss = torch.nn.functional.cross_entropy(tmodel(xt[i : i + batch]), yt[i : i + batch])
            topt.zero_grad()
            loss.backward()
            topt.step()

    return lamina_epoch, torch_epoch
