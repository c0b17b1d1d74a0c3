"""Timing helpers shared by the benchmarks: interleaved runs, medians, one table row each."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np
import torch

import lamina as L
import lamina.nn.functional as F
from lamina import memory

memory.apply_default()  # a benchmark owns its process, as the command line does

__all__ = ["classifier_epochs", "compare", "setup_torch"]


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


def compare(
    name: str,
    lamina_epoch: Callable[[], object],
    torch_epoch: Callable[[], object],
    repeats: int = 3,
) -> dict[str, float]:
    """Warm both up, then alternate epochs of the two and return the medians and their ratio."""
    lamina_epoch()
    torch_epoch()
    ours, theirs = [], []
    for _ in range(repeats):
        ours.append(_time(lamina_epoch))
        theirs.append(_time(torch_epoch))
    result = {"lamina_s": statistics.median(ours), "torch_s": statistics.median(theirs)}
    result["ratio"] = result["lamina_s"] / result["torch_s"]
    print(
        f"{name:10s} lamina {result['lamina_s']:.3f} s/epoch"
        f"   torch {result['torch_s']:.3f} s/epoch   ratio {result['ratio']:.2f}"
        f"   (medians of {repeats}, interleaved)"
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
