"""``SyncBatchNorm``: batch normalization with the batch statistics taken over all ranks.

A plain ``BatchNorm*d`` inside ``DistributedDataParallel`` normalizes each rank's shard with
that shard's own mean and variance (local statistics, the default, as in PyTorch): with
small per-rank batches they are noisy. ``SyncBatchNorm`` uses the global batch's instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff import Tensor, no_grad
from lamina.autodiff.function import Function
from lamina.distributed.world import all_reduce
from lamina.errors import ShapeError
from lamina.nn.module import Module
from lamina.nn.norm import BatchNorm1d, BatchNorm2d, _BatchNorm

__all__ = ["SyncBatchNorm", "all_reduce_sum"]


class _AllReduceSum(Function):
    """y = sum_r x_r on every rank.  Gradient: dx_r = sum_r' g_r' (every rank's loss uses y)."""

    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return all_reduce(np.array(x, copy=True, order="C"), "sum")

    def backward(ctx, g: Tensor) -> Tensor:
        # a collective call, not a lamina op: first-order gradients only
        return Tensor(all_reduce(np.array(g.data, copy=True, order="C"), "sum"))


def all_reduce_sum(x: Tensor) -> Tensor:
    """Differentiable all-reduce: y = sum over ranks of ``x``; the identity in a world of one."""
    return _AllReduceSum.apply(x)


class SyncBatchNorm(_BatchNorm):
    """Batch normalization over channel dim 1 with statistics of the batch on all ranks.

    M = sum_r M_r values per channel;  mean = (sum_r sum_i x_ri) / M;
    var = (sum_r sum_i (x_ri - mean)**2) / M  (biased; the running variance takes the
    unbiased var * M / (M - 1));  y = (x - mean) / sqrt(var + eps) * weight + bias.

    The sums cross ranks through a differentiable all-reduce, so the gradient is that of
    batch normalization over the concatenated global batch. Inputs (N, C, *) of any rank
    >= 2; parameters, buffers, eval mode and momentum as ``BatchNorm2d`` (PyTorch's
    ``torch.nn.SyncBatchNorm``). In a world of one it equals ``BatchNorm``.
    Build one from a model's batch-norm layers with ``convert_sync_batchnorm``.

    Examples
    --------
    >>> from lamina import nn
    >>> net = SyncBatchNorm.convert_sync_batchnorm(nn.Sequential(nn.BatchNorm1d(3)))
    >>> type(net[0]).__name__
    'SyncBatchNorm'
    """

    def _check_input(self, x: Tensor) -> None:
        if x.ndim < 2 or x.shape[1] != self.num_features:
            raise ShapeError(f"{self!r}: expected input (N, {self.num_features}, *), got {x.shape}")

    def forward(self, x: Tensor) -> Tensor:
        self._check_input(x)
        if not (self.training or not self.track_running_stats):
            return super().forward(x)  # running statistics: nothing to synchronize
        c = self.num_features
        axes = (0, *range(2, x.ndim))
        shape = (1, c) + (1,) * (x.ndim - 2)
        count = float(all_reduce(np.array([x.data.size // c], np.float64), "sum")[0])
        if count <= 1:
            raise ValueError(
                f"{self!r}: expected more than 1 value per channel over all ranks when "
                f"training, got input {x.shape}"
            )
        mean = all_reduce_sum(x.sum(axes)) / count
        xc = x - mean.reshape(shape)
        var = all_reduce_sum((xc * xc).sum(axes)) / count
        if self.training and self.track_running_stats:
            self._update_running(mean.data, var.data * (count / (count - 1)))
        y = xc * ((var + self.eps) ** -0.5).reshape(shape)
        if self.weight is not None:
            y = y * self.weight.reshape(shape)
        if self.bias is not None:
            y = y + self.bias.reshape(shape)
        return y

    def _update_running(self, mean: np.ndarray, unbiased_var: np.ndarray) -> None:
        self.num_batches_tracked.data += 1
        m = 1.0 / float(self.num_batches_tracked.data) if self.momentum is None else self.momentum
        with no_grad():
            for buf, value in ((self.running_mean, mean), (self.running_var, unbiased_var)):
                buf.data *= 1 - m
                buf.data += (m * value).astype(buf.dtype)

    @classmethod
    def convert_sync_batchnorm(cls, module: Module, process_group: Any = None) -> Module:
        """Replace every ``BatchNorm*d`` in ``module`` by a ``SyncBatchNorm`` with its state.

        Parameters and buffers are shared (not copied), train/eval mode kept; returns the
        converted module (a new object only when ``module`` is itself a batch norm).
        """
        del process_group  # one world: accepted for PyTorch compatibility
        if isinstance(module, (BatchNorm1d, BatchNorm2d)):
            new = cls(
                module.num_features,
                module.eps,
                module.momentum,
                module.affine,
                module.track_running_stats,
                dtype=_dtype(module),
            )
            for name in ("weight", "bias"):
                setattr(new, name, getattr(module, name))
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                new._buffers[name] = module._buffers.get(name)
            new.train(module.training)
            return new
        for name, child in list(module.named_children()):
            converted = cls.convert_sync_batchnorm(child)
            if converted is not child:
                module._modules[name] = converted  # in place: the children keep their order
        return module


def _dtype(module: _BatchNorm) -> Any:
    for t in (module.weight, module._buffers.get("running_mean")):
        if t is not None:
            return t.dtype
    return None
