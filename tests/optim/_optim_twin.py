"""A small network built twice, in lamina and in torch with the same weights, for parity tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch

from lamina import nn, ops
from lamina.autodiff.tensor import Tensor
from lamina.nn import functional as F

RNG_SEED = 0


@contextmanager
def one_torch_thread() -> Iterator[None]:
    """Run torch on one thread: these tensors are tiny, and threads fight on a busy machine."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def data(seed: int = RNG_SEED) -> tuple[np.ndarray, np.ndarray]:
    """Fixed regression data: 32 samples, 4 features, 3 targets."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(32, 4))
    y = np.tanh(x @ rng.normal(size=(4, 3))) + 0.1 * rng.normal(size=(32, 3))
    return x, y


class Twin:
    """Linear(4, 8) -> tanh -> Linear(8, 3) in lamina, and the same network in torch."""

    def __init__(self, seed: int = RNG_SEED) -> None:
        rng = np.random.default_rng(seed)
        self.l1 = nn.Linear(4, 8, dtype=np.float64, rng=rng)
        self.l2 = nn.Linear(8, 3, dtype=np.float64, rng=rng)
        self.t1 = torch.nn.Linear(4, 8).double()
        self.t2 = torch.nn.Linear(8, 3).double()
        with torch.no_grad():
            for lam, tor in zip(self.params(), self.torch_params()):
                tor.copy_(torch.from_numpy(lam.data.copy()))

    def params(self) -> list[Any]:
        return [self.l1.weight, self.l1.bias, self.l2.weight, self.l2.bias]

    def torch_params(self) -> list[torch.Tensor]:
        return [self.t1.weight, self.t1.bias, self.t2.weight, self.t2.bias]

    def groups(self, lamina: bool, lr: float) -> list[dict[str, Any]]:
        """Two parameter groups: the first layer with its own lr, the second with the default."""
        p = self.params() if lamina else self.torch_params()
        return [{"params": p[:2], "lr": lr}, {"params": p[2:]}]

    def loss(self, x: np.ndarray, y: np.ndarray) -> Tensor:
        return F.mse_loss(self.l2(ops.tanh(self.l1(Tensor(x)))), Tensor(y))

    def torch_loss(self, x: np.ndarray, y: np.ndarray) -> torch.Tensor:
        out = self.t2(torch.tanh(self.t1(torch.from_numpy(x))))
        return torch.nn.functional.mse_loss(out, torch.from_numpy(y))


def train(twin: Twin, opt: Any, steps: int, sched: Any = None, torch_side: bool = False) -> None:
    """``steps`` steps of full-batch training, stepping ``sched`` after each if given."""
    x, y = data()
    for _ in range(steps):
        opt.zero_grad()
        loss = twin.torch_loss(x, y) if torch_side else twin.loss(x, y)
        loss.backward()
        opt.step()
        if sched is not None:
            sched.step()


def flatten(tree: Any, prefix: str = "") -> dict[str, Any]:
    """A nested dict of state as flat 'a/b/c' keys, each leaf an array: what np.savez stores."""
    if isinstance(tree, dict):
        flat: dict[str, Any] = {}
        for k, v in tree.items():
            flat.update(flatten(v, f"{prefix}{k}/"))
        return flat
    if isinstance(tree, (list, tuple)) and any(isinstance(v, dict) for v in tree):
        return flatten(dict(enumerate(tree)), prefix)
    return {prefix[:-1]: np.asarray(tree)}


def unflatten(flat: Any) -> dict[str, Any]:
    """The inverse of ``flatten``; numeric keys become ints, lists of dicts become lists."""
    tree: dict[Any, Any] = {}
    for key in flat:
        node = tree
        *path, leaf = [int(k) if k.isdigit() else k for k in key.split("/")]
        for k in path:
            node = node.setdefault(k, {})
        node[leaf] = flat[key]
    return _lists(tree)


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    node = {k: _lists(v) for k, v in node.items()}
    if "param_groups" in node:
        groups = node["param_groups"]
        node["param_groups"] = [groups[i] for i in sorted(groups)]
        node.setdefault("state", {})
    return node
