"""In-place operations follow PyTorch's rules: never a silent no-op, never a wrong gradient."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import lamina as L
import lamina.nn as nn
from lamina.errors import ShapeError


def test_manual_sgd_update_under_no_grad_changes_the_weights() -> None:
    """The idiom that was a silent no-op: ``p -= lr * p.grad`` inside ``no_grad``."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 3))
    y = x @ np.array([[1.0], [-2.0], [0.5]]) + 0.3
    model, twin = nn.Linear(3, 1), torch.nn.Linear(3, 1)
    twin.weight.data = torch.tensor(model.weight.data.copy())
    twin.bias.data = torch.tensor(model.bias.data.copy())
    xl, yl = L.tensor(x.astype(np.float32)), L.tensor(y.astype(np.float32))
    xt, yt = torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    losses = []
    for _ in range(50):
        loss = ((model(xl) - yl) ** 2).mean()
        model.zero_grad()
        loss.backward()
        with L.no_grad():
            for p in model.parameters():
                p -= 0.1 * p.grad
        tloss = ((twin(xt) - yt) ** 2).mean()
        twin.zero_grad()
        tloss.backward()
        with torch.no_grad():
            for p in twin.parameters():
                p -= 0.1 * p.grad
        losses.append(loss.item())
    assert losses[-1] < 0.01 * losses[0]
    np.testing.assert_allclose(model.weight.data, twin.weight.detach().numpy(), rtol=1e-5)
    np.testing.assert_allclose(model.bias.data, twin.bias.detach().numpy(), rtol=1e-5)


@pytest.mark.parametrize(
    "name, args",
    [
        ("add_", (2.0,)),
        ("sub_", (2.0,)),
        ("mul_", (3.0,)),
        ("div_", (4.0,)),
        ("pow_", (2.0,)),
        ("clamp_", (-0.5, 0.5)),
        ("fill_", (7.0,)),
        ("zero_", ()),
    ],
)
def test_inplace_methods_write_into_the_same_array(name: str, args: tuple) -> None:
    a = np.linspace(-1, 1, 6).reshape(2, 3)
    x = L.tensor(a)
    storage, view = x.data, x[0]
    out = getattr(x, name)(*args)
    ref = getattr(torch.tensor(a), name)(*args).numpy()
    assert out is x and x.data is storage and x._version == 1
    np.testing.assert_allclose(x.data, ref, rtol=1e-15)
    np.testing.assert_allclose(view.data, ref[0], rtol=1e-15)  # views see the change


def test_augmented_assignment_and_setitem_match_torch() -> None:
    a = np.arange(12.0).reshape(3, 4)
    x, t = L.tensor(a), torch.tensor(a)
    for lx, tx in ((x, t),):
        lx += 1
        tx += 1
        lx *= 2
        tx *= 2
        lx -= L.tensor([1.0, 2.0, 3.0, 4.0])
        tx -= torch.tensor([1.0, 2.0, 3.0, 4.0])
        lx /= 3
        tx /= 3
        lx[0] = 5
        tx[0] = 5
        lx[1:, ::2] = L.tensor([[-1.0], [-2.0]])
        tx[1:, ::2] = torch.tensor([[-1.0], [-2.0]])
        lx[np.array([2, 0]), np.array([1, 3])] = 9
        tx[torch.tensor([2, 0]), torch.tensor([1, 3])] = 9
        lx[x > 8] = 0
        tx[t > 8] = 0
    np.testing.assert_allclose(x.data, t.numpy(), rtol=1e-15)


def test_copy_masked_fill_and_random_fills() -> None:
    x = L.zeros(2, 3)
    x.copy_(L.tensor([1.0, 2.0, 3.0], dtype=np.float64))
    assert x.dtype == np.float32
    np.testing.assert_array_equal(x.data, [[1, 2, 3], [1, 2, 3]])
    x.masked_fill_(x.data > 1.5, -1.0)
    np.testing.assert_array_equal(x.data, [[1, -1, -1], [1, -1, -1]])
    L.manual_seed(3)
    u = L.zeros(1000).uniform_(-2, 2)
    assert u.data.min() >= -2 and u.data.max() < 2 and abs(u.data.mean()) < 0.2
    L.manual_seed(3)
    assert np.array_equal(L.zeros(1000).uniform_(-2, 2).data, u.data)
    n = L.zeros(4000, dtype=np.float64).normal_(1.0, 2.0)
    assert abs(n.data.mean() - 1.0) < 0.15 and abs(n.data.std() - 2.0) < 0.15


def test_leaf_that_requires_grad_is_refused_outside_no_grad() -> None:
    w = L.tensor([1.0, 2.0], requires_grad=True)
    for change in (
        lambda: w.add_(1),
        lambda: w.__iadd__(1),
        lambda: w.__setitem__(0, 3.0),
        lambda: w.zero_(),
    ):
        with pytest.raises(RuntimeError, match="leaf tensor that requires grad"):
            change()
    np.testing.assert_array_equal(w.data, [1.0, 2.0])
    with L.no_grad():
        w.zero_()
    np.testing.assert_array_equal(w.data, [0.0, 0.0])


def test_inplace_on_intermediate_is_recorded_like_torch() -> None:
    """``out += identity`` (ResNet), ``x.mul_``, ``x[i] = v``: same gradients as PyTorch."""
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))

    def program(lib, x, y):
        h = x * 2
        h += y
        h.mul_(y)
        h[0] = x[1] ** 2
        h[:, 1] = 0.5
        h.clamp_(-1.5, 1.5)
        out = lib.zeros(2, 4, dtype=x.dtype)
        out[0] = h.sum(0)
        out[1] = (h * h).sum(0)
        return out.sum() + h.exp().sum()

    xl, yl = (L.tensor(v, requires_grad=True) for v in (a, b))
    xt, yt = (torch.tensor(v, requires_grad=True) for v in (a, b))
    lz, tz = program(L, xl, yl), program(torch, xt, yt)
    lz.backward()
    tz.backward()
    np.testing.assert_allclose(lz.item(), tz.item(), rtol=1e-12)
    np.testing.assert_allclose(xl.grad.data, xt.grad.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(yl.grad.data, yt.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_setitem_with_a_value_that_requires_grad_makes_the_target_require_grad() -> None:
    w = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
    buf = L.zeros(2, 3, dtype=np.float64)
    assert not buf.requires_grad
    buf[1] = w * 3
    assert buf.requires_grad and not buf.is_leaf
    buf.sum().backward()
    np.testing.assert_array_equal(w.grad.data, [3.0, 3.0, 3.0])


def test_modified_saved_tensor_is_detected_at_backward() -> None:
    x = L.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()  # exp's backward reads its output
    z = y.sum()
    y.add_(1)
    with pytest.raises(RuntimeError, match=r"output of Exp .* modified by an in-place"):
        z.backward()
    x = L.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1.0
    y = h * h  # mul's backward reads its inputs
    h.add_(1)
    with pytest.raises(
        RuntimeError, match=r"input 0 of Mul .* after it was used .it is now at version 1"
    ):
        y.sum().backward()


def test_change_after_use_by_a_shape_only_backward_is_allowed() -> None:
    """Like PyTorch: sum and add need no values, so changing their input later is fine."""
    x = L.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    s = h.sum() + (h + 1).sum()
    h.mul_(10)
    s.backward()
    np.testing.assert_array_equal(x.grad.data, [4.0, 4.0])


def test_errors_name_the_operation() -> None:
    x = L.zeros(3)
    with pytest.raises(ShapeError, match=r"add_: the result has shape \(2, 3\)"):
        x.add_(L.zeros(2, 3))
    with pytest.raises(TypeError, match="add_: the result has dtype float32.*int64"):
        L.tensor([1, 2]).add_(0.5)
    with pytest.raises(ValueError, match="add_: this tensor shares its memory with a broadcast"):
        L.zeros(1, 3).expand(2, 3).add_(1)
    with pytest.raises(IndexError, match=r"setitem: .*shape \(3,\)"):
        x[5] = 1.0
    with pytest.raises(ShapeError, match=r"setitem: a value of shape \(2,\)"):
        x[:] = np.ones(2)
    with pytest.raises(TypeError, match="masked_fill_: mask must be a bool"):
        x.masked_fill_(np.ones(3), 0.0)
    with pytest.raises(ValueError, match="uniform_: expects a <= b"):
        x.uniform_(1, 0)


def test_int_tensor_takes_int_inplace_updates() -> None:
    x = L.tensor([1, 2, 3])
    x += 2
    x[0] = 7.9  # stored as the tensor's dtype, as PyTorch does
    assert x.dtype == np.int64
    np.testing.assert_array_equal(x.data, [7, 4, 5])
