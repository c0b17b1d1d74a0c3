"""``save`` and ``load``: nested dicts of arrays, numbers and strings, with no pickle.

The file is an ordinary ``.npz`` archive: every array is one member, and a JSON manifest
(member ``__lamina__``) records the nesting, the plain values and the format version.
Loading never runs code (``allow_pickle=False``). Saving writes a temporary file beside the
target and renames it over the target, so a crash mid-save leaves the old file intact.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["load", "save"]

_MANIFEST = "__lamina__"
_VERSION = 1


def _encode(obj: Any, arrays: dict[str, np.ndarray], where: str) -> Any:
    """A JSON-able description of ``obj``; arrays go to ``arrays`` and are referenced."""
    if hasattr(obj, "data") and isinstance(getattr(obj, "data", None), np.ndarray):
        obj = obj.data  # a Tensor or Parameter
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind not in "biufc":
            raise TypeError(f"save: {where}: arrays of dtype {obj.dtype} cannot be saved")
        key = f"a{len(arrays)}"
        arrays[key] = obj
        return {"array": key}
    if isinstance(obj, np.generic):
        obj = obj.item()
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return {"value": obj}
    if isinstance(obj, dict):
        for k in obj:
            if not isinstance(k, (str, int)):
                raise TypeError(
                    f"save: {where}: dict keys must be str or int, got {type(k).__name__}"
                )
        items = [[k, _encode(v, arrays, f"{where}/{k}")] for k, v in obj.items()]
        return {"dict": items}
    if isinstance(obj, (list, tuple)):
        kind = "list" if isinstance(obj, list) else "tuple"
        return {kind: [_encode(v, arrays, f"{where}/{i}") for i, v in enumerate(obj)]}
    raise TypeError(f"save: {where}: cannot save an object of type {type(obj).__name__}")


def _decode(node: Any, archive: Any) -> Any:
    if "array" in node:
        return archive[node["array"]]
    if "value" in node:
        return node["value"]
    if "dict" in node:
        return OrderedDict((k, _decode(v, archive)) for k, v in node["dict"])
    if "list" in node:
        return [_decode(v, archive) for v in node["list"]]
    if "tuple" in node:
        return tuple(_decode(v, archive) for v in node["tuple"])
    raise ValueError(f"unknown manifest node {sorted(node)}")


def save(obj: Any, path: str | os.PathLike[str]) -> None:
    """Write ``obj`` (nested dicts/lists of arrays, tensors, numbers, strings) to ``path``.

    The write is atomic: a temporary file in the same folder is renamed over ``path``.
    """
    path = Path(path)
    arrays: dict[str, np.ndarray] = {}
    manifest = {"format": "lamina", "version": _VERSION, "tree": _encode(obj, arrays, "obj")}
    blob = np.frombuffer(json.dumps(manifest).encode(), dtype=np.uint8)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **{_MANIFEST: blob}, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(path: str | os.PathLike[str]) -> Any:
    """Read what ``save`` wrote. A damaged or foreign file raises ``ValueError`` saying so."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"load: no such file: {path}")
    try:
        with np.load(path, allow_pickle=False) as archive:
            if not hasattr(archive, "files") or _MANIFEST not in archive.files:
                raise ValueError(f"load: {path} is not a lamina file (no {_MANIFEST} manifest)")
            manifest = json.loads(archive[_MANIFEST].tobytes().decode())
            if manifest.get("format") != "lamina" or manifest.get("version") != _VERSION:
                raise ValueError(f"load: {path} has an unknown format or version")
            return _decode(manifest["tree"], archive)
    except (zipfile.BadZipFile, EOFError, OSError, KeyError, json.JSONDecodeError) as e:
        raise ValueError(f"load: {path} is damaged or not a lamina file ({e})") from None
    except ValueError as e:
        if str(e).startswith("load:"):
            raise
        raise ValueError(f"load: {path} is damaged or not a lamina file ({e})") from None
