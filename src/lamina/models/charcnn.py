"""The character-level CNN of Zhang, Zhao and LeCun (2015), "small" model."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from lamina.autodiff.tensor import Tensor
from lamina.nn import init
from lamina.nn.activation import ReLU
from lamina.nn.container import Sequential
from lamina.nn.conv import Conv1d
from lamina.nn.dropout import Dropout
from lamina.nn.linear import Flatten, Linear
from lamina.nn.module import Module
from lamina.nn.norm import BatchNorm1d
from lamina.nn.pool import MaxPool1d
from lamina.ops.lookup import embedding
from lamina.ops.shape import permute

__all__ = ["ALPHABET", "CharCNN", "char_cnn", "encode_chars"]

# the paper's 70 characters: 26 letters, 10 digits, 33 others (with "-" twice, as printed in
# the paper and in its authors' code; the second "-" column is never set) and the newline
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-,;.!?:'\"/\\|_@#$%^&*~`+-=<>()[]{}\n"


def encode_chars(texts: Iterable[str], alphabet: str = ALPHABET, length: int = 1014) -> np.ndarray:
    """(N, length) int64 codes: 1 + the character's place in ``alphabet``, 0 for any other
    character and for padding. Lower-cased, cut to ``length`` and read backwards (last
    character first), as the paper quantizes, so the end of a text is always seen."""
    lookup: dict[str, int] = {}
    for i, c in enumerate(alphabet):
        lookup.setdefault(c, i + 1)
    texts = list(texts)
    out = np.zeros((len(texts), length), np.int64)
    for row, text in enumerate(texts):
        codes = [lookup.get(c, 0) for c in text.lower()[:length]][::-1]
        out[row, : len(codes)] = codes
    return out


_LAYERS = ((7, 3), (7, 3), (3, 1), (3, 1), (3, 1), (3, 3))  # (kernel, max pool) of each Conv1d


def _out_length(length: int) -> int:
    for kernel, pool in _LAYERS:
        length = (length - kernel + 1) // pool
    return length


class CharCNN(Module):
    """Six 1-D convolutions over one-hot characters (kernels 7, 7, 3, 3, 3, 3; max pools of 3
    after the 1st, 2nd and 6th), then three dense layers with dropout 0.5 between.

    What it introduced: text classification from raw characters, with no words, no
    tokenizer and no embedding: each character is a one-hot column over ``alphabet`` (all
    zeros for any other character), and the convolutions learn the n-grams. The input is
    either the (N, length) codes of ``encode_chars`` or (N, len(alphabet), length) one-hot
    floats. "Small" model: ``features`` 256, ``hidden`` 1024 (the "large" one is 1024/2048),
    weights N(0, 0.05) as the paper. The length after the convolutions is
    ((length - 96) // 27) for length 1,014: 34.

    Parameters for 70 characters, length 1,014: 11,339,780 at 4 classes (AG News);
    11,337,730 at 2. Conv: 70*256*7 + 256, 256*256*7 + 256, 4 x (256*256*3 + 256);
    dense 34*256*1024 + 1024, 1024*1024 + 1024, 1024*classes + classes.

    ``batch_norm=True`` (not in the paper) puts a ``BatchNorm1d`` after each convolution,
    before its ReLU, and drops the convolutions' biases (the norm's shift replaces them):
    y = (conv(x) - mean) / sqrt(var + eps) * gamma + beta, with the batch statistics over N
    and L in training and the running ones in evaluation. On small data (the 8.5k training
    sentences of ``charcnn-sentiment``) the deep un-normalized stack under its N(0, 0.05)
    weights stays at chance for every learning rate, batch size and dropout tried; with the
    norm after each convolution it leaves chance within a few epochs. Each norm adds 2 * f
    parameters and removes the conv's f biases: + 6 * f in all.
    """

    def __init__(
        self,
        num_classes: int,
        alphabet: str = ALPHABET,
        length: int = 1014,
        features: int = 256,
        hidden: int = 1024,
        dropout: float = 0.5,
        batch_norm: bool = False,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        self.alphabet, self.length = str(alphabet), int(length)
        if _out_length(self.length) < 1:
            raise ValueError(f"char_cnn: length must be at least 123 characters, got {length}")
        a, f = len(self.alphabet), features
        self.batch_norm = bool(batch_norm)
        layers: list[Module] = []
        for i, (kernel, pool) in enumerate(_LAYERS):
            layers.append(Conv1d(a if i == 0 else f, f, kernel, bias=not batch_norm, rng=rng))
            if batch_norm:
                layers.append(BatchNorm1d(f))
            layers.append(ReLU())
            if pool > 1:
                layers.append(MaxPool1d(pool))
        self.features = Sequential(*layers)
        self.flatten = Flatten()
        self.classifier = Sequential(
            Linear(_out_length(self.length) * f, hidden, rng=rng),
            ReLU(),
            Dropout(dropout, rng=rng),
            Linear(hidden, hidden, rng=rng),
            ReLU(),
            Dropout(dropout, rng=rng),
            Linear(hidden, num_classes, rng=rng),
        )
        for m in self.modules():
            if isinstance(m, (Conv1d, Linear)):
                init.normal_(m.weight, 0.0, 0.05, rng)
                if m.bias is not None:
                    init.zeros_(m.bias)
        # row c is the one-hot column of code c (row 0, any other character, all zeros); a
        # buffer, so the lookup is part of the graph (and of an ONNX export), not of state_dict
        dt = self.features[0].weight.dtype
        table = np.concatenate([np.zeros((1, a), dt), np.eye(a, dtype=dt)])
        self.register_buffer("one_hot_table", table, persistent=False)

    def one_hot(self, x: Tensor | np.ndarray) -> Tensor:
        """(N, length) codes to (N, len(alphabet), length) one-hot floats (code 0: zeros)."""
        codes = np.asarray(x.data if isinstance(x, Tensor) else x)
        a, n = len(self.alphabet), self.length
        if codes.ndim != 2 or codes.shape[1] != n:
            raise ValueError(
                f"CharCNN: expected codes of shape (N, {n}) or one-hot (N, {a}, {n}), "
                f"got {codes.shape}"
            )
        idx = codes.astype(np.int64)
        if idx.min(initial=0) < 0 or idx.max(initial=0) > a:
            raise ValueError(f"CharCNN: character codes must be in [0, {a}]")
        return permute(embedding(idx, self.one_hot_table), (0, 2, 1))

    def forward(self, x: Tensor) -> Tensor:
        if x.ndim != 3:
            x = self.one_hot(x)
        return self.classifier(self.flatten(self.features(x)))


def char_cnn(
    num_classes: int = 4,
    alphabet: str = ALPHABET,
    length: int = 1014,
    *,
    batch_norm: bool = False,
    rng=None,
    **kwargs,
) -> CharCNN:
    """The "small" character CNN: 11,339,780 parameters at 4 classes, 70 characters,
    length 1,014 (11,341,316 with ``batch_norm=True``)."""
    return CharCNN(num_classes, alphabet, length, batch_norm=batch_norm, rng=rng, **kwargs)
