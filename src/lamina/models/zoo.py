"""The zoo by name: each network's builder and the input it is usually shown with.

``lamina summary resnet18 --input 3,224,224`` looks networks up here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from lamina.models.alexnet import alexnet
from lamina.models.charcnn import char_cnn
from lamina.models.inception import googlenet
from lamina.models.mobilenet import mobilenet_v1
from lamina.models.resnet import resnet18, resnet34, resnet50
from lamina.models.resnet_cifar import resnet_cifar
from lamina.models.vgg import (
    vgg11,
    vgg11_bn,
    vgg13,
    vgg13_bn,
    vgg16,
    vgg16_bn,
    vgg19,
    vgg19_bn,
)
from lamina.nn.module import Module

__all__ = ["ZOO", "build_zoo_model"]

IMAGENET = (3, 224, 224)
# name -> (builder taking num_classes and in_channels, default input shape, default classes)
ZOO: dict[str, tuple[Callable[..., Module], tuple[int, ...], int]] = {
    "alexnet": (alexnet, IMAGENET, 1000),
    **{
        f.__name__: (f, IMAGENET, 1000)
        for f in (vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19, vgg19_bn)
    },
    "resnet18": (resnet18, IMAGENET, 1000),
    "resnet34": (resnet34, IMAGENET, 1000),
    "resnet50": (resnet50, IMAGENET, 1000),
    **{f"resnet{d}": (partial(resnet_cifar, d), (3, 32, 32), 10) for d in (20, 32, 44, 56)},
    "googlenet": (googlenet, IMAGENET, 1000),
    "mobilenet_v1": (mobilenet_v1, IMAGENET, 1000),
    "char_cnn": (lambda num_classes, in_channels=70: char_cnn(num_classes), (1014,), 4),
}


def build_zoo_model(
    name: str, input_shape: tuple[int, ...] | None = None, num_classes: int | None = None
) -> tuple[Module, tuple[int, ...]]:
    """The zoo network ``name`` for inputs of ``input_shape`` (channels first, no batch axis;
    its channel count sets ``in_channels``) and the input shape it was built for."""
    if name not in ZOO:
        raise KeyError(f"unknown network {name!r}; choose one of {', '.join(ZOO)}")
    builder, default_shape, default_classes = ZOO[name]
    shape = tuple(input_shape) if input_shape else default_shape
    if len(shape) != len(default_shape):
        what = "(length,)" if len(default_shape) == 1 else "(channels, height, width)"
        raise ValueError(f"{name}: expected an input shape {what}, got {shape}")
    kwargs: dict[str, Any] = {"num_classes": num_classes or default_classes}
    if len(shape) == 3:
        kwargs["in_channels"] = shape[0]
    elif shape != default_shape:
        raise ValueError(f"{name}: the character CNN is shown at length 1014, got {shape}")
    return builder(**kwargs), shape
