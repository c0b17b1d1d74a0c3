"""``Function``: one differentiable operation, its forward and backward side by side."""

from __future__ import annotations

import itertools
import weakref
from typing import Any

import numpy as np

from lamina.autodiff import grad_mode
from lamina.autodiff.tensor import Tensor, as_tensor
from lamina.kernels import Kernel
from lamina.kernels import active as _kernels

__all__ = ["Function", "backward_by_recompute"]


class Function:
    """Base class of every differentiable operation.

    A subclass writes ``forward(ctx, *arrays, **params)`` on raw arrays and
    ``backward(ctx, grad)`` on Tensors (so a backward is itself differentiable). ``ctx`` is the
    node of the graph: ``ctx.inputs`` are the input Tensors, ``ctx.output()`` the output
    Tensor (a weak reference) and ``ctx.needs_input_grad`` says which inputs want a gradient.
    Masks, indices and shapes are saved on ``ctx`` as plain values in ``forward``.
    ``backward`` returns one gradient (or None) per input; the engine sums any gradient that
    is a broadcast of its input back to the input's shape.

    A ``forward`` that returns a tuple of arrays makes a node with several outputs: ``apply``
    returns a tuple of Tensors and ``backward(ctx, *grads)`` gets one gradient per output
    (zeros for an output no gradient reached). Integer outputs (indices) take no gradient.

    Reading ``ctx.inputs`` or ``ctx.output()`` in ``backward`` checks that those tensors were
    not modified in place since the forward (each Tensor counts its in-place changes in
    ``_version``); a backward that needs only the inputs' shapes reads ``ctx.input_shapes``.

    Kernels: ``apply`` looks the class up in ``lamina.kernels.active`` by ``kernel_key`` (its
    ``module.QualName``). A kernel's forward, if any, runs instead of ``forward``; its
    first-order ``backward`` on arrays instead of ``backward`` when no graph of the gradient
    is wanted (see ``lamina.kernels``). ``ctx.arrays`` are the input arrays, for kernels.
    """

    needs_input_grad: tuple[bool, ...]
    kernel_key: str = "lamina.autodiff.function.Function"
    _kernel: Kernel | None = None  # the kernel that ran this node's forward, if any
    generation: int
    sequence: int
    n_outputs: int = 1
    custom: bool = False  # a lamina.autograd.Function (PyTorch-style backward)
    released: bool = False
    grad_enabled: bool  # set when a kernel runs the forward: whether a graph is recorded
    _params: dict[str, Any]  # the forward's keywords, while a kernel's forward replaced it

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.kernel_key = f"{cls.__module__}.{cls.__qualname__}"

    def forward(ctx, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def backward(ctx, grad: Tensor) -> Any:
        raise NotImplementedError(f"{type(ctx).__name__} has no gradient")

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Tensor:
        """Run forward on the inputs' arrays and, if a gradient is wanted, record the node."""
        inputs = args
        for a in args:
            if not isinstance(a, Tensor):  # a scalar or an array: convert them all once
                ref = _reference_dtype(args)
                inputs = tuple(a if isinstance(a, Tensor) else as_tensor(a, ref) for a in args)
                break
        ctx = cls()
        arrays = [t.data for t in inputs]
        kernel = _kernels.get(cls.kernel_key)
        if kernel is None:
            data = ctx.forward(*arrays, **kwargs)
        else:
            data = _kernel_forward(ctx, kernel, arrays, kwargs)
        if type(data) is tuple:  # several outputs
            outs = tuple([Tensor._wrap(d) for d in data])
            if grad_mode._grad_enabled:
                ctx._record(inputs, outs)
            # a node with several outputs gives a tuple, which its callers unpack; apply stays
            # typed for the one-output case every other caller relies on
            return outs  # type: ignore[return-value]
        out = Tensor._wrap(data)
        if grad_mode._grad_enabled:  # _record, written out for the one-output hot path
            needs = tuple([t.requires_grad for t in inputs])
            if True in needs:
                ctx._inputs, ctx._seen = inputs, _changes
                ctx.needs_input_grad = ctx._input_needs = needs
                ctx.generation = generation = max([t._generation for t in inputs])
                ctx.sequence = next(_recorded)
                ctx._outs = [weakref.ref(out)]
                if data.dtype.kind == "f":
                    out.requires_grad, out._ctx, out._generation = True, ctx, generation + 1
        return out

    def _record(ctx, inputs: tuple[Tensor, ...], outs: tuple[Tensor, ...]) -> None:
        """Make this node part of the graph if an input requires grad (float outputs only)."""
        needs = tuple([t.requires_grad for t in inputs])
        if True not in needs:
            return
        ctx._inputs = inputs
        ctx._seen = _changes  # in-place changes before this are part of the inputs' values
        ctx.needs_input_grad = ctx._input_needs = needs
        ctx.generation = max([t._generation for t in inputs])
        ctx.sequence = next(_recorded)
        ctx.n_outputs = len(outs)
        if len(outs) > 1:
            ctx._out_meta = tuple([(o.shape, o.dtype) for o in outs])
        ctx._outs = [weakref.ref(o) for o in outs]
        for slot, out in enumerate(outs):
            if out.dtype.kind == "f":  # integer outputs (indices) take no gradient
                out.requires_grad = True
                out._ctx = ctx
                out._generation = ctx.generation + 1
                if slot:
                    out._slot = slot

    @property
    def inputs(ctx) -> tuple[Tensor, ...]:
        """The input Tensors, checked to be unmodified since the forward."""
        if ctx._seen != _changes:  # something changed in place since: was it an input?
            for i, t in enumerate(ctx._inputs):
                if t._changed_at > ctx._seen:
                    _modified(ctx, f"input {i}", t)
        return ctx._inputs

    @property
    def arrays(ctx) -> tuple[np.ndarray, ...]:
        """The input arrays (for kernels), checked to be unmodified since the forward."""
        return tuple([t.data for t in ctx.inputs])

    def _reference(ctx) -> None:
        """Make the node ready for the reference backward after a kernel: re-run the
        reference forward on the inputs if the kernel's forward replaced it."""
        params = ctx.__dict__.pop("_params", None)
        if params is not None:
            ctx.forward(*ctx.arrays, **params)

    @property
    def input_shapes(ctx) -> tuple[tuple[int, ...], ...]:
        """The inputs' shapes (for a backward that needs no values: in-place ops keep shapes)."""
        return tuple([t.shape for t in ctx._inputs])

    def output(ctx, slot: int = 0) -> Tensor | None:
        """The output Tensor (None once it is gone), checked to be unmodified since the forward.

        A node with several outputs names one by ``slot``.
        """
        out = ctx._outs[slot]()
        if out is not None and out._changed_at > ctx._seen:
            _modified(ctx, "the output" if slot == 0 else f"output {slot}", out)
        return out

    def _parent(ctx, t: Tensor) -> tuple[Function | None, int]:
        """The producer (and its output slot) that input ``t`` had when this node used it.

        An in-place change recorded since may have made ``t`` the output of a newer node; its
        earlier producers are kept in ``t._history`` as (time of the change, node, slot).
        """
        if t._changed_at > ctx._seen:
            for when, fn, slot in t._history:
                if when > ctx._seen:
                    return fn, slot
        return t._ctx, t._slot

    def _zero_grad(ctx, slot: int) -> Tensor:
        """A zero gradient for an output that received none (nodes with several outputs)."""
        shape, dtype = ctx._out_meta[slot]
        return Tensor._wrap(np.zeros(shape, dtype))

    def _run_backward(ctx, grads: list[Tensor]) -> Any:
        """Call ``backward`` with one gradient per output (the engine's one entry point)."""
        return ctx.backward(*grads)

    def release(ctx) -> None:
        """Drop everything saved for backward; a later backward through this node fails."""
        generation, sequence = ctx.generation, ctx.sequence
        kernel = ctx._kernel
        if kernel is not None and kernel.release is not None:
            kernel.release(ctx)  # e.g. give its buffers back
        ctx.__dict__.clear()
        ctx.generation, ctx.sequence, ctx.released = generation, sequence, True

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


def backward_by_recompute(ctx: Function, compute: Any, grads: Any) -> tuple[Tensor | None, ...]:
    """A backward as the gradient of the same maths written with lamina ops: for a fused op
    whose forward is written on arrays (a whole LSTM sequence in one node).

    ``compute(ctx, *inputs)`` returns the op's outputs (a Tensor or a tuple) from its input
    Tensors with lamina ops. It is re-run on the inputs with gradients recorded, and
    differentiated back to exactly those inputs with ``grads``, one per output; under
    ``create_graph`` the result is itself differentiable.
    """
    from lamina.autodiff.engine import backward

    create_graph = grad_mode.is_grad_enabled()  # the engine sets it from create_graph
    inputs = ctx.inputs
    with grad_mode.enable_grad():
        outs = compute(ctx, *inputs)
    outs = outs if isinstance(outs, tuple) else (outs,)
    grads = grads if isinstance(grads, (tuple, list)) else (grads,)
    found = backward(outs, grads, create_graph, create_graph, inputs, stop_at_inputs=True)
    assert found is not None
    return tuple([g if need else None for g, need in zip(found, ctx.needs_input_grad)])


_recorded = itertools.count()  # numbers nodes in recording order: the engine's tie-break


_changes = 0  # in-place changes so far, a clock: a tensor's _changed_at is its last tick


def mark_changed(t: Tensor) -> int:
    """Record that ``t``'s value was changed in place: one more version, one clock tick."""
    global _changes
    _changes += 1
    t._version += 1
    t._changed_at = _changes
    return _changes


def changes() -> int:
    """The in-place clock now (a node or a saved tensor remembers when it was recorded)."""
    return _changes


def _modified(ctx: Function, which: str, t: Tensor) -> None:
    raise RuntimeError(
        f"backward: {which} of {type(ctx).__name__} (a tensor of shape {t.shape}) was modified "
        f"by an in-place operation after it was used (it is now at version {t._version}); "
        "clone it before changing it, or change it out of place"
    )


def _kernel_forward(ctx: Function, kernel: Kernel, arrays: list, kwargs: dict) -> Any:
    """Run ``kernel``'s forward (or the reference one when it has none) and mark the node."""
    ctx._kernel = kernel
    ctx.grad_enabled = grad_mode._grad_enabled  # a kernel's forward may keep less without
    if kernel.forward is None:
        return ctx.forward(*arrays, **kwargs)
    ctx._params = kwargs  # to re-run the reference forward if its backward is needed
    return kernel.forward(ctx, *arrays, **kwargs)


def _reference_dtype(args: tuple[Any, ...]) -> np.dtype | None:
    """The dtype Python scalars take in an op: that of the first float array among the inputs.

    This keeps ``float32 * 2.0`` in float32 (a scalar never widens a tensor's dtype).
    """
    first = None
    for a in args:
        dt = getattr(a, "dtype", None)
        if dt is None:
            continue
        dt = np.dtype(dt)
        if dt.kind == "f":
            return dt
        first = first or dt
    return first
