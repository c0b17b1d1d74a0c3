"""Frequency-based word vectors: a co-occurrence matrix, decomposed by SVD.

The course's corpus "He is not lazy. He is intelligent. He is smart." read as one stream of
words; X[a, b] counts how often b is within 2 words of a (a symmetric window). Its truncated
SVD X = U S V^T gives each word a dense vector (the rows of U S, here k = 2; V holds the
contexts), and that rank-k product is the best rank-k approximation of X (Eckart-Young): its
error is the norm of the dropped singular values.

Run: python examples/nlp/cooccurrence_svd.py
"""

from __future__ import annotations

import numpy as np

from lamina.text import cooccurrence_matrix, svd_embeddings

TOKENS = ["He", "is", "not", "lazy", "He", "is", "intelligent", "He", "is", "smart"]


def main() -> None:
    counts, words = cooccurrence_matrix(TOKENS, window=2)
    by_hand = np.zeros((len(words), len(words)))
    index = {w: i for i, w in enumerate(words)}
    for i, a in enumerate(TOKENS):
        for j in range(max(0, i - 2), min(len(TOKENS), i + 3)):
            if j != i:
                by_hand[index[a], index[TOKENS[j]]] += 1
    print(f"words: {words}")
    for w, row in zip(words, counts):
        print(f"  {w:<12} {row.astype(int).tolist()}")
    print(f"matches the count by hand: {bool(np.array_equal(counts, by_hand))}")
    print(f"symmetric: {bool(np.array_equal(counts, counts.T))}")

    vectors = svd_embeddings(counts, k=2)
    u, s, vt = np.linalg.svd(counts)
    rank2 = (u[:, :2] * s[:2]) @ vt[:2]
    dropped = np.sqrt((s[2:] ** 2).sum())
    error = np.linalg.norm(counts - rank2)
    print(f"rank-2 reconstruction error {error:.4f} = sqrt(sum of the other s^2) {dropped:.4f}")
    print(f"word vectors: {vectors.shape} (words, k)")


if __name__ == "__main__":
    main()
