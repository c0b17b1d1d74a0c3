"""``lamina export``: a trained run folder as an ONNX file (run by ONNX Runtime) or safetensors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
from safetensors.torch import load_file

import lamina as L
from lamina.cli.__main__ import main
from lamina.cli.runs import load_run


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "spirals"
    args = ["train", "spirals-mlp", "--epochs", "1", "--steps-per-epoch", "2", "--quiet"]
    assert main([*args, "--out", str(out)]) == 0
    return out


def test_export_onnx_runs_in_onnx_runtime_like_the_run_model(run: Path) -> None:
    assert main(["export", str(run), "--format", "onnx"]) == 0
    session = ort.InferenceSession(str(run / "model.onnx"))
    _, model, _, _ = load_run(run)
    model.eval()
    x = np.random.default_rng(0).standard_normal((6, 2)).astype(np.float32)
    got = session.run(["output"], {"input": x})[0]
    np.testing.assert_allclose(got, model(L.tensor(x)).numpy(), rtol=1e-4, atol=1e-5)


def test_export_safetensors_loads_in_pytorch_with_the_state_dict_names(
    run: Path, tmp_path: Path
) -> None:
    out = tmp_path / "weights.safetensors"
    assert main(["export", str(run), "--format", "safetensors", "--out", str(out)]) == 0
    _, model, _, _ = load_run(run)
    tensors = load_file(out)
    assert list(tensors) == list(model.state_dict())
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(tensors[k].numpy(), np.asarray(getattr(v, "data", v)))


def test_export_of_a_missing_run_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(tmp_path / "nothing"), "--format", "onnx"]) == 2
    assert "no such run folder" in capsys.readouterr().err
