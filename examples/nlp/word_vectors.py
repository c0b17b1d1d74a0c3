"""Word vectors: skip-gram, CBOW (word2vec, negative sampling) and GloVe, judged by analogies.

One-hot vectors make every two words equally far apart (cosine 0). Learnt vectors place words
by the contexts they share. The corpus is generated from two independent features, gender
(he/his against she/her), status (palace/crown against house/field) and age (old against
young), so that
man : woman :: king : queen holds in the contexts, and each method should recover it from
vector arithmetic: the nearest word to v(king) - v(man) + v(woman), by cosine similarity.

- skip-gram predicts each context word from the centre word; CBOW predicts the centre word
  from the average of its context; both learn by negative sampling (telling the true context
  word from k words drawn from the unigram distribution to the 3/4).
- GloVe fits v_i . u_j + b_i + c_j to log X_ij, the co-occurrence counts, weighted by
  f(X_ij) = min(1, (X_ij / x_max)^alpha).

Run: python examples/nlp/word_vectors.py
"""

from __future__ import annotations

import numpy as np

from lamina.text import GloVe, KeyedVectors, Word2Vec, cooccurrence_matrix

# (word, gender, royal, adult)
PEOPLE = [
    ("man", "m", False, True),
    ("woman", "f", False, True),
    ("king", "m", True, True),
    ("queen", "f", True, True),
    ("boy", "m", False, False),
    ("girl", "f", False, False),
    ("prince", "m", True, False),
    ("princess", "f", True, False),
]
AGE = {True: ["old", "grown", "tall"], False: ["young", "little", "small"]}
PRONOUN = {"m": ["he", "his", "him"], "f": ["she", "her", "hers"]}
PLACE = {
    True: ["palace", "crown", "throne", "court"],
    False: ["house", "field", "market", "street"],
}
ANALOGIES = [
    ("man", "woman", "king", "queen"),
    ("king", "queen", "prince", "princess"),
    ("woman", "man", "queen", "king"),
    ("boy", "girl", "prince", "princess"),
]


def corpus(n: int, seed: int = 0) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    sentences = []
    for _ in range(n):
        word, gender, royal, adult = PEOPLE[rng.integers(len(PEOPLE))]
        pron = rng.choice(PRONOUN[gender], 2)
        place = rng.choice(PLACE[royal], 2)
        age = rng.choice(AGE[adult], 2)
        sentence = [
            pron[0],
            "the",
            age[0],
            word,
            "of",
            "the",
            place[0],
            "saw",
            pron[1],
            age[1],
            place[1],
        ]
        sentences.append([str(w) for w in sentence])
    return sentences


def analogies(kv: KeyedVectors) -> int:
    right = 0
    for a, b, c, d in ANALOGIES:
        guess = kv.most_similar(positive=[c, b], negative=[a], topn=1)[0][0]
        right += guess == d
        print(f"  {a} : {b} :: {c} : {guess}")
    return right


def main() -> None:
    sentences = corpus(3000)
    one_hot = np.eye(len(PEOPLE))
    same, other = one_hot[0] @ one_hot[1], one_hot[0] @ one_hot[2]
    print(f"one-hot cosine(man, woman) {same:.1f}, (man, king) {other:.1f}")
    models = {
        "skip-gram": Word2Vec(
            sentences, vector_size=16, window=10, min_count=1, sg=1, negative=5, epochs=5, seed=0
        ),
        "CBOW": Word2Vec(
            sentences, vector_size=16, window=10, min_count=1, sg=0, negative=5, epochs=5, seed=0
        ),
    }
    vectors = {name: m.wv for name, m in models.items()}
    counts, words = cooccurrence_matrix(sentences, window=10)  # the whole sentence
    glove = GloVe(vector_size=32, epochs=100, seed=0).fit(counts, words)
    vectors["GloVe"] = KeyedVectors(glove.transform(), words)
    for name, kv in vectors.items():
        print(f"{name}:")
        right = analogies(kv)
        print(f"{name} analogies right: {right} of {len(ANALOGIES)}")


if __name__ == "__main__":
    main()
