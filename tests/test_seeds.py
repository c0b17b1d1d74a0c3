"""Every seed argument refuses what is not a seed, naming the function; manual_seed is PyTorch's."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import lamina as L
from lamina.classic import LinearRegression
from lamina.data import RandomHorizontalFlip, random_split, train_test_split
from lamina.datasets import make_spirals
from lamina.text import Word2Vec


def test_manual_seed_takes_what_torch_takes() -> None:
    for seed in (0, 7, -1, -(2**63), 2**64 - 1):
        torch.manual_seed(seed)
        L.manual_seed(seed)
    L.manual_seed(-1)
    a = L.rand(3)
    L.manual_seed(2**64 - 1)
    np.testing.assert_array_equal(L.rand(3).data, a.data)  # -1 is 2**64 - 1, as in torch
    with pytest.raises(TypeError, match="manual_seed: seed must be an integer, got 1.5"):
        L.manual_seed(1.5)
    with pytest.raises(ValueError, match=r"manual_seed: seed must be in \[-2\*\*63, 2\*\*64\)"):
        L.manual_seed(2**64)


@pytest.mark.parametrize(
    "call, owner",
    [
        (lambda s: random_split(list(range(10)), [5, 5], seed=s), "random_split"),
        (lambda s: train_test_split(np.arange(10), seed=s), "train_test_split"),
        (lambda s: make_spirals(seed=s), "datasets"),
        (lambda s: RandomHorizontalFlip(seed=s), "RandomHorizontalFlip"),
        (lambda s: L.utils.data.DataLoader(list(range(4)), seed=s), "DataLoader"),
        (
            lambda s: LinearRegression(solver="sgd", seed=s).fit(np.ones((4, 1)), np.ones(4)),
            "LinearRegression",
        ),
        (
            lambda s: (
                Word2Vec(vector_size=4, min_count=1, epochs=1, seed=s)
                .build_vocab([["a", "b"]])
                .train([["a", "b"]])
            ),
            "Word2Vec",
        ),
    ],
)
@pytest.mark.parametrize("bad", [-1, 2.5, "0", True])
def test_bad_seed_is_named(call, owner: str, bad: object) -> None:
    with pytest.raises(ValueError, match=rf"{owner}.*seed must be an integer >= 0, got {bad!r}"):
        call(bad)


def test_random_split_follows_manual_seed_and_takes_generator() -> None:
    L.manual_seed(3)
    a = [list(s.indices) for s in random_split(list(range(20)), [10, 10])]
    L.manual_seed(3)
    b = [list(s.indices) for s in random_split(list(range(20)), [10, 10])]
    assert a == b
    g = [
        list(s.indices)
        for s in random_split(range(20), [0.5, 0.5], generator=np.random.default_rng(1))
    ]
    h = [list(s.indices) for s in random_split(range(20), [0.5, 0.5], rng=np.random.default_rng(1))]
    assert g == h
