"""The README's Python snippets run as written, and its stated tolerances are the ones the
parity tests assert."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def test_readme_python_snippets_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert len(blocks) >= 3
    exec(compile("\n".join(blocks), str(README), "exec"), {})  # one namespace, in order


def _module(path: str) -> Any:
    """A test module loaded by its path (its folder first on sys.path, as pytest does)."""
    file = ROOT / path
    sys.path.insert(0, str(file.parent))
    try:
        spec = importlib.util.spec_from_file_location(f"_readme_{file.stem}", file)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(file.parent))


def _claim(pattern: str) -> list[float]:
    found = re.search(pattern, README.read_text())
    assert found, f"README no longer states {pattern!r}"
    return [float(g) for g in found.groups()]


def test_readme_optimizer_tolerance_is_the_one_the_parity_test_asserts() -> None:
    (stated,) = _claim(r"trajectories equal `torch\.optim` to <= ([0-9.e-]+) relative")
    assert stated == _module("tests/optim/test_optim_parity.py").RELATIVE


def test_readme_lbfgs_tolerance_is_the_one_asserted_on_convex_problems() -> None:
    (stated,) = _claim(r"L-BFGS to <= ([0-9.e-]+) on convex problems")
    cases = _module("tests/optim/test_lbfgs.py").CASES
    convex = [rtol for name, _, _, rtol in cases if name in ("logistic", "least_squares")]
    assert convex and max(convex) == stated


def test_readme_scikit_learn_tolerances_are_the_ones_the_logistic_tests_assert() -> None:
    coef, proba = _claim(
        r"<= ([0-9.e-]+) on multinomial coefficients at tol=1e-12, <= ([0-9.e-]+) on probabilities"
    )
    tests = _module("tests/classic/test_classic_logistic.py")
    assert (coef, proba) == (tests.COEF_ATOL, tests.PROBA_ATOL)
