"""The GPT-style character Transformer: causal (a later id never changes an earlier logit),
a gradient for every parameter, top-k sampling draws only the k most likely ids, and a short
training run learns a repeating pattern."""

from __future__ import annotations

import numpy as np
import pytest

import lamina as L
import lamina.nn.functional as F
from lamina.models.gpt import CharTransformer, sample_next


def test_char_transformer_is_causal_and_every_parameter_learns() -> None:
    model = CharTransformer(11, 16, 2, 2, 32, max_len=12, dropout=0.0, rng=np.random.default_rng(0))
    ids = np.random.default_rng(1).integers(0, 11, (2, 9))
    changed = ids.copy()
    changed[:, 6] = (changed[:, 6] + 1) % 11
    a, b = model(ids), model(changed)
    assert a.shape == (2, 9, 11)
    np.testing.assert_allclose(a.numpy()[:, :6], b.numpy()[:, :6], rtol=1e-5, atol=1e-6)
    assert not np.allclose(a.numpy()[:, 6:], b.numpy()[:, 6:])
    a.sum().backward()
    for name, p in model.named_parameters():
        assert p.grad is not None and np.abs(p.grad.numpy()).sum() > 0, name


def test_top_k_sampling_draws_only_among_the_k_largest_logits() -> None:
    logits = np.array([0.1, 3.0, -1.0, 2.5, 0.0, 2.9])
    rng = np.random.default_rng(0)
    drawn = {sample_next(logits, 1.5, 3, rng) for _ in range(300)}
    assert drawn == {1, 3, 5}
    assert {sample_next(logits, 1.0, 1, rng) for _ in range(20)} == {1}
    with pytest.raises(ValueError, match="temperature must be > 0"):
        sample_next(logits, 0.0, None, rng)


def test_char_transformer_learns_a_repeating_pattern() -> None:
    rng = np.random.default_rng(0)
    model = CharTransformer(5, 16, 2, 1, 32, max_len=16, dropout=0.0, rng=rng)
    text = np.array([0, 1, 2, 3, 4] * 40)
    opt = L.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(60):
        starts = rng.integers(0, len(text) - 13, 16)
        x = np.stack([text[s : s + 12] for s in starts])
        y = np.stack([text[s + 1 : s + 13] for s in starts])
        loss = F.cross_entropy(model(x).reshape(-1, 5), L.tensor(y.reshape(-1)))
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < 0.1
    assert model.generate([0, 1, 2], 7, temperature=0.5, top_k=2, rng=rng) == [3, 4, 0, 1, 2, 3, 4]
