"""Benchmark: ResNet-18 (torchvision's layout) in lamina and in PyTorch (CPU, 2 threads).

One training step (forward, cross-entropy, backward, SGD with momentum 0.9) on a batch of
8 x 3x224x224, and eval-mode inference of one 3x224x224 image, float32. Both networks hold
the same weights (torchvision's random initialization, loaded into lamina's twin). Prints
seconds per step (median of 3 after a warm-up, the frameworks interleaved) and the ratios
lamina / PyTorch. Run: python benchmarks/resnet18.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch
from _timing import compare, setup_torch

import lamina as L
import lamina.nn.functional as F
from lamina import optim
from lamina.autodiff.grad_mode import no_grad
from lamina.models import resnet18

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "models"))
from _torchvision import torchvision_models

BATCH, SIDE = 8, 224


def main() -> dict[str, float]:
    setup_torch()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, 3, SIDE, SIDE)).astype(np.float32)
    y = rng.integers(0, 1000, BATCH)
    tmodel = torchvision_models().resnet18()
    model = resnet18()
    model.load_state_dict({k: v.numpy() for k, v in tmodel.state_dict().items()})
    opt = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    topt = torch.optim.SGD(tmodel.parameters(), lr=0.01, momentum=0.9)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)

    def lamina_step() -> None:
        model.train()
        loss = F.cross_entropy(model(L.tensor(x)), L.tensor(y))
        opt.zero_grad()
        loss.backward()
        opt.step()

    def torch_step() -> None:
        tmodel.train()
        loss = torch.nn.functional.cross_entropy(tmodel(xt), yt)
        topt.zero_grad()
        loss.backward()
        topt.step()

    one, tone = L.tensor(x[:1]), xt[:1]

    def lamina_infer() -> None:
        model.eval()
        with no_grad():
            model(one)

    def torch_infer() -> None:
        tmodel.eval()
        with torch.no_grad():
            tmodel(tone)

    train = compare("resnet18 train step (8x3x224x224)", lamina_step, torch_step, repeats=3)
    infer = compare("resnet18 inference (1x3x224x224)", lamina_infer, torch_infer, repeats=5)
    return {"train_ratio": train["ratio"], "infer_ratio": infer["ratio"]}


if __name__ == "__main__":
    main()
