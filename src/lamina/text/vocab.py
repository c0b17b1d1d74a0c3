"""Vocabulary: token <-> index maps with frequency cut-offs and an unknown token."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from lamina.errors import NotFittedError, check_positive_int

__all__ = ["OutOfVocabularyError", "Vocabulary", "count_tokens"]


class OutOfVocabularyError(KeyError):
    """A query named a token that the vocabulary does not hold.

    A ``KeyError`` (so ``except KeyError`` works) whose message prints without quotes.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def count_tokens(sentences: Iterable[Sequence[str]]) -> Counter[str]:
    """Count every token of an iterable of token sequences (insertion-ordered ``Counter``)."""
    counts: Counter[str] = Counter()
    for sentence in sentences:
        if isinstance(sentence, str):
            raise TypeError(
                "count_tokens: expected sentences as sequences of tokens, got a str; "
                "tokenize it first (e.g. text.split())"
            )
        counts.update(sentence)
    return counts


class Vocabulary:
    """Token <-> index map built from counted tokens.

    Tokens are ordered by decreasing count, ties in order of first appearance (so the order is
    deterministic). Index 0 holds ``unk_token`` when one is given; unknown tokens then encode
    to it, otherwise encoding an unknown token raises ``OutOfVocabularyError``.

    Parameters
    ----------
    min_count : int, default=1
        Keep tokens seen at least this often.
    max_size : int, optional
        Keep at most this many tokens (the most frequent), not counting ``unk_token``.
    unk_token : str, optional
        Token that stands for everything else, e.g. ``"<unk>"``.
    specials : sequence of str, default=()
        Tokens always kept (after ``unk_token``), e.g. padding symbols.

    Attributes
    ----------
    index_to_token_ : list of str
    token_to_index_ : dict of str to int
    counts_ : int ndarray of shape (n_tokens,), corpus count of each token (0 for specials)

    Examples
    --------
    >>> v = Vocabulary(unk_token="<unk>").fit([["a", "b", "a"]])
    >>> v.encode(["a", "c"]).tolist()
    [1, 0]
    """

    def __init__(
        self,
        min_count: int = 1,
        max_size: int | None = None,
        unk_token: str | None = None,
        specials: Sequence[str] = (),
    ) -> None:
        self.min_count = min_count
        self.max_size = max_size
        self.unk_token = unk_token
        self.specials = tuple(specials)

    def __repr__(self) -> str:
        size = len(self.index_to_token_) if hasattr(self, "index_to_token_") else "unfitted"
        return f"Vocabulary(size={size}, min_count={self.min_count})"

    def fit(self, sentences: Iterable[Sequence[str]]) -> Vocabulary:
        """Count the tokens of ``sentences`` (an iterable of token lists) and build the maps."""
        return self.fit_counts(count_tokens(sentences))

    def fit_counts(self, counts: Counter[str] | dict[str, int]) -> Vocabulary:
        """Build the maps from precomputed counts (insertion order breaks ties)."""
        check_positive_int(self, min_count=self.min_count)
        if self.max_size is not None:
            check_positive_int(self, max_size=self.max_size)
        fixed = ([self.unk_token] if self.unk_token is not None else []) + [
            s for s in self.specials if s != self.unk_token
        ]
        kept = [(t, c) for t, c in counts.items() if c >= self.min_count and t not in fixed]
        kept.sort(key=lambda tc: -tc[1])  # stable: equal counts keep first-seen order
        if self.max_size is not None:
            kept = kept[: self.max_size]
        self.index_to_token_ = fixed + [t for t, _ in kept]
        self.token_to_index_ = {t: i for i, t in enumerate(self.index_to_token_)}
        self.counts_ = np.array([counts.get(t, 0) for t in fixed] + [c for _, c in kept], np.int64)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "token_to_index_"):
            raise NotFittedError(f"{self!r}: call fit before using the vocabulary")

    def __len__(self) -> int:
        self._check_fitted()
        return len(self.index_to_token_)

    def __contains__(self, token: object) -> bool:
        self._check_fitted()
        return token in self.token_to_index_

    def __iter__(self):
        self._check_fitted()
        return iter(self.index_to_token_)

    def index(self, token: str) -> int:
        """Index of ``token`` (the unknown index if it is missing and ``unk_token`` is set)."""
        self._check_fitted()
        idx = self.token_to_index_.get(token)
        if idx is not None:
            return idx
        if self.unk_token is not None:
            return self.token_to_index_[self.unk_token]
        raise OutOfVocabularyError(f"Vocabulary: token {token!r} not in vocabulary")

    def token(self, index: int) -> str:
        """Token at ``index``."""
        self._check_fitted()
        if not 0 <= index < len(self.index_to_token_):
            raise IndexError(
                f"Vocabulary: index must be in [0, {len(self.index_to_token_)}), got {index}"
            )
        return self.index_to_token_[index]

    def encode(self, tokens: Sequence[str]) -> np.ndarray:
        """Indices of ``tokens`` as an int64 array."""
        return np.array([self.index(t) for t in tokens], dtype=np.int64)

    def decode(self, indices: Iterable[int]) -> list[str]:
        """Tokens at ``indices``."""
        return [self.token(int(i)) for i in indices]
