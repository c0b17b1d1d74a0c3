"""Logistic and softmax regression: Newton's method against gradient descent.

Two and three Gaussian classes in the plane. Both solvers minimize the same penalized
cross-entropy; Newton's method needs a handful of steps, gradient descent hundreds.

Run: python examples/classic/logistic_softmax.py
"""

from __future__ import annotations

import numpy as np

from lamina.classic import LogisticRegression, SoftmaxRegression


def blobs(centers: np.ndarray, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points around each center, with unit-variance Gaussian noise."""
    X = np.concatenate([c + rng.normal(size=(n, 2)) for c in centers])
    return X, np.repeat(np.arange(len(centers)), n)


def main() -> None:
    rng = np.random.default_rng(0)
    problems = {
        "binary": (LogisticRegression, blobs(np.array([[-1.5, 0], [1.5, 0]]), 100, rng)),
        "3-class": (SoftmaxRegression, blobs(np.array([[-2, 0], [2, 0], [0, 3]]), 100, rng)),
    }
    print(f"{'problem':<8} {'solver':<7} {'iterations':>10} {'final J':>9} {'accuracy':>9}")
    for name, (estimator, (X, y)) in problems.items():
        for solver, kwargs in [("newton", {}), ("gd", {"lr": 0.5, "max_iter": 5000, "tol": 1e-5})]:
            model = estimator(C=1.0, solver=solver, **kwargs).fit(X, y)
            loss = model.loss_history_[-1]
            print(
                f"{name:<8} {solver:<7} {model.n_iter_:>10} {loss:>9.5f} {model.score(X, y):>9.3f}"
            )
    proba = model.predict_proba(np.array([[0.0, 1.0]]))[0]
    print(f"p(class | x=(0, 1)) = {np.round(proba, 3).tolist()}")


if __name__ == "__main__":
    main()
