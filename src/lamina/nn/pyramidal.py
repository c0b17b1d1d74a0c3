"""The pyramidal recurrent stack of "Listen, Attend and Spell": the time axis halved between
layers by joining neighbouring steps."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from lamina.autodiff.dtypes import factory_dtype
from lamina.autodiff.tensor import Tensor
from lamina.errors import check_positive_int
from lamina.nn.container import ModuleList
from lamina.nn.module import Module
from lamina.nn.recurrent import LSTM, RNNBase
from lamina.ops.shape import pad, reshape

__all__ = ["Pyramidal", "PyramidalLSTM"]


class Pyramidal(Module):
    """Recurrent layers that halve the time axis between them (the pyramidal BLSTM of LAS).

    Before every layer but the first, neighbouring steps are joined,
    x'_t = [x_{2t}; x_{2t+1}], so (L, N, F) becomes (ceil(L / 2), N, 2F); an odd last step
    is paired with a zero step (a padded step's output is zero anyway). Lengths become
    ceil(length / 2). Each layer must take twice the features the previous one outputs.

    Parameters
    ----------
    layers : sequence of RNNBase
        All with the same ``batch_first``.

    Notes
    -----
    forward(input, lengths=None) returns (output, lengths of the output or None). Chan et
    al., "Listen, Attend and Spell" (2016): three pyramidal layers cut the time resolution
    by 8, which makes attention over long audio tractable.
    """

    def __init__(self, layers: Sequence[RNNBase]) -> None:
        super().__init__()
        layers = list(layers)
        if not layers:
            raise ValueError("Pyramidal: expected at least one recurrent layer")
        for prev, nxt in itertools.pairwise(layers):
            feats = prev.hidden_size * (2 if prev.bidirectional else 1)
            if nxt.input_size != 2 * feats or nxt.batch_first != prev.batch_first:
                raise ValueError(
                    f"Pyramidal: {nxt!r} must take 2 * {feats} = {2 * feats} features and "
                    f"batch_first={prev.batch_first} after {prev!r}"
                )
        self.layers = ModuleList(layers)

    def _halve(self, x: Tensor, batch_first: bool) -> Tensor:
        t = 1 if batch_first else 0
        if x.shape[t] % 2:
            widths = [0, 0, 0, 0, 0, 0]
            widths[5 - 2 * t] = 1  # one zero step after the last
            x = pad(x, widths)
        if batch_first:
            n, steps, f = x.shape
            return reshape(x, (n, steps // 2, 2 * f))
        steps, n, f = x.shape
        return reshape(
            reshape(x, (steps // 2, 2, n, f)).permute(0, 2, 1, 3), (steps // 2, n, 2 * f)
        )

    def forward(self, input: Tensor, lengths: Any = None) -> tuple[Tensor, Any]:
        x = input
        n = None if lengths is None else np.asarray(getattr(lengths, "data", lengths))
        for i, layer in enumerate(self.layers):
            if i:
                x = self._halve(x, layer.batch_first)
                n = None if n is None else (n + 1) // 2
            x, _ = layer(x, lengths=n)
        return x, n


class PyramidalLSTM(Pyramidal):
    """``num_layers`` LSTMs, the time axis halved between them (LAS's listener).

    Parameters
    ----------
    input_size, hidden_size : int
    num_layers : int, default=3
    bidirectional : bool, default=True
    batch_first : bool, default=False
    device : "cpu", optional
    dtype : float32 or float64, optional
    rng : numpy.random.Generator, optional
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 3,
        bidirectional: bool = True,
        batch_first: bool = False,
        *,
        device: Any = None,
        dtype: Any = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        factory_dtype("PyramidalLSTM", device, dtype)
        check_positive_int("PyramidalLSTM", num_layers=num_layers)
        out = hidden_size * (2 if bidirectional else 1)
        layers = [
            LSTM(
                input_size if i == 0 else 2 * out,
                hidden_size,
                batch_first=batch_first,
                bidirectional=bidirectional,
                device=device,
                dtype=dtype,
                rng=rng,
            )
            for i in range(num_layers)
        ]
        super().__init__(layers)
