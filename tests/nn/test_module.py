"""Module: registration order, traversal, modes, dtype, state dicts, hooks, summary."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch

import lamina as L
import lamina.nn as nn


class Block(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(3, 4)
        self.register_buffer("steps", L.zeros(1))
        self.act = nn.ReLU()
        self.out = nn.Linear(4, 2)

    def forward(self, x: L.Tensor) -> L.Tensor:
        return self.out(self.act(self.fc(x)))


def test_parameters_are_registered_in_definition_order() -> None:
    names = [n for n, _ in Block().named_parameters()]
    assert names == ["fc.weight", "fc.bias", "out.weight", "out.bias"]
    # like PyTorch: a module's own parameters and buffers, then its children's
    assert list(Block().state_dict()) == ["steps", "fc.weight", "fc.bias", "out.weight", "out.bias"]


def test_assigning_before_init_raises() -> None:
    class Bad(nn.Module):
        def __init__(self) -> None:
            self.fc = nn.Linear(2, 2)
            super().__init__()

    with pytest.raises(AttributeError, match=r"before Module\.__init__"):
        Bad()


def test_shared_parameters_are_listed_once_and_accumulate_gradients() -> None:
    shared = nn.Linear(2, 2).to(np.float64)
    model = nn.Sequential(shared, nn.Tanh(), shared)
    assert len(list(model.parameters())) == 2
    x = np.random.default_rng(0).standard_normal((3, 2))
    model(L.tensor(x)).sum().backward()
    # the two uses' gradients, summed: y = W tanh(W x + b) + b
    w, b = shared.weight.numpy(), shared.bias.numpy()
    h = np.tanh(x @ w.T + b)
    g_first = (np.ones((3, 2)) @ w) * (1 - h**2)  # back through the second use, then tanh
    expected_w = np.ones((3, 2)).T @ h + g_first.T @ x
    expected_b = np.ones((3, 2)).sum(0) + g_first.sum(0)
    np.testing.assert_allclose(shared.weight.grad.numpy(), expected_w, rtol=1e-12)
    np.testing.assert_allclose(shared.bias.grad.numpy(), expected_b, rtol=1e-12)
    tshared = torch.nn.Linear(2, 2).double()  # and PyTorch's sum with the same weights
    tshared.load_state_dict(
        {k: torch.from_numpy(np.array(v)) for k, v in shared.state_dict().items()}
    )
    torch.nn.Sequential(tshared, torch.nn.Tanh(), tshared)(torch.from_numpy(x)).sum().backward()
    np.testing.assert_allclose(shared.weight.grad.numpy(), tshared.weight.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(shared.bias.grad.numpy(), tshared.bias.grad.numpy(), rtol=1e-12)


def test_train_eval_and_zero_grad() -> None:
    model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
    model.eval()
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    model(L.randn(4, 2)).sum().backward()
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_to_float64_converts_parameters_and_buffers() -> None:
    b = Block().to(L.float64)
    assert all(t.dtype == np.float64 for t in [*b.parameters(), *b.buffers()])
    assert b(L.tensor(np.ones((1, 3)))).dtype == np.float64


def test_load_state_dict_reports_every_problem_at_once() -> None:
    state = Block().state_dict()
    del state["fc.bias"]
    state["extra"] = np.zeros(1)
    state["out.weight"] = np.zeros((5, 5))
    with pytest.raises(nn.StateDictError) as info:
        Block().load_state_dict(state)
    msg = str(info.value)
    assert "missing keys ['fc.bias']" in msg and "unexpected keys ['extra']" in msg
    assert "out.weight: expected (2, 4), got (5, 5)" in msg


def test_load_state_dict_non_strict_returns_the_keys() -> None:
    state = Block().state_dict()
    del state["fc.bias"]
    result = Block().load_state_dict(state, strict=False)
    assert result.missing_keys == ["fc.bias"] and result.unexpected_keys == []


def test_torch_state_dict_loads_and_gives_the_same_output() -> None:
    torch.manual_seed(0)
    tm = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
    lm = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    lm.load_state_dict({k: v.numpy() for k, v in tm.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    np.testing.assert_allclose(
        lm(L.tensor(x)).numpy(), tm(torch.from_numpy(x)).detach().numpy(), rtol=1e-5, atol=1e-6
    )


def test_apply_and_reset_parameters_with_rng_are_reproducible() -> None:
    a, b = (
        nn.Linear(5, 3, rng=np.random.default_rng(7)),
        nn.Linear(5, 3, rng=np.random.default_rng(7)),
    )
    np.testing.assert_array_equal(a.weight.numpy(), b.weight.numpy())
    seen = []
    nn.Sequential(a, nn.ReLU()).apply(lambda m: seen.append(type(m).__name__))
    assert seen == ["Linear", "ReLU", "Sequential"]


def test_repr_is_nested_like_torch() -> None:
    text = repr(nn.Sequential(nn.Linear(2, 3), nn.ReLU()))
    assert (
        text
        == "Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): ReLU()\n)"
    )


def test_forward_hook_sees_output_and_can_be_removed() -> None:
    layer, calls = nn.Linear(2, 2), []
    handle = layer.register_forward_hook(lambda m, i, o: calls.append(o.shape))
    layer(L.randn(3, 2))
    handle.remove()
    layer(L.randn(3, 2))
    assert calls == [(3, 2)]


def test_containers_index_and_iterate() -> None:
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    assert isinstance(seq[0], nn.Linear) and len(seq[1:]) == 2
    ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    md = nn.ModuleDict({"a": nn.Linear(2, 2)})
    assert len(list(ml.parameters())) == 6 and "a" in md and len(list(md.parameters())) == 2
    assert list(nn.Sequential({"enc": nn.Linear(2, 2)}).state_dict()) == ["enc.weight", "enc.bias"]


def test_summary_counts_follow_the_course_formulas() -> None:
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    s = L.summary(model, (784,))
    assert [r.params for r in s.rows] == [784 * 256 + 256, 0, 256 * 10 + 10]
    assert s.rows[2].output_shape == (-1, 10) and s.total_params == 203_530
    text = str(s)
    assert "Total params: 203,530" in text and "1 (ReLU)" in text


def _bad_states() -> dict[str, tuple[dict, str]]:
    """States whose last value is wrong, each with the message part naming it."""
    good = Block().state_dict()
    cases = {
        "None value": (None, "out.bias: expected an array of shape (2,), got None"),
        "strings": (np.array(["a", "b"]), "expected numbers for a float32 tensor, got dtype <U1"),
        "objects": (np.array([1, {}], dtype=object), "got dtype object"),
        "ragged list": ([[1.0], [1.0, 2.0]], "out.bias: cannot be read as an array"),
        "complex": (np.ones(2, np.complex64), "got dtype complex64"),
        "shape": (np.ones(3, np.float32), "out.bias: expected (2,), got (3,)"),
    }
    return {name: ({**good, "out.bias": value}, msg) for name, (value, msg) in cases.items()}


@pytest.mark.parametrize("state, message", _bad_states().values(), ids=_bad_states().keys())
def test_load_state_dict_with_a_bad_last_value_changes_nothing(state: dict, message: str) -> None:
    block = Block()
    before = block.state_dict()
    state = {**state, "fc.weight": np.full((4, 3), 7.0, np.float32)}  # valid, listed early
    with pytest.raises(nn.StateDictError, match=re.escape(message)):
        block.load_state_dict(state)
    after = block.state_dict()
    assert all(np.array_equal(before[k], after[k]) for k in before)  # nothing half-loaded


def test_load_state_dict_reports_bad_values_and_shapes_together() -> None:
    state = Block().state_dict()
    state["fc.bias"] = None
    state["out.weight"] = np.zeros((5, 5))
    state["steps"] = "3"
    with pytest.raises(nn.StateDictError) as info:
        Block().load_state_dict(state)
    msg = str(info.value)
    assert "shape mismatch for out.weight: expected (2, 4), got (5, 5)" in msg
    assert "fc.bias: expected an array of shape (4,), got None" in msg and "steps:" in msg


@pytest.mark.parametrize("state", [None, [("fc.weight", np.zeros((4, 3)))], "state"])
def test_load_state_dict_refuses_what_is_not_a_mapping(state: object) -> None:
    with pytest.raises(TypeError, match=r"Block\.load_state_dict: expected a dict-like state_dict"):
        Block().load_state_dict(state)  # type: ignore[arg-type]


def test_load_state_dict_integer_buffers_take_whole_numbers_only() -> None:
    bn = nn.BatchNorm1d(2)
    state = bn.state_dict()
    bn.load_state_dict({**state, "num_batches_tracked": np.float64(5.0)})
    assert bn.num_batches_tracked.data == 5 and bn.num_batches_tracked.dtype == np.int64
    for bad in (2.5, np.nan):
        with pytest.raises(nn.StateDictError, match="expected whole numbers for a int64"):
            bn.load_state_dict({**state, "num_batches_tracked": np.float64(bad)})
    assert bn.num_batches_tracked.data == 5


def test_load_state_dict_takes_torch_tensors_that_require_grad_and_lists() -> None:
    lin = nn.Linear(2, 1)
    lin.load_state_dict({"weight": torch.nn.Parameter(torch.ones(1, 2)), "bias": [0.5]})
    assert lin.weight.numpy().tolist() == [[1.0, 1.0]] and lin.bias.dtype == np.float32


@pytest.mark.parametrize("mode", ["yes", 1, None, np.bool_(True)])
def test_train_takes_a_bool_only_like_torch(mode: object) -> None:
    block = Block().eval()
    with pytest.raises(ValueError, match="Block.train: training mode is expected to be boolean"):
        block.train(mode)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        torch.nn.Linear(2, 2).train(mode)  # type: ignore[arg-type]
    assert not block.training and not block.fc.training  # unchanged


def test_flag_and_name_arguments_are_checked() -> None:
    block = Block()
    with pytest.raises(TypeError, match="zero_grad: set_to_none is expected to be boolean"):
        block.zero_grad(set_to_none="no")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="recurse is expected to be boolean"):
        list(block.parameters(recurse="no"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="prefix must be a str, got int"):
        list(block.named_buffers(prefix=1))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="strict is expected to be boolean"):
        block.load_state_dict(block.state_dict(), strict="no")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="fn must be callable"):
        block.apply("not callable")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="hook must be callable"):
        block.register_forward_hook(None)  # type: ignore[arg-type]


def test_named_parameters_takes_a_prefix_first_like_torch() -> None:
    names = [n for n, _ in Block().named_parameters("enc")]
    assert names == ["enc.fc.weight", "enc.fc.bias", "enc.out.weight", "enc.out.bias"]
    torch_names = [n for n, _ in torch.nn.Sequential(torch.nn.Linear(2, 2)).named_parameters("enc")]
    assert torch_names == ["enc.0.weight", "enc.0.bias"]
    assert [n for n, _ in Block().named_buffers("b", recurse=False)] == ["b.steps"]


def test_registration_checks_names_and_types_like_torch() -> None:
    block = Block()
    with pytest.raises(TypeError, match=r"cannot assign a ndarray to parameter 'w' \(a Parameter"):
        block.register_parameter("w", np.zeros(2))  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="contain no '.'"):
        block.register_parameter("a.b", None)
    with pytest.raises(TypeError, match="parameter name should be a string, got int"):
        block.register_parameter(3, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="cannot assign a str to buffer 'b'"):
        block.register_buffer("b", "zeros")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        block.add_module("m", 3)  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="non-empty"):
        block.add_module("", nn.ReLU())
    assert [n for n, _ in block.named_parameters()] == [n for n, _ in Block().named_parameters()]
