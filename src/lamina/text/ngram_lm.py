"""N-gram language models: add-k and interpolated Kneser-Ney smoothing, and the course's
smoothing of a bigram table by matrix factorization."""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from lamina.errors import (
    NotFittedError,
    check_in,
    check_nonnegative,
    check_positive_int,
    check_seed,
)

__all__ = ["FactorizedBigramLM", "NGramLM", "pad_sentence"]

BOS, EOS, UNK = "<s>", "</s>", "<UNK>"
_Counts = defaultdict[tuple[str, ...], Counter[str]]  # context -> next word -> count


def pad_sentence(tokens: Sequence[str], n: int) -> list[str]:
    """n - 1 ``<s>`` before and n - 1 ``</s>`` after the tokens (NLTK's ``pad_both_ends``)."""
    return [BOS] * (n - 1) + list(tokens) + [EOS] * (n - 1)


def _check_sentences(owner: str, sentences) -> list[list[str]]:
    if isinstance(sentences, str):
        raise TypeError(f"{owner}: expected a list of token lists, got a str")
    out = [list(s) for s in sentences]
    if any(isinstance(s, str) for s in sentences):
        raise TypeError(f"{owner}: expected a list of token lists, got a list of str")
    return out


class NGramLM:
    """N-gram language model over padded sentences.

    Each sentence is padded with n - 1 ``<s>`` and n - 1 ``</s>``; the vocabulary is every
    training token (pads included) plus ``<UNK>``, which unknown words map to; V is its size.

    add-k (Lidstone; k=1 is Laplace):
        P(w | h) = (c(h w) + k) / (c(h) + k * V),  c(h) = sum_w c(h w)
    kneser-ney (interpolated, discount d):
        P(w | h) = max(c(h w) - d, 0) / c(h) + d * N1+(h .) / c(h) * P_low(w | h[1:])
    where the lower orders use continuation counts N1+(. g w) (how many distinct words
    precede g w) in place of c, and the lowest order interpolates with 1 / V. A history never
    seen passes all its mass to the lower order.

    Parameters
    ----------
    n : int
        Order (2 = bigram).
    smoothing : {"add-k", "kneser-ney"}, default="add-k"
    k : float, default=1.0
        Added count for add-k.
    discount : float, default=0.75
        Kneser-Ney discount d in (0, 1).

    Examples
    --------
    >>> lm = NGramLM(2, k=1.0).fit([["a", "b"], ["a", "c"]])
    >>> round(lm.score("b", ["a"]), 4)
    0.2857
    """

    def __init__(
        self, n: int, smoothing: str = "add-k", k: float = 1.0, discount: float = 0.75
    ) -> None:
        self.n, self.smoothing, self.k, self.discount = n, smoothing, k, discount

    def __repr__(self) -> str:
        return f"NGramLM(n={self.n}, smoothing={self.smoothing!r})"

    def fit(self, sentences: Iterable[Sequence[str]]) -> NGramLM:
        """Count all 1..n-grams of the padded sentences."""
        check_positive_int(self, n=self.n)
        check_in(self, "smoothing", self.smoothing, ("add-k", "kneser-ney"))
        check_nonnegative(self, k=self.k)
        if not 0 < self.discount < 1:
            raise ValueError(f"{self!r}: discount must be in (0, 1), got {self.discount!r}")
        sents = _check_sentences(f"{self!r}.fit", sentences)
        if not any(sents):
            raise ValueError(f"{self!r}: the corpus is empty (no tokens in any sentence)")
        # counts[m][context][word] for m-grams, context of length m - 1.
        self.counts_: list[_Counts] = [defaultdict(Counter) for _ in range(self.n + 1)]
        vocab: dict[str, None] = {}
        for s in sents:
            padded = pad_sentence(s, self.n)
            vocab.update(dict.fromkeys(padded))
            for m in range(1, self.n + 1):
                for i in range(len(padded) - m + 1):
                    self.counts_[m][tuple(padded[i : i + m - 1])][padded[i + m - 1]] += 1
        vocab.setdefault(UNK)
        self.vocab_ = list(vocab)
        self._vocab_set = frozenset(vocab)
        self._totals = [{h: sum(c.values()) for h, c in level.items()} for level in self.counts_]
        if self.smoothing == "kneser-ney":
            self._continuation_counts()
        return self

    def _continuation_counts(self) -> None:
        """cont[m][g][w] = N1+(. g w): distinct words seen before the m-gram g w."""
        self.cont_: list[_Counts] = [defaultdict(Counter) for _ in range(self.n)]
        for m in range(1, self.n):
            for h, words in self.counts_[m + 1].items():
                for w in words:
                    self.cont_[m][h[1:]][w] += 1
        self._cont_totals = [{h: sum(c.values()) for h, c in lv.items()} for lv in self.cont_]

    def _check_fitted(self) -> None:
        if not hasattr(self, "counts_"):
            raise NotFittedError(f"{self!r}: call fit before scoring")

    def _lookup(self, word: str) -> str:
        return word if word in self._vocab_set else UNK

    def score(self, word: str, context: Sequence[str] = ()) -> float:
        """P(word | context); only the last n - 1 context words are used."""
        self._check_fitted()
        ctx = tuple(self._lookup(w) for w in context)[max(0, len(context) - self.n + 1) :]
        word = self._lookup(word)
        if self.smoothing == "add-k":
            c: Mapping[str, int] = self.counts_[len(ctx) + 1].get(ctx, {})
            total = self._totals[len(ctx) + 1].get(ctx, 0)
            return (c.get(word, 0) + self.k) / (total + self.k * len(self.vocab_))
        return self._kn(word, ctx, highest=True)

    def _kn(self, word: str, ctx: tuple[str, ...], highest: bool) -> float:
        m = len(ctx) + 1
        counts: Mapping[str, int]
        if highest:
            counts, total = self.counts_[m].get(ctx, {}), self._totals[m].get(ctx, 0)
        else:
            counts, total = self.cont_[m].get(ctx, {}), self._cont_totals[m].get(ctx, 0)
        lower = 1.0 / len(self.vocab_) if m == 1 else self._kn(word, ctx[1:], highest=False)
        if total == 0:
            return lower
        d = self.discount
        return max(counts.get(word, 0) - d, 0.0) / total + d * len(counts) / total * lower

    def logscore(self, word: str, context: Sequence[str] = ()) -> float:
        """log2 P(word | context) (-inf for probability 0)."""
        p = self.score(word, context)
        return math.log2(p) if p > 0 else -math.inf

    def _ngrams(self, sentences) -> list[tuple[str, ...]]:
        grams = []
        for s in _check_sentences(f"{self!r}.perplexity", sentences):
            padded = pad_sentence(s, self.n)
            grams += [tuple(padded[i : i + self.n]) for i in range(len(padded) - self.n + 1)]
        return grams

    def entropy(self, sentences: Iterable[Sequence[str]]) -> float:
        """Cross-entropy in bits per predicted token: -mean log2 P(w_i | history)."""
        self._check_fitted()
        grams = self._ngrams(sentences)
        if not grams:
            raise ValueError(f"{self!r}: expected at least one sentence to score, got none")
        return -sum(self.logscore(g[-1], g[:-1]) for g in grams) / len(grams)

    def perplexity(self, sentences: Iterable[Sequence[str]]) -> float:
        """2 ** entropy over the padded sentences' n-grams (NLTK's definition)."""
        return 2.0 ** self.entropy(sentences)

    def distribution(self, context: Sequence[str] = ()) -> dict[str, float]:
        """P(w | context) for every vocabulary word w."""
        self._check_fitted()
        return {w: self.score(w, context) for w in self.vocab_}

    def generate(
        self, max_words: int = 20, context: Sequence[str] = (), seed: int | None = None
    ) -> list[str]:
        """Sample words after ``context`` (default: sentence start) until ``</s>``.

        ``<s>`` and ``<UNK>`` are never produced; ``</s>`` ends the text and is not returned.
        """
        self._check_fitted()
        check_positive_int(self, max_words=max_words)
        rng = np.random.default_rng(check_seed(type(self).__name__, seed))
        history = [BOS] * (self.n - 1) + list(context)
        words = [w for w in self.vocab_ if w not in (BOS, UNK)]
        out: list[str] = []
        for _ in range(max_words):
            p = np.array([self.score(w, history) for w in words])
            w = words[int(rng.choice(len(words), p=p / p.sum()))]
            if w == EOS:
                break
            out.append(w)
            history.append(w)
        return out


class FactorizedBigramLM:
    """Bigram model smoothed by matrix factorization (the course's LM smoothing).

    With T[h, w] = c(h w) / c(h) the bigram table, learn history vectors H (one row per
    history word) and word vectors V minimizing

        L = sum_{h, w} (H_h . V_w - T[h, w])**2 + reg * (||H||**2 + ||V||**2)

    by alternating least squares (each half-step solves its factor exactly). Histories with
    similar rows get similar vectors, so an unseen bigram "b x" scores high when a similar
    history "a x" was seen. P(w | h) = max(s_hw, floor) / sum_w' max(s_hw', floor) with
    s = H @ V.T, which is positive for every bigram.

    Parameters
    ----------
    rank : int, default=10
    epochs : int, default=50
    reg : float, default=1e-3
    floor : float, default=1e-4
    seed : int, default=0
    """

    def __init__(
        self,
        rank: int = 10,
        epochs: int = 50,
        reg: float = 1e-3,
        floor: float = 1e-4,
        seed: int = 0,
    ) -> None:
        self.rank, self.epochs, self.reg, self.floor, self.seed = rank, epochs, reg, floor, seed

    def __repr__(self) -> str:
        return f"FactorizedBigramLM(rank={self.rank})"

    def fit(self, sentences: Iterable[Sequence[str]]) -> FactorizedBigramLM:
        """Build the bigram table of the padded sentences and factorize it."""
        check_positive_int(self, rank=self.rank, epochs=self.epochs)
        check_nonnegative(self, reg=self.reg)
        if not self.floor > 0:
            raise ValueError(f"{self!r}: floor must be > 0, got {self.floor!r}")
        lm = NGramLM(2).fit(sentences)
        self.vocab_ = lm.vocab_
        self.index_ = {w: i for i, w in enumerate(self.vocab_)}
        v = len(self.vocab_)
        table = np.zeros((v, v))
        for (h,), words in lm.counts_[2].items():
            for w, c in words.items():
                table[self.index_[h], self.index_[w]] = c
        seen = table.sum(1, keepdims=True)
        self.table_ = np.divide(table, seen, out=np.zeros_like(table), where=seen > 0)
        rng = np.random.default_rng(check_seed(type(self).__name__, self.seed))
        h_vec = rng.standard_normal((v, self.rank)) * 0.1
        w_vec = rng.standard_normal((v, self.rank)) * 0.1
        ridge = self.reg * np.eye(self.rank)
        self.loss_history_: list[float] = []
        for _ in range(self.epochs):
            # dL/dH = 0  =>  H = T V (V^T V + reg I)^-1, and symmetrically for V.
            h_vec = np.linalg.solve(w_vec.T @ w_vec + ridge, w_vec.T @ self.table_.T).T
            w_vec = np.linalg.solve(h_vec.T @ h_vec + ridge, h_vec.T @ self.table_).T
            self.loss_history_.append(float(((h_vec @ w_vec.T - self.table_) ** 2).sum()))
        self.history_vectors_, self.word_vectors_ = h_vec, w_vec
        scores = np.maximum(h_vec @ w_vec.T, self.floor)
        self.probabilities_ = scores / scores.sum(1, keepdims=True)
        return self

    def score(self, word: str, context: Sequence[str]) -> float:
        """P(word | last word of context)."""
        if not hasattr(self, "probabilities_"):
            raise NotFittedError(f"{self!r}: call fit before scoring")
        if not context:
            raise ValueError(f"{self!r}: expected a context of at least one word, got none")
        h = self.index_.get(context[-1], self.index_[UNK])
        return float(self.probabilities_[h, self.index_.get(word, self.index_[UNK])])

    def perplexity(self, sentences: Iterable[Sequence[str]]) -> float:
        """2 ** (-mean log2 P(w_i | w_{i-1})) over the padded sentences."""
        logs = []
        for s in _check_sentences(f"{self!r}.perplexity", sentences):
            padded = pad_sentence(s, 2)
            logs += [math.log2(self.score(b, [a])) for a, b in itertools.pairwise(padded)]
        if not logs:
            raise ValueError(f"{self!r}: expected at least one sentence to score, got none")
        return 2.0 ** (-sum(logs) / len(logs))
