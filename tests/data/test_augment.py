"""Augmentation transforms: exact geometry on known images, seeding, batch/single handling."""

import numpy as np
import pytest
import torch

from lamina.data import (
    Compose,
    DataLoader,
    Normalize,
    RandomCrop,
    RandomHorizontalFlip,
    RandomRotation,
    RandomScale,
    RandomTranslation,
    RandomVerticalFlip,
    TensorDataset,
)
from lamina.errors import ShapeError


def _batch(n=6, c=2, h=7, w=7, seed=0):
    return np.random.default_rng(seed).random((n, c, h, w)).astype(np.float32)


@pytest.mark.parametrize(
    "cls, axis",
    [(RandomHorizontalFlip, -1), (RandomVerticalFlip, -2)],
    ids=["horizontal", "vertical"],
)
def test_flips_mirror_each_image_or_leave_it(cls, axis):
    x = _batch(20)
    out = cls(p=0.5, seed=0)(x)
    flipped = [np.array_equal(o, np.flip(i, axis)) for o, i in zip(out, x)]
    kept = [np.array_equal(o, i) for o, i in zip(out, x)]
    assert all(f or k for f, k in zip(flipped, kept)) and any(flipped) and any(kept)
    np.testing.assert_array_equal(cls(p=1.0)(x[0]), np.flip(x[0], axis))


@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
@pytest.mark.parametrize("angle, k", [(90, 1), (-90, -1), (180, 2)], ids=["90", "-90", "180"])
def test_rotation_by_right_angles_equals_rot90(angle, k, interpolation):
    x = _batch(3)
    out = RandomRotation((angle, angle), interpolation=interpolation)(x)
    np.testing.assert_allclose(out, np.rot90(x, k, axes=(2, 3)), atol=1e-5)
    assert out.dtype == np.float32 and out.shape == x.shape


def test_rotation_matches_torch_affine_grid_bilinear():
    # torch's affine_grid with align_corners=True rotates about the same centre; zero padding.
    x = _batch(1, c=1, h=9, w=9)
    angle = 30.0
    out = RandomRotation((angle, angle))(x)
    t = np.deg2rad(angle)
    theta = torch.tensor([[[np.cos(t), -np.sin(t), 0.0], [np.sin(t), np.cos(t), 0.0]]])
    grid = torch.nn.functional.affine_grid(theta, (1, 1, 9, 9), align_corners=True)
    ref = torch.nn.functional.grid_sample(
        torch.tensor(x, dtype=torch.float64),
        grid,
        mode="bilinear",
        padding_mode="zeros",
        align_corners=True,
    )
    np.testing.assert_allclose(out, ref.numpy(), atol=1e-5)


def test_rotation_keeps_the_centre_pixel():
    x = _batch(4, h=9, w=9)
    out = RandomRotation(45, seed=0)(x)
    np.testing.assert_allclose(out[:, :, 4, 4], x[:, :, 4, 4], atol=1e-6)


def test_scale_of_two_zooms_into_the_centre():
    x = np.zeros((1, 5, 5), dtype=np.float32)
    x[0, 1:4, 1:4] = 1.0
    out = RandomScale((2.0, 2.0), interpolation="nearest")(x)
    assert out[0].sum() > x[0].sum() and out[0, 2, 2] == 1.0
    np.testing.assert_array_equal(RandomScale((1.0, 1.0))(x), x)


def test_translation_shifts_by_whole_pixels_with_zero_fill():
    x = _batch(8, h=10, w=10)
    t = RandomTranslation((0.2, 0.2), seed=1)
    shift = t.rng.uniform(-1, 1, size=(8, 2)) * 2  # what the transform will draw
    t.rng = np.random.default_rng(1)
    out = t(x)
    for i in range(8):
        dy, dx = np.rint(shift[i]).astype(int)
        rolled = np.roll(x[i], (dy, dx), axis=(1, 2))
        ys = slice(max(dy, 0), 10 + min(dy, 0))
        xs = slice(max(dx, 0), 10 + min(dx, 0))
        np.testing.assert_array_equal(out[i][:, ys, xs], rolled[:, ys, xs])
        assert out[i].sum() <= x[i].sum() + 1e-4


def test_random_crop_with_padding_returns_windows_of_the_padded_image():
    x = _batch(10, h=6, w=6)
    out = RandomCrop(6, padding=2, seed=0)(x)
    padded = np.pad(x, ((0, 0), (0, 0), (2, 2), (2, 2)))
    assert out.shape == x.shape
    for o, p in zip(out, padded):
        assert any(
            np.array_equal(o, p[:, i : i + 6, j : j + 6]) for i in range(5) for j in range(5)
        )
    assert RandomCrop((3, 4), seed=0)(x[0]).shape == (2, 3, 4)


def test_same_seed_gives_same_augmentation_and_state_restores():
    x = _batch(5)
    make = lambda: Compose([RandomRotation(20, seed=1), RandomCrop(7, padding=1, seed=2)])  # noqa: E731
    a, b = make(), make()
    np.testing.assert_array_equal(a(x), b(x))
    state = a.state_dict()
    first = a(x)
    a.load_state_dict(state)
    np.testing.assert_array_equal(a(x), first)


def test_loader_state_includes_the_transform():
    ds = TensorDataset(_batch(12), np.arange(12))
    loader = DataLoader(
        ds, batch_size=4, shuffle=True, seed=0, transform=RandomRotation(30, seed=0)
    )
    state = loader.state_dict()
    first = [x.numpy() for x, _ in loader]
    loader.load_state_dict(state)
    for a, (b, _) in zip(first, loader):
        np.testing.assert_array_equal(a, b.numpy())


def test_normalize_per_channel():
    x = _batch(3)
    out = Normalize([0.5, 0.25], [2.0, 4.0])(x)
    np.testing.assert_allclose(out[:, 1], (x[:, 1] - 0.25) / 4.0, rtol=1e-6)


def test_wrong_rank_names_the_transform():
    with pytest.raises(ShapeError, match=r"RandomHorizontalFlip\(p=0.5\): expected an image"):
        RandomHorizontalFlip()(np.zeros((28, 28)))
    with pytest.raises(ShapeError, match=r"RandomCrop.*larger than the padded image"):
        RandomCrop(9)(np.zeros((1, 5, 5)))
