"""The baseline that ``charcnn-sentiment`` is reported against: TF-IDF of the 1,000 most
frequent terms found in 2 or more training sentences (lamina.text)
and logistic regression (lamina.classic) on the same VADER movie split (seed 0)."""

from __future__ import annotations

import numpy as np
import pytest

from lamina.classic import LogisticRegression
from lamina.cli.recipes import get_recipe, vader_movie_split
from lamina.text.vectorize import TfidfVectorizer

BASELINE = 0.7394  # measured test accuracy on the 2,114 test sentences: 1,563 right


def test_the_split_is_the_recipes():
    _, y, (train, val, test) = vader_movie_split(0)
    data = get_recipe("charcnn-sentiment").data(0)
    assert (len(train), len(val), len(test)) == (7_608, 846, 2_114)
    assert not set(train) & set(test) and not set(val) & set(test)
    np.testing.assert_array_equal(data.test[1], y[test])


@pytest.mark.slow
def test_tfidf_logistic_regression_baseline():
    texts, y, (train, _, test) = vader_movie_split(0)
    vectorizer = TfidfVectorizer(min_df=2, max_features=1000, sparse=False)
    x_train = vectorizer.fit_transform([texts[i] for i in train])
    x_test = vectorizer.transform([texts[i] for i in test])
    clf = LogisticRegression(C=1.0).fit(x_train, y[train])  # Newton, 1,001 weights
    accuracy = float((clf.predict(x_test) == y[test]).mean())
    assert accuracy == pytest.approx(BASELINE, abs=1e-4)
