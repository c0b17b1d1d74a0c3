"""Tokenization and token normalization: how a sentence becomes a list of comparable tokens.

Splitting on whitespace leaves punctuation glued to words ("off."); splitting on word
characters and punctuation cuts "can't" into three pieces; the Penn Treebank rules split the
contraction where the grammar does ("ca" + "n't"). Normalization then maps different forms of
a word to one token: lowercasing, stemming (Porter's suffix-stripping rules: "wolves" ->
"wolv") and lemmatization (dictionary forms: "wolves" -> "wolf").

Run: python examples/nlp/tokenize_normalize.py
"""

from __future__ import annotations

from lamina.text import (
    lemmatize,
    porter_stem,
    remove_stop_words,
    treebank_tokenize,
    whitespace_tokenize,
    wordpunct_tokenize,
)

SENTENCE = "In Düsseldorf I took my hat off. But I can't put it back on."


def main() -> None:
    for name, tokenize in (
        ("whitespace", whitespace_tokenize),
        ("wordpunct", wordpunct_tokenize),
        ("treebank", treebank_tokenize),
    ):
        tokens = tokenize(SENTENCE)
        print(f"{name} ({len(tokens)} tokens): {tokens}")
    words = ["wolves", "running", "studies", "better", "feet"]
    print(f"stems: {[porter_stem(w) for w in words]}")
    print(f"lemmas: {[lemmatize(w) for w in words]}")
    tokens = [t.lower() for t in wordpunct_tokenize(SENTENCE) if t.isalpha()]
    print(f"without stop words: {remove_stop_words(tokens)}")


if __name__ == "__main__":
    main()
