"""Recipes: a model, its data and its training settings, under one name.

A recipe is a checked dict (``lamina.cli.recipe_file``), read from a TOML file: the built-in
ones ship in ``lamina/cli/recipes/*.toml``. ``Recipe`` wraps one with what a run needs: the
data's splits, the model built for them, the loss, the augmentation. Nothing here trains.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from lamina import datasets, nn
from lamina.cli.layers import parse_layers
from lamina.cli.recipe_file import check_recipe
from lamina.data import (
    Compose,
    RandomHorizontalFlip,
    RandomRotation,
    RandomScale,
    RandomTranslation,
    RandomVerticalFlip,
    StandardScaler,
    train_test_split,
)
from lamina.models import MLP, CharRNN, LeNet5, char_cnn, encode_chars, mobilenet_v1, resnet_cifar
from lamina.nn.module import Module
from lamina.training.registry import LOSSES, METRICS

__all__ = ["RECIPES", "Data", "Recipe", "get_recipe", "recipe_text"]


@dataclass
class Data:
    """Arrays of one recipe: train, validation and test splits, plus what a run must keep."""

    train: tuple[np.ndarray, np.ndarray]
    val: tuple[np.ndarray, np.ndarray]
    test: tuple[np.ndarray, np.ndarray]
    extra: dict[str, Any] = field(default_factory=dict)


def _vision(name: str) -> Callable[[int], Data]:
    """A loader of ``lamina.cli.vision_runs``, imported when called (it imports this module)."""

    def load(seed: int) -> Data:
        from lamina.cli import vision_runs

        return getattr(vision_runs, name)(seed)

    return load


def _mnist(seed: int) -> Data:
    (x, y), test = datasets.load_mnist_sample()
    xtr, xval, ytr, yval = train_test_split(x, y, test_size=0.1, seed=seed, stratify=y)
    extra = {"classes": [str(i) for i in range(10)], "input_shape": (1, 28, 28)}
    return Data((xtr, ytr), (xval, yval), test, extra)


def _digits(seed: int) -> Data:
    x, y = datasets.load_digits()
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.25, seed=seed, stratify=y)
    xtr, xval, ytr, yval = train_test_split(xtr, ytr, test_size=0.1, seed=seed, stratify=ytr)
    scaler = StandardScaler().fit(xtr)  # fitted on training data only
    xtr, xval, xte = (scaler.transform(a).astype(np.float32) for a in (xtr, xval, xte))
    extra = {
        "classes": [str(i) for i in range(10)],
        "mean": scaler.mean_,
        "scale": scaler.scale_,
        "input_shape": (64,),
        "natural_shape": (8, 8),
    }
    return Data((xtr, ytr), (xval, yval), (xte, yte), extra)


def _spirals(seed: int) -> Data:
    x, y = datasets.make_spirals(n_samples=900, n_classes=3, noise=0.2, seed=seed)
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, seed=seed, stratify=y)
    xtr, xval, ytr, yval = train_test_split(xtr, ytr, test_size=0.1, seed=seed, stratify=ytr)
    return Data(
        (xtr, ytr), (xval, yval), (xte, yte), {"classes": ["0", "1", "2"], "input_shape": (2,)}
    )


def char_windows(ids: np.ndarray, seq_len: int) -> tuple[np.ndarray, np.ndarray]:
    """Non-overlapping (input, next-character target) windows of length ``seq_len``."""
    n = (len(ids) - 1) // seq_len
    x = ids[: n * seq_len].reshape(n, seq_len)
    y = ids[1 : n * seq_len + 1].reshape(n, seq_len)
    return x, y


def _pydocs(seed: int, chars: int = 300_000, seq_len: int = 64) -> Data:
    text = datasets.load_text("python-docs")[:chars]
    vocab = sorted(set(text))
    lookup = {c: i for i, c in enumerate(vocab)}
    ids = np.fromiter((lookup[c] for c in text), np.int64, len(text))
    cut1, cut2 = int(len(ids) * 0.9), int(len(ids) * 0.95)
    train = char_windows(ids[:cut1], seq_len)
    return Data(
        train,
        char_windows(ids[cut1:cut2], seq_len),
        char_windows(ids[cut2:], seq_len),
        {"vocab": "".join(vocab), "input_shape": (seq_len,)},
    )


def vader_movie_split(seed: int) -> tuple[list[str], np.ndarray, list[np.ndarray]]:
    """The 10,568 VADER movie sentences rated non-zero, their labels (rating > 0) and the
    train, validation and test indices of ``charcnn-sentiment`` (20% test, then 10% of the
    rest for validation, stratified); a baseline on the same split reuses them."""
    texts, y, _ = datasets.load_vader_sentiment("movies")
    idx = np.arange(len(texts))
    train, test = train_test_split(idx, test_size=0.2, seed=seed, stratify=y)
    train, val = train_test_split(train, test_size=0.1, seed=seed, stratify=y[train])
    return texts, y, [train, val, test]


def _vader_movies(seed: int, length: int = 192) -> Data:
    """The VADER movie sentences as (N, 192) character codes (``encode_chars``)."""
    texts, y, parts = vader_movie_split(seed)
    x = encode_chars(texts, length=length)
    train, val, test = ((x[i], y[i]) for i in parts)
    return Data(train, val, test, {"classes": ["negative", "positive"], "input_shape": (length,)})


SOURCES: dict[str, tuple[Callable[[int], Data], str, tuple[int, ...]]] = {
    "mnist-sample": (_mnist, "classification", (1, 28, 28)),
    "shapes": (_vision("shapes_data"), "detection", (1, 48, 48)),
    "mnist-unseen": (_vision("mnist_unseen_data"), "verification", (1, 28, 28)),
    "digits": (_digits, "classification", (64,)),
    "spirals": (_spirals, "classification", (2,)),
    "python-docs": (_pydocs, "language_model", (64,)),
    "vader-movies": (_vader_movies, "classification", (192,)),
}  # loader, task, input shape (runs saved before extra held "input_shape" need the last)
KINDS = {
    "classification": "classifier",
    "regression": "regressor",
    "language_model": "language_model",
}


def _outputs(extra: dict[str, Any]) -> int:
    return len(extra["classes"]) if "classes" in extra else 1


def _small_cnn(spec: dict[str, Any], extra: dict[str, Any]) -> Module:
    """Conv(3x3, same)-ReLU-MaxPool(2) per entry of ``channels``, then Linear-ReLU-Linear."""
    c, h, w = extra["input_shape"]
    layers: list[Module] = []
    for out in spec.get("channels", [16, 32]):
        layers += [nn.Conv2d(c, out, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
        c, h, w = out, h // 2, w // 2
    hidden = spec.get("hidden", 64)
    layers += [nn.Flatten(), nn.Linear(c * h * w, hidden), nn.ReLU()]
    layers += [nn.Dropout(spec["dropout"])] if spec.get("dropout") else []
    return nn.Sequential(*layers, nn.Linear(hidden, _outputs(extra)))


KINDS.update(detection="detector", verification="embedding")  # lamina.cli.vision_runs


def _dates(seed: int) -> Data:
    from lamina.cli.seq2seq_runs import dates_data  # it imports this module

    return dates_data(seed)


SOURCES["dates"] = (_dates, "translation", (32,))


def _cmudict(seed: int) -> Data:
    from lamina.cli.g2p import cmudict_data  # it imports this module

    return cmudict_data(seed)


SOURCES["cmudict"] = (_cmudict, "translation", (32,))


def _sequence(name: str) -> Callable[[int], Data]:
    """A loader of ``lamina.cli.sequence_runs``, imported when called (it imports this module)."""

    def load(seed: int) -> Data:
        from lamina.cli import sequence_runs

        return getattr(sequence_runs, name)(seed)

    return load


SOURCES["vader-movie-words"] = (_sequence("vader_words_data"), "classification", (64,))
SOURCES["turkish-treebank"] = (_sequence("treebank_data"), "tagging", (96, 2))
KINDS["tagging"] = "tagger"  # lamina.cli.sequence_runs
KINDS["translation"] = "translator"  # lamina.cli.seq2seq_runs


def _lm_source(name: str) -> Callable[[int], Data]:
    """A loader of ``lamina.cli.lm_runs``, imported when called (it imports this module)."""

    def load(seed: int) -> Data:
        from lamina.cli import lm_runs

        return getattr(lm_runs, name)(seed)

    return load


SOURCES["python-docs-words"] = (_lm_source("word_data"), "language_model", (35,))
SOURCES["python-docs-ngrams"] = (_lm_source("ngram_data"), "language_model", (4,))


def build_model(spec: dict[str, Any], extra: dict[str, Any]) -> Module:
    """The recipe's ``model`` table built for the data (``extra``: input shape, classes)."""
    if "layers" in spec:
        return parse_layers(spec["layers"])
    args = {k: v for k, v in spec.items() if k != "network"}
    network, shape = spec["network"], tuple(extra["input_shape"])
    if network == "Seq2Seq":
        from lamina.cli.seq2seq_runs import build_seq2seq

        return build_seq2seq(spec, extra)
    if network in ("NNLM", "WordLSTM", "CharTransformer"):
        from lamina.cli.lm_runs import build_language_model

        return build_language_model(spec, extra)
    if network in ("BiLSTMClassifier", "BiLSTMTagger"):
        from lamina.cli.sequence_runs import build_sequence_model

        return build_sequence_model(spec, extra)
    if network in ("TinyYOLO", "EmbeddingNet"):
        from lamina.cli.vision_runs import build_vision_model

        return build_vision_model(spec, extra)
    if network == "MLP":
        sizes = (int(np.prod(shape)), *args.pop("hidden", [64]), _outputs(extra))
        return MLP(sizes, **args)
    if network == "LeNet5":
        return LeNet5(_outputs(extra), in_channels=shape[0], **args)
    if network == "CharRNN":
        return CharRNN(len(extra["vocab"]), **args)
    if network == "ResNetCifar":
        return resnet_cifar(args.pop("depth", 20), _outputs(extra), shape[0])
    if network == "MobileNetV1":
        return mobilenet_v1(_outputs(extra), shape[0], **args)
    if network == "CharCNN":
        return char_cnn(_outputs(extra), length=shape[0], **args)
    return _small_cnn(args, extra)


def _augmentation(spec: dict[str, Any], seed: int) -> Callable[[np.ndarray], np.ndarray]:
    """The ``augment`` table as transforms, seeded seed, seed + 1, ... in this order."""
    made: list[Any] = []
    if "rotation" in spec:
        made.append(RandomRotation(spec["rotation"], seed=seed + len(made)))
    if "translate" in spec:
        made.append(RandomTranslation(tuple(spec["translate"]), seed=seed + len(made)))
    if "scale" in spec:
        made.append(RandomScale(tuple(spec["scale"]), seed=seed + len(made)))
    if spec.get("hflip"):
        made.append(RandomHorizontalFlip(seed=seed + len(made)))
    if spec.get("vflip"):
        made.append(RandomVerticalFlip(seed=seed + len(made)))
    return Compose(made)


@dataclass(frozen=True)
class Recipe:
    """A checked recipe dict (``spec``) and what a run derives from it."""

    spec: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.spec["name"])

    @property
    def description(self) -> str:
        return str(self.spec.get("description", ""))

    @property
    def task(self) -> str | None:
        """The recipe's task; None until the data chose it (``with_task``)."""
        if "task" in self.spec:
            return str(self.spec["task"])
        source = self.spec["data"].get("source")
        return SOURCES[source][1] if source else None

    @property
    def kind(self) -> str:
        """``classifier``, ``regressor`` or ``language_model``."""
        if self.task is None:
            raise ValueError(f"recipe {self.name}: the task is chosen by the data; load it first")
        return KINDS[self.task]

    @property
    def input_dtype(self) -> str:
        return "int64" if self.task == "language_model" else "float32"

    def with_task(self, task: str) -> Recipe:
        """This recipe with ``task`` recorded (chosen from the data's target)."""
        return Recipe({**self.spec, "task": self.task or task})

    def data(self, seed: int) -> Data:
        """The train, validation and test splits for ``seed``."""
        source = self.spec["data"].get("source")
        if source is not None:
            return SOURCES[source][0](seed)
        from lamina.cli.user_data import load_user_data

        return load_user_data(self.spec["data"], self.task, seed)

    def build(self, extra: dict[str, Any]) -> Module:
        """The model, sized from the data's ``extra``."""
        return build_model(self.spec["model"], {**extra, "input_shape": self.input_shape(extra)})

    def input_shape(self, extra: dict[str, Any]) -> tuple[int, ...]:
        """The shape of one input sample (without the batch axis)."""
        source = self.spec["data"].get("source")
        shape = extra.get("input_shape", SOURCES[source][2] if source else None)
        if shape is None:
            raise KeyError(f"recipe {self.name}: the saved data holds no input shape")
        return tuple(int(n) for n in shape)

    def loss(self, output: Any, target: Any) -> Any:
        """The recipe's loss; a language model's at every step, (N, L, V) against (N, L)."""
        default = "mse" if self.task == "regression" else "cross_entropy"
        fn = LOSSES[str(self.spec.get("loss", default)).lower()]
        if self.task == "language_model":
            return fn(output.reshape(-1, output.shape[-1]), target.reshape(-1))
        return fn(output, target)

    def metrics(self) -> dict[str, Callable[..., float]]:
        """Name -> metric; by default accuracy, or rmse and mae for regression."""
        default = {"classification": ["accuracy"], "regression": ["rmse", "mae"]}
        names = self.spec.get("metrics", default.get(self.task or "", []))
        return {str(n).lower(): METRICS[str(n).lower()] for n in names}

    def augment(self, seed: int) -> Callable[[np.ndarray], np.ndarray] | None:
        return _augmentation(self.spec["augment"], seed) if self.spec.get("augment") else None


def recipe_text(name: str) -> str:
    """The TOML text of built-in recipe ``name`` (``lamina recipes --show NAME``)."""
    get_recipe(name)
    return (resources.files("lamina.cli") / "recipes" / f"{name}.toml").read_text("utf-8")


def _builtin() -> dict[str, Recipe]:
    from lamina.cli.recipe_file import tomllib

    found = {}
    folder = resources.files("lamina.cli") / "recipes"
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".toml"):
            spec = tomllib.loads(item.read_text("utf-8"))
            found[spec["name"]] = spec
    order = ["lenet-mnist", "mlp-digits", "spirals-mlp", "charlstm-pydocs"]
    names = [n for n in order if n in found] + [n for n in found if n not in order]
    return {
        n: Recipe(check_recipe(found[n], f"lamina/cli/recipes/{n}.toml"))
        if "source" in found[n].get("data", {})
        else Recipe(found[n])
        for n in names
    }


RECIPES: dict[str, Recipe] = _builtin()
TEMPLATES = ("table-default", "images-default")  # need --data; checked once it is merged


def get_recipe(name: str) -> Recipe:
    """The built-in recipe called ``name``; an unknown name lists the known ones."""
    if name not in RECIPES:
        raise KeyError(f"unknown recipe {name!r}; choose one of {', '.join(RECIPES)}")
    return RECIPES[name]
