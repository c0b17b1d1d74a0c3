"""Training workflow: the ``Trainer`` loop, callbacks, history and Keras-style ``Model``."""

from lamina.training.callbacks import (
    Callback,
    CSVLogger,
    EarlyStopping,
    GradientMonitor,
    LearningRateScheduler,
    ModelCheckpoint,
    ProgressBar,
    TerminateOnNaN,
)
from lamina.training.history import History
from lamina.training.keras import Model
from lamina.training.trainer import Trainer, as_loader

__all__ = [
    "CSVLogger", "Callback", "EarlyStopping", "GradientMonitor", "History",
    "LearningRateScheduler", "Model", "ModelCheckpoint", "ProgressBar", "TerminateOnNaN",
    "Trainer", "as_loader",
]  # fmt: skip
