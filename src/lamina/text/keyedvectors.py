"""KeyedVectors: word vectors with similarity queries, analogies and file formats.

The query semantics follow gensim's ``KeyedVectors``: queries use unit-length vectors,
``most_similar(positive, negative)`` ranks all words by cosine similarity to
``unit(sum_p unit(v_p) - sum_n unit(v_n))`` and leaves the query words out.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lamina.errors import ShapeError, check_positive_int
from lamina.text.evaluate import evaluate_analogies, evaluate_word_pairs
from lamina.text.similarity import unit_rows
from lamina.text.vocab import OutOfVocabularyError

__all__ = ["KeyedVectors"]


def _as_list(words: str | Sequence[str] | None) -> list[str]:
    if words is None:
        return []
    if isinstance(words, str):
        return [words]
    return list(words)


def atomic_write(path: str | os.PathLike, write, mode: str = "wb") -> None:
    """Write a file through ``write(fileobj)`` atomically: temp file, then ``os.replace``."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        text: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8"}
        with os.fdopen(fd, mode, **text) as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


class KeyedVectors:
    """A table of word vectors, one row per word, with gensim-like queries.

    Parameters
    ----------
    vectors : array of shape (n_words, vector_size)
    words : sequence of str of length n_words, distinct
        Conventionally ordered by decreasing frequency (``restrict_vocab`` keeps a prefix).

    Examples
    --------
    >>> kv = KeyedVectors(np.eye(3), ["a", "b", "c"])
    >>> kv.similarity("a", "b")
    0.0
    """

    def __init__(self, vectors: np.ndarray, words: Sequence[str]) -> None:
        vectors = np.asarray(vectors)
        if vectors.ndim != 2:
            raise ShapeError(f"KeyedVectors: vectors must be 2-D, got shape {vectors.shape}")
        words = [str(w) for w in words]
        if len(words) != vectors.shape[0]:
            raise ShapeError(
                f"KeyedVectors: expected {vectors.shape[0]} words for vectors of shape "
                f"{vectors.shape}, got {len(words)}"
            )
        self.vectors = vectors
        self.index_to_key = words
        self.key_to_index = {w: i for i, w in enumerate(words)}
        if len(self.key_to_index) != len(words):
            raise ValueError("KeyedVectors: words must be distinct, got duplicates")
        self._unit: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"KeyedVectors(n_words={len(self)}, vector_size={self.vector_size})"

    @property
    def vector_size(self) -> int:
        """Length of each vector."""
        return int(self.vectors.shape[1])

    def __len__(self) -> int:
        return len(self.index_to_key)

    def __contains__(self, word: object) -> bool:
        return word in self.key_to_index

    def __getitem__(self, words: str | Sequence[str]) -> np.ndarray:
        if isinstance(words, str):
            return self.get_vector(words)
        return np.stack([self.get_vector(w) for w in words])

    def _index(self, word: str, owner: str) -> int:
        idx = self.key_to_index.get(word)
        if idx is None:
            raise OutOfVocabularyError(f"{owner}: word {word!r} not in vocabulary")
        return idx

    @property
    def unit_vectors(self) -> np.ndarray:
        """Rows scaled to unit length (cached; reset by ``reset_cache`` after editing)."""
        if self._unit is None:
            self._unit = unit_rows(self.vectors.astype(np.float64))
        return self._unit

    def reset_cache(self) -> None:
        """Forget cached unit vectors (call after changing ``vectors`` in place)."""
        self._unit = None

    def get_index(self, word: str) -> int:
        """Row index of ``word``."""
        return self._index(word, "get_index")

    def get_vector(self, word: str, norm: bool = False) -> np.ndarray:
        """Vector of ``word``; unit length when ``norm``."""
        idx = self._index(word, "get_vector")
        return self.unit_vectors[idx] if norm else self.vectors[idx]

    def similarity(self, word1: str, word2: str) -> float:
        """Cosine similarity of two words."""
        u = self.unit_vectors
        return float(u[self._index(word1, "similarity")] @ u[self._index(word2, "similarity")])

    def most_similar(
        self,
        positive: str | Sequence[str] | None = None,
        negative: str | Sequence[str] | None = None,
        topn: int = 10,
        restrict_vocab: int | None = None,
    ) -> list[tuple[str, float]]:
        """Words closest to ``unit(sum_p unit(v_p) - sum_n unit(v_n))`` by cosine similarity.

        ``most_similar(positive=["king", "woman"], negative=["man"])`` answers the analogy
        man : king :: woman : ?. The query words themselves are left out.

        Parameters
        ----------
        positive, negative : str or sequence of str
        topn : int, default=10
        restrict_vocab : int, optional
            Search only the first ``restrict_vocab`` words.

        Returns
        -------
        list of (word, cosine similarity), best first.
        """
        pos, neg = _as_list(positive), _as_list(negative)
        if not pos and not neg:
            raise ValueError("most_similar: expected at least one positive or negative word")
        check_positive_int("most_similar", topn=topn)
        idx = [self._index(w, "most_similar") for w in pos + neg]
        weights = np.r_[np.ones(len(pos)), -np.ones(len(neg))]
        query = weights @ self.unit_vectors[idx]
        return self._rank(query, topn, restrict_vocab, exclude=idx)

    def similar_by_vector(
        self, vector: np.ndarray, topn: int = 10, restrict_vocab: int | None = None
    ) -> list[tuple[str, float]]:
        """Words closest to ``vector`` by cosine similarity (nothing excluded)."""
        vector = np.asarray(vector, dtype=np.float64)
        if vector.shape != (self.vector_size,):
            raise ShapeError(
                f"similar_by_vector: expected a vector of shape ({self.vector_size},), "
                f"got {vector.shape}"
            )
        check_positive_int("similar_by_vector", topn=topn)
        return self._rank(vector, topn, restrict_vocab, exclude=[])

    def _rank(self, query, topn, restrict_vocab, exclude) -> list[tuple[str, float]]:
        norm = np.linalg.norm(query)
        query = query / norm if norm > 0 else query
        end = len(self) if restrict_vocab is None else min(restrict_vocab, len(self))
        sims = self.unit_vectors[:end] @ query
        excl = np.asarray([i for i in exclude if i < end], dtype=np.int64)
        masked = sims.copy()
        masked[excl] = -np.inf
        k = min(topn, end - len(set(excl.tolist())))
        if k <= 0:
            return []
        top = np.argpartition(-masked, k - 1)[:k] if k < end else np.arange(end)
        top = top[np.argsort(-masked[top], kind="stable")][:k]
        return [(self.index_to_key[i], float(sims[i])) for i in top]

    def doesnt_match(self, words: Sequence[str]) -> str:
        """The word least similar to the mean of the (unit) vectors of ``words``."""
        words = _as_list(words)
        if not words:
            raise ValueError("doesnt_match: expected at least one word, got none")
        u = self.unit_vectors[[self._index(w, "doesnt_match") for w in words]]
        mean = u.mean(axis=0)
        mean /= max(np.linalg.norm(mean), 1e-300)
        return words[int(np.argmin(u @ mean))]

    def evaluate_word_pairs(self, path: str | os.PathLike, **kwargs) -> dict[str, float]:
        """Spearman correlation with human similarity scores; see ``evaluate_word_pairs``."""
        return evaluate_word_pairs(self, path, **kwargs)

    def evaluate_word_analogies(self, path: str | os.PathLike, **kwargs):
        """Analogy accuracy (3CosAdd); see ``evaluate_analogies``."""
        return evaluate_analogies(self, path, **kwargs)

    # -- files --------------------------------------------------------------------------------

    def save(self, path: str | os.PathLike) -> None:
        """Save as ``.npz`` (vectors + JSON word list), written atomically; no pickle."""
        words = np.array(json.dumps(self.index_to_key, ensure_ascii=False))

        def write(f):
            np.savez(f, vectors=self.vectors, words_json=words)

        atomic_write(path, write)

    @classmethod
    def load(cls, path: str | os.PathLike) -> KeyedVectors:
        """Load what ``save`` wrote."""
        with np.load(path, allow_pickle=False) as data:
            if "vectors" not in data or "words_json" not in data:
                raise ValueError(
                    f"KeyedVectors.load: expected arrays 'vectors' and 'words_json' in {path}, "
                    f"got {sorted(data.files)}"
                )
            return cls(data["vectors"], json.loads(str(data["words_json"])))

    def save_word2vec_format(self, path: str | os.PathLike) -> None:
        """Write the word2vec text format: a ``n_words vector_size`` header, then one
        ``word v1 v2 ...`` line per word (float32 values, ``repr`` precision)."""
        for w in self.index_to_key:
            if not w or any(ch.isspace() for ch in w):
                raise ValueError(
                    f"save_word2vec_format: words must be non-empty without whitespace, got {w!r}"
                )
        vecs = self.vectors.astype(np.float32)

        def write(f):
            f.write(f"{len(self)} {self.vector_size}\n")
            for w, row in zip(self.index_to_key, vecs):
                f.write(w + " " + " ".join(repr(float(x)) for x in row) + "\n")

        atomic_write(path, write, mode="w")

    @classmethod
    def load_word2vec_format(
        cls, path: str | os.PathLike, limit: int | None = None
    ) -> KeyedVectors:
        """Read the word2vec text format (the first ``limit`` words if given)."""
        name = Path(path).name
        with open(path, encoding="utf-8") as f:
            header = f.readline().split()
            if len(header) != 2 or not all(h.isdigit() for h in header):
                raise ValueError(
                    f"load_word2vec_format: line 1 of {name}: expected "
                    f"'n_words vector_size', got {' '.join(header)!r}"
                )
            n, size = int(header[0]), int(header[1])
            if limit is not None:
                check_positive_int("load_word2vec_format", limit=limit)
                n = min(n, limit)
            words, vecs = [], np.empty((n, size), np.float32)
            for i in range(n):
                parts = f.readline().rstrip("\n").split(" ")
                if len(parts) != size + 1:
                    raise ValueError(
                        f"load_word2vec_format: line {i + 2} of {name}: expected "
                        f"a word and {size} numbers, got {len(parts)} fields"
                    )
                words.append(parts[0])
                vecs[i] = np.array(parts[1:], dtype=np.float32)
        return cls(vecs, words)
