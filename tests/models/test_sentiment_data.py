"""The VADER movie-review ground truth, read from the vaderSentiment 3.3.2 source archive that
``make`` fetches with pip at install time; never from the network at run time."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from lamina.datasets import load_vader_sentiment


def test_movie_sentences_are_the_10605_rated_snippets():
    texts, y, ratings = load_vader_sentiment("movies", drop_neutral=False)
    assert len(texts) == len(y) == len(ratings) == 10_605
    assert ratings.dtype == np.float32 and -4 < ratings.min() < -3.5 and 3.5 < ratings.max() < 4
    assert (ratings == 0).sum() == 37
    texts, y, ratings = load_vader_sentiment()  # the 37 neutral ones dropped
    assert len(texts) == 10_568 and y.dtype == np.int64
    assert y.sum() == 5_242 and (1 - y).sum() == 5_326
    np.testing.assert_array_equal(y, ratings > 0)
    assert texts[0].startswith("The Rock is destined to be the 21st Century's new")


def test_a_missing_archive_names_the_pip_command(monkeypatch, tmp_path):
    monkeypatch.setenv("LAMINA_DATA_CACHE", str(tmp_path / "empty"))
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    with pytest.raises(FileNotFoundError) as err:
        load_vader_sentiment()
    message = str(err.value)
    assert message.startswith("load_vader_sentiment: vaderSentiment-3.3.2.tar.gz not found in")
    assert "pip download --no-deps --no-binary :all: vaderSentiment==3.3.2 -d" in message


def test_an_unknown_set_is_refused_with_the_valid_names():
    with pytest.raises(ValueError, match=r"load_vader_sentiment: unknown set 'imdb'; valid names"):
        load_vader_sentiment("imdb")
