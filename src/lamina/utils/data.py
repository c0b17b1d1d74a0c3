"""``torch.utils.data``'s names, from ``lamina.data``: change the import, keep the program.

>>> from lamina.utils.data import DataLoader, TensorDataset
>>> import numpy as np
>>> [x.shape for (x,) in DataLoader(TensorDataset(np.zeros((5, 2))), batch_size=2)]
[(2, 2), (2, 2), (1, 2)]
"""

from lamina.data import (
    BatchSampler,
    DataLoader,
    Dataset,
    RandomSampler,
    Sampler,
    SequentialSampler,
    Subset,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
    WorkerInfo,
    default_collate,
    default_convert,
    get_worker_info,
    random_split,
)

__all__ = [
    "BatchSampler",
    "DataLoader",
    "Dataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "WorkerInfo",
    "default_collate",
    "default_convert",
    "get_worker_info",
    "random_split",
]
