"""Each package's export list is composed from its modules' ``__all__`` (issue 14): a name is
written once, in the module that defines it, and never copied into a package ``__init__``."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

import lamina

ROOT = Path(lamina.__file__).parent
INITS = sorted(ROOT.rglob("__init__.py"))


def _package(init: Path) -> str:
    return ".".join(("lamina", *init.parent.relative_to(ROOT).parts))


def _is_module(package: str, name: str) -> bool:
    return importlib.util.find_spec(f"{package}.{name}") is not None


def _defined_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


@pytest.mark.parametrize("init", INITS, ids=_package)
def test_package_init_copies_no_name(init: Path) -> None:
    tree = ast.parse(init.read_text())
    package = _package(init)
    own = _defined_names(tree)  # names the __init__ itself defines: it is their one home
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(package + "."):
            for alias in node.names:
                assert alias.name == "*" or _is_module(node.module, alias.name), (
                    f"{init}: 'from {node.module} import {alias.name}' copies a name; "
                    f"star-import the module and compose __all__ from its __all__"
                )
        targets = getattr(node, "targets", [])
        is_all = any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets)
        if is_all and isinstance(node.value, (ast.List, ast.Tuple)):
            names = [ast.literal_eval(e) for e in node.value.elts]
            copied = [n for n in names if n not in own and not _is_module(package, n)]
            assert not copied, f"{init}: __all__ lists {copied} by hand"


@pytest.mark.parametrize("init", INITS, ids=_package)
def test_package_exports_resolve(init: Path) -> None:
    name = _package(init)
    package = importlib.import_module(name)
    missing = [n for n in getattr(package, "__all__", ()) if not hasattr(package, n)]
    assert not missing, f"{name}.__all__ names what it does not hold: {missing}"
