"""The sequence-to-sequence recipes' data and runs: ``translation`` (seq2seq-dates,
g2p-cmudict).

Sources are character ids, left-padded with 0 (so the encoder's last step is the last
character and attention masks the padding); targets are character ids followed by EOS
(g2p: phoneme ids, EOS, then padding 0 that the loss ignores). Training uses teacher
forcing; the held-out figures are the exact-match rate of greedy decoding (dates), or the
word accuracy and phoneme error rate of greedy and beam-search decoding (g2p, in
``lamina.cli.g2p``). The run folder holds ``config.json``, ``model.npz``, ``metrics.json``,
``history.csv`` and ``attention.png`` (the attention weights of one test example).
"""

from __future__ import annotations

import csv
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np

import lamina
import lamina.nn.functional as F
from lamina.cli.folder import RunError, write_json
from lamina.cli.recipes import Data, Recipe
from lamina.datasets.dates import make_dates
from lamina.models.seq2seq import Seq2Seq
from lamina.optim import Adam
from lamina.serialization import save

__all__ = ["dates_data", "evaluate_translation", "train_translation", "translate"]

PAD, SOS, EOS = 0, 1, 2  # target ids; a target character c has id 3 + its index
DATE_CHARS = " ,./0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
ISO_CHARS = "0123456789-"
DATE_SIZES = (20_000, 1_000, 2_000)  # train, validation, test dates, on distinct days
SRC_LEN = 32


def encode_sources(texts: list[str], chars: str, length: int = SRC_LEN) -> np.ndarray:
    """(N, length) ids (0 = padding, c -> 1 + chars.index(c)), left-padded."""
    out = np.zeros((len(texts), length), np.int64)
    for i, text in enumerate(texts):
        unknown = sorted(set(text) - set(chars))
        if unknown or len(text) > length:
            raise ValueError(
                f"translate: expected at most {length} characters from {chars!r}, got "
                f"{text!r}" + (f" (unknown {''.join(unknown)!r})" if unknown else "")
            )
        out[i, length - len(text) :] = [1 + chars.index(c) for c in text]
    return out


def decode_targets(ids: np.ndarray, chars: str | list[str]) -> list[str]:
    """Each row's characters up to its first EOS (a list of symbols: joined by spaces)."""
    texts, sep = [], "" if isinstance(chars, str) else " "
    for row in ids:
        end = int(np.argmax(row == EOS)) if (row == EOS).any() else len(row)
        texts.append(sep.join(chars[i - 3] for i in row[:end] if i >= 3))
    return texts


def target_symbols(extra: dict[str, Any]) -> str | list[str]:
    """The target vocabulary after PAD, SOS, EOS: characters, or symbols (``tgt_tokens``)."""
    tokens = extra.get("tgt_tokens")
    return [str(t) for t in tokens] if tokens is not None else str(extra["tgt_chars"])


def trim(src: np.ndarray, tgt: np.ndarray | None = None) -> tuple[np.ndarray, Any]:
    """A batch without its all-padding columns: the leading ones of the left-padded sources,
    and the targets' columns after every row's EOS (dates' targets have none to drop)."""
    src = src[:, int(np.argmax((src != 0).any(0))) :] if (src != 0).any() else src
    if tgt is not None and (tgt == EOS).any(1).all():
        tgt = tgt[:, : int((tgt == EOS).argmax(1).max()) + 1]
    return src, tgt


def dates_data(seed: int) -> Data:
    """20,000 training, 1,000 validation and 2,000 test dates, each split on its own days."""
    taken: set[int] = set()
    splits = []
    for k, n in enumerate(DATE_SIZES):
        human, iso, days = make_dates(n, seed * 3 + k, exclude=taken)
        taken |= days
        y = np.array([[3 + ISO_CHARS.index(c) for c in t] for t in iso], np.int64)
        splits.append((encode_sources(human, DATE_CHARS), y))
    extra = {
        "src_chars": DATE_CHARS,
        "tgt_chars": ISO_CHARS,
        "input_shape": (SRC_LEN,),
        "target_length": 10,
        "task": "translation",
    }
    return Data(splits[0], splits[1], splits[2], extra)


def build_seq2seq(spec: dict[str, Any], extra: dict[str, Any]) -> Seq2Seq:
    attention = spec.get("attention", "additive")
    return Seq2Seq(
        len(str(extra["src_chars"])) + 1,
        len(target_symbols(extra)) + 3,
        spec.get("embedding_dim", 32),
        spec.get("hidden_size", 64),
        cell=spec.get("cell", "gru"),
        attention=None if attention == "none" else attention,
        sos=SOS,
        eos=EOS,
    )


def exact_match(model: Seq2Seq, x: np.ndarray, y: np.ndarray, batch: int = 500) -> float:
    """The fraction of sources whose greedy decoding is exactly the target."""
    hits = 0
    for i in range(0, len(x), batch):
        out, _ = model.greedy(x[i : i + batch], y.shape[1] + 1, src_padding=x[i : i + batch] == 0)
        hits += int(
            np.sum(
                np.all(out[:, : y.shape[1]] == y[i : i + batch], 1) & (out[:, y.shape[1]] == EOS)
            )
        )
    return hits / len(x)


def _epoch(
    model: Seq2Seq, opt: Any, x: np.ndarray, y: np.ndarray, size: int, rng: Any, shorten: bool
) -> float:
    total, order = 0.0, rng.permutation(len(x))
    vocab = model.out.out_features
    for i in range(0, len(x), size):
        idx = order[i : i + size]
        src, tgt = trim(x[idx], y[idx]) if shorten else (x[idx], y[idx])
        tgt_in = np.concatenate([np.full((len(idx), 1), SOS), tgt], 1)
        tgt_out = np.concatenate([tgt, np.full((len(idx), 1), EOS)], 1)
        after = np.cumsum(tgt_out == EOS, 1) - (tgt_out == EOS) > 0  # past the first EOS
        tgt_out[after] = PAD  # ignored by the loss (dates: nothing is past it)
        logits = model(src, tgt_in, src_padding=src == 0)
        loss = F.cross_entropy(
            logits.reshape(-1, vocab), lamina.tensor(tgt_out.reshape(-1)), ignore_index=PAD
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(idx)
    return total / len(x)


def train_translation(recipe: Recipe, run: Path, verbose: int, data: Data) -> dict[str, float]:
    """Train a translation recipe into ``run``; returns its metrics."""
    spec, seed = recipe.spec, recipe.spec["seed"]
    lamina.manual_seed(seed)
    model = build_seq2seq(spec["model"], data.extra)
    model.rng = np.random.default_rng(seed)
    run_id = uuid.uuid4().hex
    write_json(
        run / "config.json",
        {**spec, "recipe": recipe.name, "lamina": lamina.__version__, "run_id": run_id},
    )
    opt = Adam(model.parameters(), lr=spec["lr"])
    rng, started, history = np.random.default_rng(seed), time.perf_counter(), []
    (x, y), (xv, yv), (xt, _) = data.train, data.val, data.test
    steps = spec.get("steps_per_epoch")
    if steps:
        x, y = x[: steps * spec["batch_size"]], y[: steps * spec["batch_size"]]
    shorten = "tgt_tokens" in data.extra
    for epoch in range(spec["epochs"]):
        loss = _epoch(model, opt, x, y, spec["batch_size"], rng, shorten)
        val = _scores(model, xv, yv, data.extra, "val")
        history.append({"epoch": epoch + 1, "loss": loss, **val})
        if verbose:
            figures = "  ".join(f"{k.replace('_', ' ')} {v:.4f}" for k, v in val.items())
            print(f"epoch {epoch + 1}: loss {loss:.4f}  {figures}", flush=True)
    model.eval()
    results = {
        **evaluate_translation(model, data, verbose),
        "train_seconds": round(time.perf_counter() - started, 2),
    }
    save({"model": model.state_dict(), "extra": data.extra, "run_id": run_id}, run / "model.npz")
    with open(run / "history.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(history[0]))
        writer.writeheader()
        writer.writerows(history)
    _attention_picture(model, xt[:1], data.extra, run)
    write_json(run / "metrics.json", results)
    return results


def _scores(
    model: Seq2Seq, x: np.ndarray, y: np.ndarray, extra: dict[str, Any], prefix: str
) -> dict[str, float]:
    if "tgt_tokens" not in extra:
        return {f"{prefix}_exact_match": exact_match(model, x, y)}
    from lamina.cli.g2p import g2p_scores

    return g2p_scores(model, x, y, prefix)


def evaluate_translation(model: Seq2Seq, data: Data, verbose: int = 0) -> dict[str, float]:
    """The held-out figures of a translation run: dates, greedy exact match; g2p, word
    accuracy and phoneme error rate, greedy, and with a beam of ``extra["eval_beam"]`` on the
    first ``extra["eval_beam_words"]`` test words (beside greedy on the same words)."""
    results = _scores(model, *data.test, data.extra, "test")
    beam = data.extra.get("eval_beam")
    if beam:
        from lamina.cli.g2p import g2p_scores

        n = int(data.extra["eval_beam_words"])
        x, y = data.test[0][:n], data.test[1][:n]
        for width, tag in ((int(beam), f"beam{beam}"), (None, f"greedy{n}")):
            scores = g2p_scores(model, x, y, "test", width, verbose)
            results.update({f"{k}_{tag}": v for k, v in scores.items()})
        results["beam_test_words"] = n
    return results


def _attention_picture(model: Seq2Seq, src: np.ndarray, extra: dict[str, Any], run: Path) -> None:
    """attention.png: the weights of the first test example, source characters across."""
    if model.attention_type is None:
        return
    if "tgt_tokens" in extra:
        src = trim(src)[0]
    from lamina.training.plots import plot_attention

    out, maps = model.greedy(src, extra["target_length"] + 1, src_padding=src == 0)
    if maps is None:
        return
    keep, chars = src[0] != 0, extra["src_chars"]
    symbols = target_symbols(extra)
    shown = decode_targets(out, symbols)[0]
    labels = [*(shown.split() if isinstance(symbols, list) else shown), "<eos>"][: maps.shape[1]]
    weights = maps[0][: len(labels)][:, keep]
    plot_attention(weights, run / "attention.png", [chars[i - 1] for i in src[0][keep]], labels)


def translate(run: str | Path, texts: list[str], beam: int | None = None) -> list[str]:
    """Decode each text with a trained translation run: greedy, or beam search of width beam."""
    from lamina.cli.runs import load_run  # it imports this module

    recipe, model, extra, _ = load_run(run)
    if recipe.task != "translation" or not isinstance(model, Seq2Seq):
        raise RunError(f"translate: {run} holds a {recipe.task} run, not a translation")
    model.eval()
    if extra.get("lowercase"):
        texts = [t.lower() for t in texts]
    x = encode_sources(texts, str(extra["src_chars"]))
    length = int(extra["target_length"]) + 1
    symbols = target_symbols(extra)
    if "tgt_tokens" in extra:  # trained on batches without all-padding columns
        return [translate_one(model, trim(row[None])[0][0], length, symbols, beam) for row in x]
    if beam is None:
        out, _ = model.greedy(x, length, src_padding=x == 0)
        return decode_targets(out, symbols)
    return [translate_one(model, row, length, symbols, beam) for row in x]


def translate_one(
    model: Seq2Seq, src: np.ndarray, length: int, symbols: str | list[str], beam: int | None
) -> str:
    """One source row decoded greedily (``beam`` None) or by beam search of width ``beam``."""
    if beam is None:
        out, _ = model.greedy(src[None], length, src_padding=src[None] == 0)
        return decode_targets(out, symbols)[0]
    hyp = model.beam_search(src.tolist(), beam, length, src_padding=src == 0)[0].tokens
    return decode_targets(np.array([list(hyp) + [EOS] * (length - len(hyp))]), symbols)[0]
