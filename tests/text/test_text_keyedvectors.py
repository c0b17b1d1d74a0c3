from __future__ import annotations

import numpy as np
import pytest
from gensim.models import KeyedVectors as GensimKV
from gensim.test.utils import datapath

from lamina.text import (
    KeyedVectors,
    OutOfVocabularyError,
    cosine_similarity,
    euclidean_distance,
    evaluate_analogies,
    evaluate_word_pairs,
    nearest_neighbors,
    spearman_correlation,
)

WORDS = [f"w{i}" for i in range(300)]


@pytest.fixture(scope="module")
def pair():
    vecs = np.random.default_rng(0).standard_normal((300, 20)).astype(np.float32)
    theirs = GensimKV(20)
    theirs.add_vectors(WORDS, vecs)
    return KeyedVectors(vecs, WORDS), theirs


@pytest.mark.parametrize(
    ("positive", "negative"),
    [(["w1"], []), (["w3", "w7"], ["w2"]), ([], ["w5"]), (["w10", "w11", "w12"], ["w13", "w0"])],
    ids=["one", "analogy", "negative-only", "many"],
)
def test_most_similar_ranks_exactly_as_gensim(pair, positive, negative):
    ours, theirs = pair
    a = ours.most_similar(positive=positive, negative=negative, topn=25)
    b = theirs.most_similar(positive=positive, negative=negative, topn=25)
    assert [w for w, _ in a] == [w for w, _ in b]
    np.testing.assert_allclose([s for _, s in a], [s for _, s in b], rtol=1e-5, atol=1e-6)


def test_similarity_doesnt_match_and_restrict_vocab_as_gensim(pair):
    ours, theirs = pair
    assert ours.similarity("w1", "w2") == pytest.approx(float(theirs.similarity("w1", "w2")))
    group = ["w1", "w2", "w3", "w4", "w5"]
    assert ours.doesnt_match(group) == theirs.doesnt_match(group)
    a = ours.most_similar("w1", topn=5, restrict_vocab=50)
    b = theirs.most_similar("w1", topn=5, restrict_vocab=50)
    assert [w for w, _ in a] == [w for w, _ in b]


def test_unknown_word_in_query_is_named(pair):
    ours, _ = pair
    with pytest.raises(OutOfVocabularyError, match="most_similar: word 'foo' not in vocabulary"):
        ours.most_similar(positive=["w1", "foo"])
    with pytest.raises(KeyError, match="similarity: word 'bar'"):
        ours.similarity("bar", "w1")


def test_save_load_and_word2vec_text_format_round_trip(pair, tmp_path):
    ours, theirs = pair
    ours.save(tmp_path / "v.npz")
    back = KeyedVectors.load(tmp_path / "v.npz")
    assert back.index_to_key == WORDS
    np.testing.assert_array_equal(back.vectors, ours.vectors)
    assert [p.name for p in tmp_path.iterdir()] == ["v.npz"]  # no temp file left
    ours.save_word2vec_format(tmp_path / "v.txt")
    text = KeyedVectors.load_word2vec_format(tmp_path / "v.txt")
    np.testing.assert_array_equal(text.vectors, ours.vectors)
    # gensim reads what we write, and we read what gensim writes
    g = GensimKV.load_word2vec_format(str(tmp_path / "v.txt"))
    np.testing.assert_array_equal(g.vectors, ours.vectors)
    theirs.save_word2vec_format(str(tmp_path / "g.txt"))
    np.testing.assert_allclose(
        KeyedVectors.load_word2vec_format(tmp_path / "g.txt").vectors, ours.vectors, rtol=1e-6
    )


def test_load_word2vec_format_reports_bad_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("2 3\na 1 2 3\nb 1 2\n")
    with pytest.raises(ValueError, match=r"line 3 of bad\.txt: expected a word and 3 numbers"):
        KeyedVectors.load_word2vec_format(path)


@pytest.fixture(scope="module")
def lee_pair():
    """Real-looking vectors: gensim's word2vec on Lee, shared by both libraries."""
    from gensim.models import Word2Vec as GensimW2V
    from gensim.utils import simple_preprocess

    with open(datapath("lee_background.cor"), encoding="utf-8") as f:
        sents = [simple_preprocess(line) for line in f]
    g = GensimW2V(sents, vector_size=32, min_count=3, epochs=3, workers=1, seed=0)
    return KeyedVectors(g.wv.vectors, g.wv.index_to_key), g.wv


def test_evaluate_word_pairs_equals_gensim(lee_pair):
    ours, theirs = lee_pair
    got = evaluate_word_pairs(ours, datapath("wordsim353.tsv"))
    pearson, spearman, oov = theirs.evaluate_word_pairs(datapath("wordsim353.tsv"))
    assert got["spearman"] == pytest.approx(spearman.statistic, abs=1e-6)
    assert got["pearson"] == pytest.approx(pearson.statistic, abs=1e-6)
    assert got["oov_ratio"] == pytest.approx(oov)


def test_evaluate_analogies_equals_gensim(lee_pair):
    ours, theirs = lee_pair
    score, sections = evaluate_analogies(ours, datapath("questions-words.txt"))
    g_score, g_sections = theirs.evaluate_word_analogies(datapath("questions-words.txt"))
    assert score == pytest.approx(g_score)
    for a, b in zip(sections, g_sections):
        assert a["section"] == b["section"]
        assert len(a["correct"]) == len(b["correct"])
        assert len(a["incorrect"]) == len(b["incorrect"])


def test_malformed_analogy_line_is_named(tmp_path, pair):
    path = tmp_path / "questions.txt"
    path.write_text(": capitals\n" + "w1 w2 w3 w4\n" * 10 + "w1 w2 w3\n")
    with pytest.raises(ValueError, match=r"line 12 of questions\.txt: expected 4 words, got 3"):
        evaluate_analogies(pair[0], path)
    path.write_text("w1 w2 w3 w4\n")
    with pytest.raises(ValueError, match=r"line 1 of questions\.txt: expected a ': section'"):
        evaluate_analogies(pair[0], path)
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("w1\tw2\t3.0\nw1\tw2\tmany\n")
    with pytest.raises(ValueError, match=r"line 2 of pairs\.tsv: expected"):
        evaluate_word_pairs(pair[0], pairs)


def test_similarity_functions():
    a = np.array([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]])
    np.testing.assert_allclose(cosine_similarity(a), [[1, 0, 0], [0, 1, 0], [0, 0, 0]])
    assert cosine_similarity([3.0, 4.0], [3.0, 4.0]) == pytest.approx(1.0)
    assert euclidean_distance([0.0, 0.0], [3.0, 4.0]) == pytest.approx(5.0)
    idx, _ = nearest_neighbors([1.0, 0.1], a, k=2)
    assert idx.tolist() == [0, 1]
    idx, dist = nearest_neighbors(np.array([[0.0, 1.9]]), a, k=1, metric="euclidean")
    assert idx.tolist() == [[1]] and dist[0, 0] == pytest.approx(0.1)
    with pytest.raises(Exception, match="same vector size"):
        cosine_similarity(np.ones((2, 3)), np.ones((2, 4)))


def test_spearman_matches_scipy_with_ties():
    from scipy.stats import spearmanr

    rng = np.random.default_rng(3)
    x, y = rng.integers(0, 5, 40), rng.standard_normal(40)
    assert spearman_correlation(x, y) == pytest.approx(spearmanr(x, y).statistic)
