"""Bag of words, n-grams and TF-IDF on the course's five short reviews.

A bag of words counts each vocabulary term in a document and forgets the order; adding
bigrams keeps a little of it ("not like" against "like"). TF-IDF reweights each count by how
rare the term is across documents: idf(t) = ln((1 + N) / (1 + df(t))) + 1 (scikit-learn's
smoothed form), tf-idf = count * idf, each row then scaled to unit length. A term in every
document weighs least; one found in a single review weighs most.

Run: python examples/nlp/bag_of_words_tfidf.py
"""

from __future__ import annotations

import numpy as np

from lamina.text import CountVectorizer, TfidfVectorizer

REVIEWS = ["good movie", "not a good movie", "did not like", "i like it", "good one"]


def main() -> None:
    # token_pattern keeps one-letter words ("a", "i") that the default pattern drops.
    bow = CountVectorizer(token_pattern=r"(?u)\b\w+\b", sparse=False)
    counts = np.asarray(bow.fit_transform(REVIEWS))
    print(f"vocabulary: {bow.get_feature_names_out().tolist()}")
    print(f"bag of words of {REVIEWS[1]!r}: {counts[1].tolist()}")
    bigrams = CountVectorizer(token_pattern=r"(?u)\b\w+\b", ngram_range=(1, 2)).fit(REVIEWS)
    print(f"with bigrams: {len(bigrams.get_feature_names_out())} terms")

    tfidf = TfidfVectorizer(token_pattern=r"(?u)\b\w+\b", sparse=False)
    weights = np.asarray(tfidf.fit_transform(REVIEWS))
    terms = tfidf.get_feature_names_out().tolist()
    n, df = len(REVIEWS), (counts > 0).sum(axis=0)
    by_hand = counts * (np.log((1 + n) / (1 + df)) + 1)
    by_hand /= np.linalg.norm(by_hand, axis=1, keepdims=True)
    print(f"tf-idf max difference from the formula: {np.abs(by_hand - weights).max():.2e}")
    row = dict(zip(terms, weights[1].round(3)))
    print(
        f"tf-idf of {REVIEWS[1]!r}: "
        + ", ".join(f"{t} {row[t]}" for t in ("a", "not", "good", "movie"))
    )

    from sklearn.feature_extraction.text import TfidfVectorizer as SkTfidf

    reference = SkTfidf(token_pattern=r"(?u)\b\w+\b").fit_transform(REVIEWS).toarray()
    print(f"tf-idf max difference from scikit-learn: {np.abs(reference - weights).max():.2e}")


if __name__ == "__main__":
    main()
