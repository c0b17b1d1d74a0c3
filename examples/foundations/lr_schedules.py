"""Learning-rate schedules drawn over the same 60 epochs, from an initial rate of 0.1.

The course's decays: a staircase (StepLR: x0.1 every 20 epochs; MultiStepLR at chosen
epochs), exponential decay lr_0 * gamma**t, 1/t decay lr_0 / (1 + k*t), k/sqrt(t) decay,
cosine annealing to zero, a linear warm-up written as a LambdaLR, and ReduceLROnPlateau,
which divides the rate by 10 when the monitored loss stops improving for `patience` epochs
(here a made-up validation loss that flattens at epoch 15).

Run: python examples/foundations/lr_schedules.py [--out DIR]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import lamina as L
import lamina.nn as nn
import lamina.optim as optim
from lamina.optim import lr_scheduler as sched

EPOCHS, LR0 = 60, 0.1

SCHEDULES = {
    "StepLR": lambda o: sched.StepLR(o, step_size=20, gamma=0.1),
    "MultiStepLR": lambda o: sched.MultiStepLR(o, milestones=[30, 45], gamma=0.1),
    "ExponentialLR": lambda o: sched.ExponentialLR(o, gamma=0.95),
    "InverseTimeLR": lambda o: sched.InverseTimeLR(o, k=0.1),
    "InverseSqrtLR": lambda o: sched.InverseSqrtLR(o, k=1.0),
    "CosineAnnealingLR": lambda o: sched.CosineAnnealingLR(o, T_max=EPOCHS),
    "LambdaLR warm-up": lambda o: sched.LambdaLR(o, lambda e: min(1.0, (e + 1) / 10)),
    "ReduceLROnPlateau": lambda o: sched.ReduceLROnPlateau(o, factor=0.1, patience=5, min_lr=1e-4),
}


def val_loss(epoch: int) -> float:
    """A made-up validation loss: falls until epoch 15, then stays flat."""
    return 1.0 / (1 + min(epoch, 15))


def rates(make_scheduler) -> list[float]:
    """The learning rate used in each epoch (read before the epoch's scheduler step)."""
    opt = optim.SGD([nn.Parameter(L.zeros(1))], lr=LR0)
    scheduler = make_scheduler(opt)
    out = []
    for epoch in range(EPOCHS):
        out.append(opt.param_groups[0]["lr"])
        # ... one epoch of training would run here ...
        if isinstance(scheduler, sched.ReduceLROnPlateau):
            scheduler.step(val_loss(epoch))
        else:
            scheduler.step()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the PNG (default: a temp folder)")
    out = parser.parse_args().out or Path(tempfile.mkdtemp(prefix="lamina-"))
    out.mkdir(parents=True, exist_ok=True)

    curves = {name: rates(make) for name, make in SCHEDULES.items()}
    print(f"{'schedule':<19}" + "".join(f"{'epoch ' + str(e):>10}" for e in (0, 10, 20, 30, 59)))
    for name, lrs in curves.items():
        print(f"{name:<19}" + "".join(f"{lrs[e]:10.2e}" for e in (0, 10, 20, 30, 59)))
    for name, lrs in curves.items():
        for epoch in (0, 10, 20, 30, 59):
            print(f"{name} lr[{epoch}] = {lrs[epoch]:.6e}")
    first_cut = next(e for e, lr in enumerate(curves["ReduceLROnPlateau"]) if lr < LR0)
    print(f"ReduceLROnPlateau first cut at epoch = {first_cut}")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for name, lrs in curves.items():
        ax.plot(range(EPOCHS), lrs, label=name)
    ax.set(xlabel="epoch", ylabel="learning rate", yscale="log", title="learning-rate schedules")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "lr_schedules.png")
    print(f"saved {out / 'lr_schedules.png'}")


if __name__ == "__main__":
    main()
