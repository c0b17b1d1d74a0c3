"""Optimizers and learning-rate schedules, with PyTorch's names, defaults and update rules.

The update rules live in ``lamina.optim.functional``, one pure function each; the classes
keep parameter groups and state. Schedules are in ``lamina.optim.lr_scheduler``.
"""

from lamina.optim import functional, lr_scheduler
from lamina.optim.adadelta import Adadelta
from lamina.optim.adagrad import Adagrad
from lamina.optim.adam import Adam, Adamax, AdamW
from lamina.optim.lbfgs import LBFGS
from lamina.optim.optimizer import Optimizer
from lamina.optim.rmsprop import RMSprop
from lamina.optim.sgd import SGD

__all__ = [
    "LBFGS", "SGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "Optimizer", "RMSprop",
    "functional", "lr_scheduler",
]  # fmt: skip
