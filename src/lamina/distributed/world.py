"""The process group: rank, size and collective calls over NumPy buffers, through MPI.

lamina runs on an existing engine, MPI (``mpi4py``, the optional ``lamina[mpi]`` extra),
never a home-made one. A program started by ``mpiexec -n N`` forms a world of N ranks; a
program started any other way, or without mpi4py, is a world of one where every collective
call returns its input. Collectives use mpi4py's upper-case, buffer-based calls (``Allreduce``,
``Bcast``, ``Allgatherv``) on contiguous arrays: tensors are never pickled.

>>> from lamina import distributed as dist
>>> dist.init(); dist.world_size(), dist.rank(), dist.is_main()
(1, 0, True)
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from types import TracebackType
from typing import Any

import numpy as np

from lamina.errors import check_in

__all__ = [
    "abort",
    "all_gather",
    "all_reduce",
    "barrier",
    "broadcast",
    "init",
    "is_initialized",
    "is_main",
    "rank",
    "world_size",
]

# Variables an MPI launcher sets in each process it starts (MPICH/Hydra, Open MPI, PMIx).
_LAUNCHER_SIZE = ("PMI_SIZE", "OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS")
_OPS = ("sum", "mean", "max", "min", "prod")

_comm: Any = None  # mpi4py's COMM_WORLD once init() found a world of more than one
_initialized = False


def _launched_size() -> int:
    """The number of processes the launcher says it started (1 without a launcher)."""
    for name in _LAUNCHER_SIZE:
        value = os.environ.get(name, "")
        if value.isdigit():
            return int(value)
    return 1


def init() -> None:
    """Join the world of processes ``mpiexec`` started; idempotent.

    Without a launcher (or with ``mpiexec -n 1``) the world is this process alone and mpi4py
    is not imported. Under a launcher of several processes mpi4py is required, and an uncaught
    exception on any rank aborts the whole world (every rank exits non-zero within seconds
    instead of waiting forever in a collective call).

    Raises
    ------
    ImportError
        ``mpiexec`` started several processes but mpi4py is not installed.
    """
    global _comm, _initialized
    if _initialized:
        return
    size = _launched_size()
    if size > 1:
        try:
            from mpi4py import MPI
        except ImportError as e:
            raise ImportError(
                f"lamina.distributed.init: mpiexec started {size} processes but mpi4py is not "
                f"installed; install it with: pip install 'lamina[mpi]'"
            ) from e
        if MPI.COMM_WORLD.Get_size() > 1:
            _comm = MPI.COMM_WORLD
            _install_excepthook()
    _initialized = True


def is_initialized() -> bool:
    """Whether ``init()`` has run in this process."""
    return _initialized


def world_size() -> int:
    """The number of processes in the world (1 without ``mpiexec``)."""
    init()
    return 1 if _comm is None else int(_comm.Get_size())


def rank() -> int:
    """This process's rank, 0 .. world_size() - 1."""
    init()
    return 0 if _comm is None else int(_comm.Get_rank())


def is_main() -> bool:
    """Whether this is rank 0, the one that prints and writes files."""
    return rank() == 0


def barrier() -> None:
    """Wait until every rank has reached this call."""
    init()
    if _comm is not None:
        _comm.Barrier()


def abort(code: int = 1) -> None:
    """End every rank of the world with exit status ``code`` (this process alone without MPI)."""
    init()
    sys.stdout.flush()
    sys.stderr.flush()
    if _comm is not None:
        # mpiexec forwards each rank's output through a proxy that Abort kills too: wait a
        # moment, or the message that says why may never reach the terminal.
        time.sleep(0.5)
        _comm.Abort(code)
    os._exit(code)


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    traceback.print_exception(kind, value, tb)
    print(f"lamina.distributed: rank {rank()} failed; aborting all ranks", file=sys.stderr)
    abort(1)


def _install_excepthook() -> None:
    # A rank that dies of an exception would otherwise leave the others blocked in a
    # collective call forever, and MPI_Finalize at exit would block it too: abort instead.
    sys.excepthook = _excepthook


def _array(array: Any) -> Any:
    """A Tensor's array, or ``array`` itself (an ndarray's ``.data`` is a memoryview)."""
    return array if isinstance(array, np.ndarray) else getattr(array, "data", array)


def _buffer(owner: str, array: Any) -> np.ndarray:
    """The contiguous, writeable NumPy array under ``array`` (a Tensor's ``.data``)."""
    data = _array(array)
    if not isinstance(data, np.ndarray):
        raise TypeError(f"{owner}: expected a NumPy array or a Tensor, got {type(array).__name__}")
    if not (data.flags.c_contiguous and data.flags.writeable):
        raise ValueError(
            f"{owner}: expected a C-contiguous, writeable array (reduced in place), got one "
            f"with flags c_contiguous={data.flags.c_contiguous}, writeable={data.flags.writeable}"
        )
    if data.dtype.kind not in "biuf":
        raise TypeError(f"{owner}: expected a numeric array, got dtype {data.dtype}")
    return data


def all_reduce(array: Any, op: str = "sum") -> Any:
    """Combine ``array`` element-wise over all ranks, in place, and return it.

    out = op_r array_r  (op: "sum", "mean", "max", "min" or "prod"), the same on every rank.

    Parameters
    ----------
    array : numpy.ndarray or Tensor
        C-contiguous and writeable; same shape and dtype on every rank.
    op : str, default="sum"
        "mean" is the sum divided by world_size() (for floating arrays).
    """
    check_in("all_reduce", "op", op, _OPS)
    data = _buffer("all_reduce", array)
    if world_size() == 1:
        return array
    from mpi4py import MPI

    mpi_op = {"sum": MPI.SUM, "mean": MPI.SUM, "max": MPI.MAX, "min": MPI.MIN, "prod": MPI.PROD}
    _comm.Allreduce(MPI.IN_PLACE, data, op=mpi_op[op])
    if op == "mean":
        if data.dtype.kind != "f":
            raise TypeError(f"all_reduce: op 'mean' needs a floating array, got {data.dtype}")
        data /= _comm.Get_size()
    return array


def broadcast(array: Any, root: int = 0) -> Any:
    """Copy ``array`` of rank ``root`` into ``array`` of every rank, in place; return it."""
    data = _buffer("broadcast", array)
    size = world_size()
    if isinstance(root, bool) or not isinstance(root, (int, np.integer)) or not 0 <= root < size:
        raise ValueError(f"broadcast: root must be a rank in [0, {size}), got {root!r}")
    if _comm is not None:
        _comm.Bcast(data, root=int(root))
    return array


def all_gather(array: Any) -> np.ndarray:
    """Concatenate every rank's ``array`` along axis 0, in rank order, on every rank.

    The arrays may differ in their first dimension (an uneven last shard); the other
    dimensions and the dtype must agree.
    """
    data = np.ascontiguousarray(_array(array))
    if world_size() == 1:
        return data.copy()
    if data.ndim == 0:
        data = data.reshape(1)
    shapes = _comm.allgather((data.shape[1:], data.dtype.str))  # metadata, not tensors
    if any(s != shapes[0] for s in shapes):
        raise ValueError(
            f"all_gather: ranks hold arrays of different trailing shape or dtype: {shapes}"
        )
    counts = np.zeros(_comm.Get_size(), np.int64)
    counts[rank()] = data.shape[0]
    all_reduce(counts, "sum")
    row = int(np.prod(data.shape[1:], dtype=np.int64))
    out = np.empty((int(counts.sum()), *data.shape[1:]), data.dtype)
    sizes = counts * row
    from mpi4py import MPI

    mpi_type = MPI._typedict[data.dtype.char]
    _comm.Allgatherv(data, [out, sizes, np.concatenate([[0], np.cumsum(sizes)[:-1]]), mpi_type])
    return out
