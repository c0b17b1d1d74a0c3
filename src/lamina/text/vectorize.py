"""Bag of words: ``CountVectorizer`` and ``TfidfVectorizer`` (scikit-learn's contract).

Output is a ``scipy.sparse.csr_matrix`` when SciPy is installed and ``sparse`` is not False,
a dense ``ndarray`` otherwise; both hold the same numbers.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from lamina.errors import NotFittedError, check_in
from lamina.text.stopwords import ENGLISH_STOP_WORDS

__all__ = ["CountVectorizer", "TfidfVectorizer"]


def _check_df(owner: Any, name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(
            f"{owner!r}: {name} must be an int count or a float in [0, 1], got {value!r}"
        )
    if isinstance(value, (float, np.floating)) and not 0.0 <= value <= 1.0:
        raise ValueError(f"{owner!r}: {name} as a float must be in [0, 1], got {value!r}")
    if isinstance(value, (int, np.integer)) and value < 0:
        raise ValueError(f"{owner!r}: {name} as an int must be >= 0, got {value!r}")


class CountVectorizer:
    """Document-term counts: X[i, j] = how often term j occurs in document i.

    Documents are lower-cased (``lowercase``), split by ``token_pattern`` (or ``tokenizer``),
    stop words dropped, then joined into word n-grams (``"new york"``). Terms are columns in
    alphabetical order.

    Parameters
    ----------
    lowercase : bool, default=True
    token_pattern : str, default=r"(?u)\\b\\w\\w+\\b"
        Tokens of two or more word characters, as scikit-learn.
    tokenizer : callable str -> list of str, optional
        Replaces ``token_pattern``.
    stop_words : "english" or collection of str, optional
    ngram_range : (int, int), default=(1, 1)
        Smallest and largest n of the word n-grams.
    min_df, max_df : int or float, default=1, 1.0
        Keep terms in at least ``min_df`` and at most ``max_df`` documents (floats are
        proportions of the documents).
    max_features : int, optional
        Keep the terms with the largest total count.
    binary : bool, default=False
        Presence (1) instead of counts.
    sparse : bool, optional
        Force sparse (needs SciPy) or dense output; default sparse when SciPy is installed.

    Attributes
    ----------
    vocabulary_ : dict of str to int (column)

    Examples
    --------
    >>> cv = CountVectorizer(sparse=False).fit(["a cat sat", "the cat"])
    >>> cv.get_feature_names_out().tolist()
    ['cat', 'sat', 'the']
    >>> cv.transform(["cat cat"]).tolist()
    [[2, 0, 0]]
    """

    def __init__(
        self,
        lowercase: bool = True,
        token_pattern: str = r"(?u)\b\w\w+\b",
        tokenizer: Callable[[str], list[str]] | None = None,
        stop_words: str | Iterable[str] | None = None,
        ngram_range: tuple[int, int] = (1, 1),
        min_df: int | float = 1,
        max_df: int | float = 1.0,
        max_features: int | None = None,
        binary: bool = False,
        sparse: bool | None = None,
    ) -> None:
        self.lowercase, self.token_pattern, self.tokenizer = lowercase, token_pattern, tokenizer
        self.stop_words, self.ngram_range = stop_words, ngram_range
        self.min_df, self.max_df, self.max_features = min_df, max_df, max_features
        self.binary, self.sparse = binary, sparse

    def __repr__(self) -> str:
        return f"{type(self).__name__}(ngram_range={tuple(self.ngram_range)})"

    # -- analysis -----------------------------------------------------------------------------

    def build_analyzer(self) -> Callable[[str], list[str]]:
        """The function document -> list of terms used by ``fit`` and ``transform``."""
        lo, hi = self.ngram_range
        if not (isinstance(lo, int) and isinstance(hi, int) and 1 <= lo <= hi):
            raise ValueError(
                f"{self!r}: ngram_range must be (min_n, max_n) with "
                f"1 <= min_n <= max_n, got {self.ngram_range!r}"
            )
        if self.stop_words == "english":
            stop = ENGLISH_STOP_WORDS
        elif isinstance(self.stop_words, str):
            raise ValueError(
                f"{self!r}: stop_words must be 'english', a collection of words "
                f"or None, got {self.stop_words!r}"
            )
        else:
            stop = frozenset(self.stop_words or ())
        pattern = re.compile(self.token_pattern)
        tokenize = self.tokenizer or pattern.findall

        def analyze(doc: str) -> list[str]:
            if not isinstance(doc, str):
                raise TypeError(f"{self!r}: expected documents as str, got {type(doc).__name__}")
            toks = [t for t in tokenize(doc.lower() if self.lowercase else doc) if t not in stop]
            terms = toks if lo == 1 else []
            for n in range(max(lo, 2), hi + 1):
                terms += [" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1)]
            return terms

        return analyze

    def _count(self, docs: Sequence[str], vocab: dict[str, int] | None):
        """CSR pieces (indptr, indices, data) of the counts; grows ``vocab`` when it is None."""
        if isinstance(docs, str):
            raise TypeError(f"{self!r}: expected an iterable of documents, got a single str")
        analyze = self.build_analyzer()
        grow = vocab is None
        vocab = {} if vocab is None else vocab
        indptr, indices, data = [0], [], []
        for doc in docs:
            counts: dict[int, int] = {}
            for term in analyze(doc):
                j = vocab.setdefault(term, len(vocab)) if grow else vocab.get(term)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            cols = sorted(counts)
            indices += cols
            data += [counts[c] for c in cols]
            indptr.append(len(indices))
        return (
            np.asarray(indptr, np.int64),
            np.asarray(indices, np.int64),
            np.asarray(data, np.int64),
            vocab,
        )

    # -- fit / transform ----------------------------------------------------------------------

    def fit(self, docs: Sequence[str], y: Any = None) -> CountVectorizer:
        """Learn the vocabulary of ``docs``."""
        self._fit_counts(docs)
        return self

    def _fit_counts(self, docs: Sequence[str]):
        _check_df(self, "min_df", self.min_df)
        _check_df(self, "max_df", self.max_df)
        if self.max_features is not None and (
            not isinstance(self.max_features, int) or self.max_features <= 0
        ):
            raise ValueError(
                f"{self!r}: max_features must be a positive int or None, got {self.max_features!r}"
            )
        indptr, indices, data, vocab = self._count(docs, None)
        if not vocab:
            raise ValueError(
                f"{self!r}: empty vocabulary; the documents hold no terms "
                f"(only stop words, or nothing matching token_pattern?)"
            )
        n_docs = len(indptr) - 1
        df = np.bincount(indices, minlength=len(vocab))
        tf = np.bincount(indices, weights=data, minlength=len(vocab))
        hi = self.max_df if isinstance(self.max_df, (int, np.integer)) else self.max_df * n_docs
        lo = self.min_df if isinstance(self.min_df, (int, np.integer)) else self.min_df * n_docs
        if hi < lo:
            raise ValueError(
                f"{self!r}: max_df={self.max_df!r} allows fewer documents than "
                f"min_df={self.min_df!r}"
            )
        terms = np.array(list(vocab), dtype=object)
        keep = (df >= lo) & (df <= hi)
        if self.max_features is not None and keep.sum() > self.max_features:
            # Highest total counts win; ties go to the alphabetically first term.
            cand = np.flatnonzero(keep)
            order = np.lexsort((terms[cand].astype(str), -tf[cand]))
            keep = np.zeros_like(keep)
            keep[cand[order[: self.max_features]]] = True
        if not keep.any():
            raise ValueError(
                f"{self!r}: no terms remain after min_df={self.min_df!r}, "
                f"max_df={self.max_df!r}; lower min_df or raise max_df"
            )
        kept = sorted(terms[keep].tolist())
        self.vocabulary_ = {t: i for i, t in enumerate(kept)}
        remap = np.full(len(vocab), -1, np.int64)
        remap[[vocab[t] for t in kept]] = np.arange(len(kept))
        return _remap(indptr, indices, data, remap)

    def _check_fitted(self) -> None:
        if not hasattr(self, "vocabulary_"):
            raise NotFittedError(f"{self!r}: call fit before transform")

    def _transform_counts(self, docs: Sequence[str]):
        self._check_fitted()
        indptr, indices, data, _ = self._count(docs, self.vocabulary_)
        return indptr, indices, data

    def transform(self, docs: Sequence[str]):
        """Count matrix of shape (n_docs, n_terms) for ``docs`` (unknown terms ignored)."""
        indptr, indices, data = self._transform_counts(docs)
        return self._output(indptr, indices, np.minimum(data, 1) if self.binary else data)

    def fit_transform(self, docs: Sequence[str], y: Any = None):
        """``fit`` then ``transform`` the same documents, counting them once."""
        indptr, indices, data = self._fit_counts(docs)
        return self._output(indptr, indices, np.minimum(data, 1) if self.binary else data)

    def get_feature_names_out(self) -> np.ndarray:
        """Terms in column order."""
        self._check_fitted()
        return np.array(list(self.vocabulary_), dtype=object)

    def _output(self, indptr, indices, data):
        shape = (len(indptr) - 1, len(self.vocabulary_))
        want = self.sparse
        have_scipy = importlib.util.find_spec("scipy") is not None
        if want and not have_scipy:
            raise ImportError(f"{self!r}: sparse=True needs SciPy, which is not installed")
        if (want is None and have_scipy) or want:
            import scipy.sparse  # optional dependency, only for sparse output

            return scipy.sparse.csr_matrix((data, indices, indptr), shape=shape)
        dense = np.zeros(shape, dtype=data.dtype)
        rows = np.repeat(np.arange(shape[0]), np.diff(indptr))
        dense[rows, indices] = data
        return dense


def _remap(indptr, indices, data, remap):
    """Renumber columns through ``remap`` (-1 drops), keeping each row's columns sorted."""
    new = remap[indices]
    keep = new >= 0
    row = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))[keep]
    new, data = new[keep], data[keep]
    order = np.lexsort((new, row))
    counts = np.bincount(row, minlength=len(indptr) - 1)
    return np.r_[0, np.cumsum(counts)], new[order], data[order]


class TfidfVectorizer(CountVectorizer):
    """TF-IDF weighted counts, rows scaled to unit norm.

    tf = count (or 1 + ln(count) with ``sublinear_tf``);
    idf = ln((1 + n_docs) / (1 + df)) + 1 with ``smooth_idf``, else ln(n_docs / df) + 1;
    x = tf * idf, then x / ||x|| (``norm="l2"``, or the L1 norm, or none).

    Parameters
    ----------
    norm : {"l2", "l1", None}, default="l2"
    use_idf, smooth_idf, sublinear_tf : bool, default=True, True, False
    **kwargs
        As ``CountVectorizer``.

    Attributes
    ----------
    idf_ : ndarray of shape (n_terms,)
    """

    def __init__(
        self,
        norm: str | None = "l2",
        use_idf: bool = True,
        smooth_idf: bool = True,
        sublinear_tf: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.norm, self.use_idf = norm, use_idf
        self.smooth_idf, self.sublinear_tf = smooth_idf, sublinear_tf

    def fit(self, docs: Sequence[str], y: Any = None) -> TfidfVectorizer:
        """Learn the vocabulary and the idf weights of ``docs``."""
        self.fit_transform(docs)
        return self

    def fit_transform(self, docs: Sequence[str], y: Any = None):
        """``fit`` then ``transform`` the same documents."""
        check_in(self, "norm", self.norm, ("l2", "l1", None))
        indptr, indices, data = self._fit_counts(docs)
        n_docs = len(indptr) - 1
        df = np.bincount(indices, minlength=len(self.vocabulary_)).astype(np.float64)
        if self.smooth_idf:
            self.idf_ = np.log((1.0 + n_docs) / (1.0 + df)) + 1.0
        else:
            self.idf_ = np.log(n_docs / df) + 1.0
        return self._weigh(indptr, indices, data)

    def transform(self, docs: Sequence[str]):
        """TF-IDF matrix of shape (n_docs, n_terms) for ``docs``."""
        indptr, indices, data = self._transform_counts(docs)
        return self._weigh(indptr, indices, data)

    def _weigh(self, indptr, indices, data):
        tf = np.minimum(data, 1).astype(np.float64) if self.binary else data.astype(np.float64)
        if self.sublinear_tf:
            tf = 1.0 + np.log(tf)
        x = tf * self.idf_[indices] if self.use_idf else tf
        if self.norm is not None and x.size:
            piece = x * x if self.norm == "l2" else np.abs(x)
            lengths = np.diff(indptr)
            sums = np.zeros(len(lengths))
            nonempty = lengths > 0
            sums[nonempty] = np.add.reduceat(piece, indptr[:-1][nonempty])
            norms = np.sqrt(sums) if self.norm == "l2" else sums
            norms[norms == 0] = 1.0
            x = x / np.repeat(norms, lengths)
        return self._output(indptr, indices, x)
