"""Reverse-mode differentiation: walks the graph iteratively in generation order."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from lamina.autodiff import grad_mode
from lamina.autodiff.broadcast import is_broadcast_of, sum_to
from lamina.errors import GradientShapeError

if TYPE_CHECKING:
    from lamina.autodiff.function import Function
    from lamina.autodiff.tensor import Tensor

__all__ = ["backward", "grad"]


def backward(
    roots: Sequence[Tensor],
    grads: Sequence[Tensor],
    retain_graph: bool = False,
    create_graph: bool = False,
    inputs: Sequence[Tensor] | None = None,
    stop_at_inputs: bool = False,
) -> list[Tensor | None] | None:
    """Propagate ``grads`` from ``roots`` back through the graph.

    Without ``inputs`` the gradients are accumulated into the ``.grad`` of every leaf that
    requires one. With ``inputs`` they are returned, in that order, and no ``.grad`` changes.
    Nodes are visited by decreasing generation, so every consumer of a tensor has finished
    before its producer runs: no recursion, any depth. Ties go to the node recorded last, so
    gradients are summed in the same order in every run (bit-identical results). Saved arrays
    are released afterwards unless ``retain_graph``; with ``create_graph`` the backward ops
    themselves are recorded. With ``stop_at_inputs`` the walk ends at ``inputs``: their
    gradients are the partial derivatives with each input taken as independent, and nothing
    upstream of them is visited (``backward_by_recompute``'s inner backward).
    """
    wanted = None if inputs is None else {id(t): i for i, t in enumerate(inputs)}
    captured: list[Tensor | None] = [None] * (0 if inputs is None else len(inputs))
    pending: dict[Function, Any] = {}  # the gradient (a list: one per output) of each node
    heap: list[tuple[int, int, Function]] = []
    stops = wanted if stop_at_inputs else None
    for root, g in zip(roots, grads):
        if root.requires_grad:
            if stops is not None and id(root) in stops:
                _add(captured, stops[id(root)], g)
                continue
            _send(root, root._ctx, root._slot, g, pending, heap, wanted, captured)
    done: list[Function] = []
    with grad_mode.set_grad_enabled(create_graph):
        while heap:
            _, _, fn = heapq.heappop(heap)
            out_grads = pending.pop(fn)
            if fn.released:
                raise RuntimeError(
                    f"backward: the graph through {type(fn).__name__} was already freed by an "
                    "earlier backward; call backward(retain_graph=True) the first time"
                )
            if wanted is not None:
                _capture(fn, out_grads, wanted, captured)
            if fn._kernel is not None:
                input_grads = _kernel_backward(fn, out_grads, create_graph)
            elif fn.n_outputs == 1 and not fn.custom:
                input_grads = fn.backward(out_grads)
            else:
                input_grads = fn._run_backward(_every_gradient(fn, out_grads))
            if not isinstance(input_grads, tuple):
                input_grads = (input_grads,)
            seen = fn._seen
            for t, needs, gi in zip(fn._inputs, fn._input_needs, input_grads):
                if needs and gi is not None:
                    gi = _fit(fn, t, gi)
                    if stops is not None and id(t) in stops:
                        _add(captured, stops[id(t)], gi)
                    elif t._changed_at <= seen:  # not changed in place since fn used it
                        _send(t, t._ctx, t._slot, gi, pending, heap, wanted, captured)
                    else:
                        parent, slot = fn._parent(t)
                        _send(t, parent, slot, gi, pending, heap, wanted, captured)
            done.append(fn)
    if not retain_graph:
        for fn in done:
            fn.release()
    return captured if inputs is not None else None


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Tensor | Sequence[Tensor] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Tensor | None, ...]:
    """Return d(outputs)/d(inputs) without touching any ``.grad`` (like ``torch.autograd.grad``)."""
    from lamina.autodiff.tensor import Tensor, ones_like

    outs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    ins = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if grad_outputs is None:
        gouts = [_implicit_grad("grad", o, ones_like) for o in outs]
    else:
        gouts = [grad_outputs] if isinstance(grad_outputs, Tensor) else list(grad_outputs)
    keep = create_graph if retain_graph is None else retain_graph
    result = backward(outs, gouts, retain_graph=keep, create_graph=create_graph, inputs=ins)
    assert result is not None
    if not allow_unused:
        for i, r in enumerate(result):
            if r is None:
                raise RuntimeError(
                    f"grad: input {i} was not used to compute the outputs (pass allow_unused=True)"
                )
    return tuple(result)


def _implicit_grad(owner: str, out: Tensor, ones_like: Callable[[Tensor], Tensor]) -> Tensor:
    if out.data.size != 1:
        raise RuntimeError(
            f"{owner}: a gradient can be implied only for a scalar output, got shape "
            f"{tuple(out.shape)}; pass the upstream gradient explicitly"
        )
    return ones_like(out)


def _kernel_backward(fn: Function, out_grads: Any, create_graph: bool) -> Any:
    """The backward of a node whose forward ran under a kernel: the kernel's first-order
    backward on arrays when no graph of the gradient is wanted, else the reference backward
    (after the reference forward is re-run, if the kernel replaced it)."""
    from lamina.autodiff.tensor import Tensor

    kernel = fn._kernel
    assert kernel is not None
    if kernel.backward is not None and not create_graph:
        grads = [g.data for g in _every_gradient(fn, out_grads)]
        result = kernel.backward(fn, *grads)
        if not isinstance(result, tuple):
            return None if result is None else Tensor._wrap(result)
        return tuple([None if r is None else Tensor._wrap(r) for r in result])
    fn._reference()
    return fn._run_backward(_every_gradient(fn, out_grads))


def _add(captured: list, i: int, g: Tensor) -> None:
    captured[i] = g if captured[i] is None else captured[i] + g


def _every_gradient(fn: Function, out_grads: Any) -> list[Tensor]:
    """One gradient per output of ``fn``: zeros for an output that received none."""
    grads = [out_grads] if fn.n_outputs == 1 else list(out_grads)
    return [fn._zero_grad(i) if g is None else g for i, g in enumerate(grads)]


def _capture(fn: Function, out_grads: Any, wanted: dict[int, int], captured: list) -> None:
    """Keep the gradient of each output of ``fn`` that ``grad(..., inputs=)`` asked for."""
    grads = [out_grads] if fn.n_outputs == 1 else out_grads
    for ref, g in zip(fn._outs, grads):
        out = ref()
        if g is not None and out is not None and id(out) in wanted:
            captured[wanted[id(out)]] = g


def _send(t, fn, slot, g, pending, heap, wanted, captured) -> None:
    """Hand gradient ``g`` to tensor ``t``: its producer ``fn``'s queue (output ``slot``), a
    capture, or ``.grad``.

    ``fn`` is the producer recorded when ``t`` was used, not ``t._ctx`` now: an in-place
    operation since then has made ``t`` the output of a newer node.
    """
    if fn is None:
        if wanted is None:
            t.grad = g if t.grad is None else t.grad + g
        elif id(t) in wanted:
            i = wanted[id(t)]
            captured[i] = g if captured[i] is None else captured[i] + g
        return
    if fn.n_outputs == 1:  # the common case: the gradient itself
        if fn in pending:
            pending[fn] = pending[fn] + g
        else:
            pending[fn] = g
            heapq.heappush(heap, (-fn.generation, -fn.sequence, fn))
        return
    grads = pending.get(fn)
    if grads is None:
        grads = pending[fn] = [None] * fn.n_outputs
        heapq.heappush(heap, (-fn.generation, -fn.sequence, fn))
    grads[slot] = g if grads[slot] is None else grads[slot] + g


def _fit(fn: Function, t: Tensor, g: Tensor) -> Tensor:
    """Fit a gradient to its input: summed back from a broadcast (the only place this is
    done), and in the input's dtype (a float32 input used in float64 maths gets a float32
    gradient, as in PyTorch)."""
    if g.data.dtype != t.data.dtype and t.data.dtype.kind == "f":
        g = g.to(t.dtype)
    if g.data.shape == t.data.shape:
        return g
    if not is_broadcast_of(g.shape, t.shape):
        index = next(i for i, x in enumerate(fn.inputs) if x is t)
        raise GradientShapeError(
            f"{type(fn).__name__}.backward: gradient for input {index} has shape {g.shape}, "
            f"which does not broadcast to the input's shape {t.shape}"
        )
    return sum_to(g, t.shape)
