"""lamina.distributions against torch.distributions: values and gradients, samples, errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import lamina
from lamina import distributions as D
from lamina.autodiff.tensor import Tensor

RTOL, ATOL = 1e-12, 1e-13  # float64, same formulas: the two libraries agree to rounding


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _params(rng: np.random.Generator, family: str, batch: tuple[int, ...]) -> dict[str, Any]:
    """Random float64 parameters of a family, by constructor keyword."""
    if family == "Normal":
        return {"loc": rng.normal(size=batch), "scale": rng.uniform(0.3, 2.0, size=batch)}
    if family == "Bernoulli-probs":
        return {"probs": rng.uniform(0.05, 0.95, size=batch)}
    if family == "Bernoulli-logits":
        return {"logits": rng.normal(scale=3.0, size=batch)}
    if family == "Categorical-probs":
        return {"probs": rng.uniform(0.05, 2.0, size=(*batch, 5))}  # not normalized
    return {"logits": rng.normal(scale=2.0, size=(*batch, 5))}


def _values(rng: np.random.Generator, family: str, shape: tuple[int, ...]) -> np.ndarray:
    if family == "Normal":
        return rng.normal(scale=2.0, size=shape)
    if family.startswith("Bernoulli"):
        return rng.integers(0, 2, size=shape).astype(np.float64)
    return rng.integers(0, 5, size=shape)


FAMILIES = [
    "Normal",
    "Bernoulli-probs",
    "Bernoulli-logits",
    "Categorical-probs",
    "Categorical-logits",
]
BATCHES = [(), (4,), (2, 3)]


def _build(family: str, params: dict[str, Any]) -> tuple[Any, Any, list[Tensor], list[Any]]:
    """The lamina and torch distributions over the same leaves, and those leaves."""
    name = family.split("-")[0]
    ours = {k: lamina.tensor(v, requires_grad=True) for k, v in params.items()}
    theirs = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    return (
        getattr(D, name)(**ours),
        getattr(torch.distributions, name)(**theirs),
        list(ours.values()),
        list(theirs.values()),
    )


def _compare(
    family: str, batch: tuple[int, ...], fn: Callable[[Any, Any], Any], seed: int = 0
) -> None:
    """fn(dist, value) in both libraries: equal values and equal gradients for the leaves."""
    rng = _rng(seed)
    params = _params(rng, family, batch)
    value = _values(rng, family, (3, *batch))
    ours, theirs, leaves, tleaves = _build(family, params)
    out = fn(ours, lamina.tensor(value))
    tout = fn(theirs, torch.tensor(value))
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=RTOL, atol=ATOL)
    upstream = rng.normal(size=out.shape)
    out.backward(lamina.tensor(upstream))
    tout.backward(torch.tensor(upstream))
    for leaf, tleaf in zip(leaves, tleaves):
        if tleaf.grad is None:  # a parameter the result does not depend on (entropy and loc)
            assert leaf.grad is None
            continue
        np.testing.assert_allclose(leaf.grad.numpy(), tleaf.grad.numpy(), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("batch", BATCHES, ids=str)
@pytest.mark.parametrize("family", FAMILIES)
def test_log_prob_and_its_gradient_match_torch(family: str, batch: tuple[int, ...]) -> None:
    _compare(family, batch, lambda d, v: d.log_prob(v))


@pytest.mark.parametrize("batch", BATCHES, ids=str)
@pytest.mark.parametrize("family", FAMILIES)
def test_entropy_and_its_gradient_match_torch(family: str, batch: tuple[int, ...]) -> None:
    _compare(family, batch, lambda d, v: d.entropy())


PROPERTIES = {
    "Normal": ["mean", "stddev", "variance", "mode"],
    "Bernoulli-probs": ["mean", "variance", "stddev", "probs", "logits"],
    "Bernoulli-logits": ["mean", "variance", "stddev", "probs", "logits"],
    "Categorical-probs": ["probs", "logits", "mode"],
    "Categorical-logits": ["probs", "logits", "mode"],
}


@pytest.mark.parametrize("family", FAMILIES)
def test_properties_and_shapes_match_torch(family: str) -> None:
    ours, theirs, _, _ = _build(family, _params(_rng(1), family, (2, 3)))
    assert ours.batch_shape == tuple(theirs.batch_shape)
    assert ours.event_shape == tuple(theirs.event_shape)
    for name in PROPERTIES[family]:
        ref = getattr(theirs, name).detach().numpy()
        np.testing.assert_allclose(getattr(ours, name).numpy(), ref, rtol=RTOL, atol=ATOL)
    if family.startswith("Categorical"):  # labels, not numbers: NaN as in torch
        assert np.isnan(ours.mean.numpy()).all() and ours.mean.shape == (2, 3)


@pytest.mark.parametrize("family", FAMILIES)
def test_log_prob_and_entropy_gradients_match_finite_differences(family: str) -> None:
    rng = _rng(2)
    params = _params(rng, family, (3,))
    value = lamina.tensor(_values(rng, family, (2, 3)))
    leaves = [lamina.tensor(v, requires_grad=True) for v in params.values()]
    make = getattr(D, family.split("-")[0])

    def log_prob(*ps: Tensor) -> Tensor:
        return make(**dict(zip(params, ps))).log_prob(value)

    def entropy(*ps: Tensor) -> Tensor:
        return make(**dict(zip(params, ps))).entropy()

    assert lamina.gradcheck(log_prob, leaves, atol=1e-7, rtol=1e-6)
    assert lamina.gradcheck(entropy, leaves, atol=1e-7, rtol=1e-6)


def test_logits_stay_finite_where_probabilities_are_0_or_1() -> None:
    p = lamina.tensor(np.array([0.0, 1.0, 0.5]), requires_grad=True)
    d, t = D.Bernoulli(probs=p), torch.distributions.Bernoulli(probs=torch.tensor(p.numpy()))
    assert np.isfinite(d.logits.numpy()).all()
    value = np.array([0.0, 1.0, 1.0])
    ref = t.log_prob(torch.tensor(value)).numpy()
    np.testing.assert_allclose(d.log_prob(lamina.tensor(value)).numpy(), ref, rtol=RTOL, atol=ATOL)
    big = D.Bernoulli(logits=lamina.tensor(np.array([-800.0, 800.0])))
    assert np.isfinite(big.log_prob(lamina.tensor(np.array([1.0, 0.0]))).numpy()).all()
    c = D.Categorical(logits=lamina.tensor(np.array([0.0, -np.inf, 1.0])))
    assert np.isfinite(c.entropy().numpy()) and c.log_prob(lamina.tensor(1)).item() == -np.inf


def test_policy_gradient_loss_matches_torch() -> None:
    rng = _rng(3)
    logits = rng.normal(size=(6, 4))
    actions, rewards = rng.integers(0, 4, size=6), rng.normal(size=6)
    w = lamina.tensor(logits, requires_grad=True)
    tw = torch.tensor(logits, requires_grad=True)
    loss = -(D.Categorical(logits=w).log_prob(lamina.tensor(actions)) * lamina.tensor(rewards))
    tloss = -(
        torch.distributions.Categorical(logits=tw).log_prob(torch.tensor(actions))
        * torch.tensor(rewards)
    )
    loss.mean().backward()
    tloss.mean().backward()
    np.testing.assert_allclose(w.grad.numpy(), tw.grad.numpy(), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("sample_shape", [(), (5,), (2, 3)], ids=str)
@pytest.mark.parametrize("family", FAMILIES)
def test_sample_shape_is_sample_shape_plus_batch_shape(
    family: str, sample_shape: tuple[int, ...]
) -> None:
    ours, theirs, _, _ = _build(family, _params(_rng(), family, (4,)))
    x = ours.sample(sample_shape)
    assert x.shape == tuple(theirs.sample(sample_shape).shape) == (*sample_shape, 4)
    assert not x.requires_grad
    assert x.dtype == (np.int64 if family.startswith("Categorical") else np.float64)


def test_normal_rsample_is_differentiable_and_sample_is_not() -> None:
    loc = lamina.tensor(np.array([1.0, -2.0]), requires_grad=True)
    scale = lamina.tensor(np.array([0.5, 3.0]), requires_grad=True)
    d = D.Normal(loc, scale)
    x = d.rsample((4,))
    assert x.shape == (4, 2) and x.requires_grad
    x.sum().backward()
    np.testing.assert_allclose(loc.grad.numpy(), [4.0, 4.0])  # dx/dloc = 1
    eps = (x.numpy() - loc.numpy()) / scale.numpy()
    np.testing.assert_allclose(scale.grad.numpy(), eps.sum(axis=0), rtol=1e-12)  # dx/dscale = eps
    assert not d.sample().requires_grad
    assert D.Normal(0.0, 1.0).has_rsample and not D.Categorical(logits=lamina.zeros(3)).has_rsample
    with pytest.raises(NotImplementedError, match="Bernoulli: rsample is not available"):
        D.Bernoulli(probs=0.5).rsample()


def test_sample_statistics_follow_the_parameters() -> None:
    lamina.manual_seed(0)
    n = 20_000
    x = D.Normal(lamina.tensor([-1.0, 4.0]), lamina.tensor([0.5, 2.0])).sample((n,)).numpy()
    np.testing.assert_allclose(x.mean(axis=0), [-1, 4], atol=0.05)
    np.testing.assert_allclose(x.std(axis=0), [0.5, 2.0], rtol=0.03)
    b = D.Bernoulli(logits=lamina.tensor([-2.0, 0.0, 3.0])).sample((n,)).numpy()
    np.testing.assert_allclose(b.mean(axis=0), 1 / (1 + np.exp([2.0, 0.0, -3.0])), atol=0.012)
    probs = np.array([[0.1, 0.6, 0.3], [0.5, 0.0, 0.5]])
    c = D.Categorical(probs=lamina.tensor(probs)).sample((n,)).numpy()
    for row, p in zip(c.T, probs):
        np.testing.assert_allclose(np.bincount(row, minlength=3) / n, p, atol=0.012)


def test_manual_seed_makes_samples_reproducible() -> None:
    d = D.Categorical(logits=lamina.zeros(10))
    lamina.manual_seed(5)
    first = d.sample((20,)).numpy()
    lamina.manual_seed(5)
    np.testing.assert_array_equal(d.sample((20,)).numpy(), first)


def test_float32_parameters_give_float32_results() -> None:
    d = D.Normal(lamina.zeros(3), 1.0)
    assert d.log_prob(lamina.zeros(3)).dtype == d.entropy().dtype == d.sample().dtype == np.float32
    b = D.Bernoulli(probs=lamina.full((2,), 0.3))
    assert b.log_prob(lamina.zeros(2)).dtype == b.entropy().dtype == np.float32
    c = D.Categorical(probs=lamina.ones(4))
    assert c.log_prob(lamina.tensor(1)).dtype == c.entropy().dtype == np.float32


BAD: list[tuple[str, Callable[[], Any], str]] = [
    ("normal-scale-0", lambda: D.Normal(0.0, 0.0), r"Normal: scale must be > 0, got 0.0"),
    (
        "normal-scale-neg",
        lambda: D.Normal(lamina.zeros(2), lamina.tensor([1.0, -1.0])),
        r"Normal: scale must be > 0, got -1.0",
    ),
    ("normal-loc-nan", lambda: D.Normal(float("nan"), 1.0), r"Normal: loc must be a real number"),
    (
        "bernoulli-probs",
        lambda: D.Bernoulli(probs=lamina.tensor([0.5, 1.5])),
        r"Bernoulli: probs must be in \[0, 1\], got 1.5",
    ),
    (
        "bernoulli-both",
        lambda: D.Bernoulli(probs=0.5, logits=0.0),
        r"Bernoulli: expected exactly one of probs or logits, got both",
    ),
    ("bernoulli-neither", lambda: D.Bernoulli(), r"Bernoulli: expected exactly one .* got neither"),
    (
        "bernoulli-value",
        lambda: D.Bernoulli(probs=0.5).log_prob(lamina.tensor(0.5)),
        r"Bernoulli.log_prob: value must be 0 or 1",
    ),
    (
        "categorical-neg",
        lambda: D.Categorical(probs=lamina.tensor([0.5, -0.1])),
        r"Categorical: probs must be finite and >= 0, got min -0.1",
    ),
    (
        "categorical-zero",
        lambda: D.Categorical(probs=lamina.zeros(3)),
        r"Categorical: probs must have a positive sum",
    ),
    (
        "categorical-nan",
        lambda: D.Categorical(logits=lamina.tensor([0.0, float("nan")])),
        r"Categorical: logits must be real numbers, got NaN",
    ),
    (
        "categorical-0d",
        lambda: D.Categorical(probs=lamina.tensor(1.0)),
        r"Categorical: probs must be at least 1-D",
    ),
    (
        "categorical-value",
        lambda: D.Categorical(probs=lamina.ones(3)).log_prob(lamina.tensor(3)),
        r"Categorical.log_prob: value must lie in \[0, 3\), got values in \[3, 3\]",
    ),
    (
        "sample-shape",
        lambda: D.Normal(0.0, 1.0).sample((2.5,)),
        r"Normal.sample: sample_shape must be a tuple of ints",
    ),
]


@pytest.mark.parametrize(("call", "pattern"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_invalid_arguments_raise_naming_the_distribution(
    call: Callable[[], Any], pattern: str
) -> None:
    with pytest.raises((ValueError, TypeError), match=pattern):
        call()


def test_validate_args_false_skips_the_checks() -> None:
    d = D.Normal(0.0, -1.0, validate_args=False)
    with np.errstate(invalid="ignore"):  # log(-1), on purpose
        assert np.isnan(d.entropy().item())
    b = D.Bernoulli(probs=0.5, validate_args=False)
    assert np.isfinite(b.log_prob(lamina.tensor(0.5)).item())
