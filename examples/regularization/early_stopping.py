"""Early stopping: stop when the validation loss has not improved for `patience` epochs.

A wide network trained on 30 noisy samples overfits: its training loss keeps falling while
the validation loss reaches a minimum and then climbs. The EarlyStopping callback of
lamina.training.Trainer watches val_loss, stops after `patience` epochs without improvement
and (restore_best_weights=True) puts back the weights of the best epoch. The same network run
for all the epochs ends with a worse validation loss.

Run: python examples/regularization/early_stopping.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn as nn
import lamina.nn.functional as F
import lamina.optim as optim
from lamina.training import EarlyStopping, Trainer

EPOCHS = 300


def make_trainer() -> Trainer:
    rng = np.random.default_rng(0)
    model = nn.Sequential(
        nn.Linear(1, 128, rng=rng), nn.Tanh(), nn.Linear(128, 128, rng=rng), nn.Tanh()
    ).append(nn.Linear(128, 1, rng=rng))
    return Trainer(model, optim.Adam(model.parameters(), lr=0.01), F.mse_loss)


def main() -> None:
    L.manual_seed(0)
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (230, 1)).astype(np.float32)
    y = (np.sin(3 * x) + 0.3 * rng.standard_normal((230, 1))).astype(np.float32)
    train, val = (x[:30], y[:30]), (x[30:], y[30:])

    full = make_trainer().fit(train, epochs=EPOCHS, validation=val, batch_size=30, seed=0)
    val_losses = full["val_loss"]
    print(f"full run: epochs = {len(val_losses)}")
    print(f"full run: best val_loss = {min(val_losses):.4f}")
    print(f"full run: best epoch = {int(np.argmin(val_losses)) + 1}")
    print(f"full run: final val_loss = {val_losses[-1]:.4f}")
    print(f"full run: final train loss = {full['loss'][-1]:.4f}")

    stopper = EarlyStopping(monitor="val_loss", patience=20, restore_best_weights=True)
    trainer = make_trainer()
    history = trainer.fit(
        train, epochs=EPOCHS, validation=val, callbacks=[stopper], batch_size=30, seed=0
    )
    restored = trainer.evaluate(val)["loss"]
    print(f"early stopping: epochs = {len(history['val_loss'])}")
    print(f"early stopping: restored val_loss = {restored:.4f}")


if __name__ == "__main__":
    main()
