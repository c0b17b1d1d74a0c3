"""The random helpers: distributions (statistically, fixed seeds), dtypes, seeding, errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import lamina
from lamina import ops

N = 20_000  # samples per statistical check: a sample mean has standard error ~ sigma / 141


def _gen(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


# every helper with arguments giving a float or an integer result of a few elements
DRAWS: dict[str, Callable[..., lamina.Tensor]] = {
    "randn_like": lambda **kw: lamina.randn_like(lamina.zeros(3, 4), **kw),
    "rand_like": lambda **kw: lamina.rand_like(lamina.zeros(3, 4), **kw),
    "randint": lambda **kw: lamina.randint(0, 100, (3, 4), **kw),
    "randint_like": lambda **kw: lamina.randint_like(lamina.zeros(3, 4), 5, 100, **kw),
    "randperm": lambda **kw: lamina.randperm(50, **kw),
    "multinomial": lambda **kw: lamina.multinomial(lamina.ones(2, 30), 10, **kw),
    "normal": lambda **kw: lamina.normal(lamina.zeros(3, 4), lamina.ones(3, 4), **kw),
    "bernoulli": lambda **kw: lamina.bernoulli(lamina.full((3, 4), 0.5), **kw),
}


@pytest.mark.parametrize("name", DRAWS)
def test_manual_seed_and_generator_make_draws_reproducible(name: str) -> None:
    draw = DRAWS[name]
    lamina.manual_seed(7)
    first, second = draw().numpy(), draw().numpy()
    lamina.manual_seed(7)
    np.testing.assert_array_equal(draw().numpy(), first)
    np.testing.assert_array_equal(draw().numpy(), second)
    assert not np.array_equal(first, second)  # the generator advances
    np.testing.assert_array_equal(draw(generator=_gen(3)).numpy(), draw(generator=_gen(3)).numpy())
    with pytest.raises(TypeError, match=f"{name}: generator must be a numpy.random.Generator"):
        draw(generator=3)


@pytest.mark.parametrize("name", ["randn_like", "rand_like", "randint", "randperm", "normal"])
def test_device_cpu_is_accepted_and_cuda_refused_naming_the_function(name: str) -> None:
    assert DRAWS[name](device="cpu").shape
    with pytest.raises(RuntimeError, match=f"{name}: device 'cuda' is not available"):
        DRAWS[name](device="cuda")


def test_randn_like_and_rand_like_have_the_right_moments_shape_and_dtype() -> None:
    like = lamina.zeros(N, dtype=np.float64)
    z = lamina.randn_like(like, generator=_gen()).numpy()
    u = lamina.rand_like(like, generator=_gen()).numpy()
    assert z.dtype == u.dtype == np.float64 and z.shape == u.shape == (N,)
    assert abs(z.mean()) < 0.03 and abs(z.std() - 1) < 0.03
    assert u.min() >= 0 and u.max() < 1
    assert abs(u.mean() - 0.5) < 0.01 and abs(u.var() - 1 / 12) < 0.005
    assert lamina.randn_like(lamina.zeros(2, 3)).dtype == np.float32
    assert lamina.rand_like(lamina.zeros(2), dtype=np.float64).dtype == np.float64
    x = lamina.randn_like(lamina.zeros(2), requires_grad=True)
    assert x.requires_grad and x.is_leaf
    with pytest.raises(TypeError, match="randn_like: expected a floating-point dtype"):
        lamina.randn_like(lamina.zeros(2), dtype=np.int64)


def test_randint_is_uniform_on_low_to_high_and_int64() -> None:
    x = lamina.randint(-3, 4, (N,), generator=_gen()).numpy()
    assert x.dtype == np.int64
    assert set(np.unique(x)) == set(range(-3, 4))
    np.testing.assert_allclose(np.bincount(x + 3) / N, 1 / 7, atol=0.01)
    assert lamina.randint(5, (2, 3)).shape == (2, 3)  # randint(high, size)
    assert lamina.randint(5, size=(4,)).numpy().max() < 5
    assert lamina.randint(0, 2, (3,), dtype=np.float32).dtype == np.float32


def test_randint_like_keeps_the_input_shape_and_dtype() -> None:
    x = lamina.randint_like(lamina.zeros(50, 4, dtype=np.float64), 10, generator=_gen())
    assert x.shape == (50, 4) and x.dtype == np.float64
    assert set(np.unique(x.numpy())) == set(range(10))
    y = lamina.randint_like(lamina.zeros(100, dtype=np.int64), 3, 6)
    assert y.dtype == np.int64 and y.numpy().min() >= 3 and y.numpy().max() <= 5


@pytest.mark.parametrize("n", [0, 1, 10, 1000])
def test_randperm_is_a_permutation(n: int) -> None:
    p = lamina.randperm(n, generator=_gen(n))
    assert p.dtype == np.int64
    np.testing.assert_array_equal(np.sort(p.numpy()), np.arange(n))


def test_randperm_puts_each_value_everywhere_uniformly() -> None:
    gen = _gen()
    firsts = np.array([lamina.randperm(5, generator=gen).numpy()[0] for _ in range(5000)])
    np.testing.assert_allclose(np.bincount(firsts) / 5000, 0.2, atol=0.025)


def test_multinomial_with_replacement_follows_the_normalized_weights() -> None:
    weights = np.array([[1.0, 0.0, 3.0, 6.0], [5.0, 5.0, 0.0, 0.0]])  # rows need not sum to 1
    x = lamina.multinomial(lamina.tensor(weights), N, replacement=True, generator=_gen())
    assert x.shape == (2, N) and x.dtype == np.int64
    for row, w in zip(x.numpy(), weights):
        freq = np.bincount(row, minlength=4) / N
        np.testing.assert_allclose(freq, w / w.sum(), atol=0.012)
        assert freq[w == 0].sum() == 0  # zero weight is never drawn


def test_multinomial_without_replacement_gives_distinct_indices() -> None:
    gen = _gen()
    weights = lamina.tensor(np.array([0.5, 0.2, 0.1, 0.1, 0.1, 0.0]))
    rows = np.stack([lamina.multinomial(weights, 5, generator=gen).numpy() for _ in range(2000)])
    assert all(len(set(r)) == 5 for r in rows)
    assert not (rows == 5).any()
    # the first draw follows the weights; later draws renormalize what is left
    np.testing.assert_allclose(
        np.bincount(rows[:, 0], minlength=6) / 2000, weights.numpy(), atol=0.03
    )
    assert sorted(lamina.multinomial(lamina.ones(10), 10, generator=_gen()).tolist()) == list(
        range(10)
    )


def test_normal_with_tensors_broadcasts_and_has_the_right_moments() -> None:
    mean = lamina.tensor(np.array([[-2.0], [3.0]]))
    std = lamina.tensor(np.full((1, N), 0.5))
    x = lamina.normal(mean, std, generator=_gen())
    assert x.shape == (2, N) and x.dtype == np.float64
    np.testing.assert_allclose(x.numpy().mean(axis=1), [-2, 3], atol=0.02)
    np.testing.assert_allclose(x.numpy().std(axis=1), 0.5, atol=0.02)
    y = lamina.normal(lamina.zeros(4, dtype=np.float32), 2.0)
    assert y.shape == (4,) and y.dtype == np.float32
    z = lamina.normal(1.0, lamina.full((3,), 0.0, dtype=np.float64))
    np.testing.assert_array_equal(z.numpy(), 1.0)


def test_normal_with_numbers_needs_a_size() -> None:
    x = lamina.normal(10.0, 3.0, (N,), generator=_gen())
    assert x.dtype == np.float32 and x.shape == (N,)
    assert abs(x.numpy().mean() - 10) < 0.1 and abs(x.numpy().std() - 3) < 0.1
    assert lamina.normal(0.0, 1.0, size=(2, 3), dtype=np.float64).dtype == np.float64
    with pytest.raises(TypeError, match="normal: size is required"):
        lamina.normal(0.0, 1.0)


def test_bernoulli_follows_the_probabilities_and_keeps_dtype() -> None:
    p = np.tile(np.array([0.0, 0.1, 0.5, 0.9, 1.0]), (N, 1))
    x = lamina.bernoulli(lamina.tensor(p), generator=_gen())
    assert x.dtype == np.float64 and x.shape == p.shape
    assert set(np.unique(x.numpy())) == {0.0, 1.0}
    np.testing.assert_allclose(x.numpy().mean(axis=0), [0, 0.1, 0.5, 0.9, 1], atol=0.012)
    y = lamina.bernoulli(lamina.zeros(N), 0.25, generator=_gen())  # bernoulli(input, p)
    assert y.dtype == np.float32 and abs(y.numpy().mean() - 0.25) < 0.012


BAD: list[tuple[str, Callable[[], Any], type[Exception], str]] = [
    (
        "randint-high<=low",
        lambda: lamina.randint(5, 5, (2,)),
        ValueError,
        r"randint: expected low < high .*got low=5, high=5",
    ),
    (
        "randint-high<=0",
        lambda: lamina.randint(0, (2,)),
        ValueError,
        r"randint: expected low < high",
    ),
    (
        "randint-float",
        lambda: lamina.randint(0, 2.5, (2,)),
        TypeError,
        r"randint: high must be an integer, got 2.5",
    ),
    ("randint-args", lambda: lamina.randint(3), TypeError, r"randint: expected \(high, size\)"),
    (
        "randint-size",
        lambda: lamina.randint(0, 3, (-1,)),
        ValueError,
        r"randint: sizes must be non-negative",
    ),
    (
        "randint-grad",
        lambda: lamina.randint(0, 3, (2,), requires_grad=True),
        TypeError,
        r"randint: only float tensors can require gradients",
    ),
    (
        "randint_like",
        lambda: lamina.randint_like(lamina.zeros(2), 3, 1),
        ValueError,
        r"randint_like: expected low < high",
    ),
    (
        "randperm-negative",
        lambda: lamina.randperm(-1),
        ValueError,
        r"randperm: n must be >= 0, got -1",
    ),
    (
        "multinomial-too-many",
        lambda: lamina.multinomial(lamina.ones(3), 4),
        ValueError,
        r"multinomial: cannot draw 4 samples without replacement from 3 categories",
    ),
    (
        "multinomial-zeros",
        lambda: lamina.multinomial(lamina.tensor([1.0, 0.0, 0.0]), 2),
        ValueError,
        r"multinomial: cannot draw 2 samples .* with 1 positive",
    ),
    (
        "multinomial-negative",
        lambda: lamina.multinomial(lamina.tensor([1.0, -0.5]), 1),
        ValueError,
        r"multinomial: probabilities must be >= 0, got -0.5",
    ),
    (
        "multinomial-nan",
        lambda: lamina.multinomial(lamina.tensor([1.0, np.nan]), 1),
        ValueError,
        r"multinomial: probabilities must be finite",
    ),
    (
        "multinomial-zero-sum",
        lambda: lamina.multinomial(lamina.zeros(3), 1, True),
        ValueError,
        r"multinomial: each row of probabilities must have a positive sum",
    ),
    (
        "multinomial-3d",
        lambda: lamina.multinomial(lamina.ones(2, 2, 2), 1),
        ValueError,
        r"multinomial: expected a 1-D or 2-D input, got shape \(2, 2, 2\)",
    ),
    (
        "multinomial-count",
        lambda: lamina.multinomial(lamina.ones(3), 0),
        ValueError,
        r"multinomial: num_samples must be positive, got 0",
    ),
    (
        "normal-std",
        lambda: lamina.normal(lamina.zeros(2), -1.0),
        ValueError,
        r"normal: std must be >= 0, got -1.0",
    ),
    (
        "normal-std-nan",
        lambda: lamina.normal(0.0, lamina.tensor([np.nan]).double()),
        ValueError,
        r"normal: std must be >= 0, got NaN",
    ),
    (
        "normal-size",
        lambda: lamina.normal(lamina.zeros(2), 1.0, (2,)),
        TypeError,
        r"normal: size is only accepted when mean and std are numbers",
    ),
    (
        "bernoulli-range",
        lambda: lamina.bernoulli(lamina.tensor([0.5, 1.5])),
        ValueError,
        r"bernoulli: probabilities must lie in \[0, 1\], got values in \[0.5, 1.5\]",
    ),
    (
        "bernoulli-nan",
        lambda: lamina.bernoulli(lamina.tensor([np.nan])),
        ValueError,
        r"bernoulli: probabilities must lie in \[0, 1\]",
    ),
    (
        "bernoulli-p",
        lambda: lamina.bernoulli(lamina.zeros(2), -0.1),
        ValueError,
        r"bernoulli: probabilities must lie in \[0, 1\]",
    ),
    (
        "bernoulli-int",
        lambda: lamina.bernoulli(lamina.tensor([1, 0])),
        TypeError,
        r"bernoulli: expected a floating-point tensor",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "pattern"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_bad_arguments_raise_naming_the_function(
    call: Callable[[], Any], error: type[Exception], pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        call()


def test_helpers_are_exported_from_ops_and_lamina() -> None:
    for name in DRAWS:
        assert getattr(ops, name) is getattr(lamina, name)
        assert name in lamina.__all__ and name in ops.__all__
