"""Optional plots for :mod:`lamina.classic` (needs matplotlib: ``pip install lamina[plot]``)."""

from __future__ import annotations

from typing import Any

from lamina.classic.linear import BiasVarianceCurve

__all__ = ["plot_bias_variance"]


def plot_bias_variance(curve: BiasVarianceCurve, ax: Any = None) -> Any:
    """Plot training and validation error against alpha (log scale); return the axes.

    Parameters
    ----------
    curve : BiasVarianceCurve
        The result of ``ridge_bias_variance``.
    ax : matplotlib Axes or None, default=None
        Axes to draw on; None creates a new figure.

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise ImportError("plot_bias_variance needs matplotlib: pip install lamina[plot]") from err
    if ax is None:
        _, ax = plt.subplots()
    ax.plot(curve.alphas, curve.train_error, marker="o", label="training error")
    ax.plot(curve.alphas, curve.val_error, marker="o", label="validation error")
    ax.axvline(curve.best_alpha, color="gray", linestyle="--", label="best alpha")
    ax.set_xscale("log")
    ax.set_xlabel("alpha (penalty strength)")
    ax.set_ylabel("mean squared error")
    ax.set_title("Ridge: high variance (left) to high bias (right)")
    ax.legend()
    return ax
