"""safetensors round trips for every model lamina ships, beyond tests/test_safetensors.py.

Networks with a PyTorch twin go both ways in one test: the twin's own random weights (and
random batch-norm running statistics) written by ``safetensors.torch.save_file`` load into
lamina with ``load_state_dict(strict=True)`` and give the twin's outputs, and lamina's own
random weights written by ``lamina.save`` load strictly into the twin with
``safetensors.torch.load_file`` and give lamina's outputs. The twins are torchvision's
builders (imported through ``tests/models/_torchvision.py``) or written here by hand.
Networks with no PyTorch twin (MobileNet v1, Seq2Seq) go lamina -> file -> lamina with
identical outputs, and the file's header lists every tensor with its dtype and shape.

Tolerance: float32 outputs equal to 1e-4 relative to the largest |output|.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from safetensors.torch import load_file, save_file

import lamina as L
from lamina import models as M
from models._torchvision import torchvision_models

TOL = 1e-4  # relative to the largest |output|, float32


def _close(got: np.ndarray, want: np.ndarray) -> None:
    assert got.dtype == np.float32 and got.shape == want.shape
    err = float(np.abs(got - want).max() / np.abs(want).max())
    assert err <= TOL, f"relative error {err:.2e}"


def _torch_stats(net: torch.nn.Module) -> None:
    """Random running statistics, so that batch-norm buffers are tested, not defaults."""
    gen = torch.Generator().manual_seed(1)
    for m in net.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.running_mean.copy_(torch.randn(m.num_features, generator=gen) * 0.1)
            m.running_var.copy_(torch.rand(m.num_features, generator=gen) + 0.5)


def _lamina_stats(net: Any) -> None:
    rng = np.random.default_rng(1)
    state = net.state_dict()
    for k, v in state.items():
        if k.endswith("running_mean"):
            state[k] = (rng.standard_normal(v.shape) * 0.1).astype(v.dtype)
        elif k.endswith("running_var"):
            state[k] = (rng.random(v.shape) + 0.5).astype(v.dtype)
    net.load_state_dict(state, strict=True)


def _run_lamina(net: Any, x: Any) -> np.ndarray:
    with L.no_grad():
        return net(*(L.tensor(a) for a in x)).numpy()


def _run_torch(net: torch.nn.Module, x: Any) -> np.ndarray:
    with torch.no_grad():
        return net(*(torch.from_numpy(a) for a in x)).numpy()


def _header(path: Path) -> dict[str, Any]:
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    return json.loads(raw[8 : 8 + n])


def both_ways(lam: Any, tm: torch.nn.Module, x: tuple[np.ndarray, ...], tmp: Path) -> None:
    """lamina's weights -> file -> the twin, and the twin's weights -> file -> lamina."""
    lam.eval()
    tm.eval()
    _lamina_stats(lam)
    _torch_stats(tm)
    assert list(lam.state_dict()) == list(tm.state_dict())
    L.save(lam.state_dict(), tmp / "lamina.safetensors")
    save_file(tm.state_dict(), tmp / "torch.safetensors")
    lamina_out, torch_out = _run_lamina(lam, x), _run_torch(tm, x)
    header = _header(tmp / "lamina.safetensors")
    for k, v in tm.state_dict().items():  # the names, shapes and dtypes PyTorch writes
        assert header[k]["shape"] == list(v.shape)
        assert header[k]["dtype"] == {torch.float32: "F32", torch.int64: "I64"}[v.dtype]
    lam.load_state_dict(L.load(tmp / "torch.safetensors"), strict=True)
    _close(_run_lamina(lam, x), torch_out)
    tm.load_state_dict(load_file(tmp / "lamina.safetensors"), strict=True)
    _close(_run_torch(tm, x), lamina_out)


def _images(side: int) -> tuple[np.ndarray]:
    return (np.random.default_rng(2).standard_normal((2, 3, side, side)).astype(np.float32),)


# ---------------------------------------------------------------- torchvision's twins
# name, lamina builder, torchvision keywords, input side; VGG's classifier is 512*7*7 -> 4096
# -> 4096 whatever the class count (both builders fix it), so VGG stays 129 M parameters
TORCHVISION = [
    ("alexnet", M.alexnet, {}, 63),
    ("vgg11", M.vgg11, {}, 32),
    ("vgg11_bn", M.vgg11_bn, {}, 32),
    ("resnet18", M.resnet18, {}, 32),
    ("resnet50", M.resnet50, {}, 32),
    ("googlenet", M.googlenet, {"aux_logits": False, "init_weights": True}, 32),
]
SLOW = {"alexnet", "vgg11", "vgg11_bn", "resnet50"}  # 24 M to 129 M parameters


@pytest.mark.parametrize(
    "twin",
    [pytest.param(t, id=t[0], marks=pytest.mark.slow if t[0] in SLOW else ()) for t in TORCHVISION],
)
def test_torchvision_twin_round_trips_both_ways(twin: Any, tmp_path: Path) -> None:
    name, build, kwargs, side = twin
    torch.manual_seed(0)
    tm = getattr(torchvision_models(), name)(num_classes=10, **kwargs)
    lam = build(num_classes=10, rng=np.random.default_rng(0))
    both_ways(lam, tm, _images(side), tmp_path)


# ---------------------------------------------------------------- twins written by hand
class _TorchCifarBlock(torch.nn.Module):
    def __init__(self, c_in: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = torch.nn.Conv2d(c_in, planes, 3, stride, 1, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(planes)
        self.conv2 = torch.nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = torch.nn.BatchNorm2d(planes)
        self.stride, self.extra = stride, planes - c_in

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        if self.stride != 1 or self.extra:  # option A: subsample, pad channels with zeros
            half = self.extra // 2
            x = torch.nn.functional.pad(
                x[:, :, :: self.stride, :: self.stride], (0, 0, 0, 0, half, self.extra - half)
            )
        return torch.relu(out + x)


class _TorchCifarResNet(torch.nn.Module):
    def __init__(self, n: int, num_classes: int) -> None:
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(16)
        c, stages = 16, []
        for planes, stride in ((16, 1), (32, 2), (64, 2)):
            blocks = [_TorchCifarBlock(c, planes, stride)]
            blocks += [_TorchCifarBlock(planes, planes) for _ in range(n - 1)]
            stages.append(torch.nn.Sequential(*blocks))
            c = planes
        self.layer1, self.layer2, self.layer3 = stages
        self.fc = torch.nn.Linear(64, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(x.mean((2, 3)))


def _torch_char_cnn(alphabet: int, features: int, hidden: int, out_len: int) -> torch.nn.Module:
    nn, f = torch.nn, features
    m = nn.Module()
    convs: list[nn.Module] = [nn.Conv1d(alphabet, f, 7), nn.ReLU(), nn.MaxPool1d(3)]
    convs += [nn.Conv1d(f, f, 7), nn.ReLU(), nn.MaxPool1d(3)]
    for _ in range(4):
        convs += [nn.Conv1d(f, f, 3), nn.ReLU()]
    m.features = nn.Sequential(*convs, nn.MaxPool1d(3))
    m.classifier = nn.Sequential(
        nn.Linear(out_len * f, hidden),
        nn.ReLU(),
        nn.Dropout(0.5),
        nn.Linear(hidden, hidden),
        nn.ReLU(),
        nn.Dropout(0.5),
        nn.Linear(hidden, 4),
    )
    m.forward = lambda x: m.classifier(m.features(x).flatten(1))
    return m


def _torch_char_transformer(vocab: int, d: int, heads: int, layers: int, ff: int, max_len: int):
    nn = torch.nn
    m = nn.Module()
    m.embedding = nn.Embedding(vocab, d)
    m.positions = nn.Embedding(max_len, d)
    block = nn.TransformerEncoderLayer(
        d, heads, ff, 0.1, activation="gelu", batch_first=True, norm_first=True
    )
    m.blocks = nn.TransformerEncoder(block, layers, nn.LayerNorm(d), enable_nested_tensor=False)
    m.head = nn.Linear(d, vocab)

    def forward(ids: torch.Tensor) -> torch.Tensor:
        n = ids.shape[1]
        x = m.embedding(ids) + m.positions.weight[:n]
        mask = nn.Transformer.generate_square_subsequent_mask(n)
        return m.head(m.blocks(x, mask, is_causal=True))

    m.forward = forward
    return m


def _torch_nnlm(vocab: int, context: int, dim: int, hidden: int) -> torch.nn.Module:
    nn = torch.nn
    m = nn.Module()
    m.embedding = nn.Embedding(vocab, dim)
    m.hidden = nn.Linear(context * dim, hidden)
    m.output = nn.Linear(hidden, vocab)
    m.direct = nn.Linear(context * dim, vocab, bias=False)

    def forward(ids: torch.Tensor) -> torch.Tensor:
        x = m.embedding(ids).flatten(1)
        return m.output(torch.tanh(m.hidden(x))) + m.direct(x)

    m.forward = forward
    return m


def _torch_word_lstm(vocab: int, dim: int, hidden: int, layers: int) -> torch.nn.Module:
    nn = torch.nn
    m = nn.Module()
    m.embedding = nn.Embedding(vocab, dim)
    m.rnn = nn.LSTM(dim, hidden, layers, batch_first=True)
    m.head = nn.Linear(hidden, vocab)
    m.forward = lambda ids: m.head(m.rnn(m.embedding(ids))[0])
    return m


def _ids(vocab: int, *shape: int) -> tuple[np.ndarray]:
    return (np.random.default_rng(3).integers(0, vocab, shape),)


HAND: dict[str, tuple[Callable[[], Any], Callable[[], torch.nn.Module], Any]] = {
    "resnet8-cifar": (
        lambda: M.resnet_cifar(8, num_classes=10, rng=np.random.default_rng(0)),
        lambda: _TorchCifarResNet(1, 10),
        _images(32),
    ),
    "char-cnn": (  # the small CNN's layout at a short length and few channels
        lambda: M.char_cnn(4, length=150, features=16, hidden=32, rng=np.random.default_rng(0)),
        lambda: _torch_char_cnn(70, 16, 32, 2),
        (np.random.default_rng(4).standard_normal((2, 70, 150)).astype(np.float32),),
    ),
    "char-transformer": (
        lambda: M.CharTransformer(20, 16, 2, 2, 32, max_len=12, rng=np.random.default_rng(0)),
        lambda: _torch_char_transformer(20, 16, 2, 2, 32, 12),
        _ids(20, 3, 9),
    ),
    "nnlm-direct": (
        lambda: M.NNLM(25, 3, 6, 10, direct=True, rng=np.random.default_rng(0)),
        lambda: _torch_nnlm(25, 3, 6, 10),
        _ids(25, 4, 3),
    ),
    "word-lstm-2layers": (
        lambda: M.WordLSTM(25, 8, 12, num_layers=2, rng=np.random.default_rng(0)),
        lambda: _torch_word_lstm(25, 8, 12, 2),
        _ids(25, 3, 7),
    ),
}


@pytest.mark.parametrize("name", HAND, ids=HAND)
def test_hand_written_twin_round_trips_both_ways(name: str, tmp_path: Path) -> None:
    make_lamina, make_torch, x = HAND[name]
    torch.manual_seed(0)
    both_ways(make_lamina(), make_torch(), x, tmp_path)


# ---------------------------------------------------------------- lamina -> file -> lamina
SELF: dict[str, tuple[Callable[[np.random.Generator], Any], tuple[np.ndarray, ...]]] = {
    "mobilenet-v1": (
        lambda rng: M.mobilenet_v1(10, width_mult=0.25, rng=rng),
        _images(32),
    ),
    "seq2seq-gru-additive": (
        lambda rng: M.Seq2Seq(15, 17, 8, 12, "gru", "additive", rng=rng),
        (*_ids(15, 3, 6), *_ids(17, 3, 5)),
    ),
    "seq2seq-lstm-dot": (
        lambda rng: M.Seq2Seq(15, 17, 8, 12, "lstm", "dot", rng=rng),
        (*_ids(15, 3, 6), *_ids(17, 3, 5)),
    ),
    "word-lstm-tied": (
        lambda rng: M.WordLSTM(25, 12, 12, tie_weights=True, rng=rng),
        _ids(25, 3, 7),
    ),
}


@pytest.mark.parametrize("name", SELF, ids=SELF)
def test_lamina_round_trip_gives_identical_outputs(name: str, tmp_path: Path) -> None:
    build, x = SELF[name]
    net = build(np.random.default_rng(0)).eval()
    _lamina_stats(net)
    path = tmp_path / "net.safetensors"
    L.save(net.state_dict(), path)
    header = _header(path)
    state = net.state_dict()
    assert sorted(k for k in header if k != "__metadata__") == sorted(state)
    for k, v in state.items():
        assert header[k]["shape"] == list(v.shape)
        assert header[k]["dtype"] == {"float32": "F32", "int64": "I64"}[np.asarray(v).dtype.name]
    fresh = build(np.random.default_rng(1)).eval()
    assert not np.array_equal(_run_lamina(fresh, x), _run_lamina(net, x))
    fresh.load_state_dict(L.load(path), strict=True)
    np.testing.assert_array_equal(_run_lamina(fresh, x), _run_lamina(net, x))
    if name == "word-lstm-tied":  # loading keeps the output layer tied to the embedding
        assert fresh.head.weight is fresh.embedding.weight
