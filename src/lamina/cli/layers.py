"""A recipe's model as a list of layer strings, ``"Linear(64, 128)"``, parsed safely.

Each string is parsed with ``ast`` as one call: the name must be in ``LAYERS`` (lamina.nn's
layer classes), the arguments literals only (numbers, strings, booleans, None, tuples and
lists of them), positional or keyword. Nothing is evaluated: no names, attributes,
operators or nested calls reach Python.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Any

from lamina import nn
from lamina.nn.module import Module

__all__ = ["LAYERS", "parse_layer", "parse_layers"]

LAYERS: dict[str, type[Module]] = {
    name: getattr(nn, name)
    for name in (
        "Linear",
        "Conv1d",
        "Conv2d",
        "ConvTranspose2d",
        "DepthwiseSeparableConv2d",
        "SpatiallySeparableConv2d",
        "MaxPool1d",
        "MaxPool2d",
        "AvgPool1d",
        "AvgPool2d",
        "L2Pool1d",
        "L2Pool2d",
        "LPPool1d",
        "LPPool2d",
        "AdaptiveAvgPool1d",
        "AdaptiveAvgPool2d",
        "GlobalAvgPool2d",
        "BatchNorm1d",
        "BatchNorm2d",
        "LayerNorm",
        "GroupNorm",
        "InstanceNorm2d",
        "Dropout",
        "Dropout2d",
        "Flatten",
        "Identity",
        "ReLU",
        "LeakyReLU",
        "ELU",
        "Sigmoid",
        "Tanh",
        "Softplus",
        "Softmax",
        "LogSoftmax",
        "Embedding",
        "Upsample",
        "ZeroPad2d",
        "ConstantPad2d",
        "ReflectionPad2d",
        "ReplicationPad2d",
    )
}


def _literal(node: ast.expr, text: str) -> Any:
    """The value of a literal node (a number may carry a unary minus); anything else refused."""
    if isinstance(node, ast.Constant) and (
        node.value is None or isinstance(node.value, (bool, int, float, str))
    ):
        return node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, (ast.USub, ast.UAdd))
        and isinstance(node.operand, ast.Constant)
        and isinstance(node.operand.value, (int, float))
        and not isinstance(node.operand.value, bool)  # a number, not -True
    ):
        return -node.operand.value if isinstance(node.op, ast.USub) else node.operand.value
    if isinstance(node, (ast.Tuple, ast.List)):
        return tuple(_literal(e, text) for e in node.elts)
    raise ValueError(
        f"layer {text!r}: arguments must be literals (numbers, strings, booleans, None, "
        f"tuples), got {ast.unparse(node)!r}"
    )


def parse_layer(text: str) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
    """``"Linear(64, 128, bias=False)"`` -> ``("Linear", (64, 128), {"bias": False})``.

    A bare name (``"ReLU"``) is a call without arguments.

    Raises
    ------
    ValueError
        For text that is not one call of a known layer with literal arguments.
    """
    if not isinstance(text, str):
        raise ValueError(f"layer {text!r}: expected a string such as 'Linear(64, 128)'")
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise ValueError(f"layer {text!r}: not a call such as 'Linear(64, 128)'") from None
    if isinstance(node, ast.Name):
        node = ast.Call(func=node, args=[], keywords=[])
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        raise ValueError(f"layer {text!r}: expected one call such as 'Linear(64, 128)'")
    name = node.func.id
    if name not in LAYERS:
        known = ", ".join(LAYERS)
        raise ValueError(f"layer {text!r}: unknown layer {name!r}; choose one of {known}")
    if any(isinstance(a, ast.Starred) for a in node.args) or any(
        k.arg is None for k in node.keywords
    ):
        raise ValueError(f"layer {text!r}: * and ** arguments are not allowed")
    args = tuple(_literal(a, text) for a in node.args)
    kwargs = {k.arg: _literal(k.value, text) for k in node.keywords if k.arg is not None}
    return name, args, kwargs


def parse_layers(texts: Sequence[str]) -> Module:
    """A ``Sequential`` of the layers named by ``texts`` (see ``parse_layer``).

    Raises
    ------
    ValueError
        For the first string that does not parse, or whose layer refuses its arguments
        (the layer's own message, prefixed by the string).
    """
    layers = []
    for text in texts:
        name, args, kwargs = parse_layer(text)
        try:
            layers.append(LAYERS[name](*args, **kwargs))
        except (TypeError, ValueError) as e:
            raise ValueError(f"layer {text!r}: {e}") from None
    if not layers:
        raise ValueError("layers: expected at least one layer, got an empty list")
    return nn.Sequential(*layers)
