"""Sharding loaders over ranks and reducing what each rank measured (for the ``Trainer``).

Training batches: every rank takes ``batch_size // world_size()`` samples per step from its
``DistributedSampler`` shard, so a step sees the global batch. Evaluation: every rank takes
a contiguous, unpadded part of the data, and the results are reduced as sums (loss sums,
sample counts) or gathered (outputs, for any metric), never as an average of averages.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from lamina.data.dataset import Subset
from lamina.data.loader import DataLoader
from lamina.data.sampler import RandomSampler
from lamina.distributed.sampler import DistributedSampler
from lamina.distributed.world import all_gather, all_reduce, broadcast, rank, world_size
from lamina.nn.module import Module

__all__ = ["broadcast_module", "gather", "reduce_sums", "shard_eval_loader", "shard_loader"]

log = logging.getLogger("lamina.distributed")


def shard_loader(loader: Any, seed: int = 0) -> Any:
    """``loader`` over this rank's ``DistributedSampler`` shard, its batch split over ranks.

    per-rank batch = batch_size // world_size(); shuffled (with ``seed`` + epoch) when the
    loader shuffled. A loader already on a ``DistributedSampler``, any loader in a world of
    one, and an iterable that is not a DataLoader are returned as they are.
    """
    n = world_size()
    if n == 1 or not isinstance(loader, DataLoader):
        return loader
    if isinstance(loader.sampler, DistributedSampler):
        return loader
    if loader.batch_size is None:
        raise ValueError(
            "shard_loader: a DataLoader with a batch_sampler cannot be split over ranks; "
            "build it with sampler=DistributedSampler(dataset) instead"
        )
    if loader.batch_size < n:
        raise ValueError(
            f"shard_loader: the global batch size {loader.batch_size} is smaller than the "
            f"{n} ranks; use a batch size of at least {n}"
        )
    if loader.batch_size % n:
        log.warning(
            "shard_loader: batch size %d is not a multiple of %d ranks; each rank takes %d",
            loader.batch_size,
            n,
            loader.batch_size // n,
        )
    shuffle = isinstance(loader.sampler, RandomSampler)
    sampler = DistributedSampler(
        loader.dataset, shuffle=shuffle, seed=seed, drop_last=loader.drop_last
    )
    return DataLoader(
        loader.dataset,
        loader.batch_size // n,
        sampler=sampler,
        collate_fn=loader.collate_fn,
        drop_last=loader.drop_last,
        transform=loader.transform,
    )


def shard_eval_loader(loader: Any) -> Any:
    """``loader`` over this rank's contiguous part of the data (no padding, no repeats)."""
    if world_size() == 1 or not isinstance(loader, DataLoader) or loader.batch_size is None:
        return loader
    part = np.array_split(np.arange(len(loader.dataset)), world_size())[rank()]
    return DataLoader(
        Subset(loader.dataset, part.tolist()),
        loader.batch_size,
        collate_fn=loader.collate_fn,
        transform=loader.transform,
    )


def reduce_sums(*values: float) -> tuple[float, ...]:
    """Each value summed over the ranks (float64), e.g. a loss sum and a sample count."""
    return tuple(float(v) for v in all_reduce(np.array(values, np.float64), "sum"))


def gather(array: Any) -> np.ndarray:
    """Every rank's rows of ``array`` (outputs, targets), concatenated in rank order."""
    return all_gather(np.asarray(array))


def broadcast_module(module: Module, root: int = 0) -> None:
    """Copy rank ``root``'s parameters and buffers into ``module`` on every rank."""
    if world_size() == 1:
        return
    for t in [p for p in module.parameters()] + [b for _, b in module.named_buffers()]:
        data = np.ascontiguousarray(t.data)
        broadcast(data, root)
        t.data = data
