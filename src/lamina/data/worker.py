"""Worker processes that load a DataLoader's batches in parallel, in order.

Each worker owns a task queue (batch number, indices) and a pipe for its results. The main
process keeps ``prefetch_factor * num_workers`` batches in flight, hands batch k to worker
k mod num_workers, and yields results strictly in batch order, so the stream equals the
single-process one. A worker's exception comes back with its traceback and is re-raised in
the main process naming the worker.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import queue
import random
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

import numpy as np

from lamina.autodiff.random import manual_seed

__all__ = ["WorkerInfo", "get_worker_info"]

_POLL_S = 0.5  # how often a waiting side checks that the other is still alive

_worker_info: WorkerInfo | None = None


@dataclass(frozen=True)
class WorkerInfo:
    """What a worker process knows about itself, as ``torch.utils.data.get_worker_info()``.

    Attributes
    ----------
    id : int
        In [0, num_workers).
    num_workers : int
    seed : int
        base_seed + id; the worker seeded Python's ``random`` and lamina's default generator
        with it before calling ``worker_init_fn``.
    dataset : Dataset
        The worker's copy of the dataset.
    """

    id: int
    num_workers: int
    seed: int
    dataset: Any


def get_worker_info() -> WorkerInfo | None:
    """Inside a DataLoader worker process, its ``WorkerInfo``; in the main process, None."""
    return _worker_info


class _Message(str):
    def __repr__(self) -> str:
        return str(self)


class _WorkerError:
    """An exception raised in a worker, carried to the main process as type and traceback."""

    def __init__(self, worker_id: int, where: str) -> None:
        exc = traceback.format_exc()
        exc_type = sys.exc_info()[0] or RuntimeError
        try:
            pickle.dumps(exc_type)
        except Exception:  # a class the main process could not look up
            exc_type = RuntimeError
        self.exc_type = exc_type
        self.message = (
            f"Caught {exc_type.__name__} in DataLoader worker process {worker_id} "
            f"({where}).\nOriginal {exc}"
        )

    def reraise(self) -> None:
        """Raise the worker's exception type with the worker's id and traceback in the text."""
        # KeyError prints its argument's repr; a str whose repr is itself keeps the lines.
        text = _Message(self.message) if self.exc_type is KeyError else self.message
        try:
            err = self.exc_type(text)
        except Exception:  # a type whose constructor takes other arguments
            err = RuntimeError(self.message)
        raise err


def _worker_loop(
    worker_id: int,
    num_workers: int,
    seed: int,
    fetch: Callable[[Any], Any],
    worker_init_fn: Callable[[int], None] | None,
    tasks: Any,
    results: Connection,
    parent_pid: int,
) -> None:
    """Seed, run ``worker_init_fn``, then answer tasks until a None (or the parent is gone)."""
    global _worker_info
    _worker_info = WorkerInfo(worker_id, num_workers, seed, getattr(fetch, "dataset", None))
    random.seed(seed)
    manual_seed(seed)
    # NumPy's legacy global state is seeded too: forked workers would otherwise share it and
    # repeat each other's np.random draws (a known pitfall of torch.utils.data workers).
    np.random.seed(seed % 2**32)
    init_error = None
    if worker_init_fn is not None:
        try:
            worker_init_fn(worker_id)
        except Exception:
            init_error = _WorkerError(worker_id, "in worker_init_fn")
    try:
        while os.getppid() == parent_pid:
            try:
                task = tasks.get(timeout=_POLL_S)
            except queue.Empty:
                continue
            if task is None:
                return
            token, number, index = task
            try:
                if init_error is not None:
                    raise RuntimeError("worker_init_fn failed")
                message = pickle.dumps((token, number, fetch(index)), pickle.HIGHEST_PROTOCOL)
            except Exception:  # includes a batch that cannot be pickled
                error = init_error or _WorkerError(worker_id, f"loading batch {number}")
                message = pickle.dumps((token, number, error))
            results.send_bytes(message)
    except KeyboardInterrupt:  # the main process handles Ctrl-C
        return


class WorkerPool:
    """``num_workers`` processes running ``fetch``; ``run`` maps it over batches in order.

    Parameters
    ----------
    fetch : callable
        index list -> batch; must be picklable under the "spawn" start method.
    num_workers : int
    base_seed : int
        Worker i is seeded with base_seed + i.
    worker_init_fn : callable or None
        Called as ``worker_init_fn(i)`` in worker i after seeding.
    prefetch_factor : int
        Batches in flight per worker.
    timeout : float
        Seconds to wait for one batch; 0 waits forever.
    context : str, multiprocessing context or None
        Start method ("fork", "spawn", "forkserver") or context; the platform default if None.
    """

    def __init__(
        self,
        fetch: Callable[[Any], Any],
        num_workers: int,
        base_seed: int,
        worker_init_fn: Callable[[int], None] | None,
        prefetch_factor: int,
        timeout: float,
        context: Any = None,
    ) -> None:
        # Any: typeshed's BaseContext (what get_context(str) returns) lacks the Process class
        # that every concrete context (fork, spawn, forkserver) has.
        ctx: Any = (
            mp.get_context(context) if context is None or isinstance(context, str) else context
        )
        self.prefetch_factor, self.timeout = prefetch_factor, timeout
        self._token = 0
        self._tasks = [ctx.Queue() for _ in range(num_workers)]
        self._results: list[Connection] = []
        self._workers = []
        for i in range(num_workers):
            reader, writer = ctx.Pipe(duplex=False)
            args = (
                i,
                num_workers,
                base_seed + i,
                fetch,
                worker_init_fn,
                self._tasks[i],
                writer,
                os.getpid(),
            )
            proc = ctx.Process(target=_worker_loop, args=args, daemon=True)
            proc.start()
            writer.close()  # the worker holds the write end; its death then reads as EOF
            self._results.append(reader)
            self._workers.append(proc)

    def run(self, batches: Iterable[Any]) -> Iterator[Any]:
        """Yield ``fetch(b)`` for each b of ``batches``, in order, loaded by the workers."""
        self._token += 1
        token, n = self._token, len(self._workers)
        todo = enumerate(batches)
        pending: dict[int, Any] = {}
        in_flight = 0

        def send() -> bool:
            item = next(todo, None)
            if item is not None:
                number, index = item
                self._tasks[number % n].put((token, number, index))
            return item is not None

        in_flight = sum(send() for _ in range(self.prefetch_factor * n))
        number = 0
        while in_flight:
            while number not in pending:
                self._receive(token, number, pending)
            payload = pending.pop(number)
            in_flight += send() - 1
            number += 1
            if isinstance(payload, _WorkerError):
                payload.reraise()
            yield payload

    def _receive(self, token: int, number: int, pending: dict[int, Any]) -> None:
        """Wait for results, store those of this run; raise on a timeout or a dead worker."""
        start = time.monotonic()
        while True:
            # wait returns the connections it was given; typeshed types them as
            # Connection | socket | int, hence the ignores below
            ready = wait(self._results, timeout=_POLL_S)
            for conn in ready:
                i = self._results.index(conn)  # type: ignore[arg-type]
                try:
                    message = conn.recv_bytes()  # type: ignore[union-attr]
                    got_token, got_number, payload = pickle.loads(message)
                except EOFError:
                    self._raise_dead(i)
                if got_token == token:  # results of an abandoned epoch are dropped
                    pending[got_number] = payload
            if ready:
                return
            for i, proc in enumerate(self._workers):
                if not proc.is_alive():
                    self._raise_dead(i)
            if self.timeout and time.monotonic() - start > self.timeout:
                raise RuntimeError(
                    f"DataLoader timed out after {self.timeout} seconds waiting for batch "
                    f"{number} from worker {number % len(self._workers)}"
                )

    def _raise_dead(self, i: int) -> None:
        proc = self._workers[i]
        proc.join(timeout=_POLL_S)
        raise RuntimeError(
            f"DataLoader worker {i} (pid {proc.pid}) exited unexpectedly with exit code "
            f"{proc.exitcode}"
        )

    def close(self) -> None:
        """Ask every worker to stop, wait briefly, terminate stragglers, free the pipes."""
        for q in self._tasks:
            q.put(None)
        # Drain results meanwhile: a worker blocked sending a batch nobody reads cannot stop.
        open_conns, deadline = list(self._results), time.monotonic() + 4 * _POLL_S
        while open_conns and time.monotonic() < deadline:
            for conn in wait(open_conns, timeout=0.05):  # our connections (see _receive)
                try:
                    conn.recv_bytes()  # type: ignore[union-attr]
                except (EOFError, OSError):
                    open_conns.remove(conn)  # type: ignore[arg-type]
        for proc in self._workers:
            proc.join(timeout=_POLL_S)
            if proc.is_alive():
                proc.terminate()
                proc.join()
        for q in self._tasks:
            q.close()
            q.cancel_join_thread()
        for conn in self._results:
            conn.close()
        self._workers, self._tasks, self._results = [], [], []
