"""Every zoo network with a torchvision twin: same state_dict keys, shapes and order; the
twin's random weights load strictly; eval-mode logits equal torchvision's (float32, <= 1e-4
relative to the largest logit); the parameter count at 1,000 classes is the published one.

torchvision's own model code is the reference (imported through ``_torchvision``), with its
own random initialization and random batch-norm running statistics; batch of one, at the
smallest input size each network's pooling allows.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch
from _torchvision import torchvision_models

import lamina as L
from lamina import models

TOL = 1e-4  # relative to the largest |logit|, float32
# name, lamina builder, torchvision builder keyword arguments, input side, exact parameters
TWINS = [
    ("alexnet", models.alexnet, {}, 63, 61_100_840),
    ("vgg11", models.vgg11, {}, 32, 132_863_336),
    ("vgg11_bn", models.vgg11_bn, {}, 32, 132_868_840),
    ("vgg13", models.vgg13, {}, 32, 133_047_848),
    ("vgg13_bn", models.vgg13_bn, {}, 32, 133_053_736),
    ("vgg16", models.vgg16, {}, 32, 138_357_544),
    ("vgg16_bn", models.vgg16_bn, {}, 32, 138_365_992),
    ("vgg19", models.vgg19, {}, 32, 143_667_240),
    ("vgg19_bn", models.vgg19_bn, {}, 32, 143_678_248),
    ("resnet18", models.resnet18, {}, 32, 11_689_512),
    ("resnet34", models.resnet34, {}, 32, 21_797_672),
    ("resnet50", models.resnet50, {}, 32, 25_557_032),
    ("googlenet", models.googlenet, {"aux_logits": False, "init_weights": True}, 32, 6_624_904),
]
FAST = {"resnet18", "googlenet"}  # the rest build 20 M to 140 M parameters twice: slow


def _randomize_running_stats(net: torch.nn.Module, gen: torch.Generator) -> None:
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=gen) * 0.1)
            m.running_var.copy_(torch.rand(m.num_features, generator=gen) + 0.5)


def check_twin(name, build, tv_kwargs, side, count) -> float:
    """Build both, load torchvision's weights into lamina, return the worst relative error."""
    torch.manual_seed(0)
    with torch.no_grad():
        ref = getattr(torchvision_models(), name)(**tv_kwargs).eval()
        _randomize_running_stats(ref, torch.Generator().manual_seed(1))
        net = build(rng=np.random.default_rng(0))
        assert sum(p.data.size for p in net.parameters()) == count
        assert sum(p.numel() for p in ref.parameters()) == count
        theirs = {k: v.numpy() for k, v in ref.state_dict().items()}
        mine = net.state_dict()
        assert list(mine) == list(theirs)
        assert [a.shape for a in mine.values()] == [b.shape for b in theirs.values()]
        net.load_state_dict(theirs, strict=True)
        net.eval()
        x = np.random.default_rng(2).standard_normal((1, 3, side, side)).astype(np.float32)
        expected = ref(torch.from_numpy(x)).numpy()
        got = net(L.tensor(x))
    assert got.dtype == np.float32 and got.shape == expected.shape == (1, 1000)
    return float(np.abs(got.data - expected).max() / np.abs(expected).max())


@pytest.mark.parametrize(
    "twin",
    [pytest.param(t, id=t[0], marks=() if t[0] in FAST else pytest.mark.slow) for t in TWINS],
)
def test_twin_loads_torchvision_weights_and_matches_logits(twin):
    start = time.perf_counter()
    err = check_twin(*twin)
    print(f"{twin[0]}: relative error {err:.2e}, {time.perf_counter() - start:.1f} s")
    assert err <= TOL
