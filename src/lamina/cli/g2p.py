"""The ``g2p-cmudict`` recipe's data and figures: grapheme-to-phoneme conversion on the CMU
Pronouncing Dictionary, trained and decoded by ``lamina.cli.seq2seq_runs``.

Words (lower-case letters and ' - .) are sources; their first pronunciation's ARPAbet
symbols (stress digits kept) are targets. A seeded permutation of the 126,052 headwords
holds out 5 % of the words for test (6,303) and 1,000 more for validation; the default run
trains on a subset of the rest (``G2P_TRAIN_WORDS``) to finish in minutes on 2 cores.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.cli.recipes import Data
from lamina.cli.seq2seq_runs import EOS, SRC_LEN, encode_sources, trim
from lamina.datasets import load_cmudict
from lamina.models.seq2seq import Seq2Seq

__all__ = ["cmudict_data", "edit_distance", "g2p_scores"]

G2P_TEST_FRACTION = 0.05
G2P_VAL_WORDS = 1_000
G2P_TRAIN_WORDS = 60_000
G2P_BEAM_WORDS = 1_000  # beam search decodes word by word: the first 1,000 test words
G2P_TARGET_LEN = 28  # the longest pronunciation in the dictionary has 28 phonemes


def cmudict_data(seed: int) -> Data:
    """Train, validation and test words of CMUdict, split by word with ``seed``."""
    entries = load_cmudict()
    chars = "".join(sorted({c for w, _ in entries for c in w}))
    symbols = sorted({p for _, ps in entries for p in ps})
    order = np.random.default_rng(seed).permutation(len(entries))
    n_test = round(G2P_TEST_FRACTION * len(entries))
    parts = (
        order[G2P_VAL_WORDS + n_test : G2P_VAL_WORDS + n_test + G2P_TRAIN_WORDS],
        order[n_test : n_test + G2P_VAL_WORDS],
        order[:n_test],
    )
    lookup = {p: 3 + i for i, p in enumerate(symbols)}
    splits = []
    for part in parts:
        words = [entries[i][0] for i in part]
        y = np.zeros((len(part), G2P_TARGET_LEN + 1), np.int64)  # PAD = 0 after EOS
        for row, i in enumerate(part):
            ids = [lookup[p] for p in entries[i][1]]
            y[row, : len(ids) + 1] = [*ids, EOS]
        splits.append((encode_sources(words, chars), y))
    extra = {
        "src_chars": chars,
        "tgt_tokens": symbols,
        "input_shape": (SRC_LEN,),
        "target_length": G2P_TARGET_LEN,
        "lowercase": True,
        "eval_beam": 5,
        "eval_beam_words": G2P_BEAM_WORDS,
        "task": "translation",
    }
    return Data(splits[0], splits[1], splits[2], extra)


def edit_distance(a: list[int], b: list[int]) -> int:
    """Levenshtein distance: the fewest insertions, deletions and substitutions from a to b.
    d[i][j] = min(d[i-1][j] + 1, d[i][j-1] + 1, d[i-1][j-1] + [a_i != b_j])."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, z in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != z))
    return row[-1]


def _until_eos(row: Any) -> list[int]:
    row = [int(t) for t in row]
    return row[: row.index(EOS)] if EOS in row else row


def _decode(model: Seq2Seq, x: np.ndarray, beam: int | None, verbose: int) -> list[list[int]]:
    """Each source decoded without padding: greedy in batches of equal-length words, or beam
    search word by word."""
    length = G2P_TARGET_LEN + 1
    lengths = (x != 0).sum(1)
    out: list[list[int]] = [[] for _ in range(len(x))]
    if beam is None:
        for n in np.unique(lengths):
            rows = np.flatnonzero(lengths == n)
            for i in range(0, len(rows), 500):
                src = trim(x[rows[i : i + 500]])[0]
                tokens, _ = model.greedy(src, length, src_padding=src == 0)
                for r, t in zip(rows[i : i + 500], tokens):
                    out[r] = _until_eos(t)
        return out
    for r, row in enumerate(x):
        src = trim(row[None])[0][0]
        out[r] = _until_eos(model.beam_search(src, beam, length, src_padding=src == 0)[0].tokens)
        if verbose and (r + 1) % 250 == 0:
            print(f"  beam {beam}: {r + 1}/{len(x)} words", flush=True)
    return out


def g2p_scores(
    model: Seq2Seq,
    x: np.ndarray,
    y: np.ndarray,
    prefix: str,
    beam: int | None = None,
    verbose: int = 0,
) -> dict[str, float]:
    """Word accuracy (decoded phonemes exactly the reference) and phoneme error rate
    PER = sum of edit distances / sum of reference lengths, over the words of x."""
    decoded = _decode(model, x, beam, verbose)
    refs = [_until_eos(row) for row in y]
    right = sum(d == r for d, r in zip(decoded, refs))
    errors = sum(edit_distance(d, r) for d, r in zip(decoded, refs))
    return {
        f"{prefix}_word_accuracy": right / len(refs),
        f"{prefix}_phoneme_error_rate": errors / sum(map(len, refs)),
    }
