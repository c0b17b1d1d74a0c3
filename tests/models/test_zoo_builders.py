"""The zoo networks without a torchvision twin: MobileNet v1 (Keras's layer choices), the
CIFAR ResNets (He et al. 2016, option A) and the character CNN (Zhang et al. 2015).

Each is held to a PyTorch network written here from the paper, layer for layer with the same
parameter names: lamina's random weights load into it and the eval-mode logits agree (float32,
<= 1e-4 relative to the largest logit). Parameter counts are exact: MobileNet's equals Keras's
``MobileNet(alpha=1.0)`` (4,231,976 trainable, 4,253,864 with the batch-norm statistics).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn as tnn

import lamina as L
from lamina import models

TOL = 1e-4


def count(net) -> int:
    return sum(p.data.size for p in net.parameters())


def relative_error(net, ref: tnn.Module, x: np.ndarray) -> float:
    """Load lamina's weights into ``ref`` (strictly), run both in eval mode on ``x``."""
    ref.load_state_dict({k: torch.from_numpy(v) for k, v in net.state_dict().items()})
    ref.eval(), net.eval()
    with torch.no_grad():
        expected = ref(torch.from_numpy(x)).numpy()
    got = net(L.tensor(x))
    assert got.dtype == expected.dtype and got.shape == expected.shape
    return float(np.abs(got.data - expected).max() / np.abs(expected).max())


def randomize_running_stats(net, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    for name, b in net.named_buffers():
        if name.endswith("running_mean"):
            b.data[...] = rng.standard_normal(b.shape) * 0.1
        elif name.endswith("running_var"):
            b.data[...] = rng.random(b.shape) + 0.5


# ------------------------------------------------------------------ MobileNet v1
class TorchSeparable(tnn.Module):
    def __init__(self, c_in: int, c_out: int, stride: int) -> None:
        super().__init__()
        self.depthwise = tnn.Conv2d(c_in, c_in, 3, stride, 1, groups=c_in, bias=False)
        self.bn1 = tnn.BatchNorm2d(c_in, eps=0.001)
        self.pointwise = tnn.Conv2d(c_in, c_out, 1, bias=False)
        self.bn2 = tnn.BatchNorm2d(c_out, eps=0.001)

    def forward(self, x):
        x = tnn.functional.relu6(self.bn1(self.depthwise(x)))
        return tnn.functional.relu6(self.bn2(self.pointwise(x)))


class TorchMobileNet(tnn.Module):
    def __init__(self, num_classes: int, in_channels: int, alpha: float) -> None:
        super().__init__()
        c = int(32 * alpha)
        self.stem = tnn.Sequential(
            tnn.Conv2d(in_channels, c, 3, 2, 1, bias=False),
            tnn.BatchNorm2d(c, eps=0.001),
            tnn.ReLU6(),
        )
        blocks = []
        for out, stride in models.mobilenet.BLOCKS:
            blocks.append(TorchSeparable(c, int(out * alpha), stride))
            c = int(out * alpha)
        self.features = tnn.Sequential(*blocks)
        self.fc = tnn.Linear(c, num_classes)

    def forward(self, x):
        x = self.features(self.stem(x)).mean(dim=(2, 3))
        return self.fc(x)


def test_mobilenet_v1_counts_equal_keras():
    net = models.mobilenet_v1(rng=np.random.default_rng(0))
    stats = sum(b.data.size for n, b in net.named_buffers() if "running" in n)
    assert count(net) == 4_231_976 and stats == 21_888
    assert count(net) + stats == 4_253_864  # Keras's total for MobileNet(alpha=1.0)
    assert count(models.mobilenet_v1(10, 1, 0.25)) == 215_498  # mobilenet-mnist


@pytest.mark.parametrize("alpha,side", [(1.0, 32), (0.25, 28), (0.5, 64)])
def test_mobilenet_v1_matches_its_torch_twin(alpha, side):
    net = models.mobilenet_v1(10, 3 if side != 28 else 1, alpha, rng=np.random.default_rng(0))
    randomize_running_stats(net)
    ref = TorchMobileNet(10, 3 if side != 28 else 1, alpha)
    x = np.random.default_rng(2).standard_normal((2, ref.stem[0].in_channels, side, side))
    assert relative_error(net, ref, x.astype(np.float32)) <= TOL


def test_mobilenet_width_multiplier_scales_channels_and_is_checked():
    net = models.mobilenet_v1(10, 1, 0.25)
    assert net.stem[0].out_channels == 8 and net.fc.in_features == 256
    with pytest.raises(ValueError, match=r"mobilenet_v1: width_mult must be a number in \(0, 4\]"):
        models.mobilenet_v1(width_mult=0.0)


# ------------------------------------------------------------------ CIFAR ResNet, option A
class TorchCifarBlock(tnn.Module):
    def __init__(self, c_in: int, planes: int, stride: int) -> None:
        super().__init__()
        self.conv1 = tnn.Conv2d(c_in, planes, 3, stride, 1, bias=False)
        self.bn1 = tnn.BatchNorm2d(planes)
        self.conv2 = tnn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = tnn.BatchNorm2d(planes)
        self.stride, self.extra = stride, planes - c_in

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.stride != 1 or self.extra:
            x = x[:, :, :: self.stride, :: self.stride]
            x = tnn.functional.pad(x, (0, 0, 0, 0, self.extra // 2, self.extra - self.extra // 2))
        return torch.relu(out + x)


class TorchCifarResNet(tnn.Module):
    def __init__(self, depth: int, num_classes: int, in_channels: int) -> None:
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = tnn.Conv2d(in_channels, 16, 3, 1, 1, bias=False)
        self.bn1 = tnn.BatchNorm2d(16)
        c, stages = 16, []
        for planes, stride in ((16, 1), (32, 2), (64, 2)):
            blocks = [TorchCifarBlock(c, planes, stride)]
            blocks += [TorchCifarBlock(planes, planes, 1) for _ in range(n - 1)]
            stages.append(tnn.Sequential(*blocks))
            c = planes
        self.layer1, self.layer2, self.layer3 = stages
        self.fc = tnn.Linear(64, num_classes)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(x.mean(dim=(2, 3)))


@pytest.mark.parametrize(
    "depth,params", [(20, 269_722), (32, 464_154), (44, 658_586), (56, 853_018)]
)
def test_resnet_cifar_parameter_counts(depth, params):
    assert count(models.resnet_cifar(depth)) == params


@pytest.mark.parametrize("depth,in_channels,side", [(20, 3, 32), (8, 1, 28)])
def test_resnet_cifar_matches_its_torch_twin(depth, in_channels, side):
    net = models.resnet_cifar(depth, 10, in_channels, rng=np.random.default_rng(0))
    randomize_running_stats(net)
    x = np.random.default_rng(2).standard_normal((2, in_channels, side, side))
    err = relative_error(net, TorchCifarResNet(depth, 10, in_channels), x.astype(np.float32))
    assert err <= TOL


def test_resnet_cifar_option_a_shortcut_is_subsampled_and_zero_padded():
    block = models.resnet_cifar(20).layer2[0]
    x = np.random.default_rng(0).standard_normal((1, 16, 8, 8)).astype(np.float32)
    out = block.shortcut(L.tensor(x)).data
    assert out.shape == (1, 32, 4, 4)
    np.testing.assert_array_equal(out[:, 8:24], x[:, :, ::2, ::2])
    assert not out[:, :8].any() and not out[:, 24:].any()


@pytest.mark.parametrize("depth", [18, 7, 0])
def test_resnet_cifar_refuses_a_depth_not_6n_plus_2(depth):
    with pytest.raises(ValueError, match=r"resnet_cifar: depth must be"):
        models.resnet_cifar(depth)


# ------------------------------------------------------------------ character CNN
class TorchCharCNN(tnn.Module):
    def __init__(
        self, num_classes: int, alphabet: int, length: int, f: int, hidden: int, bn: bool = False
    ):
        super().__init__()
        out, layers = length, []
        for i, (kernel, pool) in enumerate(((7, 3), (7, 3), (3, 1), (3, 1), (3, 1), (3, 3))):
            out = (out - kernel + 1) // pool
            layers.append(tnn.Conv1d(alphabet if i == 0 else f, f, kernel, bias=not bn))
            layers += [tnn.BatchNorm1d(f)] if bn else []
            layers.append(tnn.ReLU())
            layers += [tnn.MaxPool1d(pool)] if pool > 1 else []
        self.features = tnn.Sequential(*layers)
        self.classifier = tnn.Sequential(
            tnn.Linear(out * f, hidden),
            tnn.ReLU(),
            tnn.Dropout(0.5),
            tnn.Linear(hidden, hidden),
            tnn.ReLU(),
            tnn.Dropout(0.5),
            tnn.Linear(hidden, num_classes),
        )

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


def test_char_cnn_parameter_count_for_70_characters_and_length_1014():
    net = models.char_cnn(4, rng=np.random.default_rng(0))
    assert len(models.ALPHABET) == 70 and net.features[0].in_channels == 70
    assert count(net) == 11_339_780
    assert count(models.char_cnn(2)) == 11_337_730
    assert count(models.char_cnn(4, batch_norm=True)) == 11_339_780 + 6 * 256  # 2f - f each


@pytest.mark.parametrize("batch_norm", [False, True])
def test_char_cnn_matches_its_torch_twin_on_one_hot_codes(batch_norm):
    texts = ["A gorgeous, witty film!", "dull and ~overlong~ (2/10)", "\u00e9t\u00e9 ok"]
    rng = np.random.default_rng(0)
    net = models.char_cnn(3, length=160, features=32, hidden=64, batch_norm=batch_norm, rng=rng)
    if batch_norm:
        randomize_running_stats(net)
    codes = models.encode_chars(texts, length=160)
    one_hot = net.one_hot(codes).data
    assert one_hot.shape == (3, 70, 160) and one_hot.dtype == np.float32
    assert (one_hot.sum(axis=1) <= 1).all()  # unknown characters and padding: all zeros
    ref = TorchCharCNN(3, 70, 160, 32, 64, batch_norm)
    assert relative_error(net, ref, one_hot) <= TOL
    np.testing.assert_allclose(net(L.tensor(codes)).data, net(L.tensor(one_hot)).data)


def test_encode_chars_reads_backwards_lowercased_with_zero_for_unknown():
    codes = models.encode_chars(["Ab\u00e9"], length=5)
    a, b = models.ALPHABET.index("a") + 1, models.ALPHABET.index("b") + 1
    np.testing.assert_array_equal(codes, [[0, b, a, 0, 0]])


def test_char_cnn_refuses_short_inputs_and_wrong_shapes():
    with pytest.raises(ValueError, match=r"char_cnn: length must be at least 123"):
        models.char_cnn(2, length=100)
    net = models.char_cnn(2, length=123, features=8, hidden=8)
    with pytest.raises(ValueError, match=r"CharCNN: expected codes of shape \(N, 123\)"):
        net(L.tensor(np.zeros((2, 99), np.int64)))


# ------------------------------------------------------------------ every builder
STATED = {  # the count each builder's docstring states (1,000 classes, or as documented)
    models.alexnet: "61,100,840",
    models.vgg11: "132,863,336",
    models.vgg11_bn: "132,868,840",
    models.vgg13: "133,047,848",
    models.vgg13_bn: "133,053,736",
    models.vgg16: "138,357,544",
    models.vgg16_bn: "138,365,992",
    models.vgg19: "143,667,240",
    models.vgg19_bn: "143,678,248",
    models.resnet18: "11,689,512",
    models.resnet34: "21,797,672",
    models.resnet50: "25,557,032",
    models.resnet_cifar: "269,722",
    models.googlenet: "6,624,904",
    models.mobilenet_v1: "4,231,976",
    models.char_cnn: "11,339,780",
}


@pytest.mark.parametrize("builder", list(STATED), ids=lambda b: b.__name__)
def test_every_builder_documents_its_count_and_what_the_network_introduced(builder):
    network = getattr(models, builder.__annotations__["return"])
    assert STATED[builder] in builder.__doc__
    assert "What it introduced" in network.__doc__ and STATED[builder] in network.__doc__


@pytest.mark.parametrize("builder", [models.resnet18, models.googlenet], ids=lambda b: b.__name__)
def test_imagenet_builders_take_one_channel_and_small_inputs(builder):
    net = builder(10, 1, rng=np.random.default_rng(0)).eval()
    out = net(L.tensor(np.zeros((2, 1, 32, 32), np.float32)))
    assert out.shape == (2, 10) and out.dtype == np.float32
