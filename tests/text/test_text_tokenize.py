from __future__ import annotations

import pytest
from nltk.stem import PorterStemmer as NltkPorter
from nltk.tokenize import TreebankWordTokenizer, WhitespaceTokenizer
from nltk.tokenize import wordpunct_tokenize as nltk_wordpunct

from lamina.text import (
    PorterStemmer,
    lemmatize,
    lowercase,
    porter_stem,
    remove_stop_words,
    sent_tokenize,
    simple_tokenize,
    treebank_tokenize,
    whitespace_tokenize,
    wordpunct_tokenize,
)


def test_corpus_is_a_few_thousand_sentences(real_sentences):
    assert len(real_sentences) > 3000


def test_treebank_tokenize_matches_nltk_on_real_text(real_sentences):
    nltk_tb = TreebankWordTokenizer()
    bad = [s for s in real_sentences if treebank_tokenize(s) != nltk_tb.tokenize(s)]
    assert bad == []


def test_wordpunct_and_whitespace_match_nltk_on_real_text(real_sentences):
    ws = WhitespaceTokenizer()
    assert all(wordpunct_tokenize(s) == nltk_wordpunct(s) for s in real_sentences)
    assert all(whitespace_tokenize(s) == ws.tokenize(s) for s in real_sentences)


@pytest.mark.parametrize(
    "text",
    [
        '"Hello," she said.',
        "They'll do it -- can't they?",
        "I cannot gonna wanna go",
        "'Tis the (best) [time]... of 1,000.5 years!",
        "He's won't d'ye O'Neil's",
        "a@b #1 $3 50%",
    ],
    ids=["quotes", "contractions", "split-words", "brackets-numbers", "apostrophes", "symbols"],
)
def test_treebank_tokenize_matches_nltk_on_hard_cases(text):
    assert treebank_tokenize(text) == TreebankWordTokenizer().tokenize(text)


def test_porter_stem_matches_nltk_on_every_word_of_real_text(real_sentences):
    words = sorted({w for s in real_sentences for w in wordpunct_tokenize(s)})
    nltk_stemmer = NltkPorter()
    assert len(words) > 5000
    assert [w for w in words if porter_stem(w) != nltk_stemmer.stem(w)] == []


@pytest.mark.parametrize(
    "word",
    [
        "dying",
        "skies",
        "News",
        "dies",
        "cried",
        "fully",
        "geology",
        "hopping",
        "controll",
        "agreed",
        "feed",
        "a",
        "IS",
        "relational",
        "hopeful",
        "y",
    ],
)
def test_porter_stem_matches_nltk_on_special_rules(word):
    assert porter_stem(word) == NltkPorter().stem(word)


def test_porter_stemmer_class_caches_and_stems_tokens():
    s = PorterStemmer()
    assert s.stem_tokens(["running", "cats"]) == ["run", "cat"]
    assert s.stem("running") == "run"


@pytest.mark.parametrize(
    ("word", "pos", "lemma"),
    [
        ("cats", "n", "cat"),
        ("boxes", "n", "box"),
        ("cities", "n", "city"),
        ("children", "n", "child"),
        ("series", "n", "series"),
        ("running", "v", "run"),
        ("hoped", "v", "hope"),
        ("studied", "v", "study"),
        ("went", "v", "go"),
        ("visited", "v", "visit"),
        ("bigger", "a", "big"),
        ("better", "a", "good"),
    ],
)
def test_lemmatize_table_and_suffix_rules(word, pos, lemma):
    assert lemmatize(word, pos) == lemma


def test_lemmatize_rejects_unknown_pos():
    with pytest.raises(ValueError, match="lemmatize: pos must be one of"):
        lemmatize("cats", "x")


def test_sent_tokenize_keeps_abbreviations_and_initials():
    text = "Dr. Smith met J. Doe at 5 p.m. on Monday. It rained! Did they go? Yes."
    assert sent_tokenize(text) == [
        "Dr. Smith met J. Doe at 5 p.m. on Monday.",
        "It rained!",
        "Did they go?",
        "Yes.",
    ]


def test_simple_tokenize_lowercase_and_stop_words():
    assert simple_tokenize("The 3 Cats_sat, quickly!") == ["the", "cats", "sat", "quickly"]
    assert lowercase(["A", "b"]) == ["a", "b"]
    assert remove_stop_words(["The", "cat", "is", "here", "now"]) == ["cat"]


def test_tokenizers_reject_non_strings():
    with pytest.raises(TypeError, match="treebank_tokenize: expected a str, got list"):
        treebank_tokenize(["a"])
