"""Embedding and embedding() against PyTorch: ids out of [0, num_embeddings) (negative ones
included) are an IndexError from the layer and the function alike, and PyTorch's other
arguments (max_norm, norm_type, scale_grad_by_freq, sparse, _weight, _freeze) act as there."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import lamina as L
from lamina.nn import Embedding
from lamina.nn.functional import embedding

TIGHT = {"rtol": 1e-12, "atol": 1e-14}


def twins(*args: Any, **kwargs: Any) -> tuple[Embedding, torch.nn.Embedding]:
    torch.manual_seed(0)
    tm = torch.nn.Embedding(*args, **kwargs, dtype=torch.float64)
    lm = Embedding(*args, **kwargs, dtype=L.float64)
    lm.load_state_dict({"weight": tm.weight.detach().numpy().copy()})
    return lm, tm


@pytest.mark.parametrize("bad", [-1, -5, 5, 7])
def test_ids_outside_the_table_are_an_index_error_as_in_torch(bad: int) -> None:
    ids = np.array([0, bad, 2])
    w = np.random.default_rng(0).standard_normal((5, 3))
    with pytest.raises(IndexError):
        torch.nn.functional.embedding(torch.tensor(ids), torch.tensor(w))
    with pytest.raises(IndexError, match=rf"^embedding: expected ids in \[0, 5\), got .*{bad}"):
        embedding(L.tensor(ids), L.tensor(w))
    with pytest.raises(IndexError, match=r"^Embedding\(5, 3\): expected ids in \[0, 5\)"):
        Embedding(5, 3)(L.tensor(ids))


def test_float_ids_are_refused_naming_the_owner() -> None:
    with pytest.raises(TypeError, match=r"^Embedding\(5, 3\): expected integer ids, got float"):
        Embedding(5, 3)(L.tensor([1.0]))
    with pytest.raises(TypeError, match=r"^embedding: expected integer ids"):
        embedding(L.tensor([1.0]), L.tensor(np.ones((5, 3))))


def _step(lm: Embedding, tm: torch.nn.Embedding, ids: np.ndarray) -> None:
    """One forward and backward of both; outputs, weights and gradients must agree."""
    v = np.random.default_rng(3).standard_normal((*ids.shape, lm.embedding_dim))
    out, tout = lm(L.tensor(ids)), tm(torch.tensor(ids))
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), **TIGHT)
    (out * L.tensor(v)).sum().backward()
    (tout * torch.tensor(v)).sum().backward()
    tgrad = tm.weight.grad.to_dense() if tm.weight.grad.is_sparse else tm.weight.grad
    np.testing.assert_allclose(lm.weight.grad.numpy(), tgrad.numpy(), **TIGHT)
    np.testing.assert_allclose(lm.weight.numpy(), tm.weight.detach().numpy(), **TIGHT)


IDS = np.array([[1, 4, 1, 0], [4, 4, 2, 1]])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_norm": 0.5},
        {"max_norm": 1.0, "norm_type": 1.0},
        {"max_norm": 0.3, "norm_type": float("inf")},
        {"scale_grad_by_freq": True},
        {"scale_grad_by_freq": True, "padding_idx": 1},
        {"padding_idx": -2},
        {"sparse": True},
    ],
    ids=str,
)
def test_torch_arguments_give_torchs_outputs_weights_and_gradients(kwargs: dict) -> None:
    lm, tm = twins(6, 3, **kwargs)
    _step(lm, tm, IDS)
    assert repr(lm) == repr(tm)


def test_max_norm_renormalizes_only_the_looked_up_rows() -> None:
    lm, _ = twins(6, 3, max_norm=0.1)
    before = lm.weight.numpy().copy()
    lm(L.tensor([2, 3]))
    norms = np.linalg.norm(lm.weight.numpy(), axis=1)
    assert np.all(norms[[2, 3]] <= 0.1 + 1e-12)
    np.testing.assert_array_equal(lm.weight.numpy()[[0, 1, 4, 5]], before[[0, 1, 4, 5]])


def test_given_weight_is_used_as_is_and_can_be_frozen() -> None:
    w = np.arange(12.0).reshape(4, 3)
    lm = Embedding(4, 3, padding_idx=0, _weight=w, _freeze=True)
    tm = torch.nn.Embedding(4, 3, padding_idx=0, _weight=torch.tensor(w), _freeze=True)
    np.testing.assert_array_equal(lm.weight.numpy(), tm.weight.detach().numpy())
    assert lm.weight.requires_grad is tm.weight.requires_grad is False
    assert lm.weight.dtype == L.float64
    with pytest.raises(ValueError, match=r"^Embedding: _weight must have shape \(4, 3\)"):
        Embedding(4, 3, _weight=np.zeros((3, 4)))


@pytest.mark.parametrize("padding_idx", [6, -7, 1.5])
def test_padding_idx_outside_the_table_is_refused(padding_idx: Any) -> None:
    with pytest.raises(ValueError, match=r"^Embedding: padding_idx must be an int in \[-6, 6\)"):
        Embedding(6, 3, padding_idx=padding_idx)
    with pytest.raises(ValueError, match=r"^embedding: padding_idx must be an int in \[-6, 6\)"):
        embedding(L.tensor([1]), L.tensor(np.ones((6, 3))), padding_idx=padding_idx)
