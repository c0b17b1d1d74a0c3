"""``Tensor``: a NumPy array that remembers how it was made, so gradients can flow back."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, Union

import numpy as np

from lamina.autodiff import engine, grad_mode
from lamina.autodiff.device import _TYPES as _DEVICE_TYPES
from lamina.autodiff.device import check_device, cpu, device
from lamina.autodiff.dtypes import check_dtype

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
    _slot = 0  # which output of its producer this tensor is (set only for later outputs)
    _version = 0  # in-place changes so far (set on the instance by the first one)
    _changed_at = 0  # the in-place clock's tick of the last change (function.mark_changed)
    _history: tuple[tuple[int, Function | None, int], ...] = ()  # earlier producers (ops/inplace)

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
        """The internal constructor: a Tensor around an array the library computed.

        No conversion, no copy, no graph, no checks (``Tensor(data)`` does those for user
        data). Ops, kernels and the engine use it on their results; user code should not.
        """
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

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """This tensor in another dtype and/or on another device, like ``torch.Tensor.to``.

        Takes ``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)`` (its dtype)
        and the keywords ``dtype``, ``device``, ``copy``, ``non_blocking`` (accepted). The CPU
        is the one device lamina computes on. Returns ``self`` when nothing changes (unless
        ``copy=True``); a float-to-float conversion is differentiable.
        """
        where, dtype, copy = _to_arguments(args, kwargs)
        check_device("Tensor.to", where)
        if dtype is not None and dtype != self.dtype:
            return _ops().cast(self, dtype)
        return _ops().clone(self) if copy else self

    def type(self, dtype: Any = None) -> Any:
        """The dtype's name with no argument (``'lamina.float32'``), else ``to(dtype)``."""
        if dtype is None:
            return f"lamina.{self.dtype}"
        return self.to(check_dtype("Tensor.type", dtype))

    def cpu(self) -> Tensor:
        """This tensor (lamina's tensors live on the CPU)."""
        return self

    def cuda(self, device: Any = None, non_blocking: bool = False) -> Tensor:
        """Refused: lamina computes on the CPU only."""
        check_device("Tensor.cuda", "cuda" if device is None else device)
        return self

    @property
    def device(self) -> device:
        """``device(type='cpu')``: where the data lives."""
        return cpu

    @property
    def is_cuda(self) -> bool:
        return False

    def float(self) -> Tensor:
        return self.to(np.float32)

    def double(self) -> Tensor:
        return self.to(np.float64)

    def half(self) -> Tensor:
        return self.to(check_dtype("Tensor.half", np.float16))

    def long(self) -> Tensor:
        return self.to(np.int64)

    def int(self) -> Tensor:
        return self.to(np.int32)

    def bool(self) -> Tensor:
        return self.to(np.bool_)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.data if dtype is None else self.data.astype(dtype)

    def __len__(self) -> builtins.int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __bool__(self) -> builtins.bool:
        return bool(self.data)

    def __float__(self) -> builtins.float:
        return float(self.item())

    def __int__(self) -> builtins.int:
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

    def __lt__(self, other: TensorLike) -> Tensor:
        return _ops().lt(self, other)

    def __le__(self, other: TensorLike) -> Tensor:
        return _ops().le(self, other)

    def __gt__(self, other: TensorLike) -> Tensor:
        return _ops().gt(self, other)

    def __ge__(self, other: TensorLike) -> Tensor:
        return _ops().ge(self, other)

    # == and != give a boolean Tensor, elementwise as in PyTorch, not object's bool
    def __eq__(self, other: object) -> Tensor:  # type: ignore[override]
        return _ops().eq(self, other)

    def __ne__(self, other: object) -> Tensor:  # type: ignore[override]
        return _ops().ne(self, other)

    def __getitem__(self, index: Any) -> Tensor:
        return _ops().getitem(self, index)

    # ----------------------------------------------------------------- in place
    # PyTorch's rules (see lamina.ops.inplace): written into the array when nothing is
    # recorded, refused on a leaf that requires grad, else recorded as an op of the graph.
    def __setitem__(self, index: Any, value: TensorLike) -> None:
        _ops().inplace.setitem(self, index, value)

    def __iadd__(self, other: TensorLike) -> Tensor:
        return _ops().inplace.add_(self, other)

    def __isub__(self, other: TensorLike) -> Tensor:
        return _ops().inplace.sub_(self, other)

    def __imul__(self, other: TensorLike) -> Tensor:
        return _ops().inplace.mul_(self, other)

    def __itruediv__(self, other: TensorLike) -> Tensor:
        return _ops().inplace.div_(self, other)

    def __ipow__(self, other: TensorLike) -> Tensor:
        return _ops().inplace.pow_(self, other)

    def add_(self, other: TensorLike, *, alpha: builtins.float = 1) -> Tensor:
        return _ops().inplace.add_(self, other, alpha)

    def sub_(self, other: TensorLike, *, alpha: builtins.float = 1) -> Tensor:
        return _ops().inplace.sub_(self, other, alpha)

    def mul_(self, other: TensorLike) -> Tensor:
        return _ops().inplace.mul_(self, other)

    def div_(self, other: TensorLike) -> Tensor:
        return _ops().inplace.div_(self, other)

    def pow_(self, exponent: TensorLike) -> Tensor:
        return _ops().inplace.pow_(self, exponent)

    def clamp_(
        self, min: builtins.float | None = None, max: builtins.float | None = None
    ) -> Tensor:
        return _ops().inplace.clamp_(self, min, max)

    clip_ = clamp_

    def masked_fill_(self, mask: TensorLike, value: TensorLike) -> Tensor:
        return _ops().inplace.masked_fill_(self, mask, value)

    def copy_(self, src: TensorLike, non_blocking: builtins.bool = False) -> Tensor:
        return _ops().inplace.copy_(self, src)

    def fill_(self, value: TensorLike) -> Tensor:
        return _ops().inplace.fill_(self, value)

    def zero_(self) -> Tensor:
        return _ops().inplace.zero_(self)

    def uniform_(
        self, a: builtins.float = 0.0, b: builtins.float = 1.0, *, generator: Any = None
    ) -> Tensor:
        return _ops().inplace.uniform_(self, a, b, generator=generator)

    def normal_(
        self, mean: builtins.float = 0.0, std: builtins.float = 1.0, *, generator: Any = None
    ) -> Tensor:
        return _ops().inplace.normal_(self, mean, std, generator=generator)

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

    def clip(self, min: builtins.float | None = None, max: builtins.float | None = None) -> Tensor:
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

    def sum(self, dim: Any = None, keepdim: builtins.bool = False, **numpy_names: Any) -> Tensor:
        return _ops().sum(self, dim, keepdim, **numpy_names)

    def mean(self, dim: Any = None, keepdim: builtins.bool = False, **numpy_names: Any) -> Tensor:
        return _ops().mean(self, dim, keepdim, **numpy_names)

    def max(self, dim: Any = None, keepdim: builtins.bool = False, **numpy_names: Any) -> Any:
        return _ops().max(self, dim, keepdim, **numpy_names)

    def min(self, dim: Any = None, keepdim: builtins.bool = False, **numpy_names: Any) -> Any:
        return _ops().min(self, dim, keepdim, **numpy_names)

    def var(
        self,
        dim: Any = None,
        *,
        correction: builtins.int = 1,
        keepdim: builtins.bool = False,
        **kw: Any,
    ) -> Tensor:
        return _ops().var(self, dim, correction=correction, keepdim=keepdim, **kw)

    def std(
        self,
        dim: Any = None,
        *,
        correction: builtins.int = 1,
        keepdim: builtins.bool = False,
        **kw: Any,
    ) -> Tensor:
        return _ops().std(self, dim, correction=correction, keepdim=keepdim, **kw)

    def logsumexp(
        self, dim: Any = None, keepdim: builtins.bool = False, **numpy_names: Any
    ) -> Tensor:
        return _ops().logsumexp(self, dim, keepdim, **numpy_names)

    def argmax(self, dim: builtins.int | None = None, keepdim: builtins.bool = False) -> Tensor:
        return _ops().argmax(self, dim, keepdim)

    def argmin(self, dim: builtins.int | None = None, keepdim: builtins.bool = False) -> Tensor:
        return _ops().argmin(self, dim, keepdim)

    def softmax(self, dim: builtins.int = -1) -> Tensor:
        return _ops().softmax(self, dim)

    def log_softmax(self, dim: builtins.int = -1) -> Tensor:
        return _ops().log_softmax(self, dim)

    def reshape(self, *shape: Any) -> Tensor:
        return _ops().reshape(self, *shape)

    view = reshape

    def view_as(self, other: Tensor) -> Tensor:
        return _ops().reshape(self, other.shape)

    def transpose(self, dim0: builtins.int, dim1: builtins.int) -> Tensor:
        return _ops().transpose(self, dim0, dim1)

    def permute(self, *dims: Any) -> Tensor:
        return _ops().permute(self, *dims)

    def squeeze(self, dim: Any = None) -> Tensor:
        return _ops().squeeze(self, dim)

    def unsqueeze(self, dim: builtins.int) -> Tensor:
        return _ops().unsqueeze(self, dim)

    def flatten(self, start_dim: builtins.int = 0, end_dim: builtins.int = -1) -> Tensor:
        return _ops().flatten(self, start_dim, end_dim)

    def expand(self, *shape: Any) -> Tensor:
        return _ops().expand(self, *shape)

    def expand_as(self, other: Tensor) -> Tensor:
        return _ops().expand(self, other.shape)

    def gather(self, dim: builtins.int, index: TensorLike) -> Tensor:
        return _ops().gather(self, dim, index)

    def split(self, split_size_or_sections: Any, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        return _ops().split(self, split_size_or_sections, dim)

    # ------ everyday methods (PyTorch names)
    def mm(self, other: TensorLike) -> Tensor:
        return _ops().mm(self, other)

    def bmm(self, other: TensorLike) -> Tensor:
        return _ops().bmm(self, other)

    def eq(self, other: TensorLike) -> Tensor:
        return _ops().eq(self, other)

    def ne(self, other: TensorLike) -> Tensor:
        return _ops().ne(self, other)

    def lt(self, other: TensorLike) -> Tensor:
        return _ops().lt(self, other)

    def le(self, other: TensorLike) -> Tensor:
        return _ops().le(self, other)

    def gt(self, other: TensorLike) -> Tensor:
        return _ops().gt(self, other)

    def ge(self, other: TensorLike) -> Tensor:
        return _ops().ge(self, other)

    def contiguous(self) -> Tensor:
        return _ops().contiguous(self)

    def clone(self) -> Tensor:
        return _ops().clone(self)

    def new_zeros(self, *size: Any, **kw: Any) -> Tensor:
        return _ops().new_zeros(self, *size, **kw)

    def new_ones(self, *size: Any, **kw: Any) -> Tensor:
        return _ops().new_ones(self, *size, **kw)

    def new_empty(self, *size: Any, **kw: Any) -> Tensor:
        return _ops().new_empty(self, *size, **kw)

    def new_full(self, size: Any, fill_value: builtins.float, **kw: Any) -> Tensor:
        return _ops().new_full(self, size, fill_value, **kw)

    def new_tensor(self, data: Any, **kw: Any) -> Tensor:
        return _ops().new_tensor(self, data, **kw)

    def sin(self) -> Tensor:
        return _ops().sin(self)

    def cos(self) -> Tensor:
        return _ops().cos(self)

    def norm(self, p: Any = "fro", dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        return _ops().linalg.norm(self, p, dim, keepdim)

    def tril(self, diagonal: builtins.int = 0) -> Tensor:
        return _ops().tril(self, diagonal)

    def triu(self, diagonal: builtins.int = 0) -> Tensor:
        return _ops().triu(self, diagonal)

    def roll(self, shifts: Any, dims: Any = None) -> Tensor:
        return _ops().roll(self, shifts, dims)

    def repeat(self, *sizes: Any) -> Tensor:
        return _ops().repeat(self, *sizes)

    def narrow(self, dim: builtins.int, start: builtins.int, length: builtins.int) -> Tensor:
        return _ops().narrow(self, dim, start, length)

    def t(self) -> Tensor:
        return _ops().t(self)

    def masked_fill(self, mask: TensorLike, value: Any) -> Tensor:
        return _ops().masked_fill(self, mask, value)

    def topk(
        self,
        k: builtins.int,
        dim: builtins.int = -1,
        largest: builtins.bool = True,
        sorted: builtins.bool = True,
    ) -> Any:
        return _ops().topk(self, k, dim, largest, sorted)

    def sort(
        self,
        dim: builtins.int = -1,
        descending: builtins.bool = False,
        stable: builtins.bool = False,
    ) -> Any:
        return _ops().sort(self, dim, descending, stable=stable)

    def argsort(
        self,
        dim: builtins.int = -1,
        descending: builtins.bool = False,
        stable: builtins.bool = False,
    ) -> Tensor:
        return _ops().argsort(self, dim, descending, stable=stable)

    def cumsum(self, dim: builtins.int, dtype: Any = None) -> Tensor:
        return _ops().cumsum(self, dim, dtype=dtype)

    def __format__(self, spec: str) -> str:
        """One-element tensors format as their value (``f"{loss:.3f}"``), others as repr."""
        if self.data.size == 1:
            return format(self.data.item(), spec)
        if spec:
            raise TypeError(f"unsupported format string {spec!r} for a tensor of {self.shape}")
        return str(self)

    def __index__(self) -> builtins.int:
        """An integer one-element tensor as an index (``range(n)``, ``xs[i]``), as in PyTorch."""
        if self.data.size != 1 or self.dtype.kind not in "iub":
            raise TypeError(
                "only integer tensors of a single element can be converted to an index, "
                f"got dtype {self.dtype} and shape {self.shape}"
            )
        return int(self.data.item())


def _to_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, Any, bool]:
    """(device, dtype, copy) from ``Tensor.to``'s or ``Module.to``'s PyTorch-style arguments."""
    unknown = set(kwargs) - {"device", "dtype", "copy", "non_blocking", "memory_format"}
    if unknown:
        raise TypeError(f"to: unexpected keyword arguments {sorted(unknown)}")
    if len(args) > 2:
        raise TypeError(f"to: expected at most 2 positional arguments, got {len(args)}")
    where, dtype = kwargs.get("device"), kwargs.get("dtype")
    for a in args:
        if isinstance(a, Tensor):
            dtype = a.dtype
        elif _names_device(a):
            where = a
        else:
            dtype = a
    if dtype is not None:
        dtype = check_dtype("to", dtype)
    return where, dtype, bool(kwargs.get("copy", False))


def _names_device(a: Any) -> bool:
    if isinstance(a, str):
        return a.partition(":")[0] in _DEVICE_TYPES
    return isinstance(a, (device, int)) and not isinstance(a, bool)


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


def tensor(data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Make a leaf tensor from ``data`` (a copy of it), like ``torch.tensor``."""
    check_device("tensor", device)
    if isinstance(data, Tensor):
        data = data.data
    t = Tensor(np.array(data, copy=True) if isinstance(data, np.ndarray) else data, dtype=dtype)
    return t.requires_grad_(requires_grad) if requires_grad else t


def ones_like(x: Tensor) -> Tensor:
    """A tensor of ones with the shape and dtype of ``x``."""
    return Tensor._wrap(np.ones_like(x.data))
