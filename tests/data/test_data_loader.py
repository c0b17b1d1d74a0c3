"""DataLoader, datasets and splits: batching, seeded shuffling, exact resume, sklearn parity."""

import numpy as np
import pytest
import sklearn.model_selection as skms

import lamina
from lamina.data import (
    DataLoader,
    Dataset,
    KFold,
    MinMaxScaler,
    StandardScaler,
    Subset,
    TensorDataset,
    one_hot,
    random_split,
    train_test_split,
)
from lamina.errors import ShapeError


class Squares(Dataset):
    """A plain map-style dataset: sample i = (array [i, i**2], label i % 3)."""

    def __len__(self):
        return 7

    def __getitem__(self, i):
        return np.array([i, i * i], dtype=np.float32), i % 3


def _xy(n=10):
    return np.arange(2 * n, dtype=np.float32).reshape(n, 2), np.arange(n)


def test_tensordataset_loader_yields_tensors_in_order():
    X, y = _xy()
    batches = list(DataLoader(TensorDataset(X, y), batch_size=4))
    assert [b[0].shape for b in batches] == [(4, 2), (4, 2), (2, 2)]
    assert all(isinstance(t, lamina.Tensor) for b in batches for t in b)
    assert batches[0][0].dtype == np.float32 and batches[0][1].dtype == np.int64
    np.testing.assert_array_equal(np.concatenate([b[1].numpy() for b in batches]), y)


def test_generic_dataset_is_stacked_like_the_fast_path():
    ds = Squares()
    xs, ys = zip(*[(x.numpy(), y.numpy()) for x, y in DataLoader(ds, batch_size=3)])
    np.testing.assert_array_equal(np.concatenate(xs), np.stack([ds[i][0] for i in range(7)]))
    np.testing.assert_array_equal(np.concatenate(ys), np.arange(7) % 3)


@pytest.mark.parametrize("drop_last, expected", [(False, 3), (True, 2)], ids=["keep", "drop"])
def test_len_counts_batches(drop_last, expected):
    loader = DataLoader(TensorDataset(*_xy()), batch_size=4, drop_last=drop_last)
    assert len(loader) == expected == len(list(loader))


def test_shuffle_is_a_new_permutation_each_epoch_and_seeded():
    ds = TensorDataset(*_xy(50))
    a = DataLoader(ds, batch_size=50, shuffle=True, seed=3)
    b = DataLoader(ds, batch_size=50, shuffle=True, seed=3)
    e1, e2 = (next(iter(a))[1].numpy() for _ in range(2))
    assert sorted(e1) == list(range(50)) and not np.array_equal(e1, e2)
    np.testing.assert_array_equal(next(iter(b))[1].numpy(), e1)


def test_state_dict_resumes_the_exact_order():
    ds = TensorDataset(*_xy(20))
    loader = DataLoader(ds, batch_size=6, shuffle=True, seed=0)
    list(loader)
    state = loader.state_dict()
    expected = [[y.numpy() for _, y in loader] for _ in range(2)]
    resumed = DataLoader(ds, batch_size=6, shuffle=True, seed=99)
    resumed.load_state_dict(state)
    got = [[y.numpy() for _, y in resumed] for _ in range(2)]
    assert resumed.epoch == loader.epoch == 3
    for e, g in zip(expected, got):
        for eb, gb in zip(e, g):
            np.testing.assert_array_equal(eb, gb)


def test_rng_argument_is_used_instead_of_seed():
    gen = np.random.default_rng(5)
    loader = DataLoader(TensorDataset(*_xy(10)), batch_size=10, shuffle=True, rng=gen)
    assert loader.generator is gen
    np.testing.assert_array_equal(
        next(iter(loader))[1].numpy(), np.random.default_rng(5).permutation(10)
    )


def test_transform_applies_to_inputs_only():
    X, y = _xy()
    loader = DataLoader(TensorDataset(X, y), batch_size=5, transform=lambda x: -x)
    x0, y0 = next(iter(loader))
    np.testing.assert_array_equal(x0.numpy(), -X[:5])
    np.testing.assert_array_equal(y0.numpy(), y[:5])


def test_subset_of_tensordataset_uses_its_indices():
    X, y = _xy()
    sub = Subset(TensorDataset(X, y), [7, 2, 5])
    ((xb, yb),) = list(DataLoader(sub, batch_size=3))
    np.testing.assert_array_equal(yb.numpy(), [7, 2, 5])
    np.testing.assert_array_equal(xb.numpy(), X[[7, 2, 5]])


@pytest.mark.parametrize("bad", [0, -1, 2.5, True], ids=["zero", "negative", "float", "bool"])
def test_bad_batch_size_names_the_loader(bad):
    with pytest.raises(ValueError, match=r"DataLoader: batch_size must be a positive integer"):
        DataLoader(TensorDataset(*_xy()), batch_size=bad)


def test_tensordataset_rejects_mismatched_lengths():
    with pytest.raises(ShapeError, match=r"TensorDataset: .*\(3, 2\), \(4,\)"):
        TensorDataset(np.zeros((3, 2)), np.zeros(4))


def test_tensordataset_accepts_lamina_tensors():
    ds = TensorDataset(lamina.tensor([[1.0], [2.0]]), lamina.tensor([0, 1]))
    assert len(ds) == 2 and ds[1][0].tolist() == [2.0]


@pytest.mark.parametrize("lengths", [[6, 3, 1], [0.6, 0.3, 0.1]], ids=["counts", "fractions"])
def test_random_split_partitions_the_dataset(lengths):
    parts = random_split(TensorDataset(*_xy()), lengths, seed=0)
    assert [len(p) for p in parts] == [6, 3, 1]
    idx = np.concatenate([p.indices for p in parts])
    assert sorted(idx) == list(range(10))
    again = random_split(TensorDataset(*_xy()), lengths, seed=0)
    np.testing.assert_array_equal(again[0].indices, parts[0].indices)


def test_random_split_rejects_wrong_total():
    with pytest.raises(
        ValueError, match=r"random_split: lengths must .* sum to the dataset length 10"
    ):
        random_split(TensorDataset(*_xy()), [5, 4])


@pytest.mark.parametrize("test_size", [0.25, 0.3, 7], ids=["quarter", "thirty-percent", "count"])
def test_train_test_split_sizes_match_sklearn(test_size):
    X, y = _xy(33)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=test_size, seed=0)
    sk_tr, sk_te = skms.train_test_split(X, test_size=test_size, random_state=0)
    assert X_tr.shape == sk_tr.shape and X_te.shape == sk_te.shape
    np.testing.assert_array_equal(X_tr[:, 0] // 2, y_tr)  # rows stay paired
    assert sorted(np.concatenate([y_tr, y_te])) == list(range(33))


def test_train_test_split_stratify_keeps_class_proportions():
    y = np.repeat([0, 1, 2], [60, 30, 10])
    _, y_te = train_test_split(y, test_size=0.2, seed=1, stratify=y)
    np.testing.assert_array_equal(np.bincount(y_te), [12, 6, 2])


def test_train_test_split_without_shuffle_takes_the_tail():
    tr, te = train_test_split(np.arange(8), test_size=0.25, shuffle=False)
    np.testing.assert_array_equal(te, [6, 7])
    np.testing.assert_array_equal(tr, np.arange(6))


def test_train_test_split_errors():
    with pytest.raises(ShapeError, match="train_test_split: arrays must have the same length"):
        train_test_split(np.zeros(4), np.zeros(5))
    with pytest.raises(ValueError, match="train_test_split: test_size must be"):
        train_test_split(np.zeros(4), test_size=1.5)


@pytest.mark.parametrize("n", [10, 11, 13], ids=lambda n: f"n{n}")
def test_kfold_without_shuffle_equals_sklearn(n):
    X = np.zeros((n, 2))
    ours = list(KFold(4).split(X))
    theirs = list(skms.KFold(4).split(X))
    assert len(ours) == 4
    for (tr, te), (str_, ste) in zip(ours, theirs):
        np.testing.assert_array_equal(tr, str_)
        np.testing.assert_array_equal(te, ste)


def test_kfold_shuffled_folds_partition_and_repeat_with_seed():
    kf = KFold(3, shuffle=True, seed=0)
    tests = [te for _, te in kf.split(np.zeros(10))]
    assert sorted(np.concatenate(tests)) == list(range(10))
    assert not np.array_equal(np.concatenate(tests), np.arange(10))
    for a, (_, b) in zip(tests, kf.split(np.zeros(10))):
        np.testing.assert_array_equal(a, b)


def test_kfold_rejects_one_split():
    with pytest.raises(ValueError, match="KFold: n_splits must be at least 2"):
        KFold(1)


def test_preprocessing_is_reexported_from_classic():
    import lamina.classic.preprocessing as classic

    assert StandardScaler is classic.StandardScaler and MinMaxScaler is classic.MinMaxScaler
    assert one_hot is classic.one_hot
