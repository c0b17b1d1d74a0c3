"""The zoo recipes (issue 16): ``mobilenet-mnist`` and ``charcnn-sentiment``.

Their full default runs take minutes on 2 cores (README states their figures; ``make recipes``
checks them), so an accuracy is asserted on a shortened run with its own measured threshold,
as ``resnet-mnist``'s is. Every run of a convolutional model writes ``filters.png``, its first
convolution's trained weights; a text recipe's ``metrics.json`` holds its classic baseline.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from lamina.autodiff import Tensor, no_grad
from lamina.cli.runs import train
from lamina.models import mobilenet_v1

BASELINE = 0.7394  # TF-IDF + logistic regression, tests/models/test_sentiment_baseline.py


def count(net) -> int:
    return sum(p.data.size for p in net.parameters())


def test_mobilenet_small_input_stem_keeps_the_resolution_and_the_count() -> None:
    imagenet, small = mobilenet_v1(), mobilenet_v1(stem_stride=1)
    assert count(imagenet) == count(small) == 4_231_976
    digits = mobilenet_v1(10, 1, 0.25, stem_stride=1)
    assert digits.stem[0].stride == (1, 1) and count(digits) == 215_498
    x = Tensor(np.zeros((2, 1, 28, 28), np.float32))
    with no_grad():
        assert digits.features(digits.stem(x)).shape == (2, 256, 2, 2)  # 28, 14, 7, 4, 2
        net = mobilenet_v1(10, 1, 0.25)
        assert net.features(net.stem(x)).shape == (2, 256, 1, 1)  # ImageNet strides: 1x1


@pytest.mark.parametrize("bad", [3, 0, True, 1.0])
def test_mobilenet_stem_stride_is_checked(bad) -> None:
    with pytest.raises(ValueError, match=r"mobilenet_v1: stem_stride must be 2 .* or 1"):
        mobilenet_v1(stem_stride=bad)


def test_a_convolutional_run_writes_its_first_filters(tmp_path: Path) -> None:
    run, _ = train("lenet-mnist", epochs=1, steps_per_epoch=2, out=tmp_path / "lenet", verbose=0)
    assert (run / "filters.png").stat().st_size > 1000
    run, _ = train("mlp-digits", epochs=1, out=tmp_path / "mlp", verbose=0)
    assert (run / "curves.png").is_file() and not (run / "filters.png").exists()


@pytest.mark.slow
def test_charcnn_run_writes_conv1d_filters_and_its_baseline(tmp_path: Path) -> None:
    run, results = train(
        "charcnn-sentiment", epochs=1, steps_per_epoch=2, out=tmp_path / "c", verbose=0
    )
    assert (run / "filters.png").stat().st_size > 1000
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["baseline_tfidf_logreg_accuracy"] == pytest.approx(BASELINE, abs=1e-4)
    assert metrics["test_accuracy"] == results["test_accuracy"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "recipe,epochs,target",
    [
        # full default run (15 epochs, 124 s of CPU): README's 97.6%; 4 epochs measured 0.904
        ("mobilenet-mnist", 4, 0.88),
    ],
)
def test_shortened_zoo_recipe_reaches_its_own_threshold(
    recipe: str, epochs: int, target: float, tmp_path: Path
) -> None:
    run, results = train(recipe, epochs=epochs, out=tmp_path / recipe, verbose=0)
    assert results["test_accuracy"] >= target
    assert (run / "filters.png").is_file()


@pytest.mark.slow
def test_shortened_charcnn_run_leaves_chance(tmp_path: Path) -> None:
    # full default run (10 epochs, batch norm, ~165-220 s of CPU): 0.6225 test accuracy, below
    # the TF-IDF baseline (0.7394); 3 epochs at batch 32 and lr 0.002 measured 0.5937 (54 CPU s,
    # 28 s wall); the un-normalized stack stays at chance (~0.50) on these sentences
    run, results = train(
        "charcnn-sentiment", epochs=3, batch_size=32, lr=0.002, out=tmp_path / "c", verbose=0
    )
    assert results["test_accuracy"] >= 0.56
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["baseline_tfidf_logreg_accuracy"] == pytest.approx(BASELINE, abs=1e-4)
