"""Attention beyond the registries: finite-difference gradients through the attention layers,
the masks' meaning, dropout on attention weights, the causal mask, the sinusoidal table, and
constructor errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import lamina as L
import lamina.nn.functional as F
from lamina import nn


def _f64(*shapes: tuple[int, ...], seed: int = 0) -> list[L.Tensor]:
    rng = np.random.default_rng(seed)
    return [L.tensor(rng.standard_normal(s), requires_grad=True) for s in shapes]


@pytest.mark.parametrize(
    "layer",
    [
        nn.MultiheadAttention(4, 2, kdim=3, vdim=5, dtype="float64"),
        nn.MultiheadAttention(4, 2, add_bias_kv=True, dtype="float64"),
    ],
    ids=["kdim_vdim", "bias_kv"],
)
def test_multihead_attention_gradients_match_finite_differences(layer: nn.Module) -> None:
    q, k, v = _f64((3, 2, 4), (4, 2, layer.kdim), (4, 2, layer.vdim))
    pad = np.array([[False, False, False, True], [False] * 4])
    assert L.gradcheck(lambda *t: layer(*t, key_padding_mask=pad)[0], [q, k, v])


@pytest.mark.parametrize(
    "layer",
    [
        nn.AdditiveAttention(3, 4, 5, dtype="float64"),
        nn.MultiplicativeAttention(3, 4, dtype="float64"),
        nn.MultiplicativeAttention(4, 4, score="dot", dtype="float64"),
    ],
    ids=["additive", "general", "dot"],
)
def test_recurrent_attention_masks_padding_and_checks_gradients(layer: nn.Module) -> None:
    q, keys = _f64((2, layer.query_size), (2, 5, layer.key_size))
    pad = np.zeros((2, 5), bool)
    pad[0, 3:] = True
    context, weights = layer(q, keys, pad)
    np.testing.assert_allclose(weights.numpy().sum(-1), 1.0, rtol=1e-12)
    assert np.all(weights.numpy()[0, 3:] == 0)
    np.testing.assert_allclose(
        context.numpy(), np.einsum("ns,nsd->nd", weights.numpy(), keys.numpy()), rtol=1e-12
    )
    assert L.gradcheck(lambda a, b: layer(a, b, pad)[0], [q, keys])


def test_recurrent_attention_takes_a_query_per_target_step() -> None:
    layer = nn.AdditiveAttention(3, 4, 5, dtype="float64")
    q, keys = _f64((2, 6, 3), (2, 5, 4))
    context, weights = layer(q, keys)
    assert context.shape == (2, 6, 4) and weights.shape == (2, 6, 5)
    step, step_w = layer(q[:, 2], keys)
    np.testing.assert_allclose(context.numpy()[:, 2], step.numpy(), rtol=1e-12)
    np.testing.assert_allclose(weights.numpy()[:, 2], step_w.numpy(), rtol=1e-12)


def test_transformer_encoder_layer_gradient_matches_finite_differences() -> None:
    layer = nn.TransformerEncoderLayer(4, 2, 6, dropout=0.0, activation="gelu", dtype="float64")
    (x,) = _f64((3, 2, 4))
    assert L.gradcheck(lambda t: layer(t), [x])


def test_attention_dropout_keeps_the_expected_weights_and_drops_the_rest() -> None:
    q, k, v = (L.ones(1, 400, 2), L.ones(1, 400, 2), L.tensor(np.eye(400, dtype=np.float32)[None]))
    rng = np.random.default_rng(0)
    out = F.scaled_dot_product_attention(q, k, v, dropout_p=0.25, rng=rng).numpy()
    kept = out != 0  # each weight is 1/400 before dropout, 1/300 where kept
    assert abs(kept.mean() - 0.75) < 0.01
    np.testing.assert_allclose(out[kept], 1 / 300, rtol=1e-5)


def test_square_subsequent_mask_equals_torch() -> None:
    mask = nn.Transformer.generate_square_subsequent_mask(5)
    expected = torch.nn.Transformer.generate_square_subsequent_mask(5)
    assert mask.dtype == np.float32
    np.testing.assert_array_equal(mask.numpy(), expected.numpy())


def test_sinusoidal_encoding_is_the_papers_table() -> None:
    layer = nn.SinusoidalPositionalEncoding(6, max_len=20, dtype="float64")
    out = layer(L.zeros(20, 6, dtype="float64")).numpy()
    pos, i = 13, 2
    np.testing.assert_allclose(out[pos, 2 * i], np.sin(pos / 10000 ** (2 * i / 6)), rtol=1e-12)
    np.testing.assert_allclose(out[pos, 2 * i + 1], np.cos(pos / 10000 ** (2 * i / 6)), rtol=1e-12)
    assert out.dtype == np.float64
    with pytest.raises(ValueError, match="sequence length 21 exceeds max_len 20"):
        layer(L.zeros(21, 6, dtype="float64"))


@pytest.mark.parametrize(
    "make,match",
    [
        (lambda: nn.MultiheadAttention(6, 4), "embed_dim must be divisible by num_heads"),
        (lambda: nn.TransformerEncoderLayer(8, 2, activation="tanh"), "activation must be one"),
        (lambda: nn.MultiplicativeAttention(3, 4, score="dot"), "dot score needs query_size"),
        (lambda: nn.GELU("erf"), "GELU: approximate must be one of"),
    ],
    ids=["heads", "activation", "dot", "gelu"],
)
def test_attention_constructors_reject_bad_arguments(make, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        make()


def test_is_causal_without_a_mask_is_refused_as_in_torch() -> None:
    layer = nn.MultiheadAttention(4, 2)
    x = L.zeros(3, 1, 4)
    with pytest.raises(ValueError, match="MultiheadAttention: is_causal is a hint"):
        layer(x, x, x, is_causal=True)
