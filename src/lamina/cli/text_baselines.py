"""Classic baselines that a text recipe's ``metrics.json`` reports beside its own figure.

``charcnn-sentiment`` (source ``vader-movies``) is compared with TF-IDF features of the
1,000 most frequent terms found in 2 or more training sentences (``lamina.text``) and
logistic regression (``lamina.classic``, C = 1, Newton) fitted on the same training split
and scored on the same test sentences: 73.94% for seed 0.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lamina.classic import LogisticRegression
from lamina.cli.recipes import vader_movie_split
from lamina.text.vectorize import TfidfVectorizer

__all__ = ["TEXT_BASELINES", "vader_tfidf_logreg"]


def vader_tfidf_logreg(seed: int) -> dict[str, float]:
    """``{"baseline_tfidf_logreg_accuracy": a}``: the test accuracy a of TF-IDF (1,000 terms,
    min_df 2) + logistic regression on the ``charcnn-sentiment`` split for ``seed``."""
    texts, y, (train, _, test) = vader_movie_split(seed)
    vectorizer = TfidfVectorizer(min_df=2, max_features=1000, sparse=False)
    x_train = vectorizer.fit_transform([texts[i] for i in train])
    x_test = vectorizer.transform([texts[i] for i in test])
    clf = LogisticRegression(C=1.0).fit(x_train, y[train])
    return {"baseline_tfidf_logreg_accuracy": float(np.mean(clf.predict(x_test) == y[test]))}


TEXT_BASELINES: dict[str, Callable[[int], dict[str, float]]] = {
    "vader-movies": vader_tfidf_logreg,
    "vader-movie-words": vader_tfidf_logreg,  # lstm-sentiment: the same split, as words
}  # data source -> its baseline's figures, added to metrics.json by lamina.cli.runs
