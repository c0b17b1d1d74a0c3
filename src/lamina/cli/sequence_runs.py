"""The recurrent sequence recipes over words: ``lstm-sentiment`` (many-to-one) and
``tagger-turkish`` (many-to-many).

Sentences are word ids right-padded with 0 (1 is the unknown word); each model reads the
lengths from the padding, runs a bidirectional LSTM over only the real steps and drops the
columns that are padding in the whole batch. ``lstm-sentiment`` trains in the common loop
(``lamina.cli.runs``); ``tagger-turkish`` in its own (``train_tagging``): its loss and
accuracy skip the padded tokens (target -100, PyTorch's ignore_index).
"""

from __future__ import annotations

import csv
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

import lamina
import lamina.nn.functional as F
from lamina import nn
from lamina.autodiff.grad_mode import no_grad
from lamina.autodiff.tensor import Tensor
from lamina.cli.folder import write_json
from lamina.cli.recipes import Data, Recipe, vader_movie_split
from lamina.datasets import TURKISH_UPOS, load_turkish_treebank
from lamina.nn.module import Module
from lamina.ops.shape import cat
from lamina.optim import Adam
from lamina.serialization import save
from lamina.text.tokenize import wordpunct_tokenize

__all__ = [
    "BiLSTMClassifier",
    "BiLSTMTagger",
    "build_sequence_model",
    "evaluate_tagging",
    "most_frequent_tag_baseline",
    "train_tagging",
    "treebank_data",
    "vader_words_data",
]

PAD, UNK, IGNORE = 0, 1, -100
SENTENCE_LEN, TREEBANK_LEN, SUFFIX = 64, 96, 3


def word_vocab(sentences: list[list[str]], min_count: int = 1) -> list[str]:
    """ "<pad>", "<unk>", then the words seen ``min_count`` times or more, most frequent first
    (ties in first-seen order)."""
    counts = Counter(w for s in sentences for w in s)
    return ["<pad>", "<unk>", *(w for w, n in counts.most_common() if n >= min_count)]


def encode_words(sentences: list[list[str]], vocab: list[str], length: int) -> np.ndarray:
    """(N, length) ids, right-padded with 0; unknown words 1; longer sentences cut."""
    lookup = {w: i for i, w in enumerate(vocab)}
    out = np.zeros((len(sentences), length), np.int64)
    for row, s in enumerate(sentences):
        ids = [lookup.get(w, UNK) for w in s[:length]]
        out[row, : len(ids)] = ids
    return out


def _lengths(ids: np.ndarray) -> np.ndarray:
    """Each row's real length (at least 1: an empty sentence reads one padding step)."""
    return np.maximum((ids != PAD).sum(1), 1)


class BiLSTMClassifier(Module):
    """Many-to-one: y = W [h_fwd(last word); h_bwd(first word)] + b over an LSTM that reads
    the word embeddings both ways. Input (N, L) word ids (0 = padding), output (N, classes)."""

    def __init__(
        self,
        vocab_size: int,
        num_classes: int,
        embedding_dim: int = 64,
        hidden_size: int = 64,
        dropout: float = 0.0,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, rng=rng)
        self.lstm = nn.LSTM(
            embedding_dim, hidden_size, batch_first=True, bidirectional=True, rng=rng
        )
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(2 * hidden_size, num_classes, rng=rng)

    def forward(self, x: Any) -> Tensor:
        ids = np.asarray(getattr(x, "data", x))
        lengths = _lengths(ids)
        _, (h, _) = self.lstm(self.embedding(ids[:, : lengths.max()]), lengths=lengths)
        return self.out(self.dropout(cat([h[-2], h[-1]], -1)))


class BiLSTMTagger(Module):
    """Many-to-many: a tag for every word, y_t = W [h_fwd(t); h_bwd(t)] + b, the LSTM reading
    [word embedding; embedding of the word's last 3 characters] both ways.

    Input (N, L, 2) ids: word and suffix (0 = padding); output (N, L', tags) where L' is the
    longest sentence of the batch.
    """

    def __init__(
        self,
        vocab_size: int,
        suffix_size: int,
        num_tags: int,
        embedding_dim: int = 64,
        suffix_dim: int = 32,
        hidden_size: int = 64,
        dropout: float = 0.0,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, rng=rng)
        self.suffix = nn.Embedding(suffix_size, suffix_dim, rng=rng)
        self.lstm = nn.LSTM(
            embedding_dim + suffix_dim, hidden_size, batch_first=True, bidirectional=True, rng=rng
        )
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(2 * hidden_size, num_tags, rng=rng)

    def forward(self, x: Any) -> Tensor:
        ids = np.asarray(getattr(x, "data", x))
        lengths = _lengths(ids[..., 0])
        ids = ids[:, : lengths.max()]
        emb = cat([self.embedding(ids[..., 0]), self.suffix(ids[..., 1])], -1)
        out, _ = self.lstm(self.dropout(emb), lengths=lengths)
        return self.out(self.dropout(out))


def build_sequence_model(spec: dict[str, Any], extra: dict[str, Any]) -> Module:
    args = {k: v for k, v in spec.items() if k != "network"}
    if spec["network"] == "BiLSTMClassifier":
        return BiLSTMClassifier(len(extra["words"]), len(extra["classes"]), **args)
    return BiLSTMTagger(len(extra["words"]), len(extra["suffixes"]), len(extra["tags"]), **args)


# -- lstm-sentiment ---------------------------------------------------------------------------
def _tokens(text: str) -> list[str]:
    return wordpunct_tokenize(text.lower())


def vader_words_data(seed: int) -> Data:
    """The VADER movie split of charcnn-sentiment as (N, 64) word ids (lower-cased
    ``wordpunct_tokenize``; the vocabulary: training words seen twice or more). Its run
    reports the same TF-IDF + logistic-regression baseline (``lamina.cli.text_baselines``)."""
    texts, y, parts = vader_movie_split(seed)
    sentences = [_tokens(t) for t in texts]
    vocab = word_vocab([sentences[i] for i in parts[0]], min_count=2)
    x = encode_words(sentences, vocab, SENTENCE_LEN)
    train, val, test = ((x[i], y[i]) for i in parts)
    extra = {
        "classes": ["negative", "positive"],
        "words": vocab,
        "input_shape": (SENTENCE_LEN,),
    }
    return Data(train, val, test, extra)


# -- tagger-turkish ---------------------------------------------------------------------------
def most_frequent_tag_baseline(
    train: list[list[tuple[str, str]]], test: list[list[tuple[str, str]]]
) -> float:
    """Token accuracy of tagging each word form with its most frequent training tag; a form
    not seen in training gets the most frequent tag overall."""
    by_form: dict[str, Counter[str]] = {}
    for sentence in train:
        for form, tag in sentence:
            by_form.setdefault(form, Counter())[tag] += 1
    overall = Counter(tag for s in train for _, tag in s).most_common(1)[0][0]
    best = {form: c.most_common(1)[0][0] for form, c in by_form.items()}
    pairs = [(best.get(form, overall), tag) for s in test for form, tag in s]
    return sum(p == t for p, t in pairs) / len(pairs)


def treebank_data(seed: int) -> Data:
    """The Turkish Web Treebank in the authors' train/dev/test split: x (N, 96, 2) word and
    suffix ids, y (N, 96) tag ids, -100 at padding. ``seed`` is unused: the split is fixed."""
    parts = [load_turkish_treebank(split) for split in ("train", "dev", "test")]
    vocab = word_vocab([[f.lower() for f, _ in s] for s in parts[0]])
    suffixes = word_vocab([[f.lower()[-SUFFIX:] for f, _ in s] for s in parts[0]])
    splits = []
    for part in parts:
        words = encode_words([[f.lower() for f, _ in s] for s in part], vocab, TREEBANK_LEN)
        ends = encode_words(
            [[f.lower()[-SUFFIX:] for f, _ in s] for s in part], suffixes, TREEBANK_LEN
        )
        y = np.full((len(part), TREEBANK_LEN), IGNORE, np.int64)
        for row, s in enumerate(part):
            y[row, : len(s)] = [TURKISH_UPOS.index(t) for _, t in s[:TREEBANK_LEN]]
        splits.append((np.stack([words, ends], -1), y))
    extra = {
        "tags": list(TURKISH_UPOS),
        "words": vocab,
        "suffixes": suffixes,
        "input_shape": (TREEBANK_LEN, 2),
        "task": "tagging",
        "baselines": {
            "baseline_most_frequent_tag_accuracy": most_frequent_tag_baseline(parts[0], parts[2])
        },
    }
    return Data(splits[0], splits[1], splits[2], extra)


def token_accuracy(model: Module, x: np.ndarray, y: np.ndarray, batch: int = 256) -> float:
    """The fraction of real (not padding) tokens tagged right."""
    right = total = 0
    model.eval()
    with no_grad():
        for i in range(0, len(x), batch):
            pred = model(x[i : i + batch]).data.argmax(-1)
            gold = y[i : i + batch, : pred.shape[1]]
            right += int(((pred == gold) & (gold != IGNORE)).sum())
            total += int((gold != IGNORE).sum())
    return right / total


def evaluate_tagging(model: Module, data: Data) -> dict[str, float]:
    return {"test_token_accuracy": token_accuracy(model, *data.test)}


def _epoch(model: Module, opt: Any, x: np.ndarray, y: np.ndarray, size: int, rng: Any) -> float:
    model.train()
    total, order = 0.0, rng.permutation(len(x))
    for i in range(0, len(x), size):
        idx = order[i : i + size]
        logits = model(x[idx])
        tags = logits.shape[-1]
        target = y[idx, : logits.shape[1]].reshape(-1)
        loss = F.cross_entropy(logits.reshape(-1, tags), lamina.tensor(target), ignore_index=IGNORE)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(idx)
    return total / len(x)


def train_tagging(recipe: Recipe, run: Path, verbose: int, data: Data) -> dict[str, float]:
    """Train a tagging recipe into ``run``; returns its metrics."""
    spec, seed = recipe.spec, recipe.spec["seed"]
    lamina.manual_seed(seed)
    model = build_sequence_model(spec["model"], data.extra)
    run_id = uuid.uuid4().hex
    write_json(
        run / "config.json",
        {**spec, "recipe": recipe.name, "lamina": lamina.__version__, "run_id": run_id},
    )
    opt = Adam(model.parameters(), lr=spec["lr"])
    rng, started, history = np.random.default_rng(seed), time.perf_counter(), []
    (x, y), (xv, yv) = data.train, data.val
    steps = spec.get("steps_per_epoch")
    if steps:
        x, y = x[: steps * spec["batch_size"]], y[: steps * spec["batch_size"]]
    for epoch in range(spec["epochs"]):
        loss = _epoch(model, opt, x, y, spec["batch_size"], rng)
        history.append(
            {"epoch": epoch + 1, "loss": loss, "val_token_accuracy": token_accuracy(model, xv, yv)}
        )
        if verbose:
            print(
                f"epoch {epoch + 1}/{spec['epochs']}: loss {loss:.4f}  val token accuracy "
                f"{history[-1]['val_token_accuracy']:.4f}",
                flush=True,
            )
    results = {
        "val_token_accuracy": history[-1]["val_token_accuracy"],
        **evaluate_tagging(model, data),
        **data.extra["baselines"],
        "train_seconds": round(time.perf_counter() - started, 2),
    }
    save({"model": model.state_dict(), "extra": data.extra, "run_id": run_id}, run / "model.npz")
    with open(run / "history.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(history[0]))
        writer.writeheader()
        writer.writerows(history)
    write_json(run / "metrics.json", results)
    return results
