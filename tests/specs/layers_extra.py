"""Layer records: channel dropout, padding, instance and group norm, upsampling, the newer
losses, and the activations built with PyTorch's ``inplace`` argument."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

import lamina.nn as nn
from specs.layers import LayerSpec, randn


class _OnCopy(torch.nn.Module):
    """An in-place activation applied to a copy (a leaf that requires grad cannot be changed
    in place, in PyTorch as in lamina); the gradient flows back through the copy."""

    def __init__(self, module: torch.nn.Module) -> None:
        super().__init__()
        self.module = module

    def forward(self, x: torch.Tensor) -> Any:
        return self.module(x.clone())


class _LaminaOnCopy(nn.Module):
    """lamina's twin of ``_OnCopy``."""

    def __init__(self, module: nn.Module) -> None:
        super().__init__()
        self.module = module

    def forward(self, x: Any) -> Any:
        return self.module(x.clone())


def pair(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    return rng.standard_normal((4, 3)), rng.standard_normal((4, 3)) * 2


def log_probs_and_probs(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    x = rng.standard_normal((4, 5))
    logq = x - np.log(np.exp(x).sum(axis=1, keepdims=True))
    p = rng.random((4, 5)) + 0.1
    return logq, p / p.sum(axis=1, keepdims=True)


def log_probs_and_log_probs(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    logq, p = log_probs_and_probs(rng)
    return logq, np.log(p)


def probs_and_targets(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    return rng.uniform(0.05, 0.95, (4, 3)), (rng.random((4, 3)) > 0.5).astype(np.float64)


LAYERS = [
    LayerSpec(
        "Dropout2d",
        lambda: nn.Dropout2d(0.3),
        lambda: torch.nn.Dropout2d(0.3),
        randn(2, 3, 4, 4),
        randn(3, 4),
        stochastic=True,
    ),
    LayerSpec(
        "ReflectionPad2d",
        lambda: nn.ReflectionPad2d((1, 2, 0, 3)),
        lambda: torch.nn.ReflectionPad2d((1, 2, 0, 3)),
        randn(2, 3, 4, 5),
        randn(3, 4),
    ),
    LayerSpec(
        "ReflectionPad2d_too_wide",
        lambda: nn.ReflectionPad2d(2),
        lambda: torch.nn.ReflectionPad2d(2),
        randn(1, 2, 5, 5),
        randn(1, 2, 2, 2),
        bad_match=r"ReflectionPad2d\(\(2, 2, 2, 2\)\): pad: reflect padding must be less",
    ),
    LayerSpec(
        "ReplicationPad2d",
        lambda: nn.ReplicationPad2d(3),
        lambda: torch.nn.ReplicationPad2d(3),
        randn(2, 3, 2, 4),
        randn(2, 3),
    ),
    LayerSpec(
        "ZeroPad2d",
        lambda: nn.ZeroPad2d((1, 0, 2, 1)),
        lambda: torch.nn.ZeroPad2d((1, 0, 2, 1)),
        randn(3, 4, 4),
        randn(4, 4),
    ),
    LayerSpec(
        "ConstantPad2d",
        lambda: nn.ConstantPad2d(1, 0.5),
        lambda: torch.nn.ConstantPad2d(1, 0.5),
        randn(2, 3, 2, 2),
    ),
    LayerSpec(
        "InstanceNorm2d",
        lambda: nn.InstanceNorm2d(3),
        lambda: torch.nn.InstanceNorm2d(3),
        randn(2, 3, 4, 4),
        randn(3, 4),
    ),
    LayerSpec(
        "InstanceNorm2d_affine_tracked",
        lambda: nn.InstanceNorm2d(3, momentum=0.3, affine=True, track_running_stats=True),
        lambda: torch.nn.InstanceNorm2d(3, momentum=0.3, affine=True, track_running_stats=True),
        randn(2, 3, 4, 5),
        randn(2, 4, 4, 5),
    ),
    LayerSpec(
        "InstanceNorm2d_unbatched",
        lambda: nn.InstanceNorm2d(2, affine=True),
        lambda: torch.nn.InstanceNorm2d(2, affine=True),
        randn(2, 3, 3),
    ),
    LayerSpec(
        "GroupNorm",
        lambda: nn.GroupNorm(2, 4),
        lambda: torch.nn.GroupNorm(2, 4),
        randn(3, 4, 3, 2),
        randn(3, 6, 3, 2),
    ),
    LayerSpec(
        "GroupNorm_1d_no_affine",
        lambda: nn.GroupNorm(3, 6, eps=1e-3, affine=False),
        lambda: torch.nn.GroupNorm(3, 6, eps=1e-3, affine=False),
        randn(2, 6, 5),
    ),
    LayerSpec(
        "Upsample_nearest",
        lambda: nn.Upsample(scale_factor=2),
        lambda: torch.nn.Upsample(scale_factor=2),
        randn(2, 3, 3, 4),
        randn(3, 4),
        bad_match=r"Upsample\(scale_factor=2.0, mode='nearest'\): interpolate: mode",
    ),
    LayerSpec(
        "Upsample_bilinear",
        lambda: nn.Upsample(size=(5, 7), mode="bilinear"),
        lambda: torch.nn.Upsample(size=(5, 7), mode="bilinear"),
        randn(2, 3, 3, 4),
        randn(2, 3, 4),
    ),
    LayerSpec(
        "Upsample_bilinear_corners",
        lambda: nn.Upsample(scale_factor=1.5, mode="bilinear", align_corners=True),
        lambda: torch.nn.Upsample(scale_factor=1.5, mode="bilinear", align_corners=True),
        randn(1, 2, 4, 4),
    ),
    LayerSpec(
        "Upsample_linear_1d",
        lambda: nn.Upsample(size=7, mode="linear"),
        lambda: torch.nn.Upsample(size=7, mode="linear"),
        randn(2, 3, 4),
    ),
    LayerSpec(
        "SmoothL1Loss",
        lambda: nn.SmoothL1Loss(beta=0.5),
        lambda: torch.nn.SmoothL1Loss(beta=0.5),
        pair,
        lambda rng: (np.zeros((4, 3)), np.zeros(3)),
        bad_match="smooth_l1_loss",
    ),
    LayerSpec(
        "HuberLoss",
        lambda: nn.HuberLoss(reduction="sum", delta=2.0),
        lambda: torch.nn.HuberLoss(reduction="sum", delta=2.0),
        pair,
    ),
    LayerSpec(
        "KLDivLoss_batchmean",
        lambda: nn.KLDivLoss(reduction="batchmean"),
        lambda: torch.nn.KLDivLoss(reduction="batchmean"),
        log_probs_and_probs,
        lambda rng: (np.zeros((4, 3)), np.zeros(3)),
        bad_match="kl_div",
    ),
    LayerSpec(
        "KLDivLoss_log_target",
        lambda: nn.KLDivLoss(reduction="none", log_target=True),
        lambda: torch.nn.KLDivLoss(reduction="none", log_target=True),
        log_probs_and_log_probs,
    ),
    LayerSpec(
        "BCELoss",
        lambda: nn.BCELoss(reduction="sum"),
        lambda: torch.nn.BCELoss(reduction="sum"),
        probs_and_targets,
        lambda rng: (np.full((4, 3), 0.5), np.full((4, 3), 2.0)),
        bad_match="binary_cross_entropy: target must hold values in",
    ),
    LayerSpec(
        "ReLU_inplace",
        lambda: _LaminaOnCopy(nn.ReLU(True)),
        lambda: _OnCopy(torch.nn.ReLU(True)),
        randn(3, 4),
    ),
    LayerSpec(
        "LeakyReLU_inplace",
        lambda: _LaminaOnCopy(nn.LeakyReLU(0.2, True)),
        lambda: _OnCopy(torch.nn.LeakyReLU(0.2, True)),
        randn(3, 4),
    ),
    LayerSpec(
        "ELU_inplace",
        lambda: _LaminaOnCopy(nn.ELU(0.7, True)),
        lambda: _OnCopy(torch.nn.ELU(0.7, True)),
        randn(3, 4),
    ),
    LayerSpec(
        "SELU_inplace",
        lambda: _LaminaOnCopy(nn.SELU(True)),
        lambda: _OnCopy(torch.nn.SELU(True)),
        randn(3, 4),
    ),
]
