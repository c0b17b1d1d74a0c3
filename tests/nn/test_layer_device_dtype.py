"""PyTorch's factory arguments on every layer: ``device=`` and ``dtype=``, by keyword and in
PyTorch's positional order.

The layers are found by walking ``lamina.nn``'s exports, so a new layer is covered without
editing this file: every exported ``Module`` whose PyTorch namesake takes ``device``/``dtype``
must take them too, in the same place of the signature, and lamina-only layers that take
``dtype`` must take ``device`` as well. Each required argument is given as 2, which builds
every layer lamina has.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import pytest
import torch

import lamina as L
import lamina.nn as lnn

# Base classes, not layers: lamina's RNNBase takes a cell rule where torch's takes a mode string
BASES = {"Module", "RNNBase"}


def _exported_layers() -> list[type]:
    return [
        obj
        for name in lnn.__all__
        if isinstance(obj := getattr(lnn, name), type)
        and issubclass(obj, lnn.Module)
        and name not in BASES
    ]


def _torch_takes_factory_args(tcls: type) -> bool:
    """Whether torch's constructor takes ``dtype``, following ``*args`` up the classes."""
    for klass in tcls.__mro__:
        if "__init__" not in vars(klass):
            continue
        params = inspect.signature(klass.__init__).parameters
        if "dtype" in params:
            return True
        if not any(p.kind is p.VAR_POSITIONAL for p in params.values()):
            return False
    return False


def _positional_names(fn: Any) -> list[str]:
    params = list(inspect.signature(fn).parameters.values())[1:]  # without self
    return [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]


def _torch_explicit(tcls: type) -> bool:
    """Whether torch's own signature names ``dtype`` (not hidden behind ``*args``)."""
    return "dtype" in inspect.signature(tcls.__init__).parameters


TORCH_LAYERS = [
    c
    for c in _exported_layers()
    if hasattr(torch.nn, c.__name__) and _torch_takes_factory_args(getattr(torch.nn, c.__name__))
]
LAMINA_ONLY = [
    c
    for c in _exported_layers()
    if not hasattr(torch.nn, c.__name__) and "dtype" in inspect.signature(c.__init__).parameters
]
ALL = TORCH_LAYERS + LAMINA_ONLY
NAMES = [c.__name__ for c in ALL]


def test_the_walk_finds_the_layers_with_factory_arguments() -> None:
    expected = {
        "Linear",
        "Conv1d",
        "Conv2d",
        "ConvTranspose2d",
        "BatchNorm1d",
        "BatchNorm2d",
        "InstanceNorm2d",
        "GroupNorm",
        "LayerNorm",
        "Embedding",
        "RNNCell",
        "LSTMCell",
        "GRUCell",
        "RNN",
        "LSTM",
        "GRU",
    }
    assert expected <= {c.__name__ for c in TORCH_LAYERS}
    assert {"DepthwiseSeparableConv2d", "SpatiallySeparableConv2d", "PyramidalLSTM"} <= {
        c.__name__ for c in LAMINA_ONLY
    }


def _required(cls: type) -> list[int]:
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    return [
        2
        for p in params
        if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is inspect.Parameter.empty
    ]


# arguments that give a layer parameters to look at (by default InstanceNorm2d has none)
EXTRA: dict[str, dict[str, Any]] = {"InstanceNorm2d": {"affine": True, "track_running_stats": True}}


def _float_tensors(module: Any) -> list[tuple[str, Any]]:
    named = list(module.named_parameters()) + list(module.named_buffers())
    return [
        (n, t)
        for n, t in named
        if t is not None
        and (t.dtype.is_floating_point if torch.is_tensor(t) else t.dtype.kind == "f")
    ]


@pytest.mark.parametrize("cls", TORCH_LAYERS, ids=lambda c: c.__name__)
def test_signature_order_matches_torch_up_to_dtype(cls: type) -> None:
    ours = list(inspect.signature(cls.__init__).parameters.values())[1:]
    names = [p.name for p in ours]
    tcls = getattr(torch.nn, cls.__name__)
    if _torch_explicit(tcls):
        theirs = _positional_names(tcls.__init__)
        upto = theirs[: theirs.index("dtype") + 1]
        assert _positional_names(cls.__init__)[: len(upto)] == upto
    else:  # torch's RNN/LSTM/GRU take (*args, **kwargs): device and dtype as keywords
        assert {"device", "dtype"} <= set(names)
    # lamina's own extras (rng, fused, ...) come after dtype and only as keywords
    for p in ours[names.index("dtype") + 1 :]:
        assert p.kind is p.KEYWORD_ONLY, f"{cls.__name__}: {p.name} must be keyword-only"


@pytest.mark.parametrize("cls", ALL, ids=NAMES)
@pytest.mark.parametrize("device", ["cpu", L.device("cpu"), None])
def test_keyword_device_and_dtype_give_float64_parameters(cls: type, device: Any) -> None:
    extra = EXTRA.get(cls.__name__, {})
    m = cls(*_required(cls), device=device, dtype=L.float64, **extra)
    tensors = _float_tensors(m)
    assert tensors, f"{cls.__name__} has no float parameters or buffers"
    assert {str(t.dtype) for _, t in tensors} == {"float64"}
    if hasattr(torch.nn, cls.__name__):  # the same tensors as torch's layer built alike
        tcls = getattr(torch.nn, cls.__name__)
        tm = tcls(*_required(cls), device="cpu", dtype=torch.float64, **extra)
        theirs = [(n, tuple(t.shape)) for n, t in _float_tensors(tm)]
        assert [(n, t.shape) for n, t in tensors] == theirs


@pytest.mark.parametrize(
    "cls",
    [c for c in TORCH_LAYERS if _torch_explicit(getattr(torch.nn, c.__name__))],
    ids=lambda c: c.__name__,
)
def test_positional_device_and_dtype_as_in_torch(cls: type) -> None:
    tcls = getattr(torch.nn, cls.__name__)
    params = list(inspect.signature(tcls.__init__).parameters.values())[1:]
    extra = EXTRA.get(cls.__name__, {})
    middle = [extra.get(p.name, p.default) for p in params if p.kind is p.POSITIONAL_OR_KEYWORD][
        len(_required(cls)) : [p.name for p in params].index("device")
    ]
    args = [*_required(cls), *middle]
    m = cls(*args, "cpu", np.float64)
    tm = tcls(*args, "cpu", torch.float64)
    assert [(n, t.shape, str(t.dtype)) for n, t in _float_tensors(m)] == [
        (n, tuple(t.shape), "float64") for n, t in _float_tensors(tm)
    ]


@pytest.mark.parametrize("cls", ALL, ids=NAMES)
@pytest.mark.parametrize("device", ["cuda", "cuda:1", 0, L.device("mps")])
def test_a_device_other_than_the_cpu_is_refused_naming_the_layer(cls: type, device: Any) -> None:
    with pytest.raises(RuntimeError, match=rf"^{cls.__name__}: device '(cuda|mps)"):
        cls(*_required(cls), device=device)


@pytest.mark.parametrize("cls", ALL, ids=NAMES)
@pytest.mark.parametrize(
    ("dtype", "pattern"),
    [
        (np.int64, "dtype must be a float type .* got int64"),
        (L.bool, "dtype must be a float type .* got bool"),
        (np.float16, "float16 .* is not supported"),
        ("complex128", "dtype complex128 is not supported"),
    ],
)
def test_a_dtype_that_is_not_float32_or_float64_is_refused(
    cls: type, dtype: Any, pattern: str
) -> None:
    with pytest.raises(TypeError, match=rf"^{cls.__name__}: {pattern}"):
        cls(*_required(cls), dtype=dtype)


@pytest.mark.parametrize("cls", ALL, ids=NAMES)
def test_without_dtype_the_default_dtype_is_used(cls: type) -> None:
    extra = EXTRA.get(cls.__name__, {})
    m = cls(*_required(cls), **extra)
    assert {str(t.dtype) for _, t in _float_tensors(m)} == {"float32"}
    previous = L.get_default_dtype()
    L.set_default_dtype(L.float64)
    try:
        m = cls(*_required(cls), **extra)
    finally:
        L.set_default_dtype(previous)
    assert {str(t.dtype) for _, t in _float_tensors(m)} == {"float64"}


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("BatchNorm1d", (3,)),
        ("BatchNorm2d", (3,)),
        ("InstanceNorm2d", (3, 1e-5, 0.1, True)),
        ("GroupNorm", (1, 3)),
    ],
)
def test_norm_layers_take_torchs_keyword_only_bias(name: str, args: tuple) -> None:
    m = getattr(lnn, name)(*args, dtype=L.float64, bias=False)
    tm = getattr(torch.nn, name)(*args, dtype=torch.float64, bias=False)
    assert [n for n, _ in m.named_parameters()] == [n for n, _ in tm.named_parameters()]
    assert list(m.state_dict()) == list(tm.state_dict())
    with torch.no_grad():
        tm.weight.uniform_(0.5, 1.5)
    m.load_state_dict({k: v.numpy() for k, v in tm.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((4, 3, 5, 2) if "2d" in name else (4, 3, 5))
    np.testing.assert_allclose(
        m(L.tensor(x)).numpy(), tm(torch.tensor(x)).detach().numpy(), rtol=1e-12, atol=1e-13
    )
