"""A whole CNN trained the Keras way: Sequential layers, compile, fit, evaluate, plot.

The notes' coding section builds a small convolutional network layer by layer, compiles it
with an optimizer, a loss and a metric, and fits it. lamina's ``training.Model`` wraps any
module with that API. Conv -> ReLU -> pool twice, then a dense classifier, on the 8 x 8
digits: a few epochs reach well over 90% on held-out images, and the history is drawn.

Run: python examples/cnn/train_cnn_keras_style.py [--out DIR]   -> DIR/history.png
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

from lamina import datasets, nn
from lamina.training import Model, plot_history


def main(out: Path) -> None:
    images, labels = datasets.load_digits(images=True)
    x = (images / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
    order = np.random.default_rng(0).permutation(len(x))
    train, test = order[:1400], order[1400:]
    rng = np.random.default_rng(0)
    net = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * 2 * 2, 10, rng=rng),
    )
    model = Model(net)
    model.compile("adam", "cross_entropy", metrics=["accuracy"], lr=0.01)
    print(f"parameters: {model.summary((1, 8, 8)).total_params}")
    history = model.fit(
        x[train], labels[train], epochs=4, batch_size=64, validation_split=0.1, seed=0, verbose=0
    )
    scores = model.evaluate(x[test], labels[test])
    print(f"epochs run: {len(history.history['loss'])}")
    losses = history.history["loss"]
    print(f"training loss first {losses[0]:.4f} last {losses[-1]:.4f}")
    print(f"test accuracy {scores['accuracy']:.3f}")
    out.mkdir(parents=True, exist_ok=True)
    print(f"wrote {plot_history(history, out / 'history.png')}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="A CNN trained with compile/fit.")
    parser.add_argument("--out", type=Path, help="folder for the PNG (default: a temporary one)")
    main(parser.parse_args().out or Path(tempfile.mkdtemp(prefix="lamina-keras-")))
