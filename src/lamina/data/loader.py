"""DataLoader: batches of lamina Tensors from a dataset, with PyTorch's arguments."""

from __future__ import annotations

import copy
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np

from lamina.autodiff.random import default_generator
from lamina.data.collate import Fetcher, default_collate, to_tensors
from lamina.data.sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    check_generator,
)
from lamina.data.worker import WorkerPool
from lamina.errors import check_positive_int, check_seed

__all__ = ["DataLoader", "default_collate"]

_OWNER = "DataLoader"


def _check_args(dataset: Any, batch_size: Any, num_workers: Any, seed: Any, timeout: Any) -> None:
    if batch_size is not None:
        check_positive_int(_OWNER, batch_size=batch_size)
    if not hasattr(dataset, "__len__") or not hasattr(dataset, "__getitem__"):
        raise TypeError(
            f"DataLoader: dataset must define __len__ and __getitem__, got {type(dataset).__name__}"
        )
    if (
        isinstance(num_workers, bool)
        or not isinstance(num_workers, (int, np.integer))
        or (num_workers < 0)
    ):
        raise ValueError(f"DataLoader: num_workers must be an integer >= 0, got {num_workers!r}")
    check_seed("DataLoader", seed)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout >= 0:
        raise ValueError(f"DataLoader: timeout must be a number >= 0, got {timeout!r}")


def _check_exclusive(
    batch_size: Any, shuffle: Any, sampler: Any, batch_sampler: Any, drop_last: bool
) -> None:
    """PyTorch's rules for which of the ordering arguments may be combined."""
    if sampler is not None and shuffle:
        raise ValueError("DataLoader: sampler is mutually exclusive with shuffle=True")
    if batch_sampler is not None and (
        batch_size != 1 or shuffle or sampler is not None or drop_last
    ):
        raise ValueError(
            "DataLoader: batch_sampler is mutually exclusive with batch_size, shuffle, sampler "
            f"and drop_last, got batch_size={batch_size!r}, shuffle={shuffle!r}, "
            f"sampler={sampler!r}, drop_last={drop_last!r}"
        )
    if batch_size is None and drop_last:
        raise ValueError(
            "DataLoader: batch_size=None disables batching and is mutually exclusive with "
            "drop_last=True"
        )


def _check_workers(num_workers: int, prefetch_factor: Any, persistent_workers: bool) -> int | None:
    if num_workers == 0 and prefetch_factor is not None:
        raise ValueError(
            f"DataLoader: prefetch_factor needs num_workers > 0, got prefetch_factor="
            f"{prefetch_factor!r} with num_workers=0"
        )
    if num_workers == 0 and persistent_workers:
        raise ValueError("DataLoader: persistent_workers=True needs num_workers > 0, got 0")
    if num_workers == 0:
        return None
    if prefetch_factor is None:
        return 2
    check_positive_int(_OWNER, prefetch_factor=prefetch_factor)
    return int(prefetch_factor)


def _generators(obj: Any, own: np.random.Generator | None) -> list[np.random.Generator]:
    """The Generators of a sampler chain (sampler, its ``sampler``, ...), excluding ``own``."""
    found: list[np.random.Generator] = []
    while obj is not None:
        gen = getattr(obj, "generator", None)
        if isinstance(gen, np.random.Generator) and gen is not own and gen not in found:
            found.append(gen)
        obj = getattr(obj, "sampler", None)
    return found


class DataLoader:
    """Iterate over a dataset in batches of lamina Tensors, with torch.utils.data's arguments.

    Each pass (each ``iter(loader)``) takes index lists from ``batch_sampler``, fetches those
    samples, collates them (``collate_fn(list of samples)``), applies ``transform`` to the
    first field and turns every numeric array into a Tensor. The default batch sampler groups
    ``sampler`` into lists of ``batch_size``; the default sampler is sequential, or random with
    ``shuffle=True``. A ``TensorDataset`` (or a ``Subset`` of one) with the default collation
    is batched by indexing its arrays with all of a batch's indices at once.

    Randomness: ``generator`` (or ``rng``) if given, else a Generator from ``seed`` if given,
    else every pass draws a fresh seed from lamina's default generator, so
    ``lamina.manual_seed(s)`` fixes the orders as ``torch.manual_seed`` does. With a generator
    or seed, ``state_dict``/``load_state_dict`` between passes resume the orders exactly; with
    neither, the order state is the default generator's (saved by ``Trainer`` checkpoints).

    Parameters
    ----------
    dataset : Dataset
        Anything with ``__len__`` and ``__getitem__``.
    batch_size : int or None, default=1
        Samples per batch; None disables batching (each sample is yielded, unstacked).
    shuffle : bool or None, default=None
        A new random order each pass (a ``RandomSampler``); mutually exclusive with ``sampler``.
    sampler : Sampler or iterable of indices, optional
    batch_sampler : Sampler or iterable of index lists, optional
        Mutually exclusive with ``batch_size``, ``shuffle``, ``sampler`` and ``drop_last``.
    num_workers : int, default=0
        Worker processes loading batches in parallel; 0 loads in the main process. Batches
        come in the same order and with the same contents either way.
    collate_fn : callable, optional
        list of samples -> batch; ``default_collate`` if None.
    pin_memory : bool, default=False
        Accepted for compatibility; there is no device memory to pin.
    drop_last : bool, default=False
        Skip a final batch smaller than ``batch_size``.
    timeout : float, default=0
        Seconds to wait for a worker's batch before raising; 0 waits forever.
    worker_init_fn : callable, optional
        Called as ``worker_init_fn(worker_id)`` in each worker after it is seeded with
        ``base_seed + worker_id`` (Python ``random``, lamina's and NumPy's global generators).
    multiprocessing_context : str or context, optional
        Start method of the workers ("fork", "spawn", "forkserver").
    generator : numpy.random.Generator, optional
        Source of the shuffle order and worker seeds.
    prefetch_factor : int, optional
        Batches in flight per worker (2 if None); only with ``num_workers > 0``.
    persistent_workers : bool, default=False
        Keep the workers alive between passes (only with ``num_workers > 0``).
    pin_memory_device, in_order :
        Accepted for compatibility; batches always come in order.
    seed : int or None, default=None
        Seed of the loader's own Generator when ``generator``/``rng`` is not given.
    transform : callable, optional
        Applied to each batch's first field (the inputs) as a NumPy array of shape (B, ...)
        in the main process, e.g. an augmentation from ``lamina.data.augment``.
    rng : numpy.random.Generator, optional
        lamina's older name for ``generator``.

    Raises
    ------
    ValueError
        For a bad batch_size, seed, num_workers, timeout or prefetch_factor, or ordering
        arguments that PyTorch forbids together.
    TypeError
        If ``dataset`` has no ``__len__``/``__getitem__`` or ``generator`` is not a Generator.

    Examples
    --------
    >>> from lamina.data import TensorDataset
    >>> ds = TensorDataset(np.arange(10.0).reshape(5, 2), np.arange(5))
    >>> [tuple(y.tolist()) for _, y in DataLoader(ds, batch_size=2)]
    [(0, 1), (2, 3), (4,)]
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler: Sampler | Iterable[Any] | None = None,
        batch_sampler: Sampler | Iterable[list[Any]] | None = None,
        num_workers: int = 0,
        collate_fn: Callable[[Any], Any] | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable[[int], None] | None = None,
        multiprocessing_context: Any = None,
        generator: np.random.Generator | None = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
        seed: int | None = None,
        transform: Callable[[np.ndarray], np.ndarray] | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        _check_args(dataset, batch_size, num_workers, seed, timeout)
        _check_exclusive(batch_size, shuffle, sampler, batch_sampler, drop_last)
        if rng is not None and generator is not None and rng is not generator:
            raise ValueError("DataLoader: give generator or rng (the same thing), not both")
        generator = generator if generator is not None else rng
        check_generator(_OWNER, generator)
        self.prefetch_factor = _check_workers(num_workers, prefetch_factor, persistent_workers)
        if generator is None and seed is not None:
            generator = np.random.default_rng(int(seed))
        own_sampler = sampler is None
        if sampler is None:
            sampler = (
                RandomSampler(dataset, generator=generator)
                if shuffle
                else SequentialSampler(dataset)
            )
        user_batches = batch_sampler is not None
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, int(batch_size), bool(drop_last))
        self.dataset = dataset
        self.batch_size = None if user_batches or batch_size is None else int(batch_size)
        self.shuffle, self.drop_last = bool(shuffle), bool(drop_last)
        self.sampler, self.batch_sampler, self.generator = sampler, batch_sampler, generator
        self.num_workers, self.timeout = int(num_workers), timeout
        self.pin_memory, self.pin_memory_device = pin_memory, pin_memory_device
        self.in_order = in_order
        self.worker_init_fn, self.multiprocessing_context = worker_init_fn, multiprocessing_context
        self.persistent_workers = bool(persistent_workers)
        self.transform = transform
        self.epoch = 0
        self._fetch = Fetcher(dataset, collate_fn, batch_sampler is not None)
        self.collate_fn = self._fetch.collate_fn
        self._own_sampler = own_sampler
        self._pool: WorkerPool | None = None

    def __len__(self) -> int:
        # an unsized sampler raises TypeError here, as in PyTorch
        return len(self.batch_sampler if self.batch_sampler is not None else self.sampler)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return (
            f"DataLoader(n_samples={len(self.dataset)}, batch_size={self.batch_size}, "
            f"shuffle={self.shuffle}, drop_last={self.drop_last}, "
            f"num_workers={self.num_workers})"
        )

    def _base_seed(self) -> int:
        """This pass's worker base seed, read without advancing the order's generator.

        It comes from a copy of the generator (so the orders equal those with num_workers=0)
        mixed with the pass number (so passes differ even when nothing is shuffled).
        """
        gen = self.generator if self.generator is not None else default_generator()
        draw = int(copy.deepcopy(gen).integers(2**63))
        return int(np.random.SeedSequence([draw, self.epoch]).generate_state(1, np.uint32)[0])

    def __iter__(self) -> Iterator[Any]:
        base_seed = self._base_seed()
        self.epoch += 1
        indices = self.batch_sampler if self.batch_sampler is not None else self.sampler
        if self.num_workers == 0:
            batches: Iterable[Any] = map(self._fetch, indices)
        else:
            batches = self._workers(indices, base_seed)
        for batch in batches:
            yield to_tensors(self._apply_transform(batch))

    def _workers(self, indices: Iterable[Any], base_seed: int) -> Iterator[Any]:
        pool = self._pool or WorkerPool(
            self._fetch,
            self.num_workers,
            base_seed,
            self.worker_init_fn,
            self.prefetch_factor or 2,
            self.timeout,
            self.multiprocessing_context,
        )
        if self.persistent_workers and self._pool is None:
            self._pool = pool
            weakref.finalize(self, pool.close)
        try:
            yield from pool.run(indices)
        finally:
            if not self.persistent_workers:
                pool.close()

    def _apply_transform(self, batch: Any) -> Any:
        if self.transform is None:
            return batch
        if isinstance(batch, (tuple, list)):
            return type(batch)([np.asarray(self.transform(batch[0])), *batch[1:]])
        return np.asarray(self.transform(batch))

    def state_dict(self) -> dict[str, Any]:
        """The pass count and the state of every Generator behind the orders and transform.

        Saved between passes and restored with ``load_state_dict``, the following passes draw
        exactly the same orders (and augmentations) as an uninterrupted run. Samplers given
        by the user count when they hold a Generator; a loader drawing from lamina's default
        generator stores None there (that state is global, saved with the default generator).
        """
        state: dict[str, Any] = {
            "epoch": self.epoch,
            "generator": None if self.generator is None else self.generator.bit_generator.state,
            "samplers": [g.bit_generator.state for g in self._sampler_generators()],
        }
        transform = self.transform
        if transform is not None and hasattr(transform, "state_dict"):
            state["transform"] = transform.state_dict()
        return state

    def _sampler_generators(self) -> list[np.random.Generator]:
        gens = _generators(self.batch_sampler, self.generator)
        return gens + [g for g in _generators(self.sampler, self.generator) if g not in gens]

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what ``state_dict`` returned."""
        try:
            self.epoch = int(state["epoch"])
            if state["generator"] is not None:
                if self.generator is None:
                    self.generator = np.random.default_rng()
                    self._refresh_default_sampler()
                self.generator.bit_generator.state = state["generator"]
            for gen, gen_state in zip(self._sampler_generators(), state.get("samplers", [])):
                gen.bit_generator.state = gen_state
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(
                f"DataLoader.load_state_dict: expected a dict from DataLoader.state_dict() with "
                f"'epoch' and 'generator', got {exc!r}"
            ) from None
        transform = self.transform
        if "transform" in state and transform is not None and hasattr(transform, "load_state_dict"):
            transform.load_state_dict(state["transform"])

    def _refresh_default_sampler(self) -> None:
        """Point a loader-made RandomSampler at the loader's (new) generator."""
        if self._own_sampler and isinstance(self.sampler, RandomSampler):
            self.sampler.generator = self.generator
