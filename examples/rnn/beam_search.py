"""Beam search against greedy decoding.

A decoder gives P(next word | words so far). Greedy decoding takes the most likely word at
each step; beam search keeps the B most likely partial sentences (by total log-probability)
and extends each. Here a hand-made table: the first word "a" is the likeliest (0.5 against
0.4 for "the"), but every continuation of "a" is uncertain, while "the" is nearly always
followed by "cat". Greedy commits to "a" and ends with P = 0.5 * 0.4 = 0.20; a beam of 2
keeps "the" alive and finds P = 0.4 * 0.9 = 0.36.

Run: python examples/rnn/beam_search.py
"""

from __future__ import annotations

import numpy as np

from lamina.models import beam_search

WORDS = ["<s>", "</s>", "a", "the", "cat", "dog", "mat"]
SOS, EOS = 0, 1
# P(next | last word): after the second word the sentence ends.
TABLE = {
    "<s>": {"a": 0.5, "the": 0.4, "cat": 0.1},
    "a": {"cat": 0.4, "dog": 0.3, "mat": 0.3},
    "the": {"cat": 0.9, "dog": 0.05, "mat": 0.05},
}


def step(last: np.ndarray, state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log P(next | last) for each live hypothesis; the state counts the words so far."""
    logp = np.full((len(last), len(WORDS)), -np.inf)
    for row, (token, length) in enumerate(zip(last, state)):
        nexts = TABLE.get(WORDS[token], {}) if length < 2 else {}
        if not nexts:
            logp[row, EOS] = 0.0  # the sentence is complete
        for word, p in nexts.items():
            logp[row, WORDS.index(word)] = np.log(p)
    return logp, state + 1


def greedy() -> tuple[list[str], float]:
    tokens, logp, state = [SOS], 0.0, np.zeros(1, dtype=int)
    while tokens[-1] != EOS:
        scores, state = step(np.array(tokens[-1:]), state)
        best = int(scores[0].argmax())
        tokens.append(best)
        logp += float(scores[0, best])
    return [WORDS[t] for t in tokens[1:-1]], float(np.exp(logp))


def main() -> None:
    words, p = greedy()
    print(f"greedy: {' '.join(words)}  P = {p:.2f}")
    for width in (1, 2, 3):
        (best,) = beam_search(
            step, np.zeros(1, dtype=int), SOS, EOS, beam_width=width, length_penalty=0
        )
        text = " ".join(WORDS[t] for t in best.tokens if t not in (SOS, EOS))
        print(f"beam width {width}: {text}  P = {np.exp(best.log_prob):.2f}")


if __name__ == "__main__":
    main()
