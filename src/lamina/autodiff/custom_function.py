"""``lamina.autograd.Function``: a differentiable operation written the way PyTorch writes one.

lamina's own ops (``autodiff.function.Function``) compute their forward on raw arrays. A
PyTorch program defines its custom operations differently, and this class runs them as they
are::

    class Exp(lamina.autograd.Function):
        @staticmethod
        def forward(ctx, x):              # Tensors in, computed without recording a graph
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad):          # one gradient per output in, one per input out
            (y,) = ctx.saved_tensors
            return grad * y

    y = Exp.apply(x)

``ctx`` offers ``save_for_backward``/``saved_tensors`` (checked against in-place changes),
``needs_input_grad`` (one flag per argument of ``forward``), ``mark_non_differentiable``,
``mark_dirty`` and ``set_materialize_grads`` (accepted; gradients an output did not receive
are zeros). ``backward`` runs with gradients recorded only under ``create_graph=True``, so a
backward written with lamina ops is differentiable again.
"""

from __future__ import annotations

from typing import Any

from lamina.autodiff import grad_mode
from lamina.autodiff.function import Function as _Op
from lamina.autodiff.function import _modified, changes
from lamina.autodiff.tensor import Tensor

__all__ = ["Function"]


class Function(_Op):
    """A custom operation: static ``forward(ctx, ...)`` and ``backward(ctx, ...)``."""

    custom = True
    _non_differentiable: set[int]  # ids of the outputs forward marked
    _arg_is_tensor: tuple[bool, ...]  # per argument of forward: a Tensor or not
    _out_is_tensor: tuple[bool, ...]  # per output of forward: a Tensor or not

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in ("forward", "backward"):
            if name in cls.__dict__ and not isinstance(cls.__dict__[name], staticmethod):
                raise TypeError(
                    f"{cls.__name__}.{name} must be a @staticmethod whose first argument is "
                    "ctx, as in PyTorch"
                )

    @staticmethod
    def forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("a lamina.autograd.Function must define forward")

    @staticmethod
    def backward(ctx: Any, *grads: Any) -> Any:
        raise NotImplementedError("this lamina.autograd.Function defines no backward")

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` on the arguments and, if a gradient is wanted, record the node."""
        ctx = cls()
        ctx._saved, ctx._saved_at, ctx._non_differentiable = (), 0, set()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        with grad_mode.set_grad_enabled(False):
            result = cls.forward(ctx, *args, **kwargs)
        single = not isinstance(result, tuple)
        outs = [result] if single else list(result)
        for i, o in enumerate(outs):
            if isinstance(o, Tensor) and (o.requires_grad or any(o is a for a in args)):
                outs[i] = Tensor._wrap(o.data)  # an input passed through: a new tensor
        ctx._arg_is_tensor = tuple(isinstance(a, Tensor) for a in args)
        ctx._out_is_tensor = tuple(isinstance(o, Tensor) for o in outs)
        if grad_mode._grad_enabled and any(ctx.needs_input_grad):
            per_arg = ctx.needs_input_grad
            ctx._record(tuple(a for a in args if isinstance(a, Tensor)), tuple(_tensors(outs)))
            ctx.needs_input_grad = per_arg  # PyTorch's: one flag per argument of forward
            for o in _tensors(outs):
                if id(o) in ctx._non_differentiable:
                    o.requires_grad, o._ctx = False, None
        return outs[0] if single else tuple(outs)

    # ---------------------------------------------------------------- what forward may call
    def save_for_backward(ctx, *tensors: Tensor | None) -> None:
        """Keep ``tensors`` for ``backward`` (read them back as ``ctx.saved_tensors``)."""
        for t in tensors:
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(
                    f"save_for_backward: expected Tensors or None, got {type(t).__name__} "
                    "(keep other values as attributes of ctx)"
                )
        ctx._saved = tensors
        ctx._saved_at = changes()

    @property
    def saved_tensors(ctx) -> tuple[Tensor | None, ...]:
        """The tensors given to ``save_for_backward``, checked to be unchanged since."""
        if ctx.released:
            raise RuntimeError(
                f"{type(ctx).__name__}: saved tensors were freed by an earlier backward; "
                "call backward(retain_graph=True) the first time"
            )
        for i, t in enumerate(ctx._saved):
            if t is not None and t._changed_at > ctx._saved_at:
                _modified(ctx, f"saved tensor {i}", t)
        return ctx._saved

    def mark_non_differentiable(ctx, *outputs: Tensor) -> None:
        """These outputs take no gradient (indices, masks)."""
        ctx._non_differentiable.update(id(o) for o in outputs)

    def mark_dirty(ctx, *tensors: Tensor) -> None:
        """Accepted: an input changed in place by ``forward`` is versioned like any change."""

    def set_materialize_grads(ctx, value: bool) -> None:
        """Accepted: an output that received no gradient is given zeros (PyTorch's default)."""

    # ---------------------------------------------------------------- what the engine calls
    def _run_backward(ctx, grads: list[Tensor]) -> Any:
        it = iter(grads)
        per_output = [next(it) if is_t else None for is_t in ctx._out_is_tensor]
        result = type(ctx).backward(ctx, *per_output)
        got = list(result) if isinstance(result, tuple) else [result]
        n = len(ctx._arg_is_tensor)
        if len(got) < n or any(g is not None for g in got[n:]):
            raise RuntimeError(
                f"{type(ctx).__name__}.backward returned {len(got)} gradients, expected {n} "
                "(one per argument of forward, None for those that take none)"
            )
        return tuple(
            _as_grad(ctx, i, g) for i, (g, is_t) in enumerate(zip(got, ctx._arg_is_tensor)) if is_t
        )


def _tensors(outs: list[Any]) -> list[Tensor]:
    return [o for o in outs if isinstance(o, Tensor)]


def _as_grad(ctx: Function, i: int, g: Any) -> Tensor | None:
    if g is None or isinstance(g, Tensor):
        return g
    try:
        return Tensor(g)
    except TypeError:
        raise TypeError(
            f"{type(ctx).__name__}.backward: gradient {i} must be a Tensor or None, got "
            f"{type(g).__name__}"
        ) from None
