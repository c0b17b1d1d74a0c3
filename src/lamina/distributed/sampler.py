"""``DistributedSampler``: each rank's disjoint shard of a dataset, as in PyTorch."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sized

import numpy as np

from lamina.data.sampler import Sampler
from lamina.distributed.world import rank as world_rank
from lamina.distributed.world import world_size
from lamina.errors import check_seed

__all__ = ["DistributedSampler"]


class DistributedSampler(Sampler):
    """The indices of rank ``rank``'s shard of ``dataset``, for a DataLoader's ``sampler``.

    order = permutation(n) drawn from seed + epoch (shuffle) or 0 .. n-1;
    padded to total = num_replicas * num_samples by repeating its head (drop_last=False) or
    cut to it (drop_last=True); shard = order[rank : total : num_replicas].

    num_samples = ceil(n / num_replicas), or ceil((n - num_replicas) / num_replicas) with
    drop_last when n is not a multiple of num_replicas: PyTorch's sizes and index lists
    (``torch.utils.data.distributed.DistributedSampler``; the shuffled order comes from a
    NumPy generator, not torch's). Shards are disjoint except for the padding, and every
    rank's has the same length, so every rank takes the same number of steps.

    Parameters
    ----------
    dataset : sized
    num_replicas : int, optional
        Default: ``world_size()``.
    rank : int, optional
        Default: this process's ``rank()``.
    shuffle : bool, default=True
    seed : int, default=0
        The same on every rank: all ranks draw the same permutation and take their slice.
    drop_last : bool, default=False

    Notes
    -----
    Call ``set_epoch(epoch)`` before each epoch (the ``Trainer`` does) for a new order.

    Examples
    --------
    >>> list(DistributedSampler(range(5), num_replicas=2, rank=1, shuffle=False))
    [1, 3, 0]
    """

    def __init__(
        self,
        dataset: Sized,
        num_replicas: int | None = None,
        rank: int | None = None,
        shuffle: bool = True,
        seed: int = 0,
        drop_last: bool = False,
    ) -> None:
        num_replicas = world_size() if num_replicas is None else num_replicas
        rank = world_rank() if rank is None else rank
        for name, value in (("num_replicas", num_replicas), ("rank", rank)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise TypeError(f"DistributedSampler: {name} must be an int, got {value!r}")
        if num_replicas < 1:
            raise ValueError(f"DistributedSampler: num_replicas must be >= 1, got {num_replicas}")
        if not 0 <= rank < num_replicas:
            raise ValueError(
                f"DistributedSampler: Invalid rank {rank}, rank should be in the interval "
                f"[0, {num_replicas - 1}]"
            )
        if not hasattr(dataset, "__len__"):
            raise TypeError(
                f"DistributedSampler: dataset must have a length, got {type(dataset).__name__}"
            )
        self.dataset, self.num_replicas, self.rank = dataset, int(num_replicas), int(rank)
        self.shuffle, self.drop_last = bool(shuffle), bool(drop_last)
        if seed is None:  # every rank must draw the same permutation
            raise TypeError("DistributedSampler: seed must be an integer >= 0, got None")
        self.seed = int(seed) if check_seed("DistributedSampler", seed) is not None else 0
        self.epoch = 0
        n = len(dataset)
        if self.drop_last and n % self.num_replicas:
            self.num_samples = math.ceil((n - self.num_replicas) / self.num_replicas)
        else:
            self.num_samples = math.ceil(n / self.num_replicas)
        self.total_size = self.num_samples * self.num_replicas

    def set_epoch(self, epoch: int) -> None:
        """Use the permutation of ``epoch`` on the next pass (the same on every rank)."""
        self.epoch = int(epoch)

    def __iter__(self) -> Iterator[int]:
        n = len(self.dataset)
        if self.shuffle:
            order = np.random.default_rng(self.seed + self.epoch).permutation(n)
        else:
            order = np.arange(n)
        if not self.drop_last and self.total_size > n and n > 0:
            order = np.resize(order, self.total_size)  # repeats the head, as torch pads
        order = order[: self.total_size]
        return iter(order[self.rank : self.total_size : self.num_replicas].tolist())

    def __len__(self) -> int:
        return self.num_samples

    def state_dict(self) -> dict[str, int]:
        """The epoch (the order is a function of seed and epoch alone)."""
        return {"epoch": self.epoch}

    def load_state_dict(self, state: dict[str, int]) -> None:
        """Restore ``state_dict()``."""
        self.epoch = int(state["epoch"])
