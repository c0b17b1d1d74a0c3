"""Performance kernels beside the reference ops, and the one switch that picks them.

``lamina.ops`` holds the reference: each ``Function``'s forward on arrays and a backward
written with lamina ops (differentiable again), formula first. This package holds speed only:
the same maths on arrays, written for the machine. A mode names a set of kernels:

- ``"reference"``: no kernels, every op runs its reference forward and backward;
- ``"numpy"``: the NumPy tricks (``lamina.kernels.numpy``): im2col, blocked batch norm, the
  LSTM scan, max-pool tournaments, first-order backwards written on arrays;
- ``"numba"``: compiled kernels (``lamina.kernels.numba``, the ``lamina[fast]`` extra), over
  the NumPy ones: an op without a Numba kernel runs its NumPy kernel. None is registered
  today: measured one by one on the benchmark shapes, no compiled kernel beat its NumPy twin
  (``lamina.kernels.numba``'s docstring has the figures), so this mode runs the NumPy ones.

Switch with ``use(mode)``, as a call or a context manager, or with ``LAMINA_KERNELS=mode`` in
the environment (read once, at import). The default is the fastest mode measured: "numpy".
Every mode gives the same values within float tolerance (the op registry and layer contract
suites run under each).

Adding a kernel
---------------
A kernel is a small class (or any namespace) registered for one ``Function`` subclass and
one mode::

    @register("lamina.ops.affine.Linear", "numpy")
    class Linear:
        def backward(ctx, g):                  # arrays in, arrays out, first order
            x, w = ctx.arrays[:2]
            return g @ w, g.T @ x, g.sum(axis=0)

- The key is the Function's ``module.QualName`` (this package imports NumPy, Numba and
  ``lamina.errors`` only, so it never sees the classes; a test checks every key names one).
- ``forward(ctx, *arrays, **params)``, optional, replaces the reference forward: the same
  arguments, the same output arrays (a tuple for several outputs). It may save anything on
  ``ctx`` for its backward.
- ``backward(ctx, *grads)``, optional, is the first-order backward on arrays: one gradient
  array per output in (zeros for an output no gradient reached), one array or None per input
  out (None where ``ctx.needs_input_grad`` is False is allowed). The engine sums broadcasts.
- ``release(ctx)``, optional, runs when the node is freed (after a backward without
  ``retain_graph``, or by ``Function.release``): e.g. to give a reused buffer back.
- ``ctx`` is the graph node: ``ctx.arrays`` are the input arrays (checked unmodified),
  ``ctx.needs_input_grad`` says which want a gradient (in backward), ``ctx.grad_enabled``
  whether the forward may be recorded (a forward may save nothing when False), and the
  node's own attributes (set by a forward) are there. Kernels never see Tensors.

How the dispatch runs: ``Function.apply`` looks the op up in ``active`` (one dict read); if a
kernel with a forward is found it runs instead of the reference forward, and the node
remembers the kernel. The engine calls the kernel's ``backward`` when no graph of the gradient
is wanted (``create_graph=False``); otherwise, or when the kernel has no backward, the
reference backward runs, after the reference forward is re-run on the inputs if the kernel's
forward ran (so the reference always finds what its own forward saved).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from types import TracebackType
from typing import Any, NamedTuple

from lamina.errors import check_in

__all__ = ["Kernel", "active", "available", "current", "register", "release_buffers", "use"]

MODES = ("reference", "numpy", "numba")  # each mode falls back on the one before it
DEFAULT = "numpy"  # the fastest mode measured; numba is opt-in (see the docstring)


class Kernel(NamedTuple):
    """A registered kernel: its array-level forward and first-order backward (either may be
    None), and ``release(ctx)``, called when the node is freed (e.g. to give buffers back)."""

    forward: Callable[..., Any] | None
    backward: Callable[..., Any] | None
    release: Callable[..., Any] | None
    mode: str


_registered: dict[str, dict[str, Kernel]] = {"numpy": {}, "numba": {}}
_installed = ["reference", "numpy"]
_mode = "reference"
active: dict[str, Kernel] = {}  # the current mode's kernels by key, edited in place


def register(function: str, mode: str) -> Callable[[Any], Any]:
    """Decorator: register a kernel class for the Function named ``function`` in ``mode``.

    ``function`` is the Function's ``module.QualName`` (e.g. ``"lamina.ops.affine.Linear"``).
    The class needs ``forward``, ``backward`` or both (see the package docstring).
    """
    check_in("register", "mode", mode, tuple(_registered))

    def decorate(kernel: Any) -> Any:
        forward, backward = getattr(kernel, "forward", None), getattr(kernel, "backward", None)
        if forward is None and backward is None:
            raise TypeError(
                f"register: kernel {getattr(kernel, '__name__', kernel)!r} for {function} "
                "has neither forward nor backward"
            )
        release = getattr(kernel, "release", None)
        _registered[mode][function] = Kernel(forward, backward, release, mode)
        _select(_mode)
        return kernel

    return decorate


def registered(mode: str) -> dict[str, Kernel]:
    """The kernels that run in ``mode``, by Function key (a copy)."""
    check_in("registered", "mode", mode, MODES)
    table: dict[str, Kernel] = {}
    if mode != "reference":
        for m in MODES[1 : MODES.index(mode) + 1]:
            table.update(_registered.get(m, {}))
    return table


def _select(mode: str) -> None:
    global _mode
    _mode = mode
    table = registered(mode)
    active.clear()
    active.update(table)


def available() -> tuple[str, ...]:
    """The modes installed here: "reference", "numpy", and "numba" when Numba imports."""
    return tuple(_installed)


def current() -> str:
    """The mode in use now."""
    return _mode


class use:
    """Run with the kernels of ``mode``: a plain call sets it, a ``with`` block restores the
    mode before it on exit.

    >>> with lamina.kernels.use("reference"):   # the readable ops only
    ...     loss.backward()
    """

    def __init__(self, mode: str) -> None:
        check_in("kernels.use", "mode", mode, MODES)
        if mode not in _installed:
            raise ValueError(
                f"kernels.use: mode {mode!r} is not installed here (installed: "
                f"{', '.join(_installed)}); the numba mode needs the extra: pip install "
                "lamina[fast]"
            )
        self.mode, self.previous = mode, _mode
        _select(mode)

    def __enter__(self) -> use:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        _select(self.previous)


def release_buffers() -> int:
    """Free the scratch and cached buffers the NumPy kernels keep (this thread's); return
    the bytes released. They are allocated again when next needed."""
    from lamina.kernels.numpy import buffers

    return buffers.release()


def _load_optional() -> None:
    """Import the kernels of each installed mode (they register themselves)."""
    from lamina.kernels import numpy as _numpy  # noqa: F401

    if importlib.util.find_spec("numba") is not None and (
        importlib.util.find_spec("lamina.kernels.numba") is not None
    ):
        importlib.import_module("lamina.kernels.numba")
        _installed.append("numba")


def _initial_mode() -> str:
    """LAMINA_KERNELS if set (checked), else the fastest mode measured (see the docstring)."""
    wanted = os.environ.get("LAMINA_KERNELS", "").strip()
    if not wanted:
        return DEFAULT if DEFAULT in _installed else _installed[-1]
    check_in("LAMINA_KERNELS", "its value", wanted, MODES)
    if wanted not in _installed:
        raise ValueError(
            f"LAMINA_KERNELS: mode {wanted!r} is not installed here (installed: "
            f"{', '.join(_installed)}); the numba mode needs the extra: pip install lamina[fast]"
        )
    return wanted


_load_optional()
_select(_initial_mode())
