"""N-gram language models: counts, the zero-probability problem and smoothing.

A bigram model estimates P(w_1..w_n) = prod P(w_i | w_i-1), with the maximum-likelihood
P(b | a) = count(a b) / count(a). A bigram never seen in training gets probability 0, so one
unseen pair makes a held-out sentence impossible (infinite perplexity). Smoothing moves some
probability to unseen events: add-k adds k to every count; Kneser-Ney subtracts a discount
from every seen count and gives the mass to words by how many different contexts they follow;
the matrix-factorization model of the course fits P(b | a) ~ v_b . h_a, so histories used
alike share their predictions. Perplexity = exp(-mean log P) on held-out text: lower is better.

Run: python examples/nlp/ngram_lm.py
"""

from __future__ import annotations

import itertools

import numpy as np

from lamina.text import FactorizedBigramLM, NGramLM


def corpus(n: int, seed: int) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    subjects, verbs = ["the cat", "the dog", "a bird", "my friend"], ["sees", "likes", "chases"]
    objects = ["the ball", "a mouse", "the garden", "my book", "the cat"]
    return [
        f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)}".split()
        for _ in range(n)
    ]


def main() -> None:
    train, held_out = corpus(40, seed=0), corpus(40, seed=1)
    mle = NGramLM(2, smoothing="add-k", k=0.0).fit(train)  # k = 0: plain counts
    pairs = [(a, b) for s in train for a, b in zip(["<s>", *s], s)]
    count_ab = sum(1 for p in pairs if p == ("the", "cat"))
    count_a = sum(1 for a, _ in pairs if a == "the")
    model = mle.score("cat", ["the"])
    print(f"P(cat | the): counts {count_ab}/{count_a} = {count_ab / count_a:.4f} model {model:.4f}")
    unseen = [
        (a, b) for s in held_out for a, b in itertools.pairwise(s) if (a, b) not in set(pairs)
    ]
    print(f"held-out bigrams never seen in training: {len(unseen)}, e.g. {' '.join(unseen[0])!r}")
    print(f"MLE P({unseen[0][1]} | {unseen[0][0]}) = {mle.score(unseen[0][1], [unseen[0][0]]):.4f}")
    with np.errstate(divide="ignore"):
        print(f"perplexity MLE (no smoothing): {mle.perplexity(held_out):.3f}")
    models = {
        "add-1": NGramLM(2, smoothing="add-k", k=1.0),
        "add-0.1": NGramLM(2, smoothing="add-k", k=0.1),
        "Kneser-Ney": NGramLM(2, smoothing="kneser-ney"),
        "factorized": FactorizedBigramLM(rank=4, seed=0),
    }
    for name, model in models.items():
        model.fit(train)
        print(f"perplexity {name}: {model.perplexity(held_out):.3f}")


if __name__ == "__main__":
    main()
