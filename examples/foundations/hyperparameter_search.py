"""Train / validation / test: choosing hyper-parameters by cross-validation, then testing once.

Weights are learned on the training set; hyper-parameters (here the learning rate and the
hidden width, which the network cannot learn by itself) are chosen on held-out data; the test
set is touched once, at the end, to report the chosen model's performance. Cross-validation
uses the training data for both: it splits it into k folds and scores each configuration k
times, trained on k - 1 folds and validated on the remaining one.

Run: python examples/foundations/hyperparameter_search.py
"""

from __future__ import annotations

import functools

import numpy as np

import lamina.nn as nn
from lamina.data import train_test_split
from lamina.datasets import make_spirals
from lamina.training import NetworkEstimator, grid_search


def make_net(hidden: int, rng: np.random.Generator) -> nn.Module:
    return nn.Sequential(nn.Linear(2, hidden, rng=rng), nn.Tanh(), nn.Linear(hidden, 3, rng=rng))


def main() -> None:
    x, y = make_spirals(400, n_classes=3, noise=0.1, seed=0)
    x_train, x_test, y_train, y_test = train_test_split(
        x.astype(np.float32), y, test_size=0.25, seed=0, stratify=y
    )
    print(f"train size = {len(x_train)}")
    print(f"test size = {len(x_test)}")
    build = functools.partial(NetworkEstimator, make_net, epochs=40, batch_size=32)
    grid = {"lr": [1e-3, 1e-2, 5e-2], "hidden": [4, 64]}
    result = grid_search(build, grid, x_train, y_train, cv=3)
    print(f"{'lr':>7} {'hidden':>6}  mean CV accuracy (3 folds)")
    for row in result.rows:
        params = row["params"]
        print(f"{params['lr']:7.0e} {params['hidden']:6d}  {row['mean_score']:.3f}")
    print(f"configurations = {len(result.rows)}")
    print(f"best lr = {result.best_params_['lr']}")
    print(f"best hidden = {result.best_params_['hidden']}")
    print(f"best CV accuracy = {result.best_score_:.4f}")
    print(f"worst CV accuracy = {result.rows[-1]['mean_score']:.4f}")

    final = build(**result.best_params_).fit(x_train, y_train)  # all training data
    print(f"test accuracy of the chosen model = {final.score(x_test, y_test):.4f}")


if __name__ == "__main__":
    main()
