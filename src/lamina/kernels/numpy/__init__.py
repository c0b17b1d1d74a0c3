"""The NumPy kernels: the reference ops' maths rewritten for speed, on arrays, NumPy only.

Each module registers its kernels (``lamina.kernels.register``) for the ``"numpy"`` mode
when imported; ``buffers`` holds the reused large arrays they share.
"""

from lamina.kernels.numpy import buffers, conv, dense, lstm, maxpool, normalization

__all__ = ["buffers", "conv", "dense", "lstm", "maxpool", "normalization"]
