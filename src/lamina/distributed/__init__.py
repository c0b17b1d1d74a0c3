"""Data-parallel training over MPI (``mpiexec -n N python train.py``), through ``mpi4py``.

Every rank holds a replica of the model and trains on its own shard of the data; only
gradients travel, averaged with all-reduce. ``Trainer`` and ``Model.fit`` use this by
themselves under ``mpiexec``; a hand-written loop wraps the model in
``DistributedDataParallel`` and gives its DataLoader a ``DistributedSampler``. Without
``mpiexec`` (or without mpi4py) the world is one process and everything is the identity.

Batch normalization inside a replica uses its shard's statistics (local, the default, as in
PyTorch); ``SyncBatchNorm.convert_sync_batchnorm(model)`` takes them over all ranks.
"""

from lamina.distributed.ddp import DistributedDataParallel
from lamina.distributed.sampler import DistributedSampler
from lamina.distributed.shard import (
    broadcast_module,
    gather,
    reduce_sums,
    shard_eval_loader,
    shard_loader,
)
from lamina.distributed.sync_batchnorm import SyncBatchNorm, all_reduce_sum
from lamina.distributed.world import (
    abort,
    all_gather,
    all_reduce,
    barrier,
    broadcast,
    init,
    is_initialized,
    is_main,
    rank,
    world_size,
)

__all__ = [
    "DistributedDataParallel",
    "DistributedSampler",
    "SyncBatchNorm",
    "abort",
    "all_gather",
    "all_reduce",
    "all_reduce_sum",
    "barrier",
    "broadcast",
    "broadcast_module",
    "gather",
    "init",
    "is_initialized",
    "is_main",
    "rank",
    "reduce_sums",
    "shard_eval_loader",
    "shard_loader",
    "world_size",
]
