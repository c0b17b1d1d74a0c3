"""The language-model recipes' data, n-gram baselines and sampling.

``nnlm-pydocs`` and ``wordlstm-pydocs`` read Python's documentation text (``pydoc_data``,
the source of ``charlstm-pydocs``) as lowercased word-and-punctuation tokens
(``wordpunct_tokenize``), split in order 90 / 5 / 5 % into train, validation and test. The
vocabulary is built on the training split only: tokens seen at least ``MIN_COUNT`` times,
every other token maps to ``<UNK>``. ``gpt-pydocs`` reads characters (the same
``python-docs`` split as ``charlstm-pydocs``).

Each language-model run's metrics.json states, beside the model's ``test_perplexity``, the
test perplexity of lamina.text's interpolated Kneser-Ney n-gram model (discount 0.75) fitted
on the same training tokens and scored on the same test targets, with the same vocabulary:

    PP = exp(-1/T sum_t log P(w_t | w_{t-n+1} .. w_{t-1}))

over the T targets the network predicts, each with up to n - 1 preceding tokens of the
test split as its context (the training split is one long token sequence for ``fit``).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from lamina import datasets
from lamina.autodiff.grad_mode import no_grad
from lamina.autodiff.tensor import Tensor
from lamina.cli.folder import RunError
from lamina.cli.recipes import Data, char_windows
from lamina.models.gpt import CharTransformer, sample_next
from lamina.models.word_lm import NNLM, WordLSTM
from lamina.nn.module import Module
from lamina.text.ngram_lm import UNK, NGramLM
from lamina.text.tokenize import wordpunct_tokenize
from lamina.text.vocab import Vocabulary

__all__ = [
    "KN_ORDER",
    "LM_SOURCES",
    "build_language_model",
    "check_top_k",
    "generate_text",
    "kneser_ney_baseline",
    "kneser_ney_perplexity",
    "ngram_data",
    "pydocs_words",
    "sample_ids",
    "word_data",
]

MIN_COUNT = 3  # a word seen fewer times in the training split is <UNK>
WORD_SEQ_LEN = 35  # WordLSTM windows (as in Zaremba et al.'s Penn Treebank runs)
NNLM_CONTEXT = 4  # n - 1 previous words: a 5-gram neural model
# The baselines' n. Words: the best validation perplexity of n = 2..6 (n = 6 is no better).
# Characters: higher orders keep improving on this text (validation 2.63 at n = 5, 1.96 at
# 7, 1.44 at 10, 1.27 at 12; most test text recurs verbatim in training), so n = 10 is a
# cap set by fitting time, not a best.
KN_ORDER = {"word": 5, "char": 10}
LM_SOURCES = ("python-docs", "python-docs-words", "python-docs-ngrams")  # with a KN baseline


@lru_cache(maxsize=1)
def pydocs_words() -> tuple[list[str], list[str], list[str], list[str]]:
    """The vocabulary (``<UNK>`` first) and the train, validation, test token lists."""
    tokens = wordpunct_tokenize(datasets.load_text("python-docs").lower())
    cut1, cut2 = int(len(tokens) * 0.9), int(len(tokens) * 0.95)
    train = tokens[:cut1]
    vocab = Vocabulary(min_count=MIN_COUNT, unk_token=UNK).fit([train])
    words = list(vocab.index_to_token_)
    known = set(words)
    splits = [[t if t in known else UNK for t in part] for part in (train, tokens[cut1:cut2])]
    splits.append([t if t in known else UNK for t in tokens[cut2:]])
    return words, splits[0], splits[1], splits[2]


def _word_ids() -> tuple[list[str], list[np.ndarray]]:
    words, *splits = pydocs_words()
    lookup = {w: i for i, w in enumerate(words)}
    return words, [np.array([lookup[t] for t in part], np.int64) for part in splits]


def word_data(seed: int) -> Data:
    """(N, 35) word-id windows and their next-word targets (``wordlstm-pydocs``)."""
    words, ids = _word_ids()
    train, val, test = (char_windows(part, WORD_SEQ_LEN) for part in ids)
    extra = {"vocab": words, "tokens": "word", "input_shape": (WORD_SEQ_LEN,)}
    return Data(train, val, test, extra)


def context_windows(ids: np.ndarray, context: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (``context`` previous ids, next id) pair: x (N, context), y (N,)."""
    x = np.lib.stride_tricks.sliding_window_view(ids[:-1], context)
    return np.ascontiguousarray(x), ids[context:].copy()


def ngram_data(seed: int) -> Data:
    """Every (4 previous words, next word) pair of each split (``nnlm-pydocs``)."""
    words, ids = _word_ids()
    train, val, test = (context_windows(part, NNLM_CONTEXT) for part in ids)
    extra = {"vocab": words, "tokens": "word", "input_shape": (NNLM_CONTEXT,)}
    return Data(train, val, test, extra)


def build_language_model(spec: dict[str, Any], extra: dict[str, Any]) -> Module:
    """NNLM, WordLSTM or CharTransformer sized by the data's vocabulary (and context)."""
    args = {k: v for k, v in spec.items() if k != "network"}
    vocab_size = len(extra["vocab"])
    if spec["network"] == "NNLM":
        return NNLM(vocab_size, int(extra["input_shape"][0]), **args)
    if spec["network"] == "WordLSTM":
        return WordLSTM(vocab_size, **args)
    return CharTransformer(vocab_size, **args)


def kneser_ney_perplexity(
    train: list[str], test: list[str], n: int, start: int, stop: int
) -> float:
    """Perplexity of interpolated Kneser-Ney (order n) on ``test[start:stop]``.

    Each target's context is the up to n - 1 tokens before it in ``test``.
    """
    lm = NGramLM(n, smoothing="kneser-ney").fit([train])
    logs = [math.log(lm.score(test[t], test[max(0, t - n + 1) : t])) for t in range(start, stop)]
    return math.exp(-sum(logs) / len(logs))


def _targets(source: str, test_len: int) -> tuple[int, int]:
    """The test positions a network of this source predicts."""
    if source == "python-docs-ngrams":
        return NNLM_CONTEXT, test_len
    seq_len = 64 if source == "python-docs" else WORD_SEQ_LEN
    return 1, 1 + (test_len - 1) // seq_len * seq_len


@lru_cache(maxsize=4)
def kneser_ney_baseline(source: str) -> dict[str, float]:
    """``baseline_kneser_ney_perplexity`` and ``baseline_kneser_ney_order`` of a source.

    Words for ``python-docs-words``/``python-docs-ngrams``, characters for ``python-docs``.
    """
    if source == "python-docs":
        text = datasets.load_text("python-docs")[:300_000]  # the split of recipes._pydocs
        cut1, cut2 = int(len(text) * 0.9), int(len(text) * 0.95)
        train, test, n = list(text[:cut1]), list(text[cut2:]), KN_ORDER["char"]
    else:
        _, train, _, test = pydocs_words()
        n = KN_ORDER["word"]
    start, stop = _targets(source, len(test))
    pp = kneser_ney_perplexity(train, test, n, start, stop)
    return {"baseline_kneser_ney_perplexity": round(pp, 4), "baseline_kneser_ney_order": n}


def check_top_k(top_k: Any, vocab_size: int) -> int | None:
    """``top_k`` as an int in [1, vocab_size], or None; else a RunError naming --top-k."""
    if top_k is None:
        return None
    if isinstance(top_k, bool) or not isinstance(top_k, (int, np.integer)) or top_k < 1:
        raise RunError(f"generate: --top-k must be a positive integer, got {top_k!r}")
    if top_k > vocab_size:
        raise RunError(
            f"generate: --top-k must be at most the run's vocabulary size {vocab_size}, got {top_k}"
        )
    return int(top_k)


def sample_ids(
    model: Module,
    prime: list[int],
    length: int,
    temperature: float,
    top_k: int | None,
    rng: np.random.Generator,
) -> list[int]:
    """``length`` ids after ``prime``, each drawn by ``sample_next`` from the model's logits.

    A recurrent model (``step``) carries its state; NNLM reads the last ``context`` ids
    (a shorter prime is left-padded with its first id); a Transformer reads the last
    ``max_len``.
    """
    if hasattr(model, "generate") and not hasattr(model, "step"):
        return model.generate(prime, length, temperature, top_k, rng)
    was_training, ids = model.training, list(prime)
    model.eval()
    with no_grad():
        if hasattr(model, "step"):  # CharRNN, WordLSTM
            logits, state = model.step(Tensor(np.asarray([ids])))
            for _ in range(length):
                ids.append(sample_next(logits.numpy()[0, -1], temperature, top_k, rng))
                logits, state = model.step(Tensor(np.asarray([[ids[-1]]])), state)
        else:  # NNLM
            context = int(model.context)
            for _ in range(length):
                window = ([ids[0]] * context + ids)[-context:]
                logits = model(Tensor(np.asarray([window])))
                ids.append(sample_next(logits.numpy()[0], temperature, top_k, rng))
    model.train(was_training)
    return ids[len(prime) :]


def generate_text(
    model: Module,
    extra: dict[str, Any],
    prime: str,
    length: int,
    temperature: float,
    top_k: int | None,
    seed: int,
) -> str:
    """``prime`` and ``length`` sampled tokens: characters, or words joined by spaces.

    A word-level run reads the prime as lowercased ``wordpunct_tokenize`` tokens; a word
    outside the vocabulary is ``<UNK>``. A character run refuses characters it never saw.
    """
    vocab = extra["vocab"]
    words = extra.get("tokens") == "word"
    vocab = [str(w) for w in vocab] if words else str(vocab)
    top_k = check_top_k(top_k, len(vocab))
    lookup = {c: i for i, c in enumerate(vocab)}
    tokens = wordpunct_tokenize(prime.lower()) if words else list(prime)
    unknown = [] if words else sorted({c for c in tokens if c not in lookup})
    if unknown or not tokens:
        raise RunError(
            f"generate: prime must be non-empty text over the run's vocabulary; "
            f"{'unknown characters: ' + repr(''.join(unknown)) if unknown else 'got empty text'}"
        )
    prime_ids = [lookup.get(t, lookup.get(UNK, 0)) for t in tokens]
    ids = sample_ids(model, prime_ids, length, temperature, top_k, np.random.default_rng(seed))
    lead = " " if words and not prime[-1].isspace() else ""
    return prime + lead + (" " if words else "").join(vocab[i] for i in ids)
