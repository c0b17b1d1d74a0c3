"""The autodiff core: Tensor, the graph engine, grad mode and gradient checking."""

from lamina.autodiff.device import check_device, device
from lamina.autodiff.engine import backward, grad
from lamina.autodiff.function import Function
from lamina.autodiff.grad_mode import (
    default_dtype,
    enable_grad,
    get_default_dtype,
    inference_mode,
    is_grad_enabled,
    no_grad,
    set_default_dtype,
    set_grad_enabled,
)
from lamina.autodiff.gradcheck import GradcheckError, gradcheck, gradgradcheck, jacobian
from lamina.autodiff.graphviz import graph_text, to_dot
from lamina.autodiff.random import default_generator, manual_seed
from lamina.autodiff.tensor import Tensor, as_tensor, tensor

__all__ = [
    "Function",
    "GradcheckError",
    "Tensor",
    "as_tensor",
    "backward",
    "check_device",
    "default_dtype",
    "default_generator",
    "device",
    "enable_grad",
    "get_default_dtype",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "graph_text",
    "inference_mode",
    "is_grad_enabled",
    "jacobian",
    "manual_seed",
    "no_grad",
    "set_default_dtype",
    "set_grad_enabled",
    "tensor",
    "to_dot",
]
