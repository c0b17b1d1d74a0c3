"""In-place operations (``add_``, ``x[i] = v``, ``+=``, ...) with PyTorch's rules.

An in-place operation gives a tensor a new value and keeps the tensor (the same Python
object). What happens depends on whether the change must be recorded for backward:

- Nothing to record (no gradient wanted, or inside ``no_grad``): the new value is written into
  the tensor's own array, so every view of it sees the change. This is how parameters are
  updated by hand: ``with no_grad(): p -= lr * p.grad``.
- A leaf that requires grad, while gradients are recorded: refused, as PyTorch refuses it (the
  change could not be differentiated; do it inside ``no_grad``).
- Otherwise the change is an ordinary op in the graph: ``x.mul_(2)`` computes ``x * 2`` and the
  tensor ``x`` becomes that op's output, while its old value keeps its old place in the graph.
  The tensor then holds a new array (views of the old one keep the old values).

Every change adds one to the tensor's ``_version`` and ticks a clock (``mark_changed``). A
backward that reads a tensor changed after the forward used it raises an error naming the op
(see ``Function.inputs``), never a silently wrong gradient; the nodes that used the tensor
before a recorded change still send their gradients to its earlier producer.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from lamina.autodiff import grad_mode
from lamina.autodiff.function import Function, mark_changed
from lamina.autodiff.random import default_generator
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError
from lamina.ops.elementwise import add, clip, div, mul, pow, sub, where
from lamina.ops.index import _normalize_index, getitem
from lamina.ops.layout import clone
from lamina.ops.shape import broadcast_to

__all__ = [
    "add_",
    "clamp_",
    "copy_",
    "div_",
    "fill_",
    "index_put",
    "masked_fill_",
    "mul_",
    "normal_",
    "pow_",
    "setitem",
    "sub_",
    "uniform_",
    "update_",
    "zero_",
]


def update_(
    owner: str,
    t: Tensor,
    compute: Callable[[Tensor], Tensor],
    others: tuple[Any, ...] = (),
    write: Callable[[np.ndarray], None] | None = None,
) -> Tensor:
    """Give ``t`` the value ``compute(t)`` in place, by the rules in this module's docstring.

    ``others`` are the operation's other operands (a gradient may flow to them); ``write``,
    if given, changes the array directly when nothing is recorded (``x[i] = v`` writes one
    element instead of computing a whole new array).
    """
    recording = grad_mode._grad_enabled and (
        t.requires_grad or any(isinstance(o, Tensor) and o.requires_grad for o in others)
    )
    if not recording:
        if write is None:
            with grad_mode.set_grad_enabled(False):
                value = compute(t).data
            _check_result(owner, t, value)
            write = lambda a: np.copyto(a, value, casting="unsafe")  # noqa: E731 (checked above)
        try:
            write(t.data)
        except ValueError as e:
            if t.data.flags.writeable:
                raise
            raise ValueError(
                f"{owner}: this tensor shares its memory with a broadcast (expand) and cannot "
                "be written in place; clone() it first"
            ) from e
        mark_changed(t)
        return t
    if t._ctx is None and t.requires_grad:
        raise RuntimeError(
            f"{owner}: a leaf tensor that requires grad cannot be changed in place while "
            "gradients are recorded; change it inside `with lamina.no_grad():`"
        )
    old = Tensor._wrap(t.data)  # takes over t's present value and place in the graph
    old._ctx, old._generation, old._slot = t._ctx, t._generation, t._slot
    old.requires_grad = t.requires_grad
    new = compute(old)
    if new._ctx is None:  # an existing leaf (copy_ of a same-shape source): copy it, so that t
        new = clone(new)  # neither shares its memory nor cuts the source's gradient
    _check_result(owner, t, new.data)
    if new.dtype != t.dtype:
        new = new.to(t.dtype)
    t.data = new.data
    tick = mark_changed(t)
    t._history = (*t._history, (tick, t._ctx, t._slot))  # for the nodes that used t before
    fn = new._ctx
    if fn is None:  # the new value does not depend on anything that needs a gradient
        t._ctx, t._generation, t.requires_grad, t._slot = None, 0, False, 0
    else:
        t._ctx, t._generation, t.requires_grad, t._slot = fn, new._generation, True, new._slot
        fn._outs[new._slot] = weakref.ref(t)  # t is the node's output from this tick on
        fn._seen = tick
    return t


def _check_result(owner: str, t: Tensor, new: np.ndarray) -> None:
    if new.shape != t.shape:
        raise ShapeError(
            f"{owner}: the result has shape {new.shape}, but the tensor changed in place has "
            f"shape {t.shape} (an in-place op cannot change its tensor's shape)"
        )
    if new.dtype != t.dtype and not np.can_cast(new.dtype, t.dtype, "same_kind"):
        raise TypeError(
            f"{owner}: the result has dtype {new.dtype}, which cannot be stored in place in a "
            f"tensor of dtype {t.dtype}"
        )


# ------------------------------------------------------------------ arithmetic
def _scaled(other: TensorLike, alpha: float) -> TensorLike:
    return other if alpha == 1 else mul(other, alpha)


def add_(t: Tensor, other: TensorLike, alpha: float = 1) -> Tensor:
    """t <- t + alpha * other, in place."""
    return update_("add_", t, lambda x: add(x, _scaled(other, alpha)), (other,))


def sub_(t: Tensor, other: TensorLike, alpha: float = 1) -> Tensor:
    """t <- t - alpha * other, in place."""
    return update_("sub_", t, lambda x: sub(x, _scaled(other, alpha)), (other,))


def mul_(t: Tensor, other: TensorLike) -> Tensor:
    """t <- t * other, in place."""
    return update_("mul_", t, lambda x: mul(x, other), (other,))


def div_(t: Tensor, other: TensorLike) -> Tensor:
    """t <- t / other, in place."""
    return update_("div_", t, lambda x: div(x, other), (other,))


def pow_(t: Tensor, exponent: TensorLike) -> Tensor:
    """t <- t ** exponent, in place."""
    return update_("pow_", t, lambda x: pow(x, exponent), (exponent,))


def clamp_(t: Tensor, min: float | None = None, max: float | None = None) -> Tensor:
    """t <- min(max(t, min), max), in place."""
    return update_("clamp_", t, lambda x: clip(x, min, max))


def masked_fill_(t: Tensor, mask: TensorLike, value: TensorLike) -> Tensor:
    """t <- value where ``mask`` is True, in place (``mask`` broadcasts to t's shape)."""
    m = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
    if m.dtype != np.bool_:
        raise TypeError(f"masked_fill_: mask must be a bool tensor, got {m.dtype}")
    return update_("masked_fill_", t, lambda x: where(m, _like(value, x), x), (value,))


# ------------------------------------------------------------------ new values
def _like(value: TensorLike, x: Tensor) -> Tensor:
    """``value`` as a tensor of x's dtype (a Python number takes it exactly)."""
    v = as_tensor(value, x.dtype)
    return v if v.dtype == x.dtype else v.to(x.dtype)


def copy_(t: Tensor, src: TensorLike) -> Tensor:
    """t <- src (broadcast to t's shape, converted to t's dtype), in place."""
    s = as_tensor(src)
    return update_("copy_", t, lambda x: broadcast_to(_like(s, x), x.shape), (s,))


def fill_(t: Tensor, value: TensorLike) -> Tensor:
    """t <- value everywhere, in place."""
    return update_("fill_", t, lambda x: broadcast_to(_like(value, x), x.shape), (value,))


def zero_(t: Tensor) -> Tensor:
    """t <- 0 everywhere, in place."""
    return fill_(t, 0)


def _random_(owner: str, t: Tensor, draw: Callable[[np.random.Generator], np.ndarray], rng: Any):
    if t.dtype.kind != "f":
        raise TypeError(f"{owner}: expected a float tensor, got {t.dtype}")
    gen = default_generator() if rng is None else rng
    return update_(owner, t, lambda x: Tensor._wrap(draw(gen).astype(x.dtype, copy=False)))


def uniform_(t: Tensor, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Tensor:
    """t <- samples of U(a, b), in place (from ``generator``, else lamina's default)."""
    if not a <= b:
        raise ValueError(f"uniform_: expects a <= b, got a={a}, b={b}")
    return _random_("uniform_", t, lambda g: g.uniform(a, b, t.shape), generator)


def normal_(t: Tensor, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
    """t <- samples of N(mean, std^2), in place (from ``generator``, else lamina's default)."""
    if not std >= 0:
        raise ValueError(f"normal_: expects std >= 0, got {std}")
    return _random_("normal_", t, lambda g: g.normal(mean, std, t.shape), generator)


# ------------------------------------------------------------------ x[index] = value
class IndexPut(Function):
    """y = x with y[index] = v.  dx = g with zeros at ``index``; dv = g[index]."""

    def forward(ctx, x, v, index):
        ctx.index = index
        out = x.copy()
        out[index] = v
        return out

    def backward(ctx, g):
        gx = index_put(g, ctx.index, 0.0) if ctx.needs_input_grad[0] else None
        gv = getitem(g, ctx.index) if ctx.needs_input_grad[1] else None
        return gx, gv


def index_put(x: TensorLike, index: Any, value: TensorLike) -> Tensor:
    """A copy of ``x`` with ``value`` put at ``index`` (out of place; ``x[index] = v`` is the
    in-place form). ``value`` broadcasts to the indexed shape; the engine sums its gradient."""
    x = as_tensor(x)
    index = _normalize_index(index)
    v = _like(value, x)
    try:
        target = np.empty(x.shape, dtype=np.bool_)[index].shape
    except IndexError as e:
        raise IndexError(f"setitem: {e} (tensor of shape {x.shape})") from None
    try:
        np.broadcast_shapes(v.shape, target)
    except ValueError:
        raise ShapeError(
            f"setitem: a value of shape {v.shape} cannot be put into x[index] of shape {target}"
        ) from None
    return IndexPut.apply(x, v, index=index)


def setitem(t: Tensor, index: Any, value: TensorLike) -> Tensor:
    """``t[index] = value`` in place, with NumPy's indexing rules."""
    idx = _normalize_index(index)

    def write(a: np.ndarray) -> None:
        v = value.data if isinstance(value, Tensor) else value
        try:
            a[idx] = v
        except IndexError as e:
            raise IndexError(f"setitem: {e} (tensor of shape {t.shape})") from None
        except ValueError as e:
            if not a.flags.writeable:
                raise
            raise ShapeError(
                f"setitem: a value of shape {np.shape(v)} cannot be put into x[index] of "
                f"shape {a[idx].shape}"
            ) from e

    return update_("setitem", t, lambda x: index_put(x, idx, value), (value,), write)
