"""Errors of the conv, pooling and normalization layers and functions: each names its owner,
what it expected and what came; bad constructor arguments are refused at construction. Each
message has one producer: a layer's input error is its function's, naming the layer."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

import lamina as L
from lamina.errors import ShapeError
from lamina.nn.conv import Conv1d, Conv2d, ConvTranspose2d, DepthwiseSeparableConv2d
from lamina.nn.norm import BatchNorm1d, BatchNorm2d, LayerNorm
from lamina.nn.pool import AdaptiveAvgPool2d, AvgPool2d, LPPool2d, MaxPool1d, MaxPool2d
from lamina.ops.conv import conv2d, conv_transpose2d
from lamina.ops.normalization import batch_norm
from lamina.ops.pool import avg_pool2d, max_pool2d


def zeros(*shape: int, dtype: Any = np.float32) -> L.Tensor:
    return L.tensor(np.zeros(shape, dtype))


def test_conv2d_names_itself_and_both_shapes() -> None:
    layer = Conv2d(3, 16, kernel_size=(3, 3))
    expected = (
        "Conv2d(3, 16, kernel_size=(3, 3)): expected input (N, 3, H, W) or (3, H, W), "
        "got (8, 1, 28, 28)"
    )
    with pytest.raises(ShapeError, match=f"^{re.escape(expected)}$"):
        layer(zeros(8, 1, 28, 28))


EMPTY_OUTPUTS: list[tuple[str, Callable[[], Any], str]] = [
    ("kernel", lambda: Conv2d(1, 2, 5)(zeros(1, 1, 3, 8)), r"Conv2d\(1, 2.*kernel_size is too"),
    ("dilation", lambda: Conv2d(1, 2, 3, dilation=3)(zeros(1, 1, 6, 6)), r"dilation is too"),
    ("conv1d", lambda: Conv1d(2, 2, 4)(zeros(1, 2, 3)), r"Conv1d\(2, 2.*output L would be 0"),
    (
        "transposed_padding",
        lambda: ConvTranspose2d(1, 1, 2, padding=3)(zeros(1, 1, 2, 2)),
        r"padding is too large",
    ),
    ("pool", lambda: MaxPool2d(3)(zeros(1, 1, 2, 5)), r"MaxPool2d\(kernel_size=3.*output H"),
    ("functional", lambda: conv2d(zeros(1, 1, 2, 2), zeros(1, 1, 3, 3)), r"^conv2d: output H"),
    ("functional_pool", lambda: avg_pool2d(zeros(1, 1, 1, 4), 2), r"^avg_pool2d: output H"),
]


@pytest.mark.parametrize(
    ("case", "call", "pattern"), EMPTY_OUTPUTS, ids=[c[0] for c in EMPTY_OUTPUTS]
)
def test_empty_output_says_which_argument_causes_it(
    case: str, call: Callable, pattern: str
) -> None:
    with pytest.raises(ShapeError, match=pattern):
        call()


WRONG_INPUTS: list[tuple[str, Callable[[], Any], str]] = [
    ("conv1d_rank", lambda: Conv1d(2, 3, 2)(zeros(1, 2, 4, 4)), r"Conv1d\(2, 3.*\(N, 2, L\)"),
    (
        "depthwise_separable",
        lambda: DepthwiseSeparableConv2d(3, 4, 3)(zeros(1, 2, 5, 5)),
        r"DepthwiseSeparableConv2d\(3, 4\): expected input \(N, 3, H, W\)",
    ),
    (
        "transposed_channels",
        lambda: ConvTranspose2d(4, 2, 2)(zeros(1, 2, 3, 3)),
        r"ConvTranspose2d\(4, 2.*\(N, 4, H, W\) or \(4, H, W\), got \(1, 2, 3, 3\)$",
    ),
    ("maxpool1d_rank", lambda: MaxPool1d(2)(zeros(2, 3, 4, 4)), r"MaxPool1d\(.*\(N, C, L\)"),
    ("adaptive_rank", lambda: AdaptiveAvgPool2d(2)(zeros(4, 4)), r"AdaptiveAvgPool2d"),
    (
        "batchnorm2d",
        lambda: BatchNorm2d(3)(zeros(4, 2, 5, 5)),
        r"BatchNorm2d\(3, .*expected input \(N, 3, H, W\), got \(4, 2, 5, 5\)",
    ),
    ("batchnorm1d", lambda: BatchNorm1d(3)(zeros(4, 3, 2, 2)), r"BatchNorm1d\(3, .*\(N, 3, L\)"),
    (
        "layernorm",
        lambda: LayerNorm((3, 4))(zeros(2, 4, 3)),
        r"LayerNorm\(\(3, 4\).*expected input \(\*, 3, 4\), got \(2, 4, 3\)",
    ),
    (
        "conv2d_weight",
        lambda: conv2d(zeros(1, 3, 4, 4), zeros(2, 2, 3, 3)),
        r"^conv2d: expected input \(N, 2, H, W\) or \(2, H, W\), got \(1, 3, 4, 4\) "
        r"\(weight \(2, 2, 3, 3\), groups=1\)$",
    ),
    (
        "conv2d_bias",
        lambda: conv2d(zeros(1, 2, 4, 4), zeros(3, 2, 1, 1), zeros(2)),
        r"conv2d: bias must have shape \(3,\)",
    ),
    (
        "transpose_weight_rank",
        lambda: conv_transpose2d(zeros(1, 2, 4, 4), zeros(2, 2, 3)),
        r"conv_transpose2d: weight must have 4 dims",
    ),
    ("maxpool_rank", lambda: max_pool2d(zeros(4), 2), r"max_pool2d: expected input"),
    (
        "batch_norm_single_value",
        lambda: batch_norm(zeros(1, 3), None, None, training=True),
        r"more than 1 value per channel",
    ),
]


@pytest.mark.parametrize(
    ("case", "call", "pattern"), WRONG_INPUTS, ids=[c[0] for c in WRONG_INPUTS]
)
def test_wrong_input_names_the_owner(case: str, call: Callable, pattern: str) -> None:
    with pytest.raises(ValueError, match=pattern):
        call()


def test_conv2d_refuses_mixed_dtypes() -> None:
    with pytest.raises(TypeError, match="conv2d: weight dtype float64 differs from input float32"):
        conv2d(zeros(1, 1, 3, 3), zeros(1, 1, 2, 2, dtype=np.float64))


BAD_CONSTRUCTORS: list[tuple[str, Callable[[], Any], str]] = [
    ("kernel_zero", lambda: Conv2d(3, 4, 0), r"Conv2d: kernel_size must be a positive int"),
    ("kernel_float", lambda: Conv2d(3, 4, 2.5), r"Conv2d: kernel_size"),
    ("channels", lambda: Conv2d(0, 4, 3), r"Conv2d: in_channels must be a positive integer"),
    ("groups", lambda: Conv2d(3, 4, 3, groups=2), r"in_channels 3 must be divisible by groups"),
    ("same_strided", lambda: Conv2d(3, 4, 3, stride=2, padding="same"), r"needs stride 1"),
    ("padding_word", lambda: Conv2d(3, 4, 3, padding="full"), r"padding must be 'same'"),
    ("padding_negative", lambda: Conv1d(3, 4, 3, padding=-1), r"Conv1d: padding must be a >= 0"),
    ("padding_mode", lambda: Conv2d(3, 4, 3, padding_mode="reflect"), r"padding_mode must be"),
    (
        "output_padding",
        lambda: ConvTranspose2d(3, 4, 3, stride=2, output_padding=2),
        r"output_padding \(2, 2\) must be smaller than stride",
    ),
    (
        "separable_multiplier",
        lambda: DepthwiseSeparableConv2d(3, 4, 3, depth_multiplier=0),
        r"depth_multiplier must be a positive integer",
    ),
    ("pool_padding", lambda: MaxPool2d(2, padding=2), r"MaxPool2d: padding 2 must be at most half"),
    ("pool_stride", lambda: AvgPool2d(2, stride=0), r"AvgPool2d: stride must be a positive int"),
    (
        "avg_divisor",
        lambda: AvgPool2d(2, divisor_override=0),
        r"AvgPool2d: divisor_override must be a positive integer",
    ),
    ("lp_norm", lambda: LPPool2d(0, 2), r"LPPool2d: norm_type must be a number > 0"),
    ("adaptive_size", lambda: AdaptiveAvgPool2d(0), r"AdaptiveAvgPool2d: output_size"),
    ("bn_features", lambda: BatchNorm2d(0), r"BatchNorm2d: num_features must be a positive"),
    ("bn_momentum", lambda: BatchNorm1d(3, momentum=-0.1), r"BatchNorm1d: momentum must be >= 0"),
    ("ln_shape", lambda: LayerNorm(0), r"LayerNorm: normalized_shape\[0\] must be a positive"),
    ("ln_eps", lambda: LayerNorm(3, eps=-1.0), r"LayerNorm: eps must be >= 0"),
]


@pytest.mark.parametrize(
    ("case", "make", "pattern"), BAD_CONSTRUCTORS, ids=[c[0] for c in BAD_CONSTRUCTORS]
)
def test_bad_constructor_argument_is_refused_at_construction(
    case: str, make: Callable, pattern: str
) -> None:
    with pytest.raises(ValueError, match=pattern):
        make()


# ------------------------------------------------------------------ one producer per message


def _message(call: Callable[[], Any]) -> tuple[type, str]:
    with pytest.raises((ValueError, TypeError, IndexError)) as info:
        call()
    return type(info.value), str(info.value)


def _same_message_cases() -> list[tuple[str, Any, L.Tensor, Callable[[Any, L.Tensor], Any]]]:
    """(case, layer, bad input, the function the layer calls, given the layer's state)."""
    F = L.nn.functional
    ids = L.tensor(np.array([[0, -1]]))
    return [
        ("linear", L.nn.Linear(4, 3), zeros(8, 5), lambda m, x: F.linear(x, m.weight, m.bias)),
        ("conv2d", Conv2d(3, 4, 3), zeros(8, 1, 6, 6), lambda m, x: conv2d(x, m.weight, m.bias)),
        ("conv2d_small", Conv2d(1, 2, 5), zeros(1, 1, 3, 8), lambda m, x: conv2d(x, m.weight)),
        ("conv1d", Conv1d(2, 3, 2), zeros(1, 2, 4, 4), lambda m, x: F.conv1d(x, m.weight)),
        (
            "conv_transpose2d",
            ConvTranspose2d(4, 2, 2),
            zeros(1, 2, 3, 3),
            lambda m, x: conv_transpose2d(x, m.weight),
        ),
        ("max_pool2d", MaxPool2d(3), zeros(1, 1, 2, 5), lambda m, x: max_pool2d(x, 3)),
        ("max_pool1d", MaxPool1d(2), zeros(2, 3, 4, 4), lambda m, x: F.max_pool1d(x, 2)),
        ("avg_pool2d", AvgPool2d(2), zeros(4), lambda m, x: avg_pool2d(x, 2)),
        ("lp_pool2d", LPPool2d(2, 3), zeros(1, 1, 2, 2), lambda m, x: F.lp_pool2d(x, 2, 3)),
        ("adaptive", AdaptiveAvgPool2d(2), zeros(4, 4), lambda m, x: F.adaptive_avg_pool2d(x, 2)),
        ("global", L.nn.GlobalAvgPool2d(), zeros(2, 3, 4), lambda m, x: F.global_avg_pool2d(x)),
        (
            "layer_norm",
            LayerNorm((3, 4)),
            zeros(2, 4, 3),
            lambda m, x: F.layer_norm(x, (3, 4), m.weight, m.bias),
        ),
        (
            "batch_norm_one_value",
            BatchNorm1d(3),
            zeros(1, 3),
            lambda m, x: batch_norm(x, None, None, training=True),
        ),
        ("embedding_negative_id", L.nn.Embedding(5, 2), ids, lambda m, x: F.embedding(x, m.weight)),
    ]


SAME = _same_message_cases()


@pytest.mark.parametrize(("case", "layer", "x", "function"), SAME, ids=[c[0] for c in SAME])
def test_layer_error_is_its_functions_error_naming_the_layer(
    case: str, layer: Any, x: L.Tensor, function: Callable
) -> None:
    kind, from_layer = _message(lambda: layer(x))
    fn_kind, from_function = _message(lambda: function(layer, x))
    assert kind is fn_kind
    owner = repr(layer).split("\n")[0]
    assert from_layer.startswith(f"{owner}: ")
    # a function's conv message adds the weight and groups a layer's repr already states
    expected = re.sub(r" \(weight \(.*\), groups=\d+\)$", "", from_function.split(": ", 1)[1])
    assert from_layer.removeprefix(f"{owner}: ") == expected


def _raised_texts(path: Path) -> set[str]:
    """The literal text of every raise in a module, owner prefix and values left out."""
    texts = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            parts = [
                a.value if isinstance(a, ast.Constant) else "{}"
                for a in ast.walk(node.exc.args[0])
                if isinstance(a, ast.FormattedValue)
                or (isinstance(a, ast.Constant) and isinstance(a.value, str))
            ]
            text = re.sub(r"^(\{\}|[\w.]+): ", "", "".join(parts))
            if len(text) > 12:
                texts.add(text)
    return texts


# raised by a layer at construction and by its op at call; ops/resample.py has no check
# function yet for nn/upsample.py to share
KNOWN_TWICE: set[str] = set()


def test_no_error_text_is_raised_both_by_a_layer_and_by_an_op() -> None:
    src = Path(L.__file__).parent
    layers = set().union(*(_raised_texts(p) for p in (src / "nn").glob("*.py")))
    ops = set().union(*(_raised_texts(p) for p in (src / "ops").glob("*.py")))
    assert layers, "no raise found: the scan is broken"
    assert (layers & ops) - KNOWN_TWICE == set()


@pytest.mark.parametrize("size", [(7, 9), (8, 10), (1, 2, 8, 9)])
def test_conv_transpose2d_output_size_picks_the_size_as_torch(size: tuple) -> None:
    tm = torch.nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, dtype=torch.float64)
    lm = ConvTranspose2d(2, 3, 3, stride=2, padding=1, dtype=L.float64)
    lm.load_state_dict({k: v.detach().numpy() for k, v in tm.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((1, 2, 4, 5))
    want = tm(torch.tensor(x), output_size=list(size)).detach().numpy()
    np.testing.assert_allclose(lm(L.tensor(x), output_size=size).numpy(), want, rtol=1e-12)


def test_conv_transpose2d_output_size_out_of_reach_names_the_layer() -> None:
    layer = ConvTranspose2d(2, 3, 3, stride=2, padding=1)
    with pytest.raises(ValueError, match=r"^ConvTranspose2d\(2, 3, .*output_padding \(2, 0\)"):
        layer(zeros(1, 2, 4, 5), output_size=(9, 9))
