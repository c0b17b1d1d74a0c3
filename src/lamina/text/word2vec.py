"""Word2Vec: skip-gram and CBOW with negative sampling, trained by vectorized NumPy SGD.

Skip-gram (sg=1) raises, for every center word c and context word o in its window,

    log sigmoid(v_c . u_o) + sum_{k=1..negative} log sigmoid(-v_c . u_k),   u_k ~ P_n

and CBOW (sg=0) the same with v_c replaced by h = mean of the context vectors and u_o by the
center word's output vector. v are the input vectors (``wv.vectors``), u the output vectors
(``syn1neg``), P_n(w) ~ count(w)**ns_exponent the noise distribution (Mikolov et al., 2013).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from lamina.errors import check_nonnegative, check_positive_int, check_seed
from lamina.text.keyedvectors import KeyedVectors
from lamina.text.vocab import Vocabulary, count_tokens

__all__ = ["Word2Vec"]

_TABLE_SIZE = 1_000_000


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))


def _scatter_add(table: np.ndarray, rows: np.ndarray, grads: np.ndarray) -> None:
    """table[rows[i]] += grads[i], duplicates accumulating.

    Flattened to 1-D indices because NumPy's ``add.at`` has a fast path only for 1-D
    integer indexing; it is several times faster than 2-D ``add.at`` or sort + reduceat.
    """
    d = table.shape[1]
    flat = (rows.astype(np.intp)[:, None] * d + np.arange(d)).reshape(-1)
    np.add.at(table.reshape(-1), flat, grads.reshape(-1))


class Word2Vec:
    """Word vectors by skip-gram or CBOW with negative sampling (gensim-compatible arguments).

    Training follows word2vec/gensim: frequent words are dropped per occurrence with
    probability 1 - (sqrt(c / t) + 1) * t / c, where c is the word count and
    t = sample * (total retained count); each center word gets a window size drawn uniformly
    from 1..window; negatives come from count**ns_exponent; the learning rate falls linearly
    from ``alpha`` to ``min_alpha`` over all epochs.

    Parameters
    ----------
    sentences : iterable of list of str, optional
        The corpus. When given, the model is built and trained at once.
    vector_size : int, default=100
    window : int, default=5
    min_count : int, default=5
        Words rarer than this are dropped.
    sg : {0, 1}, default=0
        1 for skip-gram, 0 for CBOW (mean of context vectors).
    negative : int, default=5
        Noise words per positive example.
    ns_exponent : float, default=0.75
    sample : float, default=1e-3
        Subsampling threshold; 0 disables it.
    alpha, min_alpha : float, default=0.025, 0.0001
    epochs : int, default=5
    seed : int, default=1
    batch_size : int, default=256
        Center words updated together. Larger is faster but staler (see Notes).
    max_vocab_size : int, optional
        Keep at most this many (most frequent) words.

    Attributes
    ----------
    wv : KeyedVectors
        Input vectors, words by decreasing count.
    syn1neg : ndarray of shape (n_words, vector_size)
        Output vectors.
    counts_ : int ndarray of shape (n_words,)

    Notes
    -----
    word2vec updates after every (center, context) pair. Here a batch of center words is
    updated at once from the same old vectors, which turns thousands of Python steps into a
    few array operations. Each batch shares its noise words: with K = ``negative`` *
    ``batch_size`` // 8 shared noise words, every example weights them by negative / K (times
    its number of context words in skip-gram), an unbiased estimate of the per-pair sum.
    Skip-gram predicts the context word from the center word (gensim predicts the center from
    the context; the pairs are the same).

    Examples
    --------
    >>> model = Word2Vec([["a", "b", "c"]] * 50, vector_size=8, min_count=1, seed=0)
    >>> model.wv.most_similar("a", topn=1)[0][0] in {"b", "c"}
    True
    """

    def __init__(
        self,
        sentences: Iterable[Sequence[str]] | None = None,
        vector_size: int = 100,
        window: int = 5,
        min_count: int = 5,
        sg: int = 0,
        negative: int = 5,
        ns_exponent: float = 0.75,
        sample: float = 1e-3,
        alpha: float = 0.025,
        min_alpha: float = 0.0001,
        epochs: int = 5,
        seed: int = 1,
        batch_size: int = 256,
        max_vocab_size: int | None = None,
    ) -> None:
        check_positive_int(
            "Word2Vec",
            vector_size=vector_size,
            window=window,
            min_count=min_count,
            negative=negative,
            epochs=epochs,
            batch_size=batch_size,
        )
        check_nonnegative("Word2Vec", sample=sample, alpha=alpha, min_alpha=min_alpha)
        if sg not in (0, 1):
            raise ValueError(f"Word2Vec: sg must be 0 (CBOW) or 1 (skip-gram), got {sg!r}")
        if not isinstance(ns_exponent, (int, float)):
            raise ValueError(f"Word2Vec: ns_exponent must be a number, got {ns_exponent!r}")
        self.vector_size, self.window, self.min_count = vector_size, window, min_count
        self.sg, self.negative, self.ns_exponent, self.sample = sg, negative, ns_exponent, sample
        self.alpha, self.min_alpha, self.epochs, self.seed = alpha, min_alpha, epochs, seed
        self.batch_size, self.max_vocab_size = batch_size, max_vocab_size
        if sentences is not None:
            sentences = sentences if isinstance(sentences, list) else list(sentences)
            self.build_vocab(sentences)
            self.train(sentences)

    # Shared noise words per batch: negative * batch_size / _noise_divisor (see Notes).
    _noise_divisor = 8

    def __repr__(self) -> str:
        n = len(self.wv) if hasattr(self, "wv") else "unbuilt"
        return (
            f"Word2Vec(n_words={n}, vector_size={self.vector_size}, sg={self.sg}, "
            f"window={self.window}, negative={self.negative})"
        )

    # -- vocabulary ---------------------------------------------------------------------------

    def build_vocab(self, sentences: Sequence[Sequence[str]]) -> Word2Vec:
        """Count words, keep those with ``count >= min_count``, and initialize the vectors.

        v ~ Uniform(-0.5 / vector_size, 0.5 / vector_size);  u = 0  (as in word2vec).
        """
        counts = count_tokens(sentences)
        if not counts:
            raise ValueError("Word2Vec: the corpus is empty (no tokens in any sentence)")
        vocab = Vocabulary(self.min_count, self.max_vocab_size).fit_counts(counts)
        if len(vocab) == 0:
            raise ValueError(
                f"Word2Vec: vocabulary is empty after min_count={self.min_count} "
                f"(corpus has {len(counts)} distinct words, the most frequent seen "
                f"{max(counts.values())} times)"
            )
        self.vocab_ = vocab
        self.counts_ = vocab.counts_
        rng = np.random.default_rng(check_seed(type(self).__name__, self.seed))
        n, d = len(vocab), self.vector_size
        vectors = ((rng.random((n, d)) - 0.5) / d).astype(np.float32)
        self.wv = KeyedVectors(vectors, vocab.index_to_token_)
        self.syn1neg = np.zeros((n, d), np.float32)
        return self

    def _keep_probability(self) -> np.ndarray:
        """Per-word probability of keeping an occurrence (gensim's subsampling formula)."""
        counts = self.counts_.astype(np.float64)
        if self.sample == 0:
            return np.ones_like(counts)
        threshold = self.sample * counts.sum()
        return np.minimum((np.sqrt(counts / threshold) + 1.0) * threshold / counts, 1.0)

    def _noise_table(self) -> np.ndarray:
        """Word indices repeated in proportion to count**ns_exponent (sampled uniformly)."""
        p = self.counts_.astype(np.float64) ** self.ns_exponent
        p /= p.sum()
        reps = np.floor(p * _TABLE_SIZE).astype(np.int64)
        # Hand out the rounding remainder to the largest fractional parts, so all words appear.
        short = _TABLE_SIZE - reps.sum()
        if short > 0:
            reps[np.argsort(-(p * _TABLE_SIZE - reps), kind="stable")[:short]] += 1
        return np.repeat(np.arange(len(p), dtype=np.int32), np.maximum(reps, 1))

    def _encode(self, sentences: Iterable[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Flatten in-vocabulary tokens into (word ids, sentence ids)."""
        index = self.wv.key_to_index
        ids, sids = [], []
        for s, sentence in enumerate(sentences):
            enc = [index[t] for t in sentence if t in index]
            ids.extend(enc)
            sids.extend([s] * len(enc))
        return np.asarray(ids, np.int32), np.asarray(sids, np.int64)

    # -- training -----------------------------------------------------------------------------

    def train(self, sentences: Iterable[Sequence[str]]) -> Word2Vec:
        """Run ``epochs`` passes of SGD over ``sentences`` (the vocabulary must be built)."""
        if not hasattr(self, "wv"):
            raise ValueError("Word2Vec.train: call build_vocab first")
        ids, sids = self._encode(sentences)
        if ids.size == 0:
            raise ValueError("Word2Vec.train: no in-vocabulary words in the corpus")
        rng = np.random.default_rng(self.seed + 1)
        keep_p = self._keep_probability()[ids]
        table = self._noise_table()
        n_words, d = len(self.wv), self.vector_size
        # One extra all-zero row stands for "no word" in padded context windows.
        syn0 = np.vstack([self.wv.vectors, np.zeros((1, d), np.float32)])
        syn1 = np.vstack([self.syn1neg, np.zeros((1, d), np.float32)])
        total = self.epochs * ids.size
        step = self._sg_batch if self.sg else self._cbow_batch
        for epoch in range(self.epochs):
            kept = np.flatnonzero(rng.random(ids.size) < keep_p)
            e_ids, e_sids = ids[kept], sids[kept]
            reduced = self.window - rng.integers(0, self.window, size=e_ids.size)
            ctx = _context_windows(e_ids, e_sids, reduced, self.window, pad=n_words)
            for start in range(0, e_ids.size, self.batch_size):
                stop = min(start + self.batch_size, e_ids.size)
                # Progress counts raw positions, so the decay is spread over the whole run.
                done = epoch * ids.size + kept[start] if kept.size else 0
                lr = self.alpha - (self.alpha - self.min_alpha) * done / total
                step(syn0, syn1, e_ids[start:stop], ctx[start:stop], table, rng, np.float32(lr))
                syn0[n_words] = 0.0
                syn1[n_words] = 0.0
        self.wv.vectors = syn0[:n_words]
        self.wv.reset_cache()
        self.syn1neg = syn1[:n_words]
        return self

    def _noise(self, table, rng, n_examples) -> tuple[np.ndarray, int]:
        k = max(self.negative, self.negative * n_examples // self._noise_divisor)
        return table[rng.integers(0, table.size, size=k)], k

    def _sg_batch(self, syn0, syn1, centers, ctx, table, rng, lr) -> None:
        """Skip-gram: center vector h predicts each context word and rejects the noise."""
        pad = syn0.shape[0] - 1
        h = syn0[centers]  # (B, d)
        u = syn1[ctx]  # (B, 2w, d); pad rows are zero
        mask = ctx != pad
        g_pos = (1.0 - _sigmoid(np.matmul(u, h[:, :, None])[..., 0])) * mask * lr  # (B, 2w)
        noise, k = self._noise(table, rng, len(centers))
        n_vec = syn1[noise]  # (K, d)
        weight = mask.sum(1, dtype=np.float32)[:, None] * np.float32(self.negative / k)
        g_neg = -_sigmoid(h @ n_vec.T) * weight * lr  # (B, K)
        d_h = np.matmul(g_pos[:, None, :], u)[:, 0, :] + g_neg @ n_vec
        d_u = g_pos[:, :, None] * h[:, None, :]
        _scatter_add(
            syn1,
            np.concatenate([ctx.ravel(), noise]),
            np.concatenate([d_u.reshape(-1, h.shape[1]), g_neg.T @ h]),
        )
        _scatter_add(syn0, centers, d_h)

    def _cbow_batch(self, syn0, syn1, centers, ctx, table, rng, lr) -> None:
        """CBOW: the mean of the context vectors predicts the center word."""
        pad = syn0.shape[0] - 1
        count = (ctx != pad).sum(1, dtype=np.float32)
        has = count > 0
        h = syn0[ctx].sum(1) / np.maximum(count, 1.0)[:, None]  # (B, d)
        u = syn1[centers]
        g_pos = (1.0 - _sigmoid((h * u).sum(1))) * has * lr  # (B,)
        noise, k = self._noise(table, rng, len(centers))
        n_vec = syn1[noise]
        g_neg = -_sigmoid(h @ n_vec.T) * (has[:, None] * np.float32(self.negative / k)) * lr
        # As in word2vec with cbow_mean, every context word gets the full error (not / count).
        d_h = g_pos[:, None] * u + g_neg @ n_vec
        _scatter_add(
            syn1,
            np.concatenate([centers, noise]),
            np.concatenate([g_pos[:, None] * h, g_neg.T @ h]),
        )
        valid = ctx != pad
        _scatter_add(syn0, ctx[valid], np.repeat(d_h, valid.sum(1), axis=0))


def _context_windows(
    ids: np.ndarray, sids: np.ndarray, reduced: np.ndarray, window: int, pad: int
) -> np.ndarray:
    """Context word ids of every position, shape (n, 2 * window), ``pad`` where none.

    Position j is a context of i when 0 < |i - j| <= reduced[i] and both lie in one sentence.
    """
    n = ids.size
    ctx = np.full((n, 2 * window), pad, dtype=np.int32)
    pos = np.arange(n)
    col = 0
    for off in range(-window, window + 1):
        if off == 0:
            continue
        j = pos + off
        ok = (j >= 0) & (j < n) & (abs(off) <= reduced)
        jc = np.clip(j, 0, n - 1)
        ok &= sids[jc] == sids
        ctx[:, col] = np.where(ok, ids[jc], pad)
        col += 1
    return ctx
