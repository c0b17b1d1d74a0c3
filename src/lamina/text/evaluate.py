"""Intrinsic evaluation of word vectors: analogies (questions-words format) and word-pair
similarity (wordsim353 format), with gensim's conventions (case-insensitive, skip unknown words).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from lamina.errors import check_positive_int
from lamina.text.similarity import pearson_correlation, spearman_correlation

if TYPE_CHECKING:
    from lamina.text.keyedvectors import KeyedVectors

__all__ = ["evaluate_analogies", "evaluate_word_pairs", "read_analogies", "read_word_pairs"]


def read_analogies(path: str | os.PathLike) -> list[tuple[str, list[tuple[str, str, str, str]]]]:
    """Parse a questions-words file: ``: section`` headers, then ``a b c d`` lines.

    Returns
    -------
    list of (section name, list of 4-word tuples)
    """
    name = Path(path).name
    sections: list[tuple[str, list[tuple[str, str, str, str]]]] = []
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, start=1):
            if not line.strip():
                continue
            if line.startswith(":"):
                sections.append((line[1:].strip(), []))
                continue
            if not sections:
                raise ValueError(
                    f"evaluate_analogies: line {line_no} of {name}: expected a "
                    f"': section' header before the first analogy"
                )
            words = line.split()
            if len(words) != 4:
                raise ValueError(
                    f"evaluate_analogies: line {line_no} of {name}: expected 4 "
                    f"words, got {len(words)}"
                )
            sections[-1][1].append((words[0], words[1], words[2], words[3]))
    return sections


def read_word_pairs(path: str | os.PathLike, delimiter: str = "\t") -> list[tuple[str, str, float]]:
    """Parse a wordsim353-style file: ``word1<TAB>word2<TAB>score``; ``#`` lines are comments."""
    name = Path(path).name
    pairs = []
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\r\n").split(delimiter)
            try:
                if len(fields) != 3:
                    raise ValueError
                pairs.append((fields[0], fields[1], float(fields[2])))
            except ValueError:
                raise ValueError(
                    f"evaluate_word_pairs: line {line_no} of {name}: expected "
                    f"'word1{delimiter!r}word2{delimiter!r}score', got "
                    f"{line.strip()!r}"
                ) from None
    return pairs


def _lookup(kv: KeyedVectors, restrict_vocab: int, case_insensitive: bool) -> dict[str, int]:
    """Key -> index over the first ``restrict_vocab`` words; with case folding the most
    frequent (earliest) spelling wins, as in gensim."""
    lookup: dict[str, int] = {}
    for i, w in enumerate(kv.index_to_key[:restrict_vocab]):
        lookup.setdefault(w.upper() if case_insensitive else w, i)
    return lookup


def evaluate_word_pairs(
    kv: KeyedVectors,
    path: str | os.PathLike,
    delimiter: str = "\t",
    restrict_vocab: int = 300000,
    case_insensitive: bool = True,
) -> dict[str, float]:
    """Correlate model similarities with human scores on a word-pair file.

    Pairs with a word outside the first ``restrict_vocab`` words are skipped and counted.

    Returns
    -------
    dict with ``spearman`` (rank correlation), ``pearson``, ``oov_ratio`` (percent of pairs
    skipped) and ``n_pairs`` (pairs used).
    """
    check_positive_int("evaluate_word_pairs", restrict_vocab=restrict_vocab)
    lookup = _lookup(kv, restrict_vocab, case_insensitive)
    pairs = read_word_pairs(path, delimiter)
    gold, model, oov = [], [], 0
    u = kv.unit_vectors
    for a, b, score in pairs:
        if case_insensitive:
            a, b = a.upper(), b.upper()
        if a not in lookup or b not in lookup:
            oov += 1
            continue
        gold.append(score)
        model.append(float(u[lookup[a]] @ u[lookup[b]]))
    if len(gold) < 2:
        raise ValueError(
            f"evaluate_word_pairs: need at least 2 pairs in vocabulary, got "
            f"{len(gold)} of {len(pairs)}"
        )
    return {
        "spearman": spearman_correlation(gold, model),
        "pearson": pearson_correlation(gold, model),
        "oov_ratio": 100.0 * oov / max(len(pairs), 1),
        "n_pairs": len(gold),
    }


def evaluate_analogies(
    kv: KeyedVectors,
    path: str | os.PathLike,
    restrict_vocab: int = 300000,
    case_insensitive: bool = True,
) -> tuple[float, list[dict[str, Any]]]:
    """Accuracy on analogies ``a : b :: c : d`` by 3CosAdd.

    predicted = argmax_w cos(w, unit(b) - unit(a) + unit(c)) over the first ``restrict_vocab``
    words, excluding a, b and c; correct when it equals d. Questions with a word outside
    that vocabulary are skipped (counted in ``oov_ratio``).

    Returns
    -------
    score : float
        Overall accuracy over the questions answered (NaN if none).
    sections : list of dict
        One per section, then ``"Total accuracy"``: ``section``, ``correct`` and ``incorrect``
        (lists of 4-tuples); the last entry also has ``oov_ratio`` (percent).
    """
    check_positive_int("evaluate_analogies", restrict_vocab=restrict_vocab)
    lookup = _lookup(kv, restrict_vocab, case_insensitive)
    fold = str.upper if case_insensitive else str
    end = min(restrict_vocab, len(kv))
    # One group id per folded spelling, to exclude every variant of a, b and c.
    group = np.array([lookup[fold(w)] for w in kv.index_to_key[:end]])
    u = kv.unit_vectors[:end]
    out: list[dict[str, Any]] = []
    total: dict[str, list[tuple[str, str, str, str]]] = {"correct": [], "incorrect": []}
    asked = 0
    for name, questions in read_analogies(path):
        section: dict[str, Any] = {"section": name, "correct": [], "incorrect": []}
        asked += len(questions)
        known = [q for q in questions if all(fold(w) in lookup for w in q)]
        for start in range(0, len(known), 512):
            chunk = known[start : start + 512]
            ids = np.array([[lookup[fold(w)] for w in q] for q in chunk])
            query = u[ids[:, 1]] - u[ids[:, 0]] + u[ids[:, 2]]
            sims = u @ query.T  # (end, n): cosine up to a positive factor per column
            for j in range(3):
                sims[group[:, None] == ids[None, :, j]] = -np.inf
            pred = np.argmax(sims, axis=0)
            for q, p, want in zip(chunk, pred, ids[:, 3]):
                section["correct" if group[p] == want else "incorrect"].append(q)
        total["correct"] += section["correct"]
        total["incorrect"] += section["incorrect"]
        out.append(section)
    n = len(total["correct"]) + len(total["incorrect"])
    out.append(
        {"section": "Total accuracy", **total, "oov_ratio": 100.0 * (asked - n) / max(asked, 1)}
    )
    return (len(total["correct"]) / n if n else float("nan")), out
