"""The Numba mode (the ``lamina[fast]`` extra): compiled kernels where they beat NumPy's.

Imported by ``lamina.kernels`` only when Numba is installed; nothing else in lamina imports
Numba. A module here compiles array functions with ``numba.njit(cache=True)`` and registers
kernels built on them for the ``"numba"`` mode; an op without a Numba kernel runs its NumPy
kernel. A kernel is kept only if, timed alone on the benchmark networks' shapes against its
NumPy twin (interleaved, medians), it is faster.

None is registered now. The compiled im2col/col2im convolution, max pooling, batch norm and
LSTM scan were measured and removed (git history keeps them). What was found:

- ``parallel=True`` made the mode slow: on two cores each parallel region waited for a
  worker thread that shared its core with OpenBLAS's spinning threads (and other processes):
  about 35 ms a region on a loaded machine, against 0.3-0.8 ms for NumPy's max pool; LeNet
  ran 5x slower than under the NumPy kernels.
- Compiled serially, none won. Calling thread's CPU time with BLAS at one thread, numba /
  numpy, forward and backward: Conv (im2col/col2im) 1.07 / 0.97 on LeNet, 1.44 / 1.29 on the
  residual blocks; MaxPool 2.4 / 1.12 (NumPy's tournament of strided views is vectorized);
  BatchNormTrain 1.78 / 1.70; LSTMScan 2.41 / 0.98 (without Intel SVML, Numba's exp and tanh
  are scalar calls; NumPy's are SIMD).

The mode stays: ``use("numba")`` runs the NumPy kernels, and a compiled kernel that passes
the same measurement registers here.
"""

__all__: list[str] = []
