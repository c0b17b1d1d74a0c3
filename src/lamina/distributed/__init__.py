"""Data-parallel training over MPI (``mpiexec -n N python train.py``), through ``mpi4py``.

Every rank holds a replica of the model and trains on its own shard of the data; only
gradients travel, averaged with all-reduce. ``Trainer`` and ``Model.fit`` use this by
themselves under ``mpiexec``; a hand-written loop wraps the model in
``DistributedDataParallel`` and gives its DataLoader a ``DistributedSampler``. Without
``mpiexec`` (or without mpi4py) the world is one process and everything is the identity.

Batch normalization inside a replica uses its shard's statistics (local, the default, as in
PyTorch); ``SyncBatchNorm.convert_sync_batchnorm(model)`` takes them over all ranks.
"""

import sys

from lamina.distributed.ddp import *  # noqa: F403
from lamina.distributed.sampler import *  # noqa: F403
from lamina.distributed.shard import *  # noqa: F403
from lamina.distributed.sync_batchnorm import *  # noqa: F403
from lamina.distributed.world import *  # noqa: F403

_PUBLIC = ("ddp", "sampler", "shard", "sync_batchnorm", "world")
__all__ = sorted({name for m in _PUBLIC for name in sys.modules[f"{__name__}.{m}"].__all__})
del sys
