"""benchmarks/profile_ops.py on a tiny MLP epoch: per-op rows for lamina and PyTorch, shares
that add up to the epoch, and no timing wrap left behind in the library."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def profile_ops():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import profile_ops

        yield profile_ops
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_mlp_profile_tables(profile_ops, capsys) -> None:
    from lamina.autodiff import engine
    from lamina.autodiff.function import Function
    from lamina.ops.affine import Linear

    before = (Function.__dict__["apply"], engine._kernel_backward, Linear.__dict__.get("backward"))
    result = profile_ops.main(["--bench", "mlp", "--samples", "256", "--top", "6"])
    out = capsys.readouterr().out

    ours, total = result["lamina"], result["lamina_total"]
    names = {name: (s, n) for name, s, n in ours}
    assert names["Linear"][1] == 2 * 3  # two batches of 128, three layers
    assert names["Linear backward"][1] == 2 * 3
    assert names["optimizer step (SGD)"][1] == 2
    timed = sum(s for name, s, _ in ours if name != profile_ops.OTHER)
    assert 0 < timed <= total
    assert sum(s for _, s, _ in ours) == pytest.approx(total, rel=1e-9)
    assert sum(100 * s / total for _, s, _ in ours) == pytest.approx(100.0, abs=0.01)

    theirs = {name: n for name, _, n in result["torch"]}
    assert "aten::addmm" in theirs and theirs["aten::addmm"] >= 2 * 3
    shares = sum(100 * s / result["torch_total"] for _, s, _ in result["torch"])
    assert shares == pytest.approx(100.0, abs=0.01)

    assert "Linear backward" in out and "aten::addmm" in out and "total" in out
    after = (Function.__dict__["apply"], engine._kernel_backward, Linear.__dict__.get("backward"))
    assert all(a is b for a, b in zip(before, after))  # the library is left unwrapped
