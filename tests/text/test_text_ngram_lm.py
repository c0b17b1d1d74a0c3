from __future__ import annotations

import math

import pytest
from nltk.lm import Lidstone
from nltk.lm.preprocessing import pad_both_ends, padded_everygram_pipeline
from nltk.util import ngrams

from lamina.errors import NotFittedError
from lamina.text import FactorizedBigramLM, NGramLM, python_docs_sentences


@pytest.fixture(scope="module")
def split():
    sents = python_docs_sentences()
    return sents[:1500], sents[1500:1700]


@pytest.mark.parametrize(("n", "k"), [(1, 1.0), (2, 0.1), (3, 0.5)], ids=["uni", "bi", "tri"])
def test_add_k_perplexity_equals_nltk_lidstone(split, n, k):
    train, test = split
    text, vocab = padded_everygram_pipeline(n, train)
    ref = Lidstone(k, n)
    ref.fit(text, vocab)
    grams = [g for s in test for g in ngrams(pad_both_ends(s, n=n), n)]
    ours = NGramLM(n, k=k).fit(train)
    assert len(ours.vocab_) == len(ref.vocab)
    assert ours.perplexity(test) == pytest.approx(ref.perplexity(grams), rel=1e-10)
    assert ours.score("the", ["of"]) == pytest.approx(
        ref.score("the", ["of"][-(n - 1) :] if n > 1 else None)
    )


# A tiny corpus for Kneser-Ney by hand: "a b" and "a c" and "b c", bigram model, d = 0.75.
# Padded: <s> a b </s> / <s> a c </s> / <s> b c </s>; vocabulary {<s>, a, b, </s>, c, <UNK>}.
# Bigram counts: (<s>,a)=2 (<s>,b)=1 (a,b)=1 (a,c)=1 (b,</s>)=1 (b,c)=1 (c,</s>)=2.
# Continuation N1+(. w): a:1 (<s>), b:2 (<s>, a), c:2 (a, b), </s>:2 (b, c); total 7 types.
# Unigram level: P1(w) = max(N1+(.w) - d, 0) / 7 + d * 4 / 7 * 1/6.
KN_CORPUS = [["a", "b"], ["a", "c"], ["b", "c"]]


def _p1(cont: int) -> float:
    return max(cont - 0.75, 0) / 7 + 0.75 * 4 / 7 / 6


@pytest.mark.parametrize(
    ("word", "context", "expected"),
    [
        # P(b | a) = (1 - d) / 2 + d * 2 / 2 * P1(b)
        ("b", ["a"], 0.25 / 2 + 0.75 * 2 / 2 * _p1(2)),
        # P(a | a): unseen bigram, all from the lower order
        ("a", ["a"], 0.75 * 2 / 2 * _p1(1)),
        # P(</s> | c) = (2 - d) / 2 + d * 1 / 2 * P1(</s>)
        ("</s>", ["c"], 1.25 / 2 + 0.75 / 2 * _p1(2)),
        # unseen history "zzz" -> <UNK>, never a history: the unigram continuation level
        ("c", ["zzz"], _p1(2)),
        # an unknown word: <UNK> has no continuation count
        ("qqq", ["a"], 0.75 * 2 / 2 * _p1(0)),
    ],
    ids=["seen", "unseen-bigram", "end", "unseen-history", "unknown-word"],
)
def test_kneser_ney_equals_hand_computed_values(word, context, expected):
    lm = NGramLM(2, smoothing="kneser-ney", discount=0.75).fit(KN_CORPUS)
    assert lm.score(word, context) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("n", [2, 3])
def test_kneser_ney_distributions_sum_to_one(split, n):
    lm = NGramLM(n, smoothing="kneser-ney").fit(split[0][:300])
    for context in (["the"], ["of", "the"], ["zzz", "qqq"]):
        assert sum(lm.distribution(context).values()) == pytest.approx(1.0, abs=1e-9)
    assert math.isfinite(lm.perplexity(split[1][:20]))


def test_generate_is_seeded_and_stops_at_sentence_end(split):
    lm = NGramLM(2).fit([["a", "b", "c"]] * 5)
    first, again = lm.generate(30, seed=1), lm.generate(30, seed=1)
    assert first == again and 1 <= len(first) <= 30
    assert set(first) <= {"a", "b", "c", "</s>"} - {"</s>"}


def test_language_model_errors():
    with pytest.raises(ValueError, match="corpus is empty"):
        NGramLM(2).fit([[]])
    with pytest.raises(ValueError, match="smoothing must be one of"):
        NGramLM(2, smoothing="witten-bell").fit([["a"]])
    with pytest.raises(NotFittedError):
        NGramLM(2).score("a", ["b"])
    with pytest.raises(TypeError, match="list of token lists"):
        NGramLM(2).fit(["a b c"])


def test_matrix_factorization_gives_unseen_bigrams_probability():
    # "a" and "b" are followed by the same words, except that "b x" is never seen.
    follow = ["x", "y", "z", "u", "v"]
    corpus = [["a", w] for w in follow] * 3 + [["b", w] for w in follow[1:]] * 3
    corpus += [["c", "p"], ["c", "q"]] * 3
    lm = FactorizedBigramLM(rank=3, epochs=30).fit(corpus)
    plain = NGramLM(2, k=0.0).fit(corpus)
    assert plain.score("x", ["b"]) == 0.0  # the raw table gives it nothing
    smoothed = lm.score("x", ["b"])
    assert smoothed > 0.05  # from b's similarity to a
    assert smoothed > 20 * lm.score("p", ["b"])  # unseen and unrelated stays tiny
    assert lm.loss_history_[-1] <= lm.loss_history_[0]
    assert math.isfinite(lm.perplexity([["b", "x"]]))
