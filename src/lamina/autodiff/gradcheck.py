"""Check analytic gradients against central finite differences, in float64.

For learners: ``gradcheck(f, (x, w))`` on any function built from lamina ops tells whether
its backward is right, and shows the worst entries when it is not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from lamina.autodiff.engine import grad
from lamina.autodiff.tensor import Tensor

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck", "jacobian"]


class GradcheckError(AssertionError):
    """The analytic and numerical derivatives disagree."""


def _as_tuple(x: Any) -> tuple[Any, ...]:
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _check_inputs(owner: str, inputs: Sequence[Any]) -> tuple[Tensor, ...]:
    ts = tuple(inputs)
    for i, t in enumerate(ts):
        if isinstance(t, Tensor) and t.requires_grad and t.dtype != np.float64:
            raise TypeError(
                f"{owner}: input {i} must be float64 for finite differences, got {t.dtype}"
            )
    return ts


def jacobian(
    fn: Callable[..., Tensor], inputs: Sequence[Tensor] | Tensor, eps: float = 1e-6
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return (analytic, numerical) Jacobians of ``fn`` for each input that requires grad.

    Each Jacobian has shape (output size, input size). The analytic one takes one backward
    pass per output element; the numerical one takes two forward passes per input element:
    J[:, j] = (f(x + eps * e_j) - f(x - eps * e_j)) / (2 * eps).
    """
    ins = _check_inputs("jacobian", _as_tuple(inputs))
    diff = [t for t in ins if isinstance(t, Tensor) and t.requires_grad]
    out = fn(*ins)
    n_out = out.data.size
    analytic = [np.zeros((n_out, t.data.size)) for t in diff]
    for k in range(n_out):
        seed = np.zeros(n_out, out.dtype)
        seed[k] = 1
        gs = grad(
            out, diff, Tensor._wrap(seed.reshape(out.shape)), retain_graph=True, allow_unused=True
        )
        for a, g in zip(analytic, gs):
            if g is not None:
                a[k] = g.data.ravel()
    numerical = [_numerical(fn, ins, t, eps, np.eye(n_out)) for t in diff]
    return list(zip(analytic, numerical))


def _numerical(
    fn: Callable[..., Tensor], ins: tuple, t: Tensor, eps: float, v: np.ndarray
) -> np.ndarray:
    """Central differences of v @ f for every element of ``t``: shape (rows of v, t.size)."""
    if not t.data.flags.c_contiguous:  # reshape would copy, and the perturbation be lost
        t.data = np.ascontiguousarray(t.data)
    flat = t.data.reshape(-1)  # a view: perturbs t in place
    out = np.zeros((v.shape[0], flat.size))
    for j in range(flat.size):
        old = flat[j]
        flat[j] = old + eps
        plus = fn(*ins).data.ravel().astype(np.float64)
        flat[j] = old - eps
        minus = fn(*ins).data.ravel().astype(np.float64)
        flat[j] = old
        out[:, j] = v @ ((plus - minus) / (2 * eps))
    return out


def gradcheck(
    fn: Callable[..., Tensor],
    inputs: Sequence[Tensor] | Tensor,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> bool:
    """Compare ``fn``'s backward with central finite differences; True, or GradcheckError.

    A random upstream gradient v (not ones) is sent back: the analytic vector-Jacobian product
    v @ J is compared entry by entry with v @ J_numerical, for every input that requires grad.
    Inputs must be float64 so that the differences are accurate.
    """
    ins = _check_inputs("gradcheck", _as_tuple(inputs))
    diff = [(i, t) for i, t in enumerate(ins) if isinstance(t, Tensor) and t.requires_grad]
    if not diff:
        raise ValueError("gradcheck: no input requires grad")
    out = fn(*ins)
    v = np.random.default_rng(seed).standard_normal(out.shape)
    gs = grad(out, [t for _, t in diff], Tensor._wrap(v.astype(out.dtype)), allow_unused=True)
    for (i, t), g in zip(diff, gs):
        analytic = np.zeros(t.data.size) if g is None else g.data.astype(np.float64).ravel()
        numeric = _numerical(fn, ins, t, eps, v.reshape(1, -1))[0]
        bad = np.abs(analytic - numeric) > atol + rtol * np.abs(numeric)
        if bad.any():
            raise GradcheckError(_report(i, t.shape, analytic, numeric))
    return True


def _report(i: int, shape: tuple[int, ...], analytic: np.ndarray, numeric: np.ndarray) -> str:
    err = np.abs(analytic - numeric)
    worst = np.argsort(err)[::-1][:5]
    rows = "\n".join(
        f"  at {np.unravel_index(j, shape) if shape else ()}: analytic {analytic[j]:.8g}, "
        f"numerical {numeric[j]:.8g}"
        for j in worst
    )
    return f"gradcheck: the gradient of input {i} (shape {shape}) is wrong; worst entries:\n{rows}"


def gradgradcheck(
    fn: Callable[..., Tensor],
    inputs: Sequence[Tensor] | Tensor,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> bool:
    """Check second derivatives: gradcheck of x -> w . d(v . fn(x))/dx, built with create_graph.

    v and w are random; the checked gradient is the Hessian-vector product of v . fn with w.
    """
    ins = _check_inputs("gradgradcheck", _as_tuple(inputs))
    diff = [t for t in ins if isinstance(t, Tensor) and t.requires_grad]
    shape = fn(*ins).shape
    v = np.random.default_rng(seed + 1).standard_normal(shape)

    rng = np.random.default_rng(seed + 2)
    w = [rng.standard_normal(t.shape) for t in diff]

    def first_grads(*xs: Tensor) -> Tensor:
        """w . d(v . fn(x))/dx: its gradient is the Hessian-vector product H w."""
        out = fn(*xs)
        wanted = [x for x in xs if isinstance(x, Tensor) and x.requires_grad]
        gs = grad(
            out, wanted, Tensor._wrap(v.astype(out.dtype)), create_graph=True, allow_unused=True
        )
        total = Tensor._wrap(np.zeros((), np.float64))
        for g, wi in zip(gs, w):
            if g is not None:
                total = total + (g * Tensor._wrap(wi)).sum()
        return total

    if not diff:
        raise ValueError("gradgradcheck: no input requires grad")
    return gradcheck(first_grads, ins, eps, atol, rtol, seed)
