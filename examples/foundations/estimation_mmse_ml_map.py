"""MMSE, maximum likelihood, MAP and the Bayes decision rule, each found by gradient descent.

- MMSE: the constant c minimizing E[(Y - c)**2] is the mean E[Y] (and E[|Y - c|] the median);
  more generally the MMSE predictor of Y from X is E[Y | X].
- ML: with y = w x + b + Gaussian noise of variance s**2, the negative log-likelihood is
  sum_i (y_i - w x_i - b)**2 / (2 s**2) + m log s + const: its maximizer is the least-squares
  line, and s**2 the mean squared residual. (Bernoulli targets give binary cross-entropy.)
- MAP: a Gaussian prior w ~ N(0, t**2) adds ||w||**2 / (2 t**2) to the negative log-likelihood:
  the MAP estimate is ridge regression with lam = s**2 / t**2 (a Laplace prior gives L1).
- Decision theory: with class densities p(x | k) and priors P(k), the rule that minimizes the
  error rate picks argmax_k P(k | x); a logistic model trained with cross-entropy learns that
  posterior P(1 | x) from samples.

Each estimate below is found by lamina.optim on a lamina loss, then checked against its
closed form.

Run: python examples/foundations/estimation_mmse_ml_map.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn as nn
import lamina.nn.functional as F
import lamina.optim as optim


def minimize(params: list[nn.Parameter], loss_fn, steps: int = 2000, lr: float = 0.05) -> None:
    opt = optim.Adam(params, lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        loss_fn().backward()
        opt.step()


def mmse(rng: np.random.Generator) -> None:
    y = L.tensor(rng.exponential(2.0, 501))  # skewed, so mean and median differ
    for name, loss in (("mse", F.mse_loss), ("l1", F.l1_loss)):
        c = nn.Parameter(L.zeros(1, dtype=L.float64))
        minimize([c], lambda c=c, loss=loss: loss(c.expand(y.shape), y))
        print(f"{name}: best constant = {c.item():.4f}")
    print(f"sample mean = {y.numpy().mean():.4f}")
    print(f"sample median = {np.median(y.numpy()):.4f}")


def ml_and_map(rng: np.random.Generator) -> None:
    x = rng.uniform(-1, 1, (50, 3))
    y = x @ np.array([1.0, -2.0, 0.5]) + 0.3 + 0.2 * rng.standard_normal(50)
    xt, yt = L.tensor(x), L.tensor(y)
    w, b = nn.Parameter(L.zeros(3, dtype=L.float64)), nn.Parameter(L.zeros(1, dtype=L.float64))
    log_s = nn.Parameter(L.zeros(1, dtype=L.float64))

    def nll() -> L.Tensor:  # Gaussian negative log-likelihood, constants dropped
        r = yt - (xt @ w + b)
        return ((r * r).sum() / (2 * L.exp(2 * log_s)) + len(x) * log_s).sum()

    minimize([w, b, log_s], nll, steps=3000, lr=0.1)
    design = np.column_stack([x, np.ones(50)])
    coef = np.linalg.lstsq(design, y, rcond=None)[0]
    residual = y - design @ coef
    print(f"ML weights vs least squares, max diff = {np.abs(w.numpy() - coef[:3]).max():.2e}")
    s2 = float(np.exp(2 * log_s.item()))
    print(f"ML noise variance vs mean squared residual = {abs(s2 - (residual**2).mean()):.2e}")

    lam = 5.0  # s**2 / t**2: a prior of variance t**2 on each weight
    w_map = nn.Parameter(L.zeros(3, dtype=L.float64))
    b_map = nn.Parameter(L.zeros(1, dtype=L.float64))

    def neg_log_posterior() -> L.Tensor:
        r = yt - (xt @ w_map + b_map)
        return (r * r).sum() + lam * (w_map * w_map).sum()

    minimize([w_map, b_map], neg_log_posterior, steps=3000, lr=0.02)
    penalty = lam * np.diag([1.0, 1.0, 1.0, 0.0])  # the bias has no prior
    ridge = np.linalg.solve(design.T @ design + penalty, design.T @ y)
    gap = np.abs(w_map.numpy() - ridge[:3]).max()
    print(f"MAP weights vs ridge closed form, max diff = {gap:.2e}")
    shrink = np.linalg.norm(ridge[:3]) / np.linalg.norm(coef[:3])
    print(f"MAP weight norm / ML weight norm = {shrink:.4f}")


def bayes_decision(rng: np.random.Generator) -> None:
    # class 0 ~ N(-1, 1) with prior 0.7, class 1 ~ N(+1, 1) with prior 0.3
    labels = (rng.random(2000) < 0.3).astype(np.float64)
    x = rng.standard_normal(2000) + np.where(labels == 1, 1.0, -1.0)
    grid = np.linspace(-3, 3, 61)
    like0, like1 = np.exp(-((grid + 1) ** 2) / 2), np.exp(-((grid - 1) ** 2) / 2)
    posterior = 0.3 * like1 / (0.3 * like1 + 0.7 * like0)
    threshold = np.log(0.7 / 0.3) / 2  # P(1|x) = 1/2 where 2x = log(P(0) / P(1))
    print(f"Bayes threshold = {threshold:.4f}")

    model = nn.Linear(1, 1, dtype=L.float64, rng=np.random.default_rng(0))
    xt, yt = L.tensor(x[:, None]), L.tensor(labels[:, None])
    minimize(
        list(model.parameters()),
        lambda: F.binary_cross_entropy_with_logits(model(xt), yt),
        steps=1000,
    )
    with L.no_grad():
        learned = F.sigmoid(model(L.tensor(grid[:, None]))).numpy().ravel()
    gap = np.abs(learned - posterior).max()
    print(f"logistic posterior vs Bayes posterior, max diff = {gap:.4f}")
    learned_threshold = -model.bias.item() / model.weight.item()
    print(f"learned threshold = {learned_threshold:.4f}")


def main() -> None:
    rng = np.random.default_rng(0)
    mmse(rng)
    ml_and_map(rng)
    bayes_decision(rng)


if __name__ == "__main__":
    main()
