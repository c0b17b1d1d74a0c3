"""``summary``: a Keras-style table of a model's layers, output shapes and parameter counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lamina.autodiff.grad_mode import no_grad
from lamina.autodiff.tensor import Tensor
from lamina.nn.module import Module

__all__ = ["Summary", "SummaryRow", "summary"]


@dataclass(frozen=True)
class SummaryRow:
    """One layer: its dotted name, class, output shape (batch as -1) and own parameter count."""

    name: str
    kind: str
    output_shape: tuple[Any, ...]
    params: int


@dataclass
class Summary:
    """The rows of ``summary`` and the totals; ``str()`` gives the table."""

    model: str
    rows: list[SummaryRow] = field(default_factory=list)
    total_params: int = 0
    trainable_params: int = 0

    def __str__(self) -> str:
        header = ("Layer (type)", "Output shape", "Param #")
        body = [(f"{r.name} ({r.kind})", str(r.output_shape), f"{r.params:,}") for r in self.rows]
        widths = [max(len(row[i]) for row in [header, *body]) for i in range(3)]
        line = "-" * (sum(widths) + 6)

        def fmt(row: tuple[str, str, str]) -> str:
            return f"{row[0]:<{widths[0]}}   {row[1]:<{widths[1]}}   {row[2]:>{widths[2]}}"

        lines = [f"Model: {self.model}", line, fmt(header), "=" * len(line)]
        lines += [fmt(row) for row in body]
        lines += [
            "=" * len(line),
            f"Total params: {self.total_params:,}",
            f"Trainable params: {self.trainable_params:,}",
            f"Non-trainable params: {self.total_params - self.trainable_params:,}",
        ]
        return "\n".join(lines)


def _shape(out: Any) -> tuple[Any, ...]:
    if isinstance(out, Tensor):
        return (-1, *out.shape[1:])
    if isinstance(out, (tuple, list)):
        return tuple(_shape(o) for o in out)
    return ()


def summary(
    model: Module, input_shape: tuple[int, ...], dtype: Any = None, batch_size: int = 2
) -> Summary:
    """Run ``model`` once on zeros of shape (batch_size, *input_shape) and tabulate each layer.

    Each sub-module is listed with the shape it returned (batch as -1) and the parameters it
    owns itself: a dense layer n_in * n_out + n_out, an LSTM 4 * n * (m + n + 1) plus n per
    extra bias, and so on. Containers show the total of their layers.
    """
    rows: dict[int, SummaryRow] = {}
    order: list[int] = []
    handles = []
    for name, module in model.named_modules():
        if module is model:
            continue

        def hook(m: Module, _inputs: tuple, out: Any, name: str = name) -> None:
            if id(m) not in rows:
                order.append(id(m))
            own = sum(p.data.size for p in m.parameters(recurse=False))
            rows[id(m)] = SummaryRow(name, type(m).__name__, _shape(out), own)

        handles.append(module.register_forward_hook(hook))
    was_training = model.training
    model.eval()
    try:
        dt = (
            np.dtype(dtype)
            if dtype is not None
            else next((p.dtype for p in model.parameters()), np.dtype(np.float32))
        )
        with no_grad():
            model(Tensor._wrap(np.zeros((batch_size, *input_shape), dt)))
    finally:
        model.train(was_training)
        for h in handles:
            h.remove()
    result = Summary(type(model).__name__, [rows[i] for i in order])
    result.total_params = sum(p.data.size for p in model.parameters())
    result.trainable_params = sum(p.data.size for p in model.parameters() if p.requires_grad)
    return result
