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
from lamina.data.dataset import Dataset, Subset, TensorDataset
from lamina.data.files import (
    load_csv,
    load_image,
    load_image_folder,
    load_npy,
    load_npz,
    load_text_file,
)
from lamina.data.loader import DataLoader, default_collate
from lamina.data.preprocessing import MinMaxScaler, StandardScaler, one_hot
from lamina.data.split import KFold, random_split, train_test_split

__all__ = [
    "Compose",
    "DataLoader",
    "Dataset",
    "KFold",
    "MinMaxScaler",
    "Normalize",
    "RandomCrop",
    "RandomHorizontalFlip",
    "RandomRotation",
    "RandomScale",
    "RandomTranslation",
    "RandomVerticalFlip",
    "RandomZoom",
    "StandardScaler",
    "Subset",
    "TensorDataset",
    "affine_warp",
    "default_collate",
    "load_csv",
    "load_image",
    "load_image_folder",
    "load_npy",
    "load_npz",
    "load_text_file",
    "one_hot",
    "random_split",
    "train_test_split",
]
