"""Every classic example script runs and reproduces its result of the linear-models chapter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _scripts import run_example

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "classic"


def run(name: str, *args: str) -> str:
    return run_example(EXAMPLES / name, *args, warnings_as_errors=True)


def _rows(output: str, first: str) -> list[list[str]]:
    return [line.split() for line in output.splitlines() if line.split()[:1] == [first]]


def test_normal_equation_and_gradient_descent_agree() -> None:
    out = run("normal_equation_vs_gd.py")
    rows = {r[0]: [float(v) for v in r[1:4]] for r in _rows(out, "normal") + _rows(out, "gd")}
    assert rows["gd"] == pytest.approx(rows["normal"], abs=1e-4)
    assert rows["normal"][:2] == pytest.approx([4.0, 3.0], abs=0.2)  # y = 4 + 3x + noise
    assert float(re.search(r"max \|w_gd - w_normal\| = (\S+)", out).group(1)) < 1e-6  # type: ignore[union-attr]


def test_lasso_zeroes_coefficients_as_alpha_grows() -> None:
    out = run("lasso_sparsity.py")
    rows = [line.split() for line in out.splitlines()[1:]]
    lasso_zeros = [int(r[1]) for r in rows]
    assert lasso_zeros == sorted(lasso_zeros) and lasso_zeros[0] == 0 and lasso_zeros[-1] == 10
    assert all(int(r[2]) == 0 for r in rows)  # ridge never zeroes a weight


def test_ridge_bias_variance_curve(tmp_path: Path) -> None:
    image = tmp_path / "ridge_bias_variance.png"
    out = run("ridge_bias_variance.py", "--out", str(tmp_path))
    rows = [[float(v) for v in line.split()] for line in out.splitlines()[1:11]]
    train = [r[1] for r in rows]
    val = [r[2] for r in rows]
    assert train == sorted(train)  # bias grows with alpha
    best = val.index(min(val))
    assert 0 < best < len(val) - 1  # variance on the left, bias on the right
    assert image.stat().st_size > 0


def test_logistic_softmax_newton_and_gd_reach_the_same_cost() -> None:
    out = run("logistic_softmax.py")
    for problem in ("binary", "3-class"):
        rows = {r[1]: r for r in _rows(out, problem)}
        assert float(rows["gd"][3]) == pytest.approx(float(rows["newton"][3]), abs=1e-5)
        assert int(rows["newton"][2]) < 20 < int(rows["gd"][2])


def test_lda_separates_where_pca_does_not() -> None:
    out = run("pca_lda.py")
    spread = {
        m.group(1): max(map(float, m.group(2).split(","))) - min(map(float, m.group(2).split(",")))
        for m in re.finditer(r"(PCA|LDA) first direction, class means: \[(.*)\]", out)
    }
    assert spread["LDA"] > 5 * spread["PCA"]
    assert float(re.search(r"LDA training accuracy: (\S+)", out).group(1)) > 0.75  # type: ignore[union-attr]


def test_confusion_matrix_rates_follow_the_formulas_and_the_threshold_trades_them() -> None:
    out = run("confusion_matrix.py")
    assert "course table: accuracy 0.7513 precision 0.6242 recall 0.8810" in out
    rows = re.findall(
        r"threshold (\S+): tp (\d+) fn (\d+) fp (\d+) tn (\d+); accuracy (\S+) "
        r"precision (\S+) \(metrics (\S+)\) recall (\S+) \(metrics (\S+)\)",
        out,
    )
    assert len(rows) == 2
    for _, tp, fn, fp, tn, acc, prec, lib_prec, rec, lib_rec in rows:
        assert prec == lib_prec and rec == lib_rec
        assert int(tp) + int(fn) + int(fp) + int(tn) == 169
        assert float(acc) > 0.9
    (_, *low), (_, *high) = rows
    assert float(high[6]) >= float(low[6]) and float(high[8]) <= float(low[8])  # prec up, rec down


def test_gradient_descent_needs_scaled_features() -> None:
    out = run("feature_scaling.py")
    raw, scaled = re.search(r"condition number raw (\S+) scaled (\S+)", out).groups()
    assert float(raw) > 1e6 and float(scaled) < 10
    steps = re.search(r"steps raw (\d+) .* scaled (\d+)", out)
    assert int(steps[1]) == 20_000 and int(steps[2]) < 100
    means = [float(v) for v in re.search(r"means \[(\S+), (\S+)\]", out).groups()]
    assert all(0 < abs(m) < 0.3 for m in means)
