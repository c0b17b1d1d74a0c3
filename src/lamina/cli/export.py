"""``lamina export RUN_DIR --format onnx|safetensors [--out PATH]``: a run's model as a file.

ONNX files have a dynamic batch axis (input ``input``, output ``output``) and run in ONNX
Runtime; safetensors files hold the model's ``state_dict`` under PyTorch's names.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from lamina.cli.folder import RunError
from lamina.cli.runs import load_run
from lamina.serialization import save

__all__ = ["FORMATS", "export_run"]

FORMATS = ("onnx", "safetensors")


def _example(recipe: Any, extra: dict[str, Any]) -> np.ndarray:
    """One input sample of the recipe's shape and dtype (ids for a language model)."""
    shape = extra.get("input_shape")
    if shape is None:
        shape = recipe.input_shape(extra)
    dtype = np.dtype(getattr(recipe, "input_dtype", "int64" if "vocab" in extra else "float32"))
    if dtype.kind in "iu":
        return np.zeros((1, *shape), dtype)
    return np.random.default_rng(0).standard_normal((1, *shape)).astype(dtype)


def export_run(
    run: str | os.PathLike[str], format: str, out: str | os.PathLike[str] | None = None
) -> Path:
    """Write the trained model of run folder ``run`` as ``format``; return the file's path.

    The default ``out`` is ``RUN/model.onnx`` or ``RUN/model.safetensors``.
    """
    if format not in FORMATS:
        raise RunError(f"export: format must be one of {', '.join(FORMATS)}, got {format!r}")
    recipe, model, extra, _ = load_run(run)
    path = Path(out) if out else Path(run) / f"model.{format}"
    if format == "safetensors":
        save(model.state_dict(), path, format="safetensors")
        return path
    try:
        from lamina.onnx import export
    except ImportError as e:
        raise RunError(
            f"export: ONNX export needs the onnx package: pip install 'lamina[onnx]' ({e})"
        ) from None
    dynamic = {"input": {0: "batch"}, "output": {0: "batch"}}
    export(
        model,
        _example(recipe, extra),
        path,
        input_names=["input"],
        output_names=["output"],
        dynamic_axes=dynamic,
    )
    return path
