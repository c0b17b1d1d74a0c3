from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from sklearn.feature_extraction.text import CountVectorizer as SkCount
from sklearn.feature_extraction.text import TfidfVectorizer as SkTfidf

from lamina.errors import NotFittedError
from lamina.text import CountVectorizer, TfidfVectorizer, Vocabulary, python_docs_texts
from lamina.text.vocab import OutOfVocabularyError


@pytest.fixture(scope="module")
def docs() -> list[str]:
    return python_docs_texts()


COUNT_SETTINGS = [
    {},
    {"ngram_range": (1, 2), "min_df": 2, "max_df": 0.5},
    {"binary": True, "stop_words": ["the", "a", "of"]},
    {"lowercase": False, "min_df": 0.05, "max_df": 40},
    {"ngram_range": (2, 3), "max_features": 50},
]


@pytest.mark.parametrize(
    "kwargs",
    COUNT_SETTINGS,
    ids=["default", "bigrams-df", "binary-stop", "case-df", "max-features"],
)
def test_count_vectorizer_equals_sklearn(docs, kwargs):
    ours = CountVectorizer(**kwargs)
    theirs = SkCount(**kwargs)
    x, y = ours.fit_transform(docs[:60]), theirs.fit_transform(docs[:60])
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    assert (x != y).nnz == 0
    assert (ours.transform(docs[60:]) != theirs.transform(docs[60:])).nnz == 0


TFIDF_SETTINGS = [
    {},
    {"sublinear_tf": True, "ngram_range": (1, 2), "min_df": 3},
    {"smooth_idf": False, "norm": "l1"},
    {"use_idf": False, "binary": True},
    {"norm": None},
]


@pytest.mark.parametrize(
    "kwargs", TFIDF_SETTINGS, ids=["default", "sublinear", "l1-nosmooth", "no-idf", "no-norm"]
)
def test_tfidf_vectorizer_equals_sklearn(docs, kwargs):
    ours = TfidfVectorizer(**kwargs).fit(docs[:50])
    theirs = SkTfidf(**kwargs).fit(docs[:50])
    np.testing.assert_allclose(
        ours.transform(docs).toarray(), theirs.transform(docs).toarray(), rtol=1e-12, atol=1e-14
    )
    if "use_idf" not in kwargs:
        np.testing.assert_allclose(ours.idf_, theirs.idf_, rtol=1e-12)


def test_dense_output_equals_sparse(docs):
    dense = TfidfVectorizer(sparse=False).fit_transform(docs[:10])
    sparse = TfidfVectorizer().fit_transform(docs[:10])
    assert isinstance(dense, np.ndarray) and scipy.sparse.issparse(sparse)
    np.testing.assert_array_equal(dense, sparse.toarray())


def test_english_stop_words_are_dropped():
    cv = CountVectorizer(stop_words="english", sparse=False).fit(["the cat and the dog"])
    assert cv.get_feature_names_out().tolist() == ["cat", "dog"]


def test_vectorizer_errors_name_the_problem():
    with pytest.raises(NotFittedError, match="call fit before transform"):
        CountVectorizer().transform(["a b"])
    with pytest.raises(ValueError, match="empty vocabulary"):
        CountVectorizer(stop_words="english").fit(["the and of"])
    with pytest.raises(ValueError, match="no terms remain"):
        CountVectorizer(min_df=2).fit(["alpha beta", "gamma delta"])
    with pytest.raises(ValueError, match=r"ngram_range must be"):
        CountVectorizer(ngram_range=(2, 1)).fit(["aa bb"])
    with pytest.raises(TypeError, match="single str"):
        CountVectorizer().fit("just one string")


def test_vocabulary_min_count_max_size_and_unknown_token():
    v = Vocabulary(min_count=2, max_size=2, unk_token="<unk>").fit(
        [["b", "a", "a", "c", "b", "c", "d", "c"]]
    )
    assert v.index_to_token_ == ["<unk>", "c", "b"]
    assert v.encode(["c", "a", "zzz"]).tolist() == [1, 0, 0]
    assert v.decode([2, 1]) == ["b", "c"]
    assert v.counts_.tolist() == [0, 3, 2]
    strict = Vocabulary().fit([["x"]])
    with pytest.raises(OutOfVocabularyError, match="token 'y' not in vocabulary"):
        strict.index("y")
    with pytest.raises(NotFittedError):
        len(Vocabulary())
