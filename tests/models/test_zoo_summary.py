"""``lamina summary <zoo network>``: the layer table and the published totals, from one image."""

from __future__ import annotations

import re

import pytest

import lamina.nn.model_summary as model_summary
from lamina.cli.__main__ import main


@pytest.mark.parametrize(
    "argv,total",
    [
        (["summary", "resnet18", "--input", "3,224,224"], "11,689,512"),
        (["summary", "googlenet"], "6,624,904"),  # 3,224,224 by default
        (["summary", "resnet20"], "269,722"),  # 3,32,32
        (["summary", "resnet18", "--input", "1,32,32", "--classes", "10"], "11,175,370"),
    ],
)
def test_summary_of_a_zoo_network_prints_its_published_total(argv, total, capsys, monkeypatch):
    batches = []
    real = model_summary.summary

    def spy(model, input_shape, dtype=None, batch_size=2):
        batches.append((batch_size, tuple(input_shape)))
        return real(model, input_shape, dtype, batch_size)

    monkeypatch.setattr(model_summary, "summary", spy)
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"Total params: {total}\n" in out and f"Trainable params: {total}\n" in out
    assert batches[0][0] == 1  # one image, never a batch of 224x224 activations
    if "resnet18" in argv:
        assert re.search(r"layer4\.1\.conv2 \(Conv2d\)\s+\(-1, 512, \d+, \d+\)\s+2,359,296", out)


@pytest.mark.parametrize(
    "argv,message",
    [
        (["summary", "resnet18", "--input", "3,x"], "--input must be sizes in [1, 4096]"),
        (["summary", "lenet-mnist", "--input", "1,28,28"], "--input and --classes take a zoo"),
        (["summary", "resnet18", "--classes", "0"], "--classes must be a positive integer"),
    ],
)
def test_summary_flags_are_checked(argv, message, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2 and message in capsys.readouterr().err


def test_summary_refuses_an_input_of_the_wrong_rank(capsys):
    assert main(["summary", "resnet18", "--input", "3,32"]) != 0
    assert "resnet18: expected an input shape (channels, height, width)" in capsys.readouterr().err
