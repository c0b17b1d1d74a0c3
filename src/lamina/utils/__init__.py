"""PyTorch-shaped paths to lamina's tools, so ``torch.utils.*`` imports port by renaming.

>>> from lamina.utils.data import DataLoader, TensorDataset
"""

from lamina.utils import data

__all__ = ["data"]
