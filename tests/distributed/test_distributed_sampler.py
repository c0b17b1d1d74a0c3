"""DistributedSampler: PyTorch's shards and padding; shuffled shards disjoint and covering."""

from __future__ import annotations

import numpy as np
import pytest
from torch.utils.data.distributed import DistributedSampler as TorchSampler

from lamina.data import DataLoader, TensorDataset
from lamina.distributed import DistributedSampler

CASES = [
    (n, k, drop) for n in (0, 1, 2, 5, 7, 12, 13) for k in (1, 2, 3, 4) for drop in (False, True)
]


@pytest.mark.parametrize(
    ("n", "replicas", "drop_last"),
    CASES,
    ids=[f"n{n}-k{k}-{'drop' if d else 'pad'}" for n, k, d in CASES],
)
def test_unshuffled_shards_equal_torch(n, replicas, drop_last):
    for r in range(replicas):
        ours = DistributedSampler(range(n), replicas, r, shuffle=False, drop_last=drop_last)
        theirs = TorchSampler(range(n), replicas, r, shuffle=False, drop_last=drop_last)
        assert list(ours) == list(theirs)
        assert len(ours) == len(theirs) and ours.total_size == theirs.total_size


@pytest.mark.parametrize(("n", "replicas"), [(10, 3), (12, 4), (7, 2), (100, 3)])
def test_shuffled_shards_are_disjoint_and_cover_the_data(n, replicas):
    shards = [list(DistributedSampler(range(n), replicas, r, seed=5)) for r in range(replicas)]
    every = np.concatenate(shards)
    assert len({len(s) for s in shards}) == 1  # every rank takes as many steps
    assert set(every.tolist()) == set(range(n))
    padding = len(every) - n
    assert padding == (-n) % replicas and len(every) - len(set(every.tolist())) == padding
    dropped = [
        set(DistributedSampler(range(n), replicas, r, seed=5, drop_last=True))
        for r in range(replicas)
    ]
    assert sum(len(s) for s in dropped) == len(set().union(*dropped)) == n - n % replicas


def test_shuffle_repeats_with_the_seed_and_changes_with_the_epoch():
    a = DistributedSampler(range(50), 2, 1, seed=3)
    b = DistributedSampler(range(50), 2, 1, seed=3)
    assert list(a) == list(b) and list(a) == list(a)
    assert list(a) != list(DistributedSampler(range(50), 2, 1, seed=4))
    first = list(a)
    a.set_epoch(1)
    assert list(a) != first and sorted(a) != sorted(range(0, 50, 2))
    a.load_state_dict(DistributedSampler(range(50), 2, 1, seed=3).state_dict())
    assert list(a) == first


def test_dataloader_takes_it_as_sampler():
    ds = TensorDataset(np.arange(10.0).reshape(10, 1), np.arange(10))
    loader = DataLoader(ds, batch_size=2, sampler=DistributedSampler(ds, 3, 2, shuffle=False))
    assert [y.numpy().tolist() for _, y in loader] == [[2, 5], [8, 1]]
    assert len(loader) == 2


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        (
            {"num_replicas": 2, "rank": 2},
            ValueError,
            r"Invalid rank 2, rank should be in the interval \[0, 1\]",
        ),
        ({"num_replicas": 0, "rank": 0}, ValueError, "num_replicas must be >= 1"),
        ({"num_replicas": 2, "rank": 1.0}, TypeError, "rank must be an int"),
        ({"seed": -1}, ValueError, "seed must be an integer >= 0"),
        ({"seed": None}, TypeError, "seed must be an integer >= 0, got None"),
    ],
    ids=["rank-too-big", "no-replicas", "float-rank", "negative-seed", "no-seed"],
)
def test_bad_arguments_are_refused(kwargs, error, pattern):
    with pytest.raises(error, match=f"DistributedSampler: {pattern}"):
        DistributedSampler(range(4), **kwargs)
    if "rank" in kwargs and isinstance(kwargs["rank"], int) and kwargs["num_replicas"] > 0:
        with pytest.raises(ValueError, match="Invalid rank"):
            TorchSampler(range(4), **kwargs)
