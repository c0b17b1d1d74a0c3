from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from _scripts import run_example

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nlp" / "text_walkthrough.py"


@pytest.mark.slow  # word2vec and n-gram models on the Python docs corpus (~2 s of CPU)
def test_text_walkthrough_runs_and_reports_each_stage():
    out = run_example(EXAMPLE)
    for stage in (
        "tokens:",
        "tf-idf:",
        "ppmi+svd nearest",
        "word2vec nearest",
        "analogy",
        "perplexity NGramLM(n=3, smoothing='kneser-ney')",
        "generated:",
    ):
        assert stage in out
    assert "'does', \"n't\"" in out


EXAMPLES = EXAMPLE.parent


def run(name: str) -> str:
    return run_example(EXAMPLES / name)


def test_three_tokenizers_and_normalization_on_the_course_sentence() -> None:
    out = run("tokenize_normalize.py")
    assert "whitespace (14 tokens)" in out and "'off.'" in out
    assert "wordpunct (18 tokens)" in out and "'can', \"'\", 't'" in out
    assert "treebank (16 tokens)" in out and "'ca', \"n't\"" in out
    assert "stems: ['wolv', 'run', 'studi'" in out
    assert "lemmas: ['wolf', 'running', 'study', 'good', 'foot']" in out
    assert "without stop words: ['düsseldorf', 'took', 'hat'" in out


def test_bag_of_words_and_tfidf_follow_the_formula_and_scikit_learn() -> None:
    out = run("bag_of_words_tfidf.py")
    assert "vocabulary: ['a', 'did', 'good', 'i', 'it', 'like', 'movie', 'not', 'one']" in out
    assert "bag of words of 'not a good movie': [1, 0, 1, 0, 0, 0, 1, 1, 0]" in out
    assert "with bigrams: 17 terms" in out  # 9 words + 8 distinct bigrams
    assert "from the formula: 0.00e+00" in out and "from scikit-learn: 0.00e+00" in out
    weights = dict(re.findall(r"(\w+) (0\.\d+)", out.split("tf-idf of 'not a good movie': ")[1]))
    # "a" is in one review, "good" in three: the rarer term weighs more
    assert float(weights["a"]) > float(weights["not"]) > float(weights["good"])


def test_cooccurrence_matrix_is_the_course_table_and_svd_is_optimal() -> None:
    out = run("cooccurrence_svd.py")
    assert "He           [0, 4, 2, 1, 2, 1]" in out  # the course's first row
    assert "matches the count by hand: True" in out and "symmetric: True" in out
    error, bound = re.search(r"error (\S+) = sqrt\(sum of the other s\^2\) (\S+)", out).groups()
    assert error == bound
    assert "word vectors: (6, 2)" in out


@pytest.mark.slow  # three embedding models trained on 3,000 sentences (~2 s of CPU, 6 s loaded)
def test_word2vec_and_glove_solve_the_analogies() -> None:
    out = run("word_vectors.py")
    assert "one-hot cosine(man, woman) 0.0, (man, king) 0.0" in out
    for method in ("skip-gram", "CBOW", "GloVe"):
        assert f"{method} analogies right: 4 of 4" in out
    assert "man : woman :: king : queen" in out


def test_smoothing_gives_unseen_bigrams_probability_and_kneser_ney_beats_add_one() -> None:
    out = run("ngram_lm.py")
    counted = re.search(r"counts (\d+)/(\d+) = (\S+) model (\S+)", out)
    assert counted[3] == counted[4] and int(counted[1]) / int(counted[2]) == float(counted[3])
    assert "MLE P(" in out and ") = 0.0000" in out
    perplexity = dict(re.findall(r"perplexity (.+?): (\S+)", out))
    assert perplexity["MLE (no smoothing)"] == "inf"
    smoothed = {k: float(v) for k, v in perplexity.items() if k != "MLE (no smoothing)"}
    assert all(np.isfinite(v) for v in smoothed.values())
    assert smoothed["Kneser-Ney"] < smoothed["add-1"] and smoothed["factorized"] < smoothed["add-1"]


def test_neural_lm_generalizes_to_a_context_it_never_saw() -> None:
    out = run("neural_lm.py")
    assert "'a glass of grape' among them: False" in out
    assert re.search(r"after 'a glass of orange': juice \(P 0\.9\d|1\.00\)", out)
    grape = re.search(r"after 'a glass of grape': (\w+) \(P (\S+)\)", out)
    assert grape[1] == "juice" and float(grape[2]) > 0.5
    assert re.search(r"after 'a glass of warm': milk", out)
