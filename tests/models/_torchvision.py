"""torchvision's pure-Python code, importable beside the CPU torch of the test venv.

The ``torchvision==0.28.0`` wheel (the release paired with torch 2.13.0) is built against
CUDA torch: its compiled operators do not load beside CPU torch, so ``import torchvision``
fails in its ``__init__``. Its model builders (``torchvision.models``) and box functions
(``torchvision.ops.boxes``) are plain Python on ``torch.nn``. Registering the installed
``torchvision`` folder as a bare package (a ``ModuleType`` whose ``__path__`` is that folder)
skips the ``__init__`` and lets those submodules import normally.

Import it from any test as ``from models._torchvision import torchvision_module`` (``tests/``
is on ``sys.path``) or, inside ``tests/models``, as ``from _torchvision import ...``.
A missing torchvision is an error, never a skip: parity tests must run.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from pathlib import Path
from typing import Any

__all__ = ["torchvision_models", "torchvision_module"]


def _bare_package() -> types.ModuleType:
    found = sys.modules.get("torchvision")
    if found is not None:
        return found
    spec = importlib.util.find_spec("torchvision")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            "torchvision is not installed: pip install --no-deps torchvision==0.28.0 "
            "(the test extra of lamina lists it)"
        )
    package = types.ModuleType("torchvision")
    package.__path__ = list(spec.submodule_search_locations)
    package.__file__ = str(Path(package.__path__[0]) / "__init__.py")
    sys.modules["torchvision"] = package
    return package


def torchvision_module(name: str) -> Any:
    """``torchvision.<name>`` (e.g. ``"models"``, ``"ops.boxes"``) without torchvision's __init__."""
    import torch  # noqa: F401  (torchvision's modules expect torch imported first)

    _bare_package()
    return importlib.import_module(f"torchvision.{name}")


def torchvision_models() -> Any:
    """The ``torchvision.models`` package."""
    return torchvision_module("models")
