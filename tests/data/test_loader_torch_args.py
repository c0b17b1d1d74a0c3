"""DataLoader with torch.utils.data's arguments: orders, collation, errors, worker processes."""

import collections
import itertools
import multiprocessing
import os
import random
import time

import numpy as np
import pytest
import torch.utils.data as tud

import lamina
from lamina.data import (
    BatchSampler,
    DataLoader,
    Dataset,
    RandomSampler,
    SequentialSampler,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
    default_collate,
    get_worker_info,
)

Pair = collections.namedtuple("Pair", "x y")


class Indexed(Dataset):
    """Sample i = (array [i, i**2] float32, label i); indexable by torch and lamina alike."""

    def __init__(self, n=11):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return np.array([i, i * i], dtype=np.float32), i


class WhoLoads(Indexed):
    """Sample i also says which worker read it, that worker's seed and a draw of its RNGs."""

    def __getitem__(self, i):
        info = get_worker_info()
        wid, seed = (info.id, info.seed) if info is not None else (-1, -1)
        draws = np.array([random.random(), lamina.randn(1).item(), _INIT.get(wid, -1.0)])
        return i, wid, seed, os.getpid(), draws


_INIT: dict = {}


def _mark_init(worker_id):
    _INIT[worker_id] = 100.0 + worker_id


class FailsAt(Indexed):
    def __getitem__(self, i):
        if i == 5:
            raise ValueError(f"sample {i} is corrupt")
        return super().__getitem__(i)


class Dies(Indexed):
    def __getitem__(self, i):
        if get_worker_info() is not None and i == 3:
            os._exit(3)
        return super().__getitem__(i)


class Slow(Indexed):
    def __getitem__(self, i):
        time.sleep(0.8)
        return super().__getitem__(i)


def _labels(loader):
    return [batch[1].tolist() for batch in loader]


def _torch_labels(loader):
    return [batch[1].tolist() for batch in loader]


# ---- orders and batches equal torch.utils.data's -----------------------------------------


@pytest.mark.parametrize("drop_last", [False, True], ids=["keep", "drop"])
@pytest.mark.parametrize("batch_size", [1, 3, 4, 11, 20])
def test_default_batches_equal_torch(batch_size, drop_last):
    ours = DataLoader(Indexed(), batch_size=batch_size, drop_last=drop_last)
    theirs = tud.DataLoader(Indexed(), batch_size=batch_size, drop_last=drop_last)
    assert _labels(ours) == _torch_labels(theirs) and len(ours) == len(theirs)


@pytest.mark.parametrize("drop_last", [False, True], ids=["keep", "drop"])
def test_batch_sampler_argument_equals_torch(drop_last):
    order = [9, 2, 4, 0, 7, 1, 3]
    ours = DataLoader(Indexed(), batch_sampler=BatchSampler(order, 3, drop_last))
    theirs = tud.DataLoader(Indexed(), batch_sampler=tud.BatchSampler(order, 3, drop_last))
    assert _labels(ours) == _torch_labels(theirs) and len(ours) == len(theirs)
    assert ours.batch_size is None and theirs.batch_size is None


def test_sampler_argument_and_plain_index_list_equal_torch():
    order = [3, 1, 4, 1, 5, 9, 2, 6]
    for sampler, torch_sampler in [
        (order, order),
        (SequentialSampler(range(5)), tud.SequentialSampler(range(5))),
    ]:
        ours = DataLoader(Indexed(), batch_size=3, sampler=sampler)
        theirs = tud.DataLoader(Indexed(), batch_size=3, sampler=torch_sampler)
        assert _labels(ours) == _torch_labels(theirs)


def test_tensordataset_fast_path_follows_the_sampler():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    loader = DataLoader(TensorDataset(X, y), batch_size=4, sampler=[8, 6, 4, 2, 0])
    xs, ys = zip(*[(a.numpy(), b.numpy()) for a, b in loader])
    np.testing.assert_array_equal(np.concatenate(ys), [8, 6, 4, 2, 0])
    np.testing.assert_array_equal(np.concatenate(xs), X[[8, 6, 4, 2, 0]])


def test_batch_size_none_yields_unbatched_samples_like_torch():
    ours = list(DataLoader(Indexed(4), batch_size=None))
    theirs = list(tud.DataLoader(Indexed(4), batch_size=None))
    assert len(ours) == len(theirs) == 4
    for (x, y), (tx, ty) in zip(ours, theirs):
        assert isinstance(x, lamina.Tensor) and x.shape == tuple(tx.shape) == (2,)
        np.testing.assert_array_equal(x.numpy(), tx.numpy())
        assert y == ty


# ---- collation ---------------------------------------------------------------------------


def test_collate_fn_gets_the_list_of_samples_as_in_torch():
    seen, torch_seen = [], []
    ours = DataLoader(Indexed(5), batch_size=2, collate_fn=lambda s: seen.append(s) or len(s))
    theirs = tud.DataLoader(
        Indexed(5), batch_size=2, collate_fn=lambda s: torch_seen.append(s) or len(s)
    )
    assert list(ours) == list(theirs) == [2, 2, 1]
    assert [[y for _, y in batch] for batch in seen] == [[y for _, y in b] for b in torch_seen]
    assert all(isinstance(batch, list) and isinstance(batch[0], tuple) for batch in seen)


def test_collate_fn_replaces_the_tensordataset_fast_path():
    loader = DataLoader(TensorDataset(np.zeros((5, 2)), np.arange(5)), batch_size=2, collate_fn=len)
    assert list(loader) == [2, 2, 1]


def test_default_collate_keeps_structure_and_matches_torch_values():
    samples = [
        {
            "x": np.full(3, i, np.float32),
            "pair": Pair(i, float(i)),
            "seq": [i, i + 1],
            "name": f"s{i}",
        }
        for i in range(4)
    ]
    ours, theirs = default_collate(samples), tud.default_collate(samples)
    assert isinstance(ours["pair"], Pair) and isinstance(ours["seq"], list)
    assert ours["name"] == theirs["name"] == ["s0", "s1", "s2", "s3"]
    np.testing.assert_array_equal(ours["x"], theirs["x"].numpy())
    assert ours["x"].dtype == np.float32
    for field in ("x", "y"):
        got, want = getattr(ours["pair"], field), getattr(theirs["pair"], field)
        np.testing.assert_array_equal(got, want.numpy())
        assert str(got.dtype) == str(want.dtype).removeprefix("torch.")  # int64, float64
    for got, want in zip(ours["seq"], theirs["seq"]):
        np.testing.assert_array_equal(got, want.numpy())


def test_loader_turns_collated_arrays_into_tensors_and_leaves_strings():
    class Named(Indexed):
        def __getitem__(self, i):
            return {"x": np.float32(i), "name": f"n{i}"}

    (batch,) = list(DataLoader(Named(3), batch_size=3))
    assert isinstance(batch["x"], lamina.Tensor) and batch["x"].dtype == np.float32
    assert batch["name"] == ["n0", "n1", "n2"]


@pytest.mark.parametrize(
    "samples, pattern",
    [
        (
            [np.zeros(2), np.zeros(3)],
            r"default_collate: samples must have equal shapes to stack, got \(2,\), \(3,\)",
        ),
        (
            [(1, 2), (1,)],
            r"default_collate: every sample must have the same number of fields, got lengths \[1, 2\]",
        ),
        ([None, None], r"default_collate: samples must hold arrays, .* got NoneType"),
    ],
    ids=["ragged-arrays", "ragged-tuples", "none"],
)
def test_default_collate_errors_say_what_came(samples, pattern):
    with pytest.raises((ValueError, TypeError), match=pattern):
        default_collate(samples)


# ---- argument errors (each also an error in torch) ---------------------------------------


EXCLUSIVE = [
    (
        {"sampler": [0, 1], "shuffle": True},
        r"DataLoader: sampler is mutually exclusive with shuffle=True",
    ),
    (
        {"batch_sampler": [[0]], "batch_size": 2},
        r"DataLoader: batch_sampler is mutually exclusive .* batch_size=2",
    ),
    (
        {"batch_sampler": [[0]], "shuffle": True},
        r"batch_sampler is mutually exclusive .* shuffle=True",
    ),
    (
        {"batch_sampler": [[0]], "sampler": [0]},
        r"batch_sampler is mutually exclusive .* sampler=\[0\]",
    ),
    (
        {"batch_sampler": [[0]], "drop_last": True},
        r"batch_sampler is mutually exclusive .* drop_last=True",
    ),
    (
        {"batch_size": None, "drop_last": True},
        r"DataLoader: batch_size=None .* mutually exclusive with drop_last=True",
    ),
    (
        {"prefetch_factor": 2},
        r"DataLoader: prefetch_factor needs num_workers > 0, got prefetch_factor=2",
    ),
    ({"persistent_workers": True}, r"DataLoader: persistent_workers=True needs num_workers > 0"),
    ({"num_workers": -1}, r"DataLoader: num_workers must be an integer >= 0, got -1"),
    ({"timeout": -1.0}, r"DataLoader: timeout must be a number >= 0, got -1.0"),
]


@pytest.mark.parametrize(
    "kwargs, pattern", EXCLUSIVE, ids=lambda v: "-".join(v) if isinstance(v, dict) else ""
)
def test_forbidden_argument_combinations_raise_as_in_torch(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        DataLoader(Indexed(), **kwargs)
    with pytest.raises(ValueError):
        tud.DataLoader(Indexed(), **kwargs)


@pytest.mark.parametrize(
    "kwargs, exc, pattern",
    [
        ({"seed": -1}, ValueError, r"DataLoader: seed must be an integer >= 0, got -1"),
        ({"seed": 1.5}, ValueError, r"DataLoader: seed must be an integer >= 0, got 1.5"),
        (
            {"batch_size": 0},
            ValueError,
            r"DataLoader: batch_size must be a positive integer, got 0",
        ),
        (
            {"batch_size": True},
            ValueError,
            r"DataLoader: batch_size must be a positive integer, got True",
        ),
        (
            {"batch_size": 2.0},
            ValueError,
            r"DataLoader: batch_size must be a positive integer, got 2.0",
        ),
        (
            {"generator": 3},
            TypeError,
            r"DataLoader: generator must be a numpy.random.Generator or None, got 3",
        ),
        (
            {"generator": np.random.default_rng(0), "rng": np.random.default_rng(1)},
            ValueError,
            r"DataLoader: give generator or rng",
        ),
        (
            {"num_workers": 1, "prefetch_factor": 0},
            ValueError,
            r"DataLoader: prefetch_factor must be a positive integer, got 0",
        ),
    ],
    ids=[
        "negative-seed",
        "float-seed",
        "zero-batch",
        "bool-batch",
        "float-batch",
        "int-generator",
        "generator-and-rng",
        "zero-prefetch",
    ],
)
def test_bad_arguments_name_the_loader_and_the_value(kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        DataLoader(Indexed(), **kwargs)


def test_a_non_dataset_is_rejected():
    with pytest.raises(
        TypeError, match=r"DataLoader: dataset must define __len__ and __getitem__, got int"
    ):
        DataLoader(5)


# ---- randomness: manual_seed, generator, seed, exact resume ------------------------------


def test_shuffle_without_generator_follows_manual_seed():
    loader = DataLoader(Indexed(), batch_size=4, shuffle=True)
    lamina.manual_seed(0)
    first, second = _labels(loader), _labels(loader)
    lamina.manual_seed(0)
    assert _labels(loader) == first and _labels(loader) == second and first != second
    assert sorted(itertools.chain(*first)) == list(range(11))


def test_explicit_generator_wins_over_manual_seed():
    orders = []
    for seed in (0, 1):
        lamina.manual_seed(seed)
        loader = DataLoader(
            Indexed(), batch_size=4, shuffle=True, generator=np.random.default_rng(9)
        )
        orders.append(_labels(loader))
    assert orders[0] == orders[1]


def test_state_dict_resumes_user_samplers_exactly():
    def make():
        sampler = WeightedRandomSampler(
            np.arange(1.0, 12.0), 11, generator=np.random.default_rng(0)
        )
        return DataLoader(Indexed(), batch_size=4, sampler=sampler)

    loader = make()
    _labels(loader)
    state = loader.state_dict()
    expected = [_labels(loader) for _ in range(2)]
    resumed = make()
    resumed.load_state_dict(state)
    assert [_labels(resumed) for _ in range(2)] == expected and resumed.epoch == 3


def test_state_dict_resumes_a_batch_sampler_over_a_random_sampler():
    def make():
        inner = SubsetRandomSampler(list(range(0, 11, 2)), generator=np.random.default_rng(1))
        return DataLoader(Indexed(), batch_sampler=BatchSampler(inner, 2, False))

    loader = make()
    _labels(loader)
    state = loader.state_dict()
    expected = _labels(loader)
    resumed = make()
    resumed.load_state_dict(state)
    assert _labels(resumed) == expected


def test_pin_memory_and_in_order_are_accepted_no_ops():
    loader = DataLoader(
        Indexed(), batch_size=4, pin_memory=True, pin_memory_device="", in_order=False
    )
    assert _labels(loader) == _labels(DataLoader(Indexed(), batch_size=4))


# ---- worker processes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "dataset, kwargs",
    [
        (Indexed(23), {"batch_size": 4, "shuffle": True, "seed": 3}),
        (
            TensorDataset(np.arange(46.0).reshape(23, 2), np.arange(23)),
            {"batch_size": 5, "drop_last": True, "seed": 1, "shuffle": True},
        ),
        (
            Indexed(9),
            {
                "batch_sampler": BatchSampler(
                    RandomSampler(range(9), generator=np.random.default_rng(2)), 2, False
                )
            },
        ),
        (Indexed(6), {"batch_size": None}),
    ],
    ids=["shuffled", "tensordataset-drop-last", "batch-sampler", "unbatched"],
)
def test_workers_give_the_same_batches_as_the_main_process(dataset, kwargs):
    def run(num_workers):
        if "batch_sampler" in kwargs:
            kwargs["batch_sampler"].sampler.generator = np.random.default_rng(2)
        loader = DataLoader(dataset, num_workers=num_workers, **kwargs)
        return [[np.asarray(t).tolist() for t in batch] for batch in loader]

    assert run(2) == run(0)


def test_workers_are_seeded_deterministically_and_run_worker_init_fn():
    def run():
        loader = DataLoader(
            WhoLoads(8), batch_size=2, num_workers=2, seed=5, worker_init_fn=_mark_init
        )
        return [b for b in loader]

    first, again = run(), run()
    ids = [batch[1].tolist() for batch in first]
    assert ids == [[0, 0], [1, 1], [0, 0], [1, 1]]  # batch k goes to worker k mod 2
    seeds = {w: s for batch in first for w, s in zip(batch[1].tolist(), batch[2].tolist())}
    assert seeds[1] == seeds[0] + 1  # base_seed + worker id
    draws = np.concatenate([b[4].numpy() for b in first])
    np.testing.assert_array_equal(draws, np.concatenate([b[4].numpy() for b in again]))
    np.testing.assert_array_equal(
        draws[:, 2], [100.0, 100.0, 101.0, 101.0] * 2
    )  # worker_init_fn ran
    assert draws[0, 0] != draws[2, 0]  # workers' random streams differ
    assert get_worker_info() is None


def test_persistent_workers_keep_their_processes_across_passes():
    loader = DataLoader(WhoLoads(6), batch_size=2, num_workers=2, persistent_workers=True)
    pids = [set(itertools.chain(*(b[3].tolist() for b in loader))) for _ in range(2)]
    assert pids[0] == pids[1] and len(pids[0]) == 2 and os.getpid() not in pids[0]


def test_spawned_workers_load_the_same_batches():
    # A lamina dataset, so the spawned child imports lamina only, not this test module.
    ds = TensorDataset(np.arange(14.0).reshape(7, 2), np.arange(7))
    loader = DataLoader(ds, batch_size=3, num_workers=1, multiprocessing_context="spawn")
    assert _labels(loader) == _labels(DataLoader(ds, batch_size=3))


def test_worker_error_is_reraised_naming_the_worker_and_workers_stop():
    loader = DataLoader(FailsAt(), batch_size=2, num_workers=2)
    with pytest.raises(
        ValueError,
        match=r"(?s)Caught ValueError in DataLoader worker process 0 .*sample 5 is corrupt",
    ):
        list(loader)
    assert multiprocessing.active_children() == []


def test_worker_init_fn_error_is_reraised_naming_the_worker():
    def bad_init(worker_id):
        raise KeyError(f"no config for worker {worker_id}")

    with pytest.raises(
        KeyError,
        match=r"(?s)DataLoader worker process 0 \(in worker_init_fn\).*no config for worker 0",
    ):
        list(DataLoader(Indexed(), batch_size=2, num_workers=2, worker_init_fn=bad_init))


def test_a_dead_worker_is_reported():
    with pytest.raises(
        RuntimeError, match=r"DataLoader worker 1 \(pid \d+\) exited unexpectedly with exit code 3"
    ):
        list(DataLoader(Dies(), batch_size=2, num_workers=2))
    assert multiprocessing.active_children() == []


def test_timeout_raises_when_a_batch_is_late():
    loader = DataLoader(Slow(1), batch_size=1, num_workers=1, timeout=0.2)
    with pytest.raises(
        RuntimeError, match=r"DataLoader timed out after 0.2 seconds waiting for batch 0"
    ):
        list(loader)


def test_breaking_out_of_a_pass_shuts_the_workers_down():
    loader = DataLoader(Indexed(40), batch_size=2, num_workers=2)
    for _ in loader:
        break
    assert multiprocessing.active_children() == []
