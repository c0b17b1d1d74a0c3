"""Where one training epoch's time goes, per operation, in lamina and in PyTorch.

For a benchmark network (``--bench mlp | lenet | resblock | charlstm``) one epoch of lamina
is timed per op type: the forward of each ``Function`` class (``Function.apply``), its
backward (the engine's call of the node's backward, kernel or reference), the optimizer's
step, and the rest (Python glue: batching, the loss's wrapper, zero_grad) as "other". Only
the outermost timed call counts, so a backward written with lamina ops is charged to the op
whose backward it is, and the shares add up to 100 %. The timing wraps are installed by this
script alone: the library carries no profiling code.

Beside it, the same epoch of PyTorch under ``torch.profiler``: self CPU time per aten op.
Both tables and the CPU model are printed.  Run: python benchmarks/profile_ops.py --bench lenet
"""

from __future__ import annotations

import argparse
import inspect
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch
from _timing import classifier_epochs, cpu_model, setup_torch

import lamina as L
import lamina.nn.functional as F
from lamina import kernels, optim
from lamina.autodiff import engine
from lamina.autodiff.function import Function

__all__ = ["Row", "lamina_profile", "main", "torch_profile"]

Row = tuple[str, float, int]  # (name, seconds, calls)
BENCHES = ("mlp", "lenet", "resblock", "charlstm")


class _Clock:
    """Seconds and calls per name, counting only the outermost timed call."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.depth = 0

    def wrap(self, fn: Callable[..., Any], name_of: Callable[..., str]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self.depth:
                return fn(*args, **kwargs)
            self.depth = 1
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                name = name_of(*args)
                self.seconds[name] += time.perf_counter() - start
                self.calls[name] += 1
                self.depth = 0

        return timed


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@contextmanager
def _timing_hooks(clock: _Clock, opt: Any) -> Iterator[None]:
    """Wrap Function.apply, every backward the engine calls, and ``opt.step``; undo on exit."""
    undo: list[tuple[Any, str, Any]] = []

    def patch(owner: Any, attr: str, new: Any) -> None:
        undo.append((owner, attr, owner.__dict__[attr]))
        setattr(owner, attr, new)

    apply = Function.__dict__["apply"].__func__
    patch(Function, "apply", classmethod(clock.wrap(apply, lambda cls, *a: f"{cls.__name__}")))
    backward_name = lambda ctx, *a: f"{type(ctx).__name__} backward"  # noqa: E731
    patch(engine, "_kernel_backward", clock.wrap(engine._kernel_backward, backward_name))
    for cls in dict.fromkeys([Function, *_subclasses(Function)]):
        for attr in ("backward", "_run_backward"):
            if inspect.isfunction(cls.__dict__.get(attr)):
                patch(cls, attr, clock.wrap(cls.__dict__[attr], backward_name))
    step = opt.step
    opt.step = clock.wrap(step, lambda *a: f"optimizer step ({type(opt).__name__})")
    try:
        yield
    finally:
        del opt.step
        for owner, attr, old in reversed(undo):
            setattr(owner, attr, old)


def lamina_profile(epoch: Callable[[], object], opt: Any) -> tuple[list[Row], float]:
    """One epoch timed per op: rows (name, seconds, calls), largest first, "other" last,
    and the epoch's total seconds. A forward row is the Function's name, a backward row its
    name and " backward"."""
    clock = _Clock()
    with _timing_hooks(clock, opt):
        start = time.perf_counter()
        epoch()
        total = time.perf_counter() - start
    rows = sorted(((n, s, clock.calls[n]) for n, s in clock.seconds.items()), key=lambda r: -r[1])
    rows.append((OTHER, total - sum(clock.seconds.values()), 0))
    return rows, total


def torch_profile(epoch: Callable[[], object]) -> tuple[list[Row], float]:
    """One epoch under torch.profiler: self CPU time per op, largest first; the total is the
    sum of self times (the profiled wall time includes the profiler's own cost)."""
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU]) as prof:
        epoch()
    events = prof.key_averages()
    rows = [(e.key, e.self_cpu_time_total / 1e6, e.count) for e in events]
    rows.sort(key=lambda r: -r[1])
    return rows, sum(r[1] for r in rows)


OTHER = "other (glue, loss wrapper, zero_grad, batching)"


def _table(title: str, rows: list[Row], total: float, top: int) -> str:
    """The rows as text: the ``top`` largest, the rest summed, the "other" row always last."""
    other = [r for r in rows if r[0] == OTHER]
    ops = [r for r in rows if r[0] != OTHER]
    lines = [title, f"{'op':52s} {'ms':>10s} {'share':>7s} {'calls':>7s}"]
    for name, s, n in ops[:top]:
        lines.append(f"{name[:52]:52s} {s * 1e3:10.2f} {100 * s / total:6.1f}% {n:7d}")
    rest = ops[top:]
    if rest:
        s = sum(r[1] for r in rest)
        lines.append(f"{f'({len(rest)} more ops)':52s} {s * 1e3:10.2f} {100 * s / total:6.1f}%")
    for name, s, _ in other:
        lines.append(f"{name[:52]:52s} {s * 1e3:10.2f} {100 * s / total:6.1f}%")
    lines.append(f"{'total':52s} {total * 1e3:10.2f}")
    return "\n".join(lines)


def _epochs(bench: str, samples: int | None) -> tuple[Callable[[], None], Callable[[], None], Any]:
    """(lamina epoch, PyTorch epoch, lamina optimizer) of the benchmark ``bench``, as its own
    script builds them; ``samples`` shortens the epoch (batches for charlstm)."""
    rng = np.random.default_rng(0)
    if bench == "charlstm":
        import charlstm as b

        batches = samples or b.BATCHES
        text = rng.integers(0, b.VOCAB, (batches, b.STEPS + 1, b.BATCH))
        model, tmodel = b.CharLSTM(), b.TorchCharLSTM()
        model.load_state_dict({k: v.numpy() for k, v in tmodel.state_dict().items()})
        opt = optim.Adam(model.parameters(), lr=2e-3)
        topt = torch.optim.Adam(tmodel.parameters(), lr=2e-3)
        ttext = torch.from_numpy(text)

        def lamina_epoch() -> None:
            for i in range(batches):
                x, y = L.tensor(text[i, :-1]), L.tensor(text[i, 1:].reshape(-1))
                loss = F.cross_entropy(model(x), y)
                opt.zero_grad()
                loss.backward()
                opt.step()

        def torch_epoch() -> None:
            for i in range(batches):
                x, y = ttext[i, :-1], ttext[i, 1:].reshape(-1)
                loss = torch.nn.functional.cross_entropy(tmodel(x), y)
                topt.zero_grad()
                loss.backward()
                topt.step()

        return lamina_epoch, torch_epoch, opt
    if bench == "mlp":
        import mlp as b

        shape, classes = (b.SIZES[0],), b.SIZES[-1]
    elif bench == "lenet":
        import lenet as b

        shape, classes = (1, 28, 28), 10
    else:
        import resblock as b

        shape, classes = (3, 32, 32), 10
    n = samples or b.N
    x = rng.standard_normal((n, *shape)).astype(np.float32)
    y = rng.integers(0, classes, n)
    model, tmodel = b.build()
    if bench == "lenet":  # each script's optimizer
        opt, topt = (
            optim.Adam(model.parameters(), lr=1e-3),
            torch.optim.Adam(tmodel.parameters(), lr=1e-3),
        )
    else:
        opt = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        topt = torch.optim.SGD(tmodel.parameters(), lr=0.01, momentum=0.9)
    lamina_epoch, torch_epoch = classifier_epochs(model, tmodel, opt, topt, x, y, b.BATCH)
    return lamina_epoch, torch_epoch, opt


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", choices=BENCHES, default="lenet")
    parser.add_argument(
        "--samples", type=int, default=None, help="a shorter epoch (batches for charlstm)"
    )
    parser.add_argument("--top", type=int, default=15, help="rows shown per table")
    parser.add_argument("--kernels", choices=kernels.available(), default=kernels.current())
    args = parser.parse_args(argv)
    setup_torch()
    lamina_epoch, torch_epoch, opt = _epochs(args.bench, args.samples)
    with kernels.use(args.kernels):
        lamina_epoch()  # warm-up: buffers, caches, compiled kernels
        torch_epoch()
        ours, our_total = lamina_profile(lamina_epoch, opt)
    theirs, their_total = torch_profile(torch_epoch)
    print(f"{args.bench}: one epoch per op, {cpu_model()}, lamina kernels {args.kernels!r}")
    print(_table(f"lamina ({our_total:.3f} s)", ours, our_total, args.top))
    print()
    print(
        _table(
            f"PyTorch {torch.__version__} self CPU ({their_total:.3f} s)",
            theirs,
            their_total,
            args.top,
        )
    )
    return {"lamina": ours, "lamina_total": our_total, "torch": theirs, "torch_total": their_total}


if __name__ == "__main__":
    main()
