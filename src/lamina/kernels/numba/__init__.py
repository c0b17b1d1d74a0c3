"""The Numba kernels (the ``lamina[fast]`` extra): compiled loops for the hot spots.

Imported by ``lamina.kernels`` only when Numba is installed; nothing else in lamina imports
Numba. Each module holds array functions compiled with ``numba.njit(cache=True)`` (parallel
over channels or planes where both cores pay off) and registers the kernels built on them for
the ``"numba"`` mode; an op without a Numba kernel runs its NumPy kernel. The compiled code is
cached beside the modules (``__pycache__``), so only the first run after installing compiles.
"""

from lamina.kernels.numba import conv, im2col, lstm, norm, pool

__all__ = ["conv", "im2col", "lstm", "norm", "pool"]
