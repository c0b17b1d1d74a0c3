"""The word-level language models: the NNLM computes Bengio et al.'s formula (with and
without direct connections) and passes a finite-difference check; a tied WordLSTM shares one
weight between its embedding and its output, which receives both gradients."""

from __future__ import annotations

import numpy as np
import pytest

import lamina as L
from lamina.models.word_lm import NNLM, WordLSTM


@pytest.mark.parametrize("direct", [False, True], ids=["plain", "direct"])
def test_nnlm_is_bengios_formula(direct: bool) -> None:
    model = NNLM(12, 3, 4, 5, direct=direct, rng=np.random.default_rng(0)).to(np.float64)
    ids = np.random.default_rng(1).integers(0, 12, (6, 3))
    p = {k: v for k, v in model.state_dict().items()}
    x = p["embedding.weight"][ids].reshape(6, 12)
    y = (
        p["output.bias"]
        + np.tanh(p["hidden.bias"] + x @ p["hidden.weight"].T) @ p["output.weight"].T
    )
    if direct:
        y = y + x @ p["direct.weight"].T
    np.testing.assert_allclose(model(ids).numpy(), y, rtol=1e-12)
    assert ("direct.weight" in p) == direct
    with pytest.raises(ValueError, match=r"NNLM: expected ids \(N, 3\), got shape \(6, 2\)"):
        model(ids[:, :2])


def test_nnlm_gradient_matches_finite_differences() -> None:
    model = NNLM(7, 2, 3, 4, direct=True, rng=np.random.default_rng(0)).to(np.float64)
    ids = np.array([[1, 2], [3, 6]])
    weights = [model.hidden.weight, model.output.weight, model.direct.weight]

    def f(*ws: L.Tensor) -> L.Tensor:
        model.hidden.weight, model.output.weight, model.direct.weight = ws
        return model(ids)

    assert L.gradcheck(f, [L.tensor(w.numpy(), requires_grad=True) for w in weights])


def test_tied_word_lstm_shares_one_weight_that_gets_both_gradients() -> None:
    tied = WordLSTM(20, 8, 8, tie_weights=True, rng=np.random.default_rng(0))
    untied = WordLSTM(20, 8, 8, rng=np.random.default_rng(0))
    assert tied.head.weight is tied.embedding.weight
    n_tied = sum(p.numel() for p in tied.parameters())
    assert n_tied == sum(p.numel() for p in untied.parameters()) - 20 * 8
    ids = np.random.default_rng(1).integers(0, 20, (2, 5))
    out = tied(ids)
    assert out.shape == (2, 5, 20)
    out.sum().backward()
    grad = tied.embedding.weight.grad.numpy()
    unused = np.setdiff1d(np.arange(20), ids)  # rows only the output layer touches
    assert np.abs(grad[unused]).sum() > 0
    with pytest.raises(ValueError, match="tie_weights needs embedding_dim == hidden_size"):
        WordLSTM(20, 8, 16, tie_weights=True)
