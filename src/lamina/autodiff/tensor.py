"""``Tensor``: a NumPy array that remembers how it was made, so gradients can flow back."""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, Union

import numpy as np

from lamina.autodiff import engine, grad_mode

if TYPE_CHECKING:
    from lamina.autodiff.function import Function

__all__ = ["Tensor", "TensorLike", "as_tensor", "ones_like", "tensor"]

TensorLike = Union["Tensor", np.ndarray, float, int, bool, Sequence[Any]]

_OPS: ModuleType | None = None


def _ops() -> ModuleType:
    """The ops package, imported on first use: the one sanctioned upward reference."""
    global _OPS
    if _OPS is None:
        import lamina.ops as ops

        _OPS = ops
    return _OPS


def _to_array(data: Any, dtype: Any = None) -> np.ndarray:
    """Convert ``data`` to an array: float data takes the default dtype unless it is float64."""
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        return np.asarray(data, dtype=dtype)
    array = np.asarray(data)
    kind = array.dtype.kind
    if kind == "f":
        keep = isinstance(data, np.ndarray) and array.dtype in (np.float32, np.float64)
        if not keep:
            array = array.astype(grad_mode._default_dtype, copy=False)
    elif kind in "iu":
        array = array.astype(np.int64, copy=False)
    elif kind not in "b":
        raise TypeError(f"tensor: cannot make a tensor from data of dtype {array.dtype}")
    return array


class Tensor:
    """An n-dimensional array with reverse-mode automatic differentiation.

    Parameters
    ----------
    data : array_like
        float32 and float64 ndarrays keep their dtype; other float data (lists, scalars,
        float16) takes the default dtype, float32; integer data becomes int64; booleans stay.
    requires_grad : bool, default=False
        Record operations on this tensor so that ``backward`` can compute ``.grad``.
    dtype : dtype, optional
        Convert the data to this dtype.

    Examples
    --------
    >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    tensor([2., 4., 6.])
    """

    __array_ufunc__ = None  # NumPy defers to Tensor's reflected operators (ndarray * Tensor)
    __hash__ = object.__hash__

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None) -> None:
        self.data: np.ndarray = _to_array(data, dtype)
        self.grad: Tensor | None = None
        self._ctx: Function | None = None
        self._generation = 0
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _wrap(cls, data: np.ndarray) -> Tensor:
        """Wrap an array the library computed (no conversion, no graph)."""
        t = cls.__new__(cls)
        t.data, t.grad, t._ctx, t._generation, t.requires_grad = data, None, None, 0, False
        return t

    # ----------------------------------------------------------------- properties
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user rather than by an operation."""
        return self._ctx is None

    @property
    def grad_fn(self) -> Function | None:
        """The operation that made this tensor (None for leaves)."""
        return self._ctx

    @property
    def T(self) -> Tensor:
        return _ops().permute(self, tuple(range(self.ndim - 1, -1, -1)))

    def size(self, dim: int | None = None) -> Any:
        """The shape, or the length of dimension ``dim``."""
        return self.shape if dim is None else self.shape[dim]

    def numel(self) -> int:
        """The number of elements."""
        return int(self.data.size)

    def dim(self) -> int:
        """The number of dimensions."""
        return self.data.ndim

    # ----------------------------------------------------------------- autodiff
    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place (only float tensors can take gradients)."""
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError(
                f"requires_grad_: only float tensors can require gradients, got {self.dtype}"
            )
        self.requires_grad = requires_grad
        return self

    def backward(
        self, grad: TensorLike | None = None, retain_graph: bool = False, create_graph: bool = False
    ) -> None:
        """Accumulate d(self)/d(leaf) into the ``.grad`` of every leaf that requires it."""
        if not self.requires_grad:
            raise RuntimeError("backward: this tensor does not require grad and has no graph")
        if grad is None:
            g = engine._implicit_grad("backward", self, ones_like)
        else:
            g = grad if isinstance(grad, Tensor) else Tensor(grad, dtype=self.dtype)
            if g.shape != self.shape:
                raise ValueError(f"backward: grad has shape {g.shape}, expected {self.shape}")
        engine.backward([self], [g], retain_graph=retain_graph, create_graph=create_graph)

    def detach(self) -> Tensor:
        """A tensor sharing the data, cut from the graph."""
        return Tensor._wrap(self.data)

    def zero_grad_(self) -> None:
        self.grad = None

    # ----------------------------------------------------------------- conversion
    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied)."""
        return self.data

    def item(self) -> Any:
        """The value of a one-element tensor as a Python number."""
        if self.data.size != 1:
            raise ValueError(f"item: expected a tensor with one element, got shape {self.shape}")
        return self.data.item()

    def tolist(self) -> Any:
        return self.data.tolist()

    def to(self, dtype: Any) -> Tensor:
        """Convert to ``dtype`` (differentiable for float to float)."""
        return _ops().cast(self, np.dtype(dtype))

    def float(self) -> Tensor:
        return self.to(np.float32)

    def double(self) -> Tensor:
        return self.to(np.float64)

    def long(self) -> Tensor:
        return self.to(np.int64)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.data if dtype is None else self.data.astype(dtype)

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __bool__(self) -> bool:
        return bool(self.data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="tensor(")
        extra = ""
        if self.dtype not in (np.float32, np.int64, np.bool_):
            extra += f", dtype={self.dtype}"
        if self._ctx is not None:
            extra += f", grad_fn=<{type(self._ctx).__name__}Backward>"
        elif self.requires_grad:
            extra += ", requires_grad=True"
        return f"tensor({body}{extra})"

    # ----------------------------------------------------------------- operators
    def __add__(self, other: TensorLike) -> Tensor:
        return _ops().add(self, other)

    def __radd__(self, other: TensorLike) -> Tensor:
        return _ops().add(other, self)

    def __sub__(self, other: TensorLike) -> Tensor:
        return _ops().sub(self, other)

    def __rsub__(self, other: TensorLike) -> Tensor:
        return _ops().sub(other, self)

    def __mul__(self, other: TensorLike) -> Tensor:
        return _ops().mul(self, other)

    def __rmul__(self, other: TensorLike) -> Tensor:
        return _ops().mul(other, self)

    def __truediv__(self, other: TensorLike) -> Tensor:
        return _ops().div(self, other)

    def __rtruediv__(self, other: TensorLike) -> Tensor:
        return _ops().div(other, self)

    def __pow__(self, other: TensorLike) -> Tensor:
        return _ops().pow(self, other)

    def __rpow__(self, other: TensorLike) -> Tensor:
        return _ops().pow(other, self)

    def __matmul__(self, other: TensorLike) -> Tensor:
        return _ops().matmul(self, other)

    def __rmatmul__(self, other: TensorLike) -> Tensor:
        return _ops().matmul(other, self)

    def __neg__(self) -> Tensor:
        return _ops().neg(self)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return _ops().abs(self)

    def __lt__(self, other: TensorLike) -> Tensor:  # type: ignore[override]
        return _ops().lt(self, other)

    def __le__(self, other: TensorLike) -> Tensor:  # type: ignore[override]
        return _ops().le(self, other)

    def __gt__(self, other: TensorLike) -> Tensor:  # type: ignore[override]
        return _ops().gt(self, other)

    def __ge__(self, other: TensorLike) -> Tensor:  # type: ignore[override]
        return _ops().ge(self, other)

    def __eq__(self, other: object) -> Tensor:  # type: ignore[override]
        return _ops().eq(self, other)

    def __ne__(self, other: object) -> Tensor:  # type: ignore[override]
        return _ops().ne(self, other)

    def __getitem__(self, index: Any) -> Tensor:
        return _ops().getitem(self, index)

    # ----------------------------------------------------------------- methods
    # Each method calls the op of the same name in ``lamina.ops``, where its docstring lives.
    def exp(self) -> Tensor:
        return _ops().exp(self)

    def log(self) -> Tensor:
        return _ops().log(self)

    def log1p(self) -> Tensor:
        return _ops().log1p(self)

    def sqrt(self) -> Tensor:
        return _ops().sqrt(self)

    def abs(self) -> Tensor:
        return _ops().abs(self)

    def sign(self) -> Tensor:
        return _ops().sign(self)

    def tanh(self) -> Tensor:
        return _ops().tanh(self)

    def sigmoid(self) -> Tensor:
        return _ops().sigmoid(self)

    def relu(self) -> Tensor:
        return _ops().relu(self)

    def clip(self, min: float | None = None, max: float | None = None) -> Tensor:
        return _ops().clip(self, min, max)

    clamp = clip

    def pow(self, exponent: TensorLike) -> Tensor:
        return _ops().pow(self, exponent)

    def matmul(self, other: TensorLike) -> Tensor:
        return _ops().matmul(self, other)

    def maximum(self, other: TensorLike) -> Tensor:
        return _ops().maximum(self, other)

    def minimum(self, other: TensorLike) -> Tensor:
        return _ops().minimum(self, other)

    def sum(self, dim: Any = None, keepdim: bool = False, **numpy_names: Any) -> Tensor:
        return _ops().sum(self, dim, keepdim, **numpy_names)

    def mean(self, dim: Any = None, keepdim: bool = False, **numpy_names: Any) -> Tensor:
        return _ops().mean(self, dim, keepdim, **numpy_names)

    def max(self, dim: Any = None, keepdim: bool = False, **numpy_names: Any) -> Any:
        return _ops().max(self, dim, keepdim, **numpy_names)

    def min(self, dim: Any = None, keepdim: bool = False, **numpy_names: Any) -> Any:
        return _ops().min(self, dim, keepdim, **numpy_names)

    def var(
        self, dim: Any = None, *, correction: int = 1, keepdim: bool = False, **kw: Any
    ) -> Tensor:
        return _ops().var(self, dim, correction=correction, keepdim=keepdim, **kw)

    def std(
        self, dim: Any = None, *, correction: int = 1, keepdim: bool = False, **kw: Any
    ) -> Tensor:
        return _ops().std(self, dim, correction=correction, keepdim=keepdim, **kw)

    def logsumexp(self, dim: Any = None, keepdim: bool = False, **numpy_names: Any) -> Tensor:
        return _ops().logsumexp(self, dim, keepdim, **numpy_names)

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return _ops().argmax(self, dim, keepdim)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return _ops().argmin(self, dim, keepdim)

    def softmax(self, dim: int = -1) -> Tensor:
        return _ops().softmax(self, dim)

    def log_softmax(self, dim: int = -1) -> Tensor:
        return _ops().log_softmax(self, dim)

    def reshape(self, *shape: Any) -> Tensor:
        return _ops().reshape(self, *shape)

    view = reshape

    def view_as(self, other: Tensor) -> Tensor:
        return _ops().reshape(self, other.shape)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        return _ops().transpose(self, dim0, dim1)

    def permute(self, *dims: Any) -> Tensor:
        return _ops().permute(self, *dims)

    def squeeze(self, dim: Any = None) -> Tensor:
        return _ops().squeeze(self, dim)

    def unsqueeze(self, dim: int) -> Tensor:
        return _ops().unsqueeze(self, dim)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        return _ops().flatten(self, start_dim, end_dim)

    def expand(self, *shape: Any) -> Tensor:
        return _ops().expand(self, *shape)

    def expand_as(self, other: Tensor) -> Tensor:
        return _ops().expand(self, other.shape)

    def gather(self, dim: int, index: TensorLike) -> Tensor:
        return _ops().gather(self, dim, index)

    def split(self, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
        return _ops().split(self, split_size_or_sections, dim)


def as_tensor(data: Any, dtype: Any = None) -> Tensor:
    """Return ``data`` as a Tensor; Python scalars take ``dtype`` (their partner's dtype)."""
    if isinstance(data, Tensor):
        return data
    if (
        dtype is not None
        and isinstance(data, (int, float, np.number))
        and not isinstance(data, bool)
    ):
        dt = np.dtype(dtype)
        if dt.kind == "f" or isinstance(data, (int, np.integer)):
            return Tensor._wrap(np.asarray(data, dtype=dt))
    return Tensor(data)


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Make a leaf tensor from ``data`` (a copy of it), like ``torch.tensor``."""
    if isinstance(data, Tensor):
        data = data.data
    t = Tensor(np.array(data, copy=True) if isinstance(data, np.ndarray) else data, dtype=dtype)
    return t.requires_grad_(requires_grad) if requires_grad else t


def ones_like(x: Tensor) -> Tensor:
    """A tensor of ones with the shape and dtype of ``x``."""
    return Tensor._wrap(np.ones_like(x.data))
