"""Recipe files: read a TOML (or a run's ``config.json``), check every key, fill defaults.

A recipe is a plain dict; ``check_recipe`` reports every unknown key, wrong type and
impossible value at once, each with the file and the key's dotted path, before anything is
trained. ``merge`` applies command-line overrides; the merged, completed dict is what a run
folder's ``config.json`` records, so ``lamina train runs/X/config.json`` trains the same run.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from lamina.cli.folder import RunError
from lamina.training.registry import LOSSES, METRICS, OPTIMIZERS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 reads TOML with the tomli backport
    import tomli as tomllib

__all__ = ["RUN_KEYS", "RecipeError", "check_recipe", "merge", "read_recipe_file"]

MAX_SEED = 2**32 - 1
MAX_COUNT = 10**9
TASKS: tuple[str, ...] = ("classification", "regression", "language_model")
SOURCES: tuple[str, ...] = ("mnist-sample", "digits", "spirals", "python-docs", "vader-movies")
NETWORKS: tuple[str, ...] = (
    "MLP",
    "LeNet5",
    "CharRNN",
    "SmallCNN",
    "ResNetCifar",
    "MobileNetV1",
    "CharCNN",
)
SCHEDULES = ("cosine", "constant", "step", "exponential")
RUN_KEYS = ("recipe", "run_id", "lamina")  # a run's config.json adds these; a recipe ignores them

Check = Callable[[Any], str | None]  # None when the value is fine, else what was expected
TASKS += ("detection", "verification")  # the vision recipes (lamina.cli.vision_runs)
SOURCES += ("shapes", "mnist-unseen")
NETWORKS += ("TinyYOLO", "EmbeddingNet")
TASKS += ("translation",)  # sequence-to-sequence recipes (lamina.cli.seq2seq_runs)
SOURCES += ("dates",)
SOURCES += ("cmudict",)  # g2p-cmudict (lamina.cli.g2p)
TASKS += ("tagging",)  # tagger-turkish (lamina.cli.sequence_runs)
SOURCES += ("vader-movie-words", "turkish-treebank")
NETWORKS += ("BiLSTMClassifier", "BiLSTMTagger")
NETWORKS += ("Seq2Seq",)
SOURCES += ("python-docs-words", "python-docs-ngrams")  # word-level LMs (lamina.cli.lm_runs)
NETWORKS += ("NNLM", "WordLSTM", "CharTransformer")


class RecipeError(RunError):
    """A recipe file that cannot be trained: every problem found, one per key."""


def _int(lo: int, hi: int = MAX_COUNT) -> Check:
    def check(v: Any) -> str | None:
        ok = isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi
        return None if ok else f"an integer in [{lo}, {hi}]"

    return check


def _num(lo: float, hi: float = math.inf, lo_open: bool = False, hi_open: bool = False) -> Check:
    def check(v: Any) -> str | None:
        ok = isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
        ok = ok and (v > lo if lo_open else v >= lo) and (v < hi if hi_open else v <= hi)
        left, right = "(" if lo_open else "[", ")" if hi_open else "]"
        return None if ok else f"a number in {left}{lo}, {hi}{right}"

    return check


def _choice(options: Any) -> Check:
    def check(v: Any) -> str | None:
        ok = isinstance(v, str) and v.lower() in options
        return None if ok else f"one of {', '.join(sorted(options))}"

    return check


def _str(v: Any) -> str | None:
    return None if isinstance(v, str) else "a string"


def _bool(v: Any) -> str | None:
    return None if isinstance(v, bool) else "true or false"


def _channels(v: Any) -> str | None:
    return None if v in (1, 3) and not isinstance(v, bool) else "1 or 3"


def _list_of(item: Check, what: str, length: int | None = None, least: int = 1) -> Check:
    def check(v: Any) -> str | None:
        ok = isinstance(v, (list, tuple)) and all(item(e) is None for e in v)
        ok = ok and (len(v) == length if length is not None else len(v) >= least)
        count = length or ("one or more" if least else "zero or more")
        return None if ok else f"a list of {count} {what}"

    return check


def _optional(check: Check) -> Check:
    return lambda v: None if v is None else check(v)


TOP: dict[str, Check] = {
    "name": _str,
    "description": _str,
    "task": _choice(TASKS),
    "loss": _choice(LOSSES),
    "metrics": _list_of(_choice(METRICS), "metric names", least=0),
    "optimizer": _choice(OPTIMIZERS),
    "lr": _num(0, lo_open=True),
    "weight_decay": _num(0),
    "momentum": _num(0, 1, hi_open=True),
    "epochs": _int(1),
    "batch_size": _int(1),
    "seed": _int(0, MAX_SEED),
    "steps_per_epoch": _optional(_int(1)),
    "patience": _optional(_int(1)),
}
TABLES = ("model", "data", "schedule", "augment")
DATA: dict[str, Check] = {
    "source": _choice(SOURCES),
    "path": _str,
    "target": _str,
    "test_size": _num(0, 1, True, True),
    "val_size": _num(0, 1, True, True),
    "image_size": _list_of(_int(1, 4096), "sizes", 2),
    "channels": _channels,
    "scale": _choice(("standard", "minmax", "none")),
}
NETWORK_ARGS: dict[str, dict[str, Check]] = {
    "MLP": {
        "hidden": _list_of(_int(1), "layer sizes"),
        "dropout": _num(0, 1, hi_open=True),
        "activation": _choice(("relu", "tanh", "sigmoid", "leaky_relu", "elu")),
    },
    "LeNet5": {"classic": _bool},
    "CharRNN": {
        "embedding_dim": _int(1),
        "hidden_size": _int(1),
        "num_layers": _int(1, 16),
        "cell": _choice(("rnn", "lstm", "gru")),
    },
    "SmallCNN": {
        "channels": _list_of(_int(1, 1024), "channel counts"),
        "hidden": _int(1),
        "dropout": _num(0, 1, hi_open=True),
    },
    "ResNetCifar": {"depth": _int(8, 1000)},
    "MobileNetV1": {"width_mult": _num(1 / 32, 4), "stem_stride": _int(1, 2)},
    "CharCNN": {
        "features": _int(1, 4096),
        "hidden": _int(1),
        "dropout": _num(0, 1, hi_open=True),
        "batch_norm": _bool,
    },
}
SCHEDULE: dict[str, Check] = {
    "name": _choice(SCHEDULES),
    "step_size": _int(1),
    "gamma": _num(0, 1, lo_open=True),
}
AUGMENT: dict[str, Check] = {
    "rotation": _num(0, 180),
    "translate": _list_of(_num(0, 1), "fractions", 2),
    "scale": _list_of(_num(0, 10, lo_open=True), "factors", 2),
    "hflip": _bool,
    "vflip": _bool,
}

NETWORK_ARGS["TinyYOLO"] = {
    "grid": _int(1, 64),
    "boxes": _int(1, 16),
    "channels": _list_of(_int(1, 1024), "channel counts"),
}
# the embedding's margin and mining choose the triplet loss it trains with
NETWORK_ARGS["EmbeddingNet"] = {
    "channels": _list_of(_int(1, 1024), "channel counts"),
    "hidden": _int(1),
    "embedding_dim": _int(1),
    "margin": _num(0, lo_open=True),
    "mining": _choice(("batch_all", "batch_hard", "semi_hard")),
}
NETWORK_ARGS["Seq2Seq"] = {
    "embedding_dim": _int(1),
    "hidden_size": _int(1),
    "cell": _choice(("gru", "lstm")),
    "attention": _choice(("additive", "dot", "general", "none")),
}
NETWORK_ARGS["BiLSTMClassifier"] = {
    "embedding_dim": _int(1),
    "hidden_size": _int(1),
    "dropout": _num(0, 1, hi_open=True),
}
NETWORK_ARGS["BiLSTMTagger"] = {**NETWORK_ARGS["BiLSTMClassifier"], "suffix_dim": _int(1)}
NETWORK_ARGS["NNLM"] = {  # its context (n - 1 words) comes from the data
    "embedding_dim": _int(1),
    "hidden_size": _int(1),
    "direct": _bool,
}
NETWORK_ARGS["WordLSTM"] = {
    "embedding_dim": _int(1),
    "hidden_size": _int(1),
    "num_layers": _int(1, 16),
    "dropout": _num(0, 1, hi_open=True),
    "tie_weights": _bool,
}
NETWORK_ARGS["CharTransformer"] = {
    "d_model": _int(1),
    "nhead": _int(1),
    "num_layers": _int(1, 64),
    "dim_feedforward": _int(1),
    "max_len": _int(1),
    "dropout": _num(0, 1, hi_open=True),
}
DEFAULTS: dict[str, Any] = {
    "description": "",
    "optimizer": "adam",
    "lr": 1e-3,
    "weight_decay": 0.0,
    "epochs": 20,
    "batch_size": 32,
    "seed": 0,
    "steps_per_epoch": None,
    "patience": None,
}


def _table(
    problems: list[str], where: str, value: Any, checks: Mapping[str, Check]
) -> dict[str, Any]:
    """Check each key of ``value`` against ``checks``; unknown keys are problems too."""
    if not isinstance(value, Mapping):
        problems.append(f"{where}: expected a table, got {value!r}")
        return {}
    for key, v in value.items():
        if key not in checks:
            problems.append(f"{where}.{key}: unknown key (expected one of {', '.join(checks)})")
        elif (expected := checks[key](v)) is not None:
            problems.append(f"{where}.{key}: expected {expected}, got {v!r}")
    return dict(value)


def _check_model(problems: list[str], model: Any) -> None:
    if not isinstance(model, Mapping):
        problems.append(f"model: expected a table with 'network' or 'layers', got {model!r}")
        return
    if ("network" in model) == ("layers" in model):
        problems.append("model: expected exactly one of 'network' (a name) or 'layers' (a list)")
        return
    if "layers" in model:
        _table(problems, "model", model, {"layers": _list_of(_str, "layer strings")})
        from lamina.cli.layers import parse_layer

        for i, text in enumerate(model.get("layers") or []):
            try:
                parse_layer(text)
            except ValueError as e:
                problems.append(f"model.layers[{i}]: {e}")
        return
    network = model["network"]
    if network not in NETWORK_ARGS:
        problems.append(f"model.network: expected one of {', '.join(NETWORKS)}, got {network!r}")
        return
    _table(problems, "model", model, {"network": _str, **NETWORK_ARGS[network]})


def check_recipe(recipe: Any, source: str) -> dict[str, Any]:
    """Every problem of ``recipe`` at once as a RecipeError; the recipe with defaults filled.

    ``source`` names the file in messages.
    """
    problems: list[str] = []
    recipe = _table(problems, "recipe", recipe, {**TOP, **dict.fromkeys(TABLES, _table_check)})
    if "model" not in recipe:
        problems.append("model: missing; expected a table with 'network' or 'layers'")
    else:
        _check_model(problems, recipe["model"])
    data = recipe.get("data")
    if data is None:
        problems.append("data: missing; expected a table with 'source' or 'path'")
    else:
        data = _table(problems, "data", data, DATA)
        if ("source" in data) == ("path" in data):
            problems.append("data: expected exactly one of 'source' (built-in) or 'path' (a file)")
    task = recipe.get("task")
    own_loop = task in OWN_LOOP_TASKS
    default_schedule = "constant" if own_loop else "cosine"
    schedule = recipe.get("schedule", {"name": default_schedule})
    if isinstance(schedule, str):
        schedule = {"name": schedule}
    recipe["schedule"] = _table(problems, "schedule", schedule, SCHEDULE)
    recipe["schedule"].setdefault("name", default_schedule)
    if own_loop:
        _check_own_loop(problems, task, recipe)
    if "augment" in recipe:
        _table(problems, "augment", recipe["augment"], AUGMENT)
    if recipe.get("momentum") and str(recipe.get("optimizer", "adam")).lower() not in (
        "sgd",
        "rmsprop",
    ):
        problems.append("momentum: only sgd and rmsprop take momentum")
    if problems:
        raise RecipeError(
            f"{source}: {len(problems)} problem{'s' if len(problems) > 1 else ''} in the "
            f"recipe: " + "; ".join(problems)
        )
    return {**DEFAULTS, **recipe}


# Tasks trained by a loop of their own (lamina.cli.seq2seq_runs, lamina.cli.sequence_runs):
# Adam at a constant learning rate, no weight decay, no early stopping.
OWN_LOOP_TASKS = ("translation", "tagging")


def _check_own_loop(problems: list[str], task: str, recipe: dict[str, Any]) -> None:
    why = f"{task} recipes train with Adam at a constant learning rate"
    if str(recipe.get("optimizer", "adam")).lower() != "adam":
        problems.append(f"optimizer: {why}, got {recipe['optimizer']!r}")
    if recipe["schedule"]["name"] != "constant":
        problems.append(f"schedule: {why}, got {recipe['schedule']['name']!r}")
    for key in ("weight_decay", "momentum", "patience"):
        if recipe.get(key):
            problems.append(f"{key}: {why}, which takes no {key}")


def _table_check(v: Any) -> str | None:  # the tables are checked key by key afterwards
    return None


def merge(recipe: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """``recipe`` with every non-None override set; keys ``data.path`` go into tables."""
    out = {k: dict(v) if isinstance(v, Mapping) else v for k, v in recipe.items()}
    for key, value in overrides.items():
        if value is None:
            continue
        if "." in key:
            table, sub = key.split(".", 1)
            if isinstance(out.setdefault(table, {}), dict):  # else check_recipe reports it
                out[table][sub] = value
        else:
            out[key] = value
    return out


def read_recipe_file(path: str | Path) -> dict[str, Any]:
    """The recipe dict of a ``.toml`` file or a run's ``config.json`` (run keys dropped).

    Not checked: call ``check_recipe`` after merging the command line's overrides.
    """
    p = Path(path)
    if not p.is_file():
        raise RunError(f"{p}: no such recipe file")
    try:
        if p.suffix.lower() == ".json":
            recipe = json.loads(p.read_text(encoding="utf-8"))
            if isinstance(recipe, dict):
                recipe = {k: v for k, v in recipe.items() if k not in RUN_KEYS and v is not None}
        else:
            recipe = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as e:
        raise RecipeError(f"{p}: not a valid {p.suffix.lstrip('.').upper()} recipe: {e}") from None
    if not isinstance(recipe, dict):
        raise RecipeError(f"{p}: expected a table of recipe keys, got {type(recipe).__name__}")
    recipe.setdefault("name", p.stem if p.name != "config.json" else p.parent.name)
    return recipe
