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
from lamina.training.network_estimator import NetworkEstimator
from lamina.training.plot_images import plot_embeddings, plot_feature_maps, plot_filters
from lamina.training.plots import (
    plot_attention,
    plot_confusion_matrix,
    plot_decision_boundary,
    plot_gradient_norms,
    plot_history,
)
from lamina.training.search import (
    SearchResult,
    cross_val_score,
    grid_search,
    log_uniform,
    random_search,
)
from lamina.training.trainer import Trainer, as_loader

__all__ = [
    "CSVLogger",
    "Callback",
    "EarlyStopping",
    "GradientMonitor",
    "History",
    "LearningRateScheduler",
    "Model",
    "ModelCheckpoint",
    "NetworkEstimator",
    "ProgressBar",
    "SearchResult",
    "TerminateOnNaN",
    "Trainer",
    "as_loader",
    "cross_val_score",
    "grid_search",
    "log_uniform",
    "plot_attention",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_embeddings",
    "plot_feature_maps",
    "plot_filters",
    "plot_gradient_norms",
    "plot_history",
    "random_search",
]
