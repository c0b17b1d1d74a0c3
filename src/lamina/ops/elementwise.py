"""Elementwise operations with NumPy broadcasting."""

from __future__ import annotations

import numpy as np

from lamina.autodiff import grad_mode
from lamina.autodiff.dtypes import result_type
from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.ops._shapes import broadcast_shape

# relu is exported from ops.activation, whose form takes PyTorch's inplace argument
__all__ = [
    "abs",
    "add",
    "cast",
    "clamp",
    "clip",
    "div",
    "exp",
    "log",
    "log1p",
    "log1pexp",
    "maximum",
    "minimum",
    "mul",
    "neg",
    "pow",
    "sigmoid",
    "sign",
    "sqrt",
    "square",
    "sub",
    "tanh",
    "where",
]


def _const(array: np.ndarray) -> Tensor:
    return Tensor._wrap(array)


def _binary(owner: str, fn: type[Function], a: TensorLike, b: TensorLike) -> Tensor:
    if not (type(a) is Tensor and type(b) is Tensor and a.data.dtype == b.data.dtype):
        a, b = promote(a, b)  # (the test above is this hot path's shortcut)
    sa, sb = getattr(a, "shape", ()), getattr(b, "shape", ())
    if sa != sb and not isinstance(a, (int, float)) and not isinstance(b, (int, float)):
        broadcast_shape(owner, tuple(sa), tuple(np.shape(b) if sb == () else sb))
    return fn.apply(a, b)


def promote(a: TensorLike, b: TensorLike) -> tuple[TensorLike, TensorLike]:
    """``a`` and ``b`` in the dtype PyTorch gives their result (``autodiff.dtypes``).

    A Python number never widens a float tensor, so that common case is left to
    ``Function.apply``, which gives the number its partner's dtype.
    """
    da, db = getattr(a, "dtype", None), getattr(b, "dtype", None)
    if da is not None and da == db:
        return a, b
    if (da is not None and da.kind == "f" and _is_number(b)) or (
        db is not None and db.kind == "f" and _is_number(a)
    ):
        return a, b
    dt = result_type(a, b)
    return _in_dtype(a, dt), _in_dtype(b, dt)


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float, np.number)) and not isinstance(x, (bool, np.bool_))


def _in_dtype(x: TensorLike, dt: np.dtype) -> Tensor:
    if isinstance(x, Tensor):
        return x if x.dtype == dt else cast(x, dt)
    return Tensor._wrap(np.asarray(x, dtype=dt))


class Add(Function):
    """y = a + b.  da = g, db = g."""

    def forward(ctx, a, b):
        return a + b

    def backward(ctx, g):
        return g, g


class Sub(Function):
    """y = a - b.  da = g, db = -g."""

    def forward(ctx, a, b):
        return a - b

    def backward(ctx, g):
        return g, (-g if ctx.needs_input_grad[1] else None)


class Mul(Function):
    """y = a * b.  da = g * b, db = g * a."""

    def forward(ctx, a, b):
        return a * b

    def backward(ctx, g):
        a, b = ctx.inputs
        da, db = ctx.needs_input_grad
        return (g * b if da else None), (g * a if db else None)


class Div(Function):
    """y = a / b.  da = g / b, db = -g * a / b**2."""

    def forward(ctx, a, b):
        return a / b

    def backward(ctx, g):
        a, b = ctx.inputs
        da, db = ctx.needs_input_grad
        return (g / b if da else None), (-g * a / (b * b) if db else None)


class Neg(Function):
    """y = -x.  dx = -g."""

    def forward(ctx, x):
        return -x

    def backward(ctx, g):
        return -g


class Pow(Function):
    """y = a ** b.  da = g * b * a**(b - 1), db = g * y * log(a)."""

    def forward(ctx, a, b):
        return a**b

    def backward(ctx, g):
        a, b = ctx.inputs
        da, db = ctx.needs_input_grad
        return (g * b * a ** (b - 1) if da else None), (g * ctx.output() * log(a) if db else None)


class PowScalar(Function):
    """y = x ** c for a constant c.  dx = g * c * x**(c - 1)."""

    def forward(ctx, x, exponent):
        ctx.exponent = exponent
        return x**exponent

    def backward(ctx, g):
        (x,) = ctx.inputs
        c = ctx.exponent
        return g * (c * x if c == 2 else c * x ** (c - 1))


class Exp(Function):
    """y = exp(x).  dx = g * y."""

    def forward(ctx, x):
        return np.exp(x)

    def backward(ctx, g):
        return g * ctx.output()


class Log(Function):
    """y = log(x).  dx = g / x."""

    def forward(ctx, x):
        return np.log(x)

    def backward(ctx, g):
        return g / ctx.inputs[0]


class Log1p(Function):
    """y = log(1 + x), accurate for small x.  dx = g / (1 + x)."""

    def forward(ctx, x):
        return np.log1p(x)

    def backward(ctx, g):
        return g / (1 + ctx.inputs[0])


class Sqrt(Function):
    """y = sqrt(x).  dx = g / (2 * y)."""

    def forward(ctx, x):
        return np.sqrt(x)

    def backward(ctx, g):
        y = ctx.output()
        assert y is not None  # alive: a consumer (or the caller of backward) holds it
        return g / (2 * y)


class Abs(Function):
    """y = |x|.  dx = g * sign(x) (0 at x = 0, as in PyTorch)."""

    def forward(ctx, x):
        return np.abs(x)

    def backward(ctx, g):
        return g * _const(np.sign(ctx.inputs[0].data))


class Tanh(Function):
    """y = tanh(x).  dx = g * (1 - y**2)."""

    def forward(ctx, x):
        return np.tanh(x)

    def backward(ctx, g):
        y = ctx.output()
        assert y is not None  # alive: a consumer (or the caller of backward) holds it
        return g * (1 - y * y)


class Sigmoid(Function):
    """y = 1 / (1 + exp(-x)), evaluated without overflow.  dx = g * y * (1 - y).

    A fused rule for stability: exp is only taken of -|x|, so large |x| never overflows.
    """

    def forward(ctx, x):
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

    def backward(ctx, g):
        y = ctx.output()
        assert y is not None  # alive: a consumer (or the caller of backward) holds it
        return g * y * (1 - y)


class Softplus(Function):
    """y = log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)).  dx = g * sigmoid(x).

    A fused rule for stability and for the gradient at 0: composed from relu and abs, the
    two kinks cancel in value but their subgradients (0 and 0) would give 0, not 1/2.
    """

    def forward(ctx, x):
        return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))

    def backward(ctx, g):
        return g * sigmoid(ctx.inputs[0])


class Relu(Function):
    """y = max(x, 0).  dx = g * (x > 0)."""

    def forward(ctx, x):
        ctx.mask = x > 0
        return np.maximum(x, 0)

    def backward(ctx, g):
        return g * _const(ctx.mask)


class Clip(Function):
    """y = min(max(x, lo), hi).  dx = g where lo <= x <= hi, else 0 (PyTorch's clamp)."""

    def forward(ctx, x, lo, hi):
        ctx.mask = np.ones(x.shape, bool)
        if lo is not None:
            ctx.mask &= x >= lo
        if hi is not None:
            ctx.mask &= x <= hi
        return np.clip(x, lo, hi).astype(x.dtype, copy=False)

    def backward(ctx, g):
        return g * _const(ctx.mask)


class Maximum(Function):
    """y = max(a, b) elementwise.  The gradient goes to the larger input, half each on ties."""

    def forward(ctx, a, b):
        ctx.weight = (a > b) + 0.5 * (a == b)
        return np.maximum(a, b)

    def backward(ctx, g):
        w = ctx.weight.astype(g.dtype)
        return g * _const(w), g * _const(1 - w)


class Where(Function):
    """y = a where cond else b.  da = g where cond, db = g elsewhere."""

    def forward(ctx, cond, a, b):
        ctx.cond = cond.astype(bool)
        return np.where(ctx.cond, a, b)

    def backward(ctx, g):
        _, da, db = ctx.needs_input_grad
        cond = _const(ctx.cond)
        return None, (where(cond, g, 0.0) if da else None), (where(cond, 0.0, g) if db else None)


class Cast(Function):
    """y = x converted to another dtype.  dx = g converted back."""

    def forward(ctx, x, dtype):
        ctx.from_dtype = x.dtype
        return x.astype(dtype)

    def backward(ctx, g):
        return cast(g, ctx.from_dtype)


def add(a: TensorLike, b: TensorLike) -> Tensor:
    """Elementwise sum with broadcasting."""
    return _binary("add", Add, a, b)


def sub(a: TensorLike, b: TensorLike) -> Tensor:
    """Elementwise difference with broadcasting."""
    return _binary("sub", Sub, a, b)


def mul(a: TensorLike, b: TensorLike) -> Tensor:
    """Elementwise product with broadcasting."""
    return _binary("mul", Mul, a, b)


def div(a: TensorLike, b: TensorLike) -> Tensor:
    """Elementwise true division with broadcasting."""
    a, b = promote(a, b)
    if getattr(a, "dtype", np.dtype(np.float64)).kind != "f":  # true division, as in PyTorch
        dt = grad_mode.get_default_dtype()
        a, b = _in_dtype(a, dt), _in_dtype(b, dt)
    return _binary("div", Div, a, b)


def neg(x: TensorLike) -> Tensor:
    """Elementwise negation."""
    return Neg.apply(x)


def pow(a: TensorLike, b: TensorLike) -> Tensor:
    """Elementwise power; a Python-number exponent takes the cheaper constant rule."""
    if isinstance(b, (int, float)) and not isinstance(b, bool) and isinstance(a, Tensor):
        if isinstance(b, float) and a.dtype.kind != "f":
            a = cast(a, grad_mode.get_default_dtype())
        return PowScalar.apply(a, exponent=b)
    return _binary("pow", Pow, a, b)


def square(x: TensorLike) -> Tensor:
    """Elementwise x**2."""
    return PowScalar.apply(x, exponent=2)


def exp(x: TensorLike) -> Tensor:
    """Elementwise exponential."""
    return Exp.apply(x)


def log(x: TensorLike) -> Tensor:
    """Elementwise natural logarithm."""
    return Log.apply(x)


def log1p(x: TensorLike) -> Tensor:
    """Elementwise log(1 + x)."""
    return Log1p.apply(x)


def sqrt(x: TensorLike) -> Tensor:
    """Elementwise square root."""
    return Sqrt.apply(x)


def abs(x: TensorLike) -> Tensor:
    """Elementwise absolute value."""
    return Abs.apply(x)


def tanh(x: TensorLike) -> Tensor:
    """Elementwise hyperbolic tangent."""
    return Tanh.apply(x)


def sigmoid(x: TensorLike) -> Tensor:
    """Elementwise logistic function 1 / (1 + exp(-x)), stable for any x."""
    return Sigmoid.apply(x)


def log1pexp(x: TensorLike) -> Tensor:
    """Elementwise log(1 + exp(x)), stable and exact for any x (``softplus`` with beta=1 and no
    threshold; ``F.softplus`` is PyTorch's form)."""
    return Softplus.apply(x)


def relu(x: TensorLike) -> Tensor:
    """Elementwise max(x, 0)."""
    return Relu.apply(x)


def clip(x: TensorLike, min: float | None = None, max: float | None = None) -> Tensor:
    """Limit values to ``[min, max]`` (either bound may be None), like ``torch.clamp``."""
    if min is None and max is None:
        raise ValueError("clip: at least one of min and max must be given")
    return Clip.apply(x, lo=min, hi=max)


clamp = clip  # PyTorch's name


def maximum(a: TensorLike, b: TensorLike) -> Tensor:
    """Elementwise maximum with broadcasting."""
    return _binary("maximum", Maximum, a, b)


def minimum(a: TensorLike, b: TensorLike) -> Tensor:
    """Elementwise minimum with broadcasting: -max(-a, -b)."""
    return -maximum(
        -as_tensor(a, getattr(b, "dtype", None)), -as_tensor(b, getattr(a, "dtype", None))
    )


def where(condition: TensorLike, a: TensorLike, b: TensorLike) -> Tensor:
    """Pick from ``a`` where ``condition`` holds and from ``b`` elsewhere (broadcasting)."""
    a, b = promote(a, b)
    shapes = [tuple(np.shape(getattr(v, "data", v))) for v in (condition, a, b)]
    broadcast_shape("where", *shapes)
    return Where.apply(condition, a, b)


def cast(x: Tensor, dtype: np.dtype) -> Tensor:
    """Convert ``x`` to ``dtype``; differentiable between float dtypes (an integer or bool
    output takes no gradient, as every integer output of a Function)."""
    if x.dtype == dtype:
        return x
    return Cast.apply(x, dtype=dtype)


def sign(x: TensorLike) -> Tensor:
    """Elementwise sign (-1, 0 or 1); it has no gradient."""
    return Tensor._wrap(np.sign(as_tensor(x).data))
