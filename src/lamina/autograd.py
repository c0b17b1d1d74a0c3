"""``lamina.autograd``: PyTorch's ``torch.autograd`` names for lamina's autodiff.

``Function`` for custom operations written the PyTorch way, ``grad`` and ``backward``, and
the gradient checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lamina.autodiff.custom_function import Function
from lamina.autodiff.engine import grad
from lamina.autodiff.grad_mode import enable_grad, no_grad, set_grad_enabled
from lamina.autodiff.gradcheck import gradcheck, gradgradcheck

if TYPE_CHECKING:
    from lamina.autodiff.tensor import Tensor

__all__ = [
    "Function",
    "backward",
    "enable_grad",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "no_grad",
    "set_grad_enabled",
]


def backward(
    tensors: Tensor | Sequence[Tensor],
    grad_tensors: Tensor | Sequence[Tensor] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
) -> None:
    """``torch.autograd.backward``: ``t.backward(g)`` for each tensor, in one pass."""
    from lamina.autodiff import engine
    from lamina.autodiff.tensor import Tensor, ones_like

    roots = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    if grad_tensors is None:
        grads = [engine._implicit_grad("backward", r, ones_like) for r in roots]
    else:
        grads = [grad_tensors] if isinstance(grad_tensors, Tensor) else list(grad_tensors)
    keep = create_graph if retain_graph is None else retain_graph
    engine.backward(roots, grads, retain_graph=keep, create_graph=create_graph)
