"""Learning-rate schedules: the same lr sequence as torch.optim.lr_scheduler over 50 steps."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
import torch
from _optim_twin import one_torch_thread

from lamina import optim
from lamina.nn import Parameter
from lamina.optim import lr_scheduler


@pytest.fixture(autouse=True)
def _single_threaded_torch() -> Iterator[None]:
    with one_torch_thread():
        yield


STEPS = 50


def _optimizers() -> tuple[optim.SGD, torch.optim.SGD]:
    """Two groups with different rates, so per-group scheduling is checked too."""
    lam = [Parameter(np.zeros(2)), Parameter(np.zeros(2))]
    tor = [torch.zeros(2, requires_grad=True), torch.zeros(2, requires_grad=True)]
    lam_opt = optim.SGD([{"params": [lam[0]], "lr": 0.1}, {"params": [lam[1]]}], lr=0.03)
    tor_opt = torch.optim.SGD([{"params": [tor[0]], "lr": 0.1}, {"params": [tor[1]]}], lr=0.03)
    return lam_opt, tor_opt


def _lrs(opt: Any, sched: Any, metrics: list[float] | None = None) -> list[list[float]]:
    seen = []
    for i in range(STEPS):
        seen.append(list(sched.get_last_lr()))
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[i])
    seen.append([group["lr"] for group in opt.param_groups])
    return seen


def _lambda(epoch: int) -> float:
    return 0.95**epoch / (1 + 0.01 * epoch)


SCHEDULES: list[tuple[str, dict[str, Any]]] = [
    ("StepLR", {"step_size": 7}),
    ("StepLR", {"step_size": 3, "gamma": 0.5}),
    ("MultiStepLR", {"milestones": [5, 12, 12, 30], "gamma": 0.3}),
    ("ExponentialLR", {"gamma": 0.9}),
    ("LambdaLR", {"lr_lambda": _lambda}),
    ("CosineAnnealingLR", {"T_max": 20}),
    ("CosineAnnealingLR", {"T_max": 15, "eta_min": 0.001}),
]


@pytest.mark.parametrize(
    ("name", "kwargs"), SCHEDULES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(SCHEDULES)]
)
def test_schedule_matches_torch(name: str, kwargs: dict[str, Any]) -> None:
    lam_opt, tor_opt = _optimizers()
    ours = _lrs(lam_opt, getattr(lr_scheduler, name)(lam_opt, **kwargs))
    theirs = _lrs(tor_opt, getattr(torch.optim.lr_scheduler, name)(tor_opt, **kwargs))
    assert ours == theirs  # bit for bit: the same chainable formulas in the same order
    assert len({round(lrs[0], 12) for lrs in ours}) > 2  # the schedule really moved


# A scripted validation loss: improves, plateaus, improves a little, rises, recovers.
METRIC = [1.0, 0.8, 0.7, 0.7, 0.69995, 0.7, 0.71, 0.72, 0.6, 0.6, 0.6, 0.6, 0.59999] + [
    0.5 + 0.02 * math.sin(i) for i in range(37)
]

PLATEAU_OPTIONS: list[dict[str, Any]] = [
    {},
    {"patience": 0},
    {"patience": 2, "factor": 0.5},
    {"patience": 1, "threshold": 0.01, "threshold_mode": "abs"},
    {"patience": 1, "threshold": 0.05, "threshold_mode": "rel", "cooldown": 3},
    {"mode": "max", "patience": 1, "factor": 0.5},
    {"mode": "max", "patience": 2, "threshold_mode": "abs", "threshold": 0.01, "cooldown": 1},
    {"patience": 0, "min_lr": 0.005},
    {"patience": 0, "min_lr": [0.02, 0.001], "factor": 0.5},
    {"patience": 0, "factor": 0.9999, "eps": 1e-4},
]


@pytest.mark.parametrize("kwargs", PLATEAU_OPTIONS, ids=lambda kw: str(kw) or "defaults")
def test_reduce_lr_on_plateau_matches_torch(kwargs: dict[str, Any]) -> None:
    metric = [-m for m in METRIC] if kwargs.get("mode") == "max" else METRIC
    lam_opt, tor_opt = _optimizers()
    ours = _lrs(lam_opt, lr_scheduler.ReduceLROnPlateau(lam_opt, **kwargs), metric)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(tor_opt, **kwargs)
    assert ours == _lrs(tor_opt, plateau, metric)


@pytest.mark.parametrize("k", [0.0, 0.1, 1.0])
def test_inverse_time_lr_follows_one_over_t(k: float) -> None:
    lam_opt, _ = _optimizers()
    seen = _lrs(lam_opt, lr_scheduler.InverseTimeLR(lam_opt, k=k))
    for t, lrs in enumerate(seen):
        np.testing.assert_allclose(lrs, [0.1 / (1 + k * t), 0.03 / (1 + k * t)], rtol=1e-15)


@pytest.mark.parametrize("k", [1.0, 0.5])
def test_inverse_sqrt_lr_follows_k_over_sqrt_t(k: float) -> None:
    lam_opt, _ = _optimizers()
    seen = _lrs(lam_opt, lr_scheduler.InverseSqrtLR(lam_opt, k=k))
    for t, lrs in enumerate(seen, start=1):
        np.testing.assert_allclose(lrs, [k * 0.1 / math.sqrt(t), k * 0.03 / math.sqrt(t)])


FACTORIES: list[Callable[[optim.Optimizer], Any]] = [
    lambda o: lr_scheduler.StepLR(o, step_size=4, gamma=0.5),
    lambda o: lr_scheduler.MultiStepLR(o, milestones=[3, 9]),
    lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=7, eta_min=0.01),
    lambda o: lr_scheduler.LambdaLR(o, lambda t: 1 / (t + 1)),
    lambda o: lr_scheduler.InverseTimeLR(o, k=0.3),
    lambda o: lr_scheduler.InverseSqrtLR(o),
]


@pytest.mark.parametrize(
    "factory", FACTORIES, ids=["step", "multistep", "cos", "lambda", "it", "is"]
)
def test_scheduler_state_dict_resumes_the_same_sequence(factory: Callable[..., Any]) -> None:
    opt, _ = _optimizers()
    sched = factory(opt)
    for _ in range(5):
        sched.step()
    saved_opt, saved = opt.state_dict(), sched.state_dict()
    assert "lr_lambdas" not in saved
    expected = [sched.step() or sched.get_last_lr() for _ in range(10)]
    fresh_opt, _ = _optimizers()
    fresh = factory(fresh_opt)
    fresh_opt.load_state_dict(saved_opt)
    fresh.load_state_dict({k: np.asarray(v) for k, v in saved.items()})  # as np.load returns
    assert [fresh.step() or fresh.get_last_lr() for _ in range(10)] == expected


def test_reduce_lr_on_plateau_state_dict_resumes() -> None:
    opt, _ = _optimizers()
    sched = lr_scheduler.ReduceLROnPlateau(opt, patience=1, cooldown=2)
    for m in METRIC[:20]:
        sched.step(m)
    saved_opt, saved = opt.state_dict(), sched.state_dict()
    expected = [sched.step(m) or sched.get_last_lr() for m in METRIC[20:]]
    fresh_opt, _ = _optimizers()
    fresh = lr_scheduler.ReduceLROnPlateau(fresh_opt)
    fresh_opt.load_state_dict(saved_opt)
    fresh.load_state_dict({k: np.asarray(v) for k, v in saved.items()})
    assert [fresh.step(m) or fresh.get_last_lr() for m in METRIC[20:]] == expected


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda o: lr_scheduler.StepLR(o, step_size=0), "StepLR: step_size must be a positive"),
        (lambda o: lr_scheduler.ExponentialLR(o, gamma=-1.0), "ExponentialLR: gamma must be >= 0"),
        (lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=0), "CosineAnnealingLR: T_max"),
        (lambda o: lr_scheduler.LambdaLR(o, [abs]), "LambdaLR: expected 2 lr_lambdas, got 1"),
        (lambda o: lr_scheduler.ReduceLROnPlateau(o, factor=1.0), r"factor must be in \[0, 1\)"),
        (lambda o: lr_scheduler.ReduceLROnPlateau(o, mode="up"), "mode must be one of"),
        (lambda o: lr_scheduler.ReduceLROnPlateau(o, min_lr=[0.0]), "expected 2 min_lrs, got 1"),
        (lambda o: lr_scheduler.InverseTimeLR(o, k=-0.1), "InverseTimeLR: k must be >= 0"),
        (lambda o: lr_scheduler.StepLR(o, 2, last_epoch=3), "no 'initial_lr'"),
    ],
)
def test_scheduler_rejects_bad_arguments(make: Callable[..., Any], message: str) -> None:
    opt, _ = _optimizers()
    with pytest.raises((ValueError, KeyError), match=message):
        make(opt)


def test_scheduler_rejects_a_non_optimizer() -> None:
    with pytest.raises(TypeError, match="StepLR: expected an Optimizer, got list"):
        lr_scheduler.StepLR([], step_size=2)  # type: ignore[arg-type]
