"""Lasso: coefficients are set exactly to zero as alpha grows; ridge only shrinks them.

Ten features, only three of which drive y. As the L1 penalty alpha grows, coordinate descent
zeroes the useless weights first and the useful ones last; ridge's L2 penalty shrinks every
weight but zeroes none.

Run: python examples/classic/lasso_sparsity.py
"""

from __future__ import annotations

import numpy as np

from lamina.classic import Lasso, Ridge, StandardScaler


def main() -> None:
    rng = np.random.default_rng(0)
    X = StandardScaler().fit_transform(rng.normal(size=(200, 10)))
    true_w = np.array([5.0, -3.0, 2.0, 0, 0, 0, 0, 0, 0, 0])
    y = X @ true_w + rng.normal(size=200)

    print(f"{'alpha':>7}  {'lasso zeros':>11}  {'ridge zeros':>11}  lasso coefficients")
    for alpha in [0.001, 0.01, 0.1, 0.5, 1.0, 2.0, 4.0, 8.0]:
        lasso = Lasso(alpha=alpha).fit(X, y)
        ridge = Ridge(alpha=alpha * len(y)).fit(X, y)
        coefs = " ".join(f"{c:5.2f}" if c != 0 else "    0" for c in lasso.coef_)
        n_zero_lasso = int(np.sum(lasso.coef_ == 0))
        n_zero_ridge = int(np.sum(ridge.coef_ == 0))
        print(f"{alpha:>7g}  {n_zero_lasso:>11}  {n_zero_ridge:>11}  {coefs}")


if __name__ == "__main__":
    main()
