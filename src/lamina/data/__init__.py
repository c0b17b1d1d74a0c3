"""Data pipeline: datasets, the DataLoader, splits, preprocessing, augmentation, file loaders.

>>> import numpy as np
>>> from lamina.data import DataLoader, TensorDataset
>>> loader = DataLoader(TensorDataset(np.zeros((10, 3)), np.arange(10)), batch_size=4)
>>> [x.shape for x, _ in loader]
[(4, 3), (4, 3), (2, 3)]
"""

from lamina.data import (
    augment,
    collate,
    dataset,
    files,
    loader,
    preprocessing,
    sampler,
    split,
    worker,
)
from lamina.data.augment import *  # noqa: F403
from lamina.data.collate import *  # noqa: F403
from lamina.data.dataset import *  # noqa: F403
from lamina.data.files import *  # noqa: F403
from lamina.data.loader import *  # noqa: F403
from lamina.data.preprocessing import *  # noqa: F403
from lamina.data.sampler import *  # noqa: F403
from lamina.data.split import *  # noqa: F403
from lamina.data.worker import *  # noqa: F403

_MODULES = (augment, collate, dataset, files, loader, preprocessing, sampler, split, worker)
__all__ = sorted({name for m in _MODULES for name in m.__all__})
