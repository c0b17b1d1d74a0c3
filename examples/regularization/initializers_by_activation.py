"""The course's table of initializers by activation, measured through a 20-layer stack.

    initializer       activation       variance of each weight
    Xavier / Glorot   tanh, sigmoid    2 / (fan_in + fan_out)   (times gain**2)
    He / Kaiming      ReLU             2 / fan_in
    LeCun             SELU             1 / fan_in

Each line pushes a batch of standard-normal inputs through 20 layers of width 256 and prints
the standard deviation of the activations after layers 1, 5, 10 and 20. A matching pair keeps
the signal's scale from layer to layer; a mismatched one lets it vanish (too small weights,
or Xavier with ReLU, which halves the variance at every layer) or saturate (N(0, 1) weights
with tanh: almost every unit sits at -1 or +1, where tanh' is near zero).

SELU is selu(x) = 1.0507 * elu(x, alpha=1.67326) (``F.selu``).

Run: python examples/regularization/initializers_by_activation.py [--out DIR]
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

import lamina as L
import lamina.nn.functional as F
import lamina.nn.init as init

DEPTH, WIDTH = 20, 256


# name -> (activation, initializer of a (WIDTH, WIDTH) weight)
PAIRS: dict[str, tuple[Callable, Callable]] = {
    "tanh + N(0,1)": (F.tanh, lambda w, g: init.normal_(w, 0.0, 1.0, rng=g)),
    "tanh + N(0,0.01^2)": (F.tanh, lambda w, g: init.small_normal_(w, 0.01, rng=g)),
    "tanh + xavier": (
        F.tanh,
        lambda w, g: init.xavier_normal_(w, gain=init.calculate_gain("tanh"), rng=g),
    ),
    "relu + xavier": (F.relu, lambda w, g: init.xavier_normal_(w, rng=g)),
    "relu + he": (F.relu, lambda w, g: init.kaiming_normal_(w, nonlinearity="relu", rng=g)),
    "selu + lecun": (F.selu, lambda w, g: init.lecun_normal_(w, rng=g)),
}


def activation_stds(activation: Callable, initializer: Callable, x: L.Tensor) -> list[float]:
    """Standard deviation of the activations after each of the DEPTH layers (no biases)."""
    rng = np.random.default_rng(1)
    stds = []
    with L.no_grad():
        for _ in range(DEPTH):
            weight = initializer(L.empty((WIDTH, WIDTH)), rng)
            x = activation(F.linear(x, weight))
            stds.append(float(x.numpy().std()))
    return stds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the PNG (default: a temp folder)")
    out = parser.parse_args().out or Path(tempfile.mkdtemp(prefix="lamina-"))
    out.mkdir(parents=True, exist_ok=True)

    x = L.tensor(np.random.default_rng(0).standard_normal((512, WIDTH)).astype(np.float32))
    table = {name: activation_stds(act, ini, x) for name, (act, ini) in PAIRS.items()}
    print(f"{'activation + init':<20}{'std l1':>9}{'std l5':>9}{'std l10':>9}{'std l20':>9}")
    for name, stds in table.items():
        print(f"{name:<20}" + "".join(f"{stds[i]:9.2e}" for i in (0, 4, 9, 19)))
    for name, stds in table.items():
        print(f"{name}: last/first std ratio = {stds[-1] / stds[0]:.3e}")

    # Saturation: share of tanh units with |a| > 0.99 after layer 20 with N(0, 1) weights.
    rng = np.random.default_rng(1)
    h = x
    with L.no_grad():
        for _ in range(DEPTH):
            h = F.tanh(F.linear(h, init.normal_(L.empty((WIDTH, WIDTH)), 0.0, 1.0, rng=rng)))
    print(f"tanh + N(0,1): saturated share = {float((np.abs(h.numpy()) > 0.99).mean()):.3f}")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for name, stds in table.items():
        ax.semilogy(range(1, DEPTH + 1), stds, marker=".", label=name)
    ax.set(xlabel="layer", ylabel="std of activations", title="initializer vs activation")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "initializers_by_activation.png")
    print(f"saved {out / 'initializers_by_activation.png'}")


if __name__ == "__main__":
    main()
