"""Recipe files: built-ins are shipped TOML, a user's TOML trains, every problem is reported at
once before training, flags override the file, and a run's config.json trains the same run."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from lamina.cli.layers import parse_layer, parse_layers
from lamina.cli.recipe_file import RecipeError, check_recipe, tomllib
from lamina.cli.recipes import RECIPES
from lamina.serialization import load

Cli = Callable[..., tuple[int, str, str]]

USER_RECIPE = """
name = "my-spirals"
description = "a layer list on the spirals"
task = "classification"
optimizer = "sgd"
momentum = 0.9
lr = 0.05
epochs = 3
batch_size = 64
seed = 7
metrics = ["accuracy", "f1"]

[model]
layers = ["Linear(2, 16)", "Tanh()", "Dropout(p=0.1)", "Linear(16, 3)"]

[data]
source = "spirals"

[schedule]
name = "step"
step_size = 1
gamma = 0.5
"""


README_RECIPE = """\
# my_recipe.toml: train with `lamina train my_recipe.toml`
name = "flowers-mlp"
description = "an MLP on my flowers table"
task = "classification"      # or "regression"; left out, the target column decides
loss = "cross_entropy"
metrics = ["accuracy", "f1"]
optimizer = "adam"
lr = 0.003
weight_decay = 0.0001
epochs = 100
batch_size = 16
seed = 0
patience = 10                # early stopping on the validation loss

[model]                      # a built-in network, sized from the data ...
network = "MLP"
hidden = [64, 32]
dropout = 0.1
# ... or your own layers (parsed, never eval'ed: lamina.nn names, literal arguments):
# layers = ["Linear(4, 64)", "ReLU()", "Dropout(0.1)", "Linear(64, 3)"]

[data]
path = "flowers.csv"         # beside this file; or a .npz, or a folder of class folders
target = "species"
test_size = 0.2              # held out: the final test metrics and `lamina evaluate`
val_size = 0.1               # early stopping and the best epoch
scale = "standard"           # fitted on the training split only

[schedule]
name = "cosine"              # or "constant", "step" (step_size, gamma), "exponential" (gamma)
"""


def test_the_readme_recipe_trains_with_its_data_beside_it(tmp_path: Path, cli: Cli) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 4))
    species = np.array(["setosa", "versicolor", "virginica"])[np.argmax(x[:, :3], axis=1)]
    rows = [",".join(f"{v:.3f}" for v in r) + f",{s}" for r, s in zip(x, species)]
    (tmp_path / "flowers.csv").write_text("a,b,c,d,species\n" + "\n".join(rows) + "\n")
    (tmp_path / "my_recipe.toml").write_text(README_RECIPE)
    run = tmp_path / "run"
    code, out, err = cli(
        "train", str(tmp_path / "my_recipe.toml"), "--epochs", "3", "--out", str(run), "--quiet"
    )
    assert code == 0 and "test_accuracy" in out, err
    config = json.loads((run / "config.json").read_text())
    assert config["data"]["path"] == str((tmp_path / "flowers.csv").resolve())
    assert config["epochs"] == 3 and config["patience"] == 10


def test_every_builtin_recipe_is_a_shipped_toml_file_that_show_prints(cli: Cli) -> None:
    for name, recipe in RECIPES.items():
        code, out, err = cli("recipes", "--show", name)
        assert code == 0, err
        spec = tomllib.loads(out)
        assert spec["name"] == name and spec["model"] == recipe.spec["model"]
    code, _, err = cli("recipes", "--show", "nope")
    assert code == 2 and "unknown recipe 'nope'" in err


def test_a_user_toml_trains_and_flags_override_it(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "my.toml").write_text(USER_RECIPE)
    run = tmp_path / "run"
    code, out, err = cli(
        "train",
        str(tmp_path / "my.toml"),
        "--epochs",
        "2",
        "--lr",
        "0.02",
        "--out",
        str(run),
        "--quiet",
    )
    assert code == 0, err
    assert "test_accuracy" in out
    config = json.loads((run / "config.json").read_text())
    assert config["epochs"] == 2 and config["lr"] == 0.02 and config["seed"] == 7
    assert config["model"]["layers"][2] == "Dropout(p=0.1)"
    assert config["schedule"] == {"name": "step", "step_size": 1, "gamma": 0.5}
    metrics = json.loads((run / "metrics.json").read_text())
    assert {"test_accuracy", "test_f1", "val_f1"} <= set(metrics)
    assert len((run / "history.csv").read_text().splitlines()) == 3  # header + 2 epochs


def test_a_runs_config_json_trains_the_same_run_bit_for_bit(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "my.toml").write_text(USER_RECIPE)
    first, second = tmp_path / "first", tmp_path / "second"
    code, _, err = cli("train", str(tmp_path / "my.toml"), "--out", str(first), "--quiet")
    assert code == 0, err
    code, _, err = cli("train", str(first / "config.json"), "--out", str(second), "--quiet")
    assert code == 0, err
    a, b = load(first / "model.npz")["model"], load(second / "model.npz")["model"]
    assert list(a) == list(b)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
    strip = ("run_id",)
    ca, cb = (json.loads((r / "config.json").read_text()) for r in (first, second))
    assert {k: v for k, v in ca.items() if k not in strip} == {
        k: v for k, v in cb.items() if k not in strip
    }


def test_every_problem_of_a_recipe_is_reported_at_once_before_training(
    tmp_path: Path, cli: Cli
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'epochs = -2\nbatch_size = "big"\nlr = 0.0\noptimiser = "adam"\nloss = "hinge"\n'
        '[model]\nnetwork = "MLP"\nhiden = [3]\ndropout = 1.5\n'
        '[data]\nsource = "digits"\ntest_size = 2\n[augment]\nrotation = -1\n'
    )
    code, out, err = cli("train", str(bad), "--out", str(tmp_path / "run"))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    for needle in (
        "bad.toml: 9 problems",
        "recipe.epochs: expected an integer in [1, ",
        "recipe.batch_size: expected an integer in [1, 1000000000], got 'big'",
        "recipe.lr: expected a number in (0, inf]",
        "recipe.optimiser: unknown key",
        "recipe.loss: expected one of ",
        "model.hiden: unknown key (expected one of network, hidden, dropout, activation)",
        "model.dropout: expected a number in [0, 1), got 1.5",
        "data.test_size: expected a number in (0, 1), got 2",
        "augment.rotation: expected a number in [0, 180], got -1",
    ):
        assert needle in err, (needle, err)
    assert not (tmp_path / "run").exists()  # nothing touched before the recipe is whole


@pytest.mark.parametrize(
    "text,needle",
    [
        ("epochs = ", "not a valid TOML recipe"),
        ('[model]\nnetwork = "ResNet"\n[data]\nsource = "digits"', "model.network: expected one"),
        (
            '[model]\nlayers = ["Linear(2, 3)"]\nnetwork = "MLP"\n[data]\nsource = "digits"',
            "exactly one of 'network'",
        ),
        (
            '[model]\nnetwork = "MLP"\n[data]\nsource = "digits"\npath = "x.csv"',
            "exactly one of 'source'",
        ),
        ('[model]\nnetwork = "MLP"', "data: missing"),
        (
            '[model]\nlayers = ["Linear(2, 3)", "os.system(1)"]\n[data]\nsource = "spirals"',
            "model.layers[1]",
        ),
        (
            'optimizer = "adam"\nmomentum = 0.9\n[model]\nnetwork = "MLP"\n[data]\nsource = "spirals"',
            "only sgd and rmsprop take momentum",
        ),
    ],
    ids=[
        "syntax",
        "network",
        "network-and-layers",
        "source-and-path",
        "no-data",
        "layer",
        "momentum",
    ],
)
def test_recipe_mistakes_name_the_file_and_key(
    text: str, needle: str, tmp_path: Path, cli: Cli
) -> None:
    (tmp_path / "r.toml").write_text(text)
    code, _, err = cli("train", str(tmp_path / "r.toml"), "--out", str(tmp_path / "run"))
    assert code == 2 and "r.toml" in err and needle in err, err
    assert not (tmp_path / "run").exists()


def test_layer_strings_are_parsed_as_literals_never_evaluated() -> None:
    assert parse_layer("Linear(64, 128, bias=False)") == ("Linear", (64, 128), {"bias": False})
    assert parse_layer("ReLU") == ("ReLU", (), {})
    assert parse_layer("LeakyReLU(negative_slope=-0.5)")[2] == {"negative_slope": -0.5}
    model = parse_layers(["Conv2d(1, 4, (3, 3), padding=1)", "ReLU()", "Flatten()"])
    assert [type(m).__name__ for m in model] == ["Conv2d", "ReLU", "Flatten"]
    for text, needle in [
        ("__import__('os').system('echo hi')", "expected one call"),
        ("Linear(n, 3)", "arguments must be literals"),
        ("Linear(2, 2 * 3)", "arguments must be literals"),
        ("Linear(*[2, 3])", "* and ** arguments"),
        ("nn.Linear(2, 3)", "expected one call"),
        ("Evil(1)", "unknown layer 'Evil'"),
        ("Linear(2,", "not a call"),
        ("Linear(2, 3, Linear(1, 1))", "arguments must be literals"),
    ]:
        with pytest.raises(ValueError, match=needle.replace("(", r"\(").replace("*", r"\*")):
            parse_layer(text)
    with pytest.raises(ValueError, match=r"layer 'Linear\(0, 3\)': Linear"):
        parse_layers(["Linear(0, 3)"])


@pytest.mark.parametrize("name", ["seq2seq-dates", "g2p-cmudict", "tagger-turkish"])
def test_own_loop_recipes_refuse_what_their_loop_does_not_do(name: str) -> None:
    spec = RECIPES[name].spec
    assert spec["schedule"]["name"] == "constant"  # what the loop does, stated in the config
    asks = {"optimizer": "sgd", "schedule": {"name": "cosine"}, "weight_decay": 0.1, "patience": 2}
    with pytest.raises(RecipeError) as caught:
        check_recipe({**spec, **asks}, "mine.toml")
    for key in asks:
        assert f"{key}: {spec['task']} recipes train with Adam at a constant" in str(caught.value)
