"""Samplers: index orders equal torch.utils.data's, random ones pass statistical checks."""

import numpy as np
import pytest
import torch
import torch.utils.data as tud
from scipy import stats

import lamina
from lamina.data import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)
from lamina.errors import ShapeError

CHI2_P = 1e-3  # a fixed seed makes each check deterministic; the bound guards a real bias


def _chi2_p(counts, expected):
    return stats.chisquare(counts, expected).pvalue


@pytest.mark.parametrize("n", [0, 1, 7], ids=lambda n: f"n{n}")
def test_sequential_sampler_equals_torch(n):
    ours, theirs = SequentialSampler(range(n)), tud.SequentialSampler(range(n))
    assert list(ours) == list(theirs) and len(ours) == len(theirs) == n


@pytest.mark.parametrize("drop_last", [False, True], ids=["keep", "drop"])
@pytest.mark.parametrize("n, batch_size", [(10, 3), (9, 3), (2, 5), (0, 2), (7, 1)])
def test_batch_sampler_equals_torch(n, batch_size, drop_last):
    ours = BatchSampler(SequentialSampler(range(n)), batch_size, drop_last)
    theirs = tud.BatchSampler(tud.SequentialSampler(range(n)), batch_size, drop_last)
    assert list(ours) == list(theirs)
    assert len(ours) == len(theirs)


def test_batch_sampler_groups_any_iterable_of_indices_as_torch():
    indices = [5, 1, 4, 1, 3]
    assert list(BatchSampler(indices, 2, False)) == list(tud.BatchSampler(indices, 2, False))


def test_random_sampler_yields_a_permutation_each_pass_and_seeded_repeats():
    s = RandomSampler(range(20), generator=np.random.default_rng(0))
    a, b = list(s), list(s)
    assert sorted(a) == sorted(b) == list(range(20)) and a != b
    again = RandomSampler(range(20), generator=np.random.default_rng(0))
    assert list(again) == a and len(s) == 20


@pytest.mark.parametrize("num_samples", [3, 10, 25], ids=lambda k: f"k{k}")
def test_random_sampler_without_replacement_follows_torch_block_rule(num_samples):
    # PyTorch: num_samples = q*n + r gives q whole permutations, then r distinct indices.
    n = 10
    ours = list(
        RandomSampler(range(n), num_samples=num_samples, generator=np.random.default_rng(1))
    )
    theirs = list(tud.RandomSampler(range(n), num_samples=num_samples))
    assert len(ours) == len(theirs) == num_samples
    for start in range(0, num_samples, n):
        block = ours[start : start + n]
        assert len(set(block)) == len(block) and set(block) <= set(range(n))


def test_random_sampler_first_index_is_uniform():
    s = RandomSampler(range(8), generator=np.random.default_rng(2))
    firsts = [next(iter(s)) for _ in range(4000)]
    assert _chi2_p(np.bincount(firsts, minlength=8), np.full(8, 500)) > CHI2_P


def test_random_sampler_with_replacement_is_uniform_and_repeats_indices():
    s = RandomSampler(
        range(10), replacement=True, num_samples=20000, generator=np.random.default_rng(3)
    )
    draws = list(s)
    assert len(draws) == len(s) == 20000 and min(draws) == 0 and max(draws) == 9
    assert _chi2_p(np.bincount(draws, minlength=10), np.full(10, 2000)) > CHI2_P


def test_random_sampler_without_generator_follows_manual_seed():
    lamina.manual_seed(7)
    s = RandomSampler(range(30))
    first, second = list(s), list(s)
    lamina.manual_seed(7)
    assert list(s) == first and list(s) == second and first != second
    lamina.manual_seed(8)
    assert list(s) != first


def test_explicit_generator_wins_over_manual_seed():
    orders = []
    for seed in (0, 1):
        lamina.manual_seed(seed)
        orders.append(list(RandomSampler(range(30), generator=np.random.default_rng(4))))
    assert orders[0] == orders[1]


def test_subset_random_sampler_permutes_the_given_indices():
    indices = [10, 20, 30, 40, 50]
    s = SubsetRandomSampler(indices, generator=np.random.default_rng(5))
    passes = [list(s) for _ in range(3000)]
    assert all(sorted(p) == indices for p in passes) and len(s) == len(
        tud.SubsetRandomSampler(indices)
    )
    firsts = [indices.index(p[0]) for p in passes]
    assert _chi2_p(np.bincount(firsts, minlength=5), np.full(5, 600)) > CHI2_P


def test_weighted_random_sampler_draws_in_proportion_to_the_weights():
    w = np.array([1.0, 0.0, 3.0, 6.0])
    s = WeightedRandomSampler(w, 20000, generator=np.random.default_rng(6))
    counts = np.bincount(list(s), minlength=4)
    assert counts[1] == 0 and len(s) == len(tud.WeightedRandomSampler(w, 20000)) == 20000
    nz = w > 0
    assert _chi2_p(counts[nz], 20000 * w[nz] / w.sum()) > CHI2_P


def test_weighted_random_sampler_without_replacement_draws_distinct_indices():
    s = WeightedRandomSampler(
        [1.0, 2.0, 3.0, 4.0, 0.0], 4, replacement=False, generator=np.random.default_rng(7)
    )
    for _ in range(50):
        assert sorted(s) == [0, 1, 2, 3]
    firsts = np.bincount([next(iter(s)) for _ in range(5000)], minlength=4)
    assert _chi2_p(firsts, 5000 * np.arange(1, 5) / 10) > CHI2_P  # first draw ~ w / sum(w)


def test_custom_sampler_subclass_drives_batch_sampler():
    class Evens(Sampler):
        def __iter__(self):
            return iter(range(0, 10, 2))

    assert list(BatchSampler(Evens(), 2, False)) == [[0, 2], [4, 6], [8]]


@pytest.mark.parametrize(
    "make, exc, pattern",
    [
        (
            lambda: RandomSampler(range(3), num_samples=0),
            ValueError,
            r"RandomSampler: num_samples must be a positive integer, got 0",
        ),
        (
            lambda: RandomSampler(range(3), replacement=1),
            TypeError,
            r"RandomSampler: replacement must be a bool, got 1",
        ),
        (
            lambda: RandomSampler(range(3), generator=0),
            TypeError,
            r"RandomSampler: generator must be a numpy.random.Generator",
        ),
        (
            lambda: SubsetRandomSampler([1], generator=torch.Generator()),
            TypeError,
            r"SubsetRandomSampler: generator must be",
        ),
        (
            lambda: BatchSampler(range(3), 0, False),
            ValueError,
            r"BatchSampler: batch_size must be a positive integer, got 0",
        ),
        (
            lambda: BatchSampler(range(3), 2.0, False),
            ValueError,
            r"BatchSampler: batch_size must be a positive integer, got 2.0",
        ),
        (
            lambda: BatchSampler(range(3), True, False),
            ValueError,
            r"BatchSampler: batch_size must be a positive integer, got True",
        ),
        (
            lambda: BatchSampler(range(3), 2, None),
            TypeError,
            r"BatchSampler: drop_last must be a bool, got None",
        ),
        (
            lambda: WeightedRandomSampler([[1.0]], 1),
            ShapeError,
            r"WeightedRandomSampler: weights must be 1-D, got shape \(1, 1\)",
        ),
        (
            lambda: WeightedRandomSampler([1.0, -1.0], 1),
            ValueError,
            r"WeightedRandomSampler: weights must be finite, >= 0",
        ),
        (
            lambda: WeightedRandomSampler([0.0, 0.0], 1),
            ValueError,
            r"not all zero, got \[0.0, 0.0\]",
        ),
        (
            lambda: WeightedRandomSampler([1.0, np.nan], 1),
            ValueError,
            r"WeightedRandomSampler: weights must be finite",
        ),
        (
            lambda: WeightedRandomSampler([1.0, 0.0], 2, replacement=False),
            ValueError,
            r"non-zero weights \(1\), got 2",
        ),
        (
            lambda: WeightedRandomSampler([1.0], -3),
            ValueError,
            r"WeightedRandomSampler: num_samples must be a positive integer, got -3",
        ),
    ],
    ids=[
        "random-num-samples-zero",
        "random-replacement-int",
        "random-generator-int",
        "subset-torch-generator",
        "batch-size-zero",
        "batch-size-float",
        "batch-size-bool",
        "drop-last-none",
        "weights-2d",
        "weights-negative",
        "weights-all-zero",
        "weights-nan",
        "too-many-without-replacement",
        "num-samples-negative",
    ],
)
def test_bad_sampler_arguments_name_the_sampler(make, exc, pattern):
    with pytest.raises(exc, match=pattern):
        make()


def test_base_sampler_must_define_iter():
    with pytest.raises(NotImplementedError, match="Sampler must define __iter__"):
        iter(Sampler())
