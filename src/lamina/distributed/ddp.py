"""``DistributedDataParallel``: one replica of a module per rank, gradients averaged.

Each rank runs forward and backward on its own shard of the batch; the gradients are then
averaged over ranks with all-reduce, so every rank's optimizer takes the same step and the
replicas stay equal. With ``n`` ranks on shards of a global batch and a mean loss, this is
one process's step on the global batch: grad = (1/n) * sum_r grad_r.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np

from lamina.autodiff import Tensor
from lamina.autodiff.function import Function
from lamina.autodiff.grad_mode import is_grad_enabled
from lamina.distributed.world import all_gather, all_reduce, broadcast, init, world_size
from lamina.nn.module import Module
from lamina.nn.parameter import Parameter

__all__ = ["DistributedDataParallel"]


class _Start(Function):
    """Identity marker recorded before the wrapped forward: its backward runs last.

    The engine visits nodes by decreasing generation, ties to the node recorded last. This
    node takes only a leaf (generation 0) and is recorded before every node of the forward,
    so its backward comes after every other one of the graph: all parameter gradients of the
    forward have arrived, and it starts the all-reduce (PyTorch uses autograd hooks for this).
    """

    def forward(ctx, anchor: np.ndarray, *, owner: DistributedDataParallel) -> np.ndarray:
        ctx.owner = owner
        return anchor.copy()

    def backward(ctx, g: Tensor) -> Tensor:
        ctx.owner._backward_done()
        return g


class _Join(Function):
    """y = out, with a zero gradient for the start marker so that its backward runs."""

    def forward(ctx, out: np.ndarray, marker: np.ndarray) -> np.ndarray:
        return out

    def backward(ctx, g: Tensor) -> tuple[Tensor, Tensor]:
        return g, Tensor(np.zeros((), np.float64))


def _signature(params: list[tuple[str, Parameter]]) -> int:
    text = ";".join(f"{n}:{p.shape}:{p.dtype}:{p.requires_grad}" for n, p in params)
    return zlib.crc32(text.encode())


class DistributedDataParallel(Module):
    """Wrap ``module`` for data-parallel training over the ranks of ``lamina.distributed``.

    At wrap time every rank checks that all ranks hold the same parameter list (names, shapes,
    dtypes) and copies rank 0's parameters and buffers. After each ``backward`` through the
    wrapped forward every gradient is replaced by its mean over ranks,

        p.grad = (1/n) * sum_r p.grad_r,

    computed with one all-reduce per bucket: the gradients are packed into a few flat buffers
    of at most ``bucket_cap_mb`` megabytes each (per dtype), not one call per parameter. A
    parameter that took no gradient on some rank counts as zeros there; one that took none
    on any rank keeps ``grad = None``. Inside ``no_sync()`` gradients only accumulate locally
    (gradient accumulation); the first backward outside it averages the sum.

    ``state_dict`` and ``load_state_dict`` use the wrapped module's own names (no "module."
    prefix), so a checkpoint loads into the plain model. In a world of one this is the module.

    Parameters
    ----------
    module : Module
    bucket_cap_mb : float, default=25.0
        PyTorch's default bucket size.
    broadcast_buffers : bool, default=True
        Also copy rank 0's buffers (batch-norm running statistics) at every forward, as
        PyTorch does; batch statistics themselves stay local (see ``SyncBatchNorm``).

    Notes
    -----
    Gradients reach the all-reduce through the graph of the wrapped forward; a parameter used
    in a loss term computed before that forward (outside it) is not averaged, as in PyTorch.
    """

    def __init__(
        self, module: Module, bucket_cap_mb: float = 25.0, broadcast_buffers: bool = True
    ) -> None:
        super().__init__()
        if not isinstance(module, Module):
            raise TypeError(
                f"DistributedDataParallel: expected a lamina Module, got {type(module).__name__}"
            )
        if not (isinstance(bucket_cap_mb, (int, float)) and bucket_cap_mb > 0):
            raise ValueError(
                f"DistributedDataParallel: bucket_cap_mb must be > 0, got {bucket_cap_mb!r}"
            )
        init()
        self.module = module
        self.bucket_cap_mb, self.broadcast_buffers = float(bucket_cap_mb), bool(broadcast_buffers)
        self.require_backward_grad_sync = True
        self.reductions = 0  # all-reduce calls made for gradients (for tests and benchmarks)
        named = list(module.named_parameters())
        _check_same_parameters(named)
        for t in [p for _, p in named] + [b for _, b in module.named_buffers()]:
            _broadcast_tensor(t)
        self._params = [p for _, p in named if p.requires_grad]
        self.buckets = _make_buckets(self._params, int(self.bucket_cap_mb * 2**20))
        object.__setattr__(self, "_anchor", Tensor(np.zeros((), np.float64), requires_grad=True))

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        if world_size() == 1:
            return self.module(*args, **kwargs)
        if self.broadcast_buffers:
            for _, b in self.module.named_buffers():
                _broadcast_tensor(b)
        if not is_grad_enabled():
            return self.module(*args, **kwargs)
        self._anchor.grad = None
        marker = _Start.apply(self._anchor, owner=self)
        out = self.module(*args, **kwargs)
        if isinstance(out, Tensor):
            return _Join.apply(out, marker)
        if isinstance(out, tuple) and out and isinstance(out[0], Tensor):
            return (_Join.apply(out[0], marker), *out[1:])
        raise TypeError(
            f"DistributedDataParallel: the wrapped forward must return a Tensor or a tuple "
            f"starting with one, got {type(out).__name__}"
        )

    @contextmanager
    def no_sync(self) -> Iterator[None]:
        """Backward passes inside only accumulate local gradients (no all-reduce)."""
        before, self.require_backward_grad_sync = self.require_backward_grad_sync, False
        try:
            yield
        finally:
            self.require_backward_grad_sync = before

    def _backward_done(self) -> None:
        if self.require_backward_grad_sync:
            self.reduce_gradients()

    def reduce_gradients(self) -> None:
        """Average every parameter's gradient over the ranks now, bucket by bucket.

        The backward of the wrapped forward calls it; call it yourself only for gradients
        that did not come through that forward. Every rank must call it the same number
        of times.
        """
        if world_size() == 1:
            return
        for bucket in self.buckets:
            dtype = bucket[0].dtype
            sizes = [p.data.size for p in bucket]
            flat = np.zeros(sum(sizes) + len(bucket), dtype)  # values, then a has-grad flag each
            offset = 0
            for i, (p, n) in enumerate(zip(bucket, sizes)):
                if p.grad is not None:
                    flat[offset : offset + n] = p.grad.data.reshape(-1)
                    flat[-len(bucket) + i] = 1
                offset += n
            all_reduce(flat, "sum")
            self.reductions += 1
            flat[:offset] /= world_size()
            offset = 0
            for i, (p, n) in enumerate(zip(bucket, sizes)):
                if flat[-len(bucket) + i] > 0:
                    p.grad = Tensor(flat[offset : offset + n].reshape(p.shape))
                offset += n

    def state_dict(self) -> Any:
        """The wrapped module's ``state_dict``, under its own names."""
        return self.module.state_dict()

    def load_state_dict(self, state: Mapping[str, Any], strict: bool = True) -> Any:
        """Load into the wrapped module (its own names)."""
        return self.module.load_state_dict(state, strict)

    def extra_repr(self) -> str:
        return f"world_size={world_size()}, buckets={len(self.buckets)}"


def _broadcast_tensor(t: Tensor) -> None:
    data = np.ascontiguousarray(t.data)
    broadcast(data, 0)
    t.data = data


def _check_same_parameters(named: list[tuple[str, Parameter]]) -> None:
    """Raise on every rank unless every rank holds the same parameters (names, shapes, dtypes)."""
    mine = np.array([len(named), _signature(named)], np.int64)
    every = all_gather(mine.reshape(1, 2))
    if (every == every[0]).all():
        return
    ranks = ", ".join(
        f"rank {r}: {int(c)} parameters (signature {int(s):08x})" for r, (c, s) in enumerate(every)
    )
    raise ValueError(
        f"DistributedDataParallel: the ranks hold different parameter lists (names, shapes "
        f"or dtypes); every rank must build the same model ({ranks})"
    )


def _make_buckets(params: list[Parameter], cap_bytes: int) -> list[list[Parameter]]:
    """Group parameters in reverse order (the order gradients arrive) into flat buckets."""
    buckets: list[list[Parameter]] = []
    open_by_dtype: dict[np.dtype, tuple[list[Parameter], list[int]]] = {}
    for p in reversed(params):
        bucket, size = open_by_dtype.get(p.dtype, (None, [0]))
        if bucket is None or (size[0] + p.data.nbytes > cap_bytes and bucket):
            bucket, size = [], [0]
            buckets.append(bucket)
            open_by_dtype[p.dtype] = (bucket, size)
        bucket.append(p)
        size[0] += p.data.nbytes
    return buckets
