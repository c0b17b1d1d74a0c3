"""The CNN examples run and show what they claim (examples/cnn/, issue 22)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _scripts import run_example

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cnn"


def run(name: str, *args: str) -> str:
    return run_example(EXAMPLES / name, *args)


def pairs(out: str, key: str, a: str, b: str) -> list[tuple[str, str]]:
    return re.findall(rf"^{key}.*: {a} (\S+) {b} (\S+)$", out, flags=re.M)


def test_conv_by_hand_pixel_sizes_and_parameter_counts_agree_with_the_formulas() -> None:
    out = run("conv_by_hand.py")
    ((hand, lib),) = pairs(out, "pixel", "formula", "conv2d")
    assert float(hand) == pytest.approx(float(lib), abs=1e-5)
    sizes = pairs(out, "size", "formula", "layer")
    assert len(sizes) == 7 and all(f == g for f, g in sizes)
    assert ("55", "55") in sizes and ("1", "1") in sizes  # AlexNet's first layer; dilation 3
    params = pairs(out, "params", "formula", "summary")
    assert len(params) == 4 and all(f == g for f, g in params)
    assert params[0] == ("280", "280")  # the course's 10 filters of 3x3x3
    ratio = re.search(r"multiplications: (\S+) = 1/c_out \+ 1/k\^2 = (\S+)", out)
    assert ratio and ratio[1] == ratio[2] and float(ratio[1]) < 0.13


def test_pooling_of_the_course_example_and_its_gradients() -> None:
    out = run("pooling.py")
    assert "max pool: [[7.0, 9.0], [8.0, 5.0]]" in out
    assert "average pool: [[4.0, 4.5], [3.5, 3.25]]" in out
    # max routes the whole gradient to each window's maximum; average spreads 1/4 each
    assert "max grad: [[0.0, 0.0, 0.0, 1.0], [0.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]" in out
    assert "average grad: [[0.25, 0.25, 0.25, 0.25]" in out
    assert "L2 pool: [[2.2079," in out and "L2 first window by hand: 2.2079" in out
    assert out.count("parameters: 0") == 3


def test_transposed_convolution_stamps_the_kernel_and_grows_the_map() -> None:
    out = run("transposed_conv.py")
    assert "2x2 -> (4, 4)" in out and "stamps placed by hand equal: True" in out
    sizes = pairs(out, "size", "formula", "layer")
    assert len(sizes) == 4 and all(f == g for f, g in sizes)
    assert "conv2d input-gradient equals conv_transpose2d: True" in out


@pytest.mark.slow  # builds AlexNet, GoogLeNet, ResNet-18, MobileNet (~5 s of CPU)
def test_zoo_parameter_counts_match_the_reference_ones_and_order_the_nets() -> None:
    out = run("architectures.py")
    rows = re.findall(r"^(\S+)\s+counted\s+([\d,]+)\s+reference\s+([\d,]+)", out, flags=re.M)
    assert len(rows) == 6 and all(c == r for _, c, r in rows)
    assert [name for name, _, _ in rows] == [
        "LeNet-5",
        "MobileNet-v1",
        "GoogLeNet",
        "ResNet-18",
        "AlexNet",
        "VGG-16",
    ]
    assert "VGG-16 convolutions: formula 14714688 built 14714688" in out
    shares = dict(re.findall(r"^(\S+) .* dense share (\d+)%", out, flags=re.M))
    assert int(shares["AlexNet"]) > 90 and int(shares["ResNet-18"]) < 10


def test_residual_net_keeps_the_first_layer_gradient_the_plain_net_loses(tmp_path: Path) -> None:
    out = run("residual_gradient_flow.py", "--out", str(tmp_path))
    grads = {
        name: (float(first), float(last))
        for name, first, last in re.findall(
            r"^(\w+): first layer grad (\S+) last layer grad (\S+)", out, flags=re.M
        )
    }
    plain, residual = grads["plain"], grads["residual"]
    assert plain[0] < 1e-6 * plain[1]  # vanished over 40 tanh layers
    assert residual[0] > 0.1 * residual[1]  # the identity path carries it back
    assert (tmp_path / "residual_gradients.png").stat().st_size > 1000


def test_one_by_one_convolution_reduces_channels_and_cost() -> None:
    out = run("one_by_one_conv.py")
    assert "1x1 conv: (192, 28, 28) -> (16, 28, 28)" in out
    assert "1x1 conv equals a dense layer per pixel: True" in out
    assert "direct 120,422,400 with 1x1 bottleneck 12,443,648" in out
    assert "parameters 5x5 direct 153,632 with 1x1 bottleneck 15,920" in out
    assert "Inception 3a: (192, 14, 14) -> (256, 14, 14)" in out


@pytest.mark.slow  # two small CNNs trained on 8x8 digits (~4 s of CPU)
def test_transferred_features_beat_random_ones_with_only_the_head_trained() -> None:
    out = run("transfer_learning.py")
    acc = dict(re.findall(r"accuracy, (\w+(?: \w+)?): (\S+)", out))
    assert float(acc["transfer"]) > float(acc["random features"]) + 0.02
    assert "trainable parameters with frozen features: 258" in out
    assert "frozen weights unchanged: True" in out
    assert float(re.search(r"source task \(digit\) accuracy: (\S+)", out)[1]) > 0.85


@pytest.mark.slow  # LeNet-5 summary and two PNGs (~5 s with matplotlib)
def test_lenet_feature_maps_shrink_as_the_course_draws_them(tmp_path: Path) -> None:
    out = run("feature_maps.py", "--out", str(tmp_path))
    shapes = re.findall(r"^layer \S+\s+(\w+)\s+output (\(.*?\)) params (\d+)", out, flags=re.M)
    convs = [(s, int(p)) for kind, s, p in shapes if kind == "Conv2d"]
    assert convs == [("(-1, 6, 28, 28)", 156), ("(-1, 16, 10, 10)", 2416)]  # (5*5*1+1)*6 ...
    assert ("MaxPool2d", "(-1, 16, 5, 5)", "0") in shapes
    assert "first-layer feature maps: (1, 6, 28, 28)" in out
    assert (tmp_path / "lenet_maps.png").exists() and (tmp_path / "lenet_filters.png").exists()


def test_character_convolution_finds_the_trigram_wherever_it_is() -> None:
    out = run("char_cnn.py")
    found = re.findall(r"^'(.*?)'\s+max-pooled 'cat' score (\d) at position (\d+)", out, flags=re.M)
    scores = {text: (int(s), int(p)) for text, s, p in found}
    assert scores["the cat sat"] == (3, 4) and scores["a dog and a cat"] == (3, 12)
    assert scores["cat naps"] == (3, 0)  # same feature value, any position
    assert scores["no pets here"][0] < 3 and scores["cart act tac"][0] < 3
    assert "CharCNN logits: (5, 2)" in out


def test_weight_sharing_is_few_weights_and_translation_equivariant() -> None:
    out = run("conv_by_hand.py")
    assert "sparse connectivity: conv 456 weights, dense 14,455,392" in out  # (5*5*3+1)*6
    assert "input shifted 2 pixels right, feature maps shifted 2 right: True" in out


@pytest.mark.slow  # four epochs of a small CNN on 1,260 digits (~4 s of CPU)
def test_keras_style_cnn_learns_the_digits(tmp_path: Path) -> None:
    out = run("train_cnn_keras_style.py", "--out", str(tmp_path))
    assert "parameters: 6090" in out and "epochs run: 4" in out
    first, last = re.search(r"training loss first (\S+) last (\S+)", out).groups()
    assert float(last) < float(first) / 4
    assert float(re.search(r"test accuracy (\S+)", out)[1]) > 0.9
    assert (tmp_path / "history.png").stat().st_size > 1000
