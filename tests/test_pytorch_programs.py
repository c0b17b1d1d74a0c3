"""PyTorch-style programs (tests/programs/, written like PyTorch's official examples and
tutorials) run on lamina with only their import lines changed, and train as they do on PyTorch.

Each program is run twice: as written, on PyTorch, and with every ``torch`` in its import lines
replaced by ``lamina`` (``import torch`` becomes ``import lamina as torch``). No other line
changes. Random streams differ between the libraries, so the two runs are held to the same
result (accuracy, loss) within a stated margin, not to the same digits, except where the program
draws nothing at random.
"""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_digits

PROGRAMS = Path(__file__).parent / "programs"


def load(name: str, library: str) -> types.ModuleType:
    """The program ``name`` as a module, its imports pointed at ``library``."""
    source = (PROGRAMS / f"{name}.py").read_text()
    if library == "lamina":
        source = re.sub(r"(?m)^import torch$", "import lamina as torch", source)
        source = re.sub(r"(?m)^(import|from) torch\b", r"\1 lamina", source)
    module = types.ModuleType(f"{name}_{library}")
    exec(compile(source, f"{name}.py ({library})", "exec"), module.__dict__)
    return module


def test_only_import_lines_differ() -> None:
    for path in PROGRAMS.glob("*.py"):
        a = path.read_text().splitlines()
        module_source = re.sub(r"(?m)^import torch$", "import lamina as torch", path.read_text())
        module_source = re.sub(r"(?m)^(import|from) torch\b", r"\1 lamina", module_source)
        changed = [x for x, y in zip(a, module_source.splitlines()) if x != y]
        assert changed and all(line.startswith(("import ", "from ")) for line in changed)


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, ...]:
    d = load_digits()
    x = (d.images / 16.0).astype(np.float32)[:, None]
    return x[:1400], d.target[:1400], x[1400:], d.target[1400:]


@pytest.mark.slow  # ~8 s
def test_mnist_cnn(digits: tuple[np.ndarray, ...]) -> None:
    results = {lib: load("mnist_cnn", lib).main(*digits) for lib in ("torch", "lamina")}
    (_, l_acc), (_, t_acc) = results["lamina"], results["torch"]
    assert l_acc >= 0.85 and t_acc >= 0.85, results
    assert abs(l_acc - t_acc) <= 0.04, results


def test_polynomial_autograd_matches_torch_step_for_step() -> None:
    (l_losses, l_coef), (t_losses, t_coef) = (
        load("polynomial_autograd", lib).main() for lib in ("lamina", "torch")
    )
    assert l_losses[-1] < 0.05 * l_losses[0]
    np.testing.assert_allclose(l_losses, t_losses, rtol=1e-4)
    np.testing.assert_allclose(l_coef, t_coef, rtol=1e-4, atol=1e-6)


def test_custom_autograd_function_matches_torch() -> None:
    (l_loss, l_coef), (t_loss, t_coef) = (
        load("legendre_function", lib).main() for lib in ("lamina", "torch")
    )
    np.testing.assert_allclose(l_loss, t_loss, rtol=1e-9)
    np.testing.assert_allclose(l_coef, t_coef, rtol=1e-9, atol=1e-12)


def test_word_language_model() -> None:
    from lamina.datasets.text import load_text

    text = load_text("python-docs")[:40_000].lower().split()
    vocab = {w: i for i, w in enumerate(sorted(set(text)))}
    ids = [vocab[w] for w in text]
    results = {lib: load("word_lm", lib).main(ids, len(vocab)) for lib in ("torch", "lamina")}
    for losses in results.values():
        assert losses[-1] < losses[0] - 0.3, results
    assert abs(results["lamina"][-1] - results["torch"][-1]) < 0.1, results


def test_vae(digits: tuple[np.ndarray, ...]) -> None:
    images = digits[0].reshape(-1, 64)
    results = {lib: load("vae", lib).main(images) for lib in ("torch", "lamina")}
    for losses in results.values():
        assert losses[-1] < 0.8 * losses[0], results
    assert abs(results["lamina"][-1] - results["torch"][-1]) < 0.05 * results["torch"][-1]


def test_reinforce_learns_to_walk_the_corridor() -> None:
    results = {lib: load("reinforce", lib).main() for lib in ("torch", "lamina")}
    for lengths in results.values():
        assert np.mean(lengths[-20:]) < 8, results  # 5 steps is the shortest walk
        assert np.mean(lengths[-20:]) < np.mean(lengths[:20]), results


def test_programs_leave_no_module_behind() -> None:
    assert not any(name.endswith(("_torch", "_lamina")) for name in sys.modules)
