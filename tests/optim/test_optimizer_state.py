"""Optimizer contract: exact resume, dtype, skipped parameters, validation; the course's lesson."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from _optim_twin import Twin, flatten, train, unflatten

from lamina import optim
from lamina.autodiff.tensor import Tensor
from lamina.nn import Parameter
from lamina.optim import lr_scheduler

Make = Callable[[Any], optim.Optimizer]

RESUME: list[tuple[str, Make, Callable[[optim.Optimizer], Any]]] = [
    (
        "sgd-nesterov",
        lambda p: optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
        lambda o: lr_scheduler.StepLR(o, step_size=10, gamma=0.5),
    ),
    (
        "adagrad",
        lambda p: optim.Adagrad(p, lr=0.1, lr_decay=0.01, weight_decay=1e-3),
        lambda o: lr_scheduler.ExponentialLR(o, gamma=0.99),
    ),
    (
        "rmsprop-centered",
        lambda p: optim.RMSprop(p, lr=0.002, momentum=0.5, centered=True),
        lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=30),
    ),
    (
        "adadelta",
        lambda p: optim.Adadelta(p, weight_decay=1e-3),
        lambda o: lr_scheduler.MultiStepLR(o, milestones=[20, 60, 70]),
    ),
    (
        "adam-amsgrad",
        lambda p: optim.Adam(p, lr=0.01, amsgrad=True),
        lambda o: lr_scheduler.InverseTimeLR(o, k=0.05),
    ),
    ("adamw", lambda p: optim.AdamW(p, lr=0.01), lambda o: lr_scheduler.InverseSqrtLR(o)),
    (
        "adamax",
        lambda p: optim.Adamax(p, lr=0.01),
        lambda o: lr_scheduler.LambdaLR(o, lambda t: 0.97**t),
    ),
]


def _through_npz(state: dict[str, Any]) -> dict[str, Any]:
    """Save with np.savez and load back without pickle, as a checkpoint would."""
    buffer = io.BytesIO()
    np.savez(buffer, **flatten(state))
    buffer.seek(0)
    with np.load(buffer, allow_pickle=False) as npz:
        return unflatten({k: npz[k] for k in npz.files})


@pytest.mark.parametrize(("name", "make", "schedule"), RESUME, ids=[r[0] for r in RESUME])
def test_state_dict_at_step_50_resumes_bit_exactly(name: str, make: Make, schedule: Any) -> None:
    straight = Twin()
    opt = make(straight.groups(True, 0.02) if name == "adamw" else straight.params())
    train(straight, opt, 100, schedule(opt))

    first = Twin()
    opt = make(first.groups(True, 0.02) if name == "adamw" else first.params())
    sched = schedule(opt)
    train(first, opt, 50, sched)
    saved = _through_npz({"optimizer": opt.state_dict(), "scheduler": sched.state_dict()})
    weights = [p.data.copy() for p in first.params()]

    second = Twin(seed=1)  # other initial weights, overwritten from the checkpoint
    for p, w in zip(second.params(), weights):
        p.data[...] = w
    opt = make(second.groups(True, 0.02) if name == "adamw" else second.params())
    sched = schedule(opt)  # before load_state_dict: constructing a schedule writes the lr
    opt.load_state_dict(saved["optimizer"])
    sched.load_state_dict(saved["scheduler"])
    train(second, opt, 50, sched)
    for a, b in zip(straight.params(), second.params()):
        np.testing.assert_array_equal(a.data, b.data)


ALL: list[Make] = [
    lambda p: optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.1, nesterov=True),
    lambda p: optim.Adagrad(p, lr_decay=0.1, weight_decay=0.1, initial_accumulator_value=0.1),
    lambda p: optim.RMSprop(p, momentum=0.9, centered=True, weight_decay=0.1),
    lambda p: optim.Adadelta(p, weight_decay=0.1),
    lambda p: optim.Adam(p, weight_decay=0.1, amsgrad=True),
    lambda p: optim.AdamW(p, amsgrad=True),
    lambda p: optim.Adamax(p, weight_decay=0.1),
]
IDS = ["SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW", "Adamax"]


@pytest.mark.parametrize("make", ALL, ids=IDS)
def test_step_keeps_float32_and_skips_parameters_without_grad(make: Make) -> None:
    rng = np.random.default_rng(0)
    used = Parameter(rng.normal(size=(3, 2)).astype(np.float32))
    unused = Parameter(np.ones(2, np.float32))
    opt = make([used, unused])
    before = used.data.copy()
    for _ in range(3):
        opt.zero_grad()
        (used * used).sum().backward()
        opt.step()
    assert used.data.dtype == np.float32 and not np.array_equal(used.data, before)
    assert all(v.dtype == np.float32 for v in opt.state[used].values() if hasattr(v, "dtype"))
    np.testing.assert_array_equal(unused.data, np.ones(2, np.float32))
    assert unused not in opt.state


def test_zero_grad_sets_none_or_zeros() -> None:
    p = Parameter(np.ones(3))
    opt = optim.SGD([p], lr=0.1)
    (p * p).sum().backward()
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(p.grad.data, np.zeros(3))
    opt.zero_grad()
    assert p.grad is None


def test_step_calls_the_closure_and_returns_its_loss() -> None:
    p = Parameter(np.array([3.0]))
    opt = optim.SGD([p], lr=0.25)

    def closure() -> Tensor:
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    assert opt.step(closure).item() == 9.0
    np.testing.assert_allclose(p.data, [1.5])


def test_param_groups_take_their_own_options_and_add_param_group_works() -> None:
    a, b, c = (Parameter(np.ones(2)) for _ in range(3))
    opt = optim.Adam([{"params": [a], "lr": 0.5}, {"params": b}], lr=0.1, betas=[0.8, 0.9])
    opt.add_param_group({"params": [c], "amsgrad": True})
    assert [g["lr"] for g in opt.param_groups] == [0.5, 0.1, 0.1]
    assert opt.param_groups[2]["amsgrad"] and opt.param_groups[1]["betas"] == (0.8, 0.9)
    with pytest.raises(ValueError, match="Adam: some parameters appear more than once"):
        opt.add_param_group({"params": [a]})
    with pytest.raises(ValueError, match="Adam: lr must be >= 0, got -1"):
        opt.add_param_group({"params": [Parameter(np.ones(1))], "lr": -1})


def test_load_state_dict_rejects_a_different_layout() -> None:
    a, b = Parameter(np.ones(2)), Parameter(np.ones(2))
    state = optim.SGD([a, b], lr=0.1).state_dict()
    with pytest.raises(ValueError, match=r"SGD\.load_state_dict: group 0 has 1 parameters"):
        optim.SGD([a], lr=0.1).load_state_dict(state)
    with pytest.raises(ValueError, match="expected 2 parameter groups, got 1"):
        optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1).load_state_dict(state)


BAD: list[tuple[Callable[[list[Parameter]], Any], str]] = [
    (lambda p: optim.Adam(p, lr=-0.1), "Adam: lr must be >= 0, got -0.1"),
    (lambda p: optim.Adam(p, betas=(0.9, 1.0)), r"Adam: betas\[1\] must be in \[0, 1\), got 1.0"),
    (lambda p: optim.Adam(p, betas=0.9), r"Adam: betas must be a pair \(beta1, beta2\)"),
    (lambda p: optim.AdamW(p, eps=-1.0), "AdamW: eps must be >= 0, got -1.0"),
    (lambda p: optim.Adamax(p, betas=(-0.1, 0.9)), r"Adamax: betas\[0\] must be in \[0, 1\)"),
    (lambda p: optim.SGD(p, momentum=-0.5), "SGD: momentum must be >= 0, got -0.5"),
    (lambda p: optim.SGD(p, nesterov=True), "SGD: nesterov requires momentum > 0 and dampening"),
    (lambda p: optim.SGD(p, momentum=0.9, dampening=0.1, nesterov=True), "dampening=0.1"),
    (lambda p: optim.Adagrad(p, lr_decay=-1), "Adagrad: lr_decay must be >= 0, got -1"),
    (lambda p: optim.Adagrad(p, initial_accumulator_value=-1), "initial_accumulator_value"),
    (lambda p: optim.RMSprop(p, alpha=-0.9), "RMSprop: alpha must be >= 0, got -0.9"),
    (lambda p: optim.RMSprop(p, weight_decay=-1e-4), "RMSprop: weight_decay must be >= 0"),
    (lambda p: optim.Adadelta(p, rho=1.5), r"Adadelta: rho must be in \[0, 1\], got 1.5"),
    (lambda p: optim.SGD([], lr=0.1), "SGD: got an empty parameter list"),
    (lambda p: optim.SGD([p[0], p[0]]), "SGD: some parameters appear more than once"),
]


@pytest.mark.parametrize(("make", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_hyperparameters_raise_a_clear_error(make: Callable[..., Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make([Parameter(np.ones(2))])


def test_params_must_be_tensors() -> None:
    with pytest.raises(TypeError, match="SGD: can only optimize Tensors, got ndarray"):
        optim.SGD([np.ones(2)])
    with pytest.raises(TypeError, match="SGD: params must be an iterable"):
        optim.SGD(Parameter(np.ones(2)))


# ---------------------------------------------------------------- the course's lesson
def _steps_to_tolerance(make: Make, tol: float = 1e-6, limit: int = 5000) -> int:
    """Steps until f(w) = 0.5 * w @ A @ w < tol on an ill-conditioned quadratic (cond 100)."""
    curvature = np.array([1.0, 100.0])
    w = Parameter(np.array([1.0, 1.0]))
    opt = make([w])
    for step in range(1, limit + 1):
        w.grad = Tensor(curvature * w.data)
        opt.step()
        if 0.5 * np.sum(curvature * w.data**2) < tol:
            return step
    return limit


def test_momentum_and_adam_beat_plain_sgd_on_an_ill_conditioned_quadratic() -> None:
    # Plain SGD must keep lr below 2/100 for the steep direction (it gets its best, 0.019), so
    # the shallow one (curvature 1) crawls: f shrinks by (1 - lr)**2 per step. Momentum builds
    # up speed along the shallow valley (with a smaller lr, as its stability bound is lower);
    # Adam rescales each coordinate by the size of its own gradients.
    sgd = _steps_to_tolerance(lambda p: optim.SGD(p, lr=0.019))
    momentum = _steps_to_tolerance(lambda p: optim.SGD(p, lr=0.01, momentum=0.9))
    nesterov = _steps_to_tolerance(lambda p: optim.SGD(p, lr=0.01, momentum=0.9, nesterov=True))
    adam = _steps_to_tolerance(lambda p: optim.Adam(p, lr=0.1))
    assert momentum < sgd / 2 and nesterov < sgd / 2
    assert adam < sgd / 2
