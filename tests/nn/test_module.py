"""Module: registration order, traversal, modes, dtype, state dicts, hooks, summary."""

from __future__ import annotations

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
    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, nn.Tanh(), shared)
    assert len(list(model.parameters())) == 2
    model(L.randn(3, 2)).sum().backward()
    assert shared.weight.grad is not None


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
