from __future__ import annotations

import numpy as np
import pytest

from lamina.text import KeyedVectors, Word2Vec


def _two_topic_corpus(n_sentences: int = 400, seed: int = 0) -> list[list[str]]:
    """Sentences drawn from one of two disjoint word groups."""
    rng = np.random.default_rng(seed)
    groups = [[f"a{i}" for i in range(10)], [f"b{i}" for i in range(10)]]
    return [list(rng.choice(groups[s % 2], size=8)) for s in range(n_sentences)]


@pytest.mark.parametrize("sg", [0, 1], ids=["cbow", "skipgram"])
def test_words_sharing_contexts_end_closer_than_others(sg):
    model = Word2Vec(
        _two_topic_corpus(),
        vector_size=16,
        window=3,
        min_count=1,
        sg=sg,
        epochs=5,
        seed=0,
        sample=0,
    )
    wv = model.wv
    same = np.mean([wv.similarity(f"a{i}", f"a{j}") for i in range(5) for j in range(5, 10)])
    cross = np.mean([wv.similarity(f"a{i}", f"b{j}") for i in range(10) for j in range(10)])
    assert same > cross + 0.3
    assert all(w.startswith("a") for w, _ in wv.most_similar("a0", topn=5))


def test_training_is_deterministic_for_a_seed_and_varies_across_seeds():
    corpus = _two_topic_corpus(100)
    a = Word2Vec(corpus, vector_size=8, min_count=1, epochs=2, seed=3).wv.vectors
    b = Word2Vec(corpus, vector_size=8, min_count=1, epochs=2, seed=3).wv.vectors
    c = Word2Vec(corpus, vector_size=8, min_count=1, epochs=2, seed=4).wv.vectors
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_vocabulary_is_sorted_by_count_and_cut_by_min_count():
    corpus = [["x", "y", "y", "z", "z", "z"]] * 2
    model = Word2Vec(corpus, vector_size=4, min_count=3, epochs=1)
    assert model.wv.index_to_key == ["z", "y"]
    assert model.counts_.tolist() == [6, 4]
    assert model.wv.vectors.dtype == np.float32 and model.syn1neg.shape == (2, 4)


def test_subsampling_keeps_rare_words_and_drops_frequent_ones():
    model = Word2Vec(vector_size=4, min_count=1, sample=1e-3)
    model.build_vocab([["the"] * 5000 + ["rare"] * 2])
    keep = model._keep_probability()
    assert keep[1] == 1.0 and keep[0] < 0.1


def test_noise_table_follows_count_to_the_three_quarters():
    model = Word2Vec(vector_size=4, min_count=1).build_vocab([["a"] * 81 + ["b"] * 16 + ["c"]])
    freq = np.bincount(model._noise_table(), minlength=3) / 1_000_000
    expect = np.array([81, 16, 1]) ** 0.75
    np.testing.assert_allclose(freq, expect / expect.sum(), atol=1e-5)


def test_empty_corpus_and_emptied_vocabulary_are_named():
    with pytest.raises(ValueError, match="Word2Vec: the corpus is empty"):
        Word2Vec([[], []])
    with pytest.raises(
        ValueError,
        match=r"vocabulary is empty after min_count=5 \(corpus has 3 "
        r"distinct words",
    ):
        Word2Vec([["a", "b", "c"]])
    with pytest.raises(ValueError, match="sg must be 0"):
        Word2Vec(sg=2)
    with pytest.raises(ValueError, match="window must be a positive integer"):
        Word2Vec(window=0)
    with pytest.raises(TypeError, match="got a str"):
        Word2Vec(["a sentence as one string"], min_count=1)


def test_trained_vectors_save_and_load(tmp_path):
    model = Word2Vec(_two_topic_corpus(50), vector_size=8, min_count=1, epochs=1)
    model.wv.save(tmp_path / "w2v.npz")
    back = KeyedVectors.load(tmp_path / "w2v.npz")
    assert back.most_similar("a1", topn=3) == model.wv.most_similar("a1", topn=3)
