"""Data pipeline: datasets, the DataLoader, splits, preprocessing, augmentation, file loaders.

>>> import numpy as np
>>> from lamina.data import DataLoader, TensorDataset
>>> loader = DataLoader(TensorDataset(np.zeros((10, 3)), np.arange(10)), batch_size=4)
>>> [x.shape for x, _ in loader]
[(4, 3), (4, 3), (2, 3)]
"""

from lamina.data.augment import (
    Compose,
    Normalize,
    RandomCrop,
    RandomHorizontalFlip,
    RandomRotation,
    RandomScale,
    RandomTranslation,
    RandomVerticalFlip,
    RandomZoom,
    affine_warp,
)
from lamina.data.collate import default_collate, default_convert
from lamina.data.dataset import Dataset, Subset, TensorDataset
from lamina.data.files import (
    convert_channels,
    load_csv,
    load_image,
    load_image_folder,
    load_npy,
    load_npz,
    load_text_file,
    read_csv_rows,
    resize_image,
)
from lamina.data.loader import DataLoader
from lamina.data.preprocessing import MinMaxScaler, StandardScaler, one_hot
from lamina.data.sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)
from lamina.data.split import KFold, random_split, train_test_split
from lamina.data.worker import WorkerInfo, get_worker_info

__all__ = [
    "BatchSampler",
    "Compose",
    "DataLoader",
    "Dataset",
    "KFold",
    "MinMaxScaler",
    "Normalize",
    "RandomCrop",
    "RandomHorizontalFlip",
    "RandomRotation",
    "RandomSampler",
    "RandomScale",
    "RandomTranslation",
    "RandomVerticalFlip",
    "RandomZoom",
    "Sampler",
    "SequentialSampler",
    "StandardScaler",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "WorkerInfo",
    "affine_warp",
    "convert_channels",
    "default_collate",
    "default_convert",
    "get_worker_info",
    "load_csv",
    "load_image",
    "load_image_folder",
    "load_npy",
    "load_npz",
    "load_text_file",
    "one_hot",
    "random_split",
    "read_csv_rows",
    "resize_image",
    "train_test_split",
]
