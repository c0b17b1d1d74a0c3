"""Classic kernels by lamina's conv2d: scipy parity, convolution versus correlation, edges."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy import ndimage, signal

import lamina
from lamina.errors import ShapeError
from lamina.vision import (
    box_blur,
    convolve2d,
    correlate2d,
    emboss,
    filter2d,
    gaussian_kernel,
    laplacian,
    prewitt_x,
    prewitt_y,
    sharpen,
    sobel_edges,
    sobel_x,
    sobel_y,
)

SHAPES = [(3, 3), (2, 4), (4, 3), (1, 5), (5, 5)]


@pytest.mark.parametrize("mode", ["valid", "same", "full"])
@pytest.mark.parametrize("kshape", SHAPES, ids=lambda s: f"k{s[0]}x{s[1]}")
def test_correlate2d_and_convolve2d_equal_scipy(mode: str, kshape: tuple[int, int]) -> None:
    rng = np.random.default_rng(0)
    x, k = rng.standard_normal((9, 11)), rng.standard_normal(kshape)
    got, want = correlate2d(x, k, mode), signal.correlate2d(x, k, mode)
    assert got.shape == want.shape and got.dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(
        convolve2d(x, k, mode), signal.convolve2d(x, k, mode), rtol=1e-12, atol=1e-12
    )


def test_deep_learning_convolution_is_correlation_not_convolution() -> None:
    rng = np.random.default_rng(1)
    x, k = rng.standard_normal((8, 8)), rng.standard_normal((3, 3))
    conv = torch.nn.functional.conv2d(
        torch.from_numpy(x)[None, None], torch.from_numpy(k)[None, None]
    )
    lamina_conv = lamina.conv2d(x[None, None], k[None, None]).data[0, 0]
    np.testing.assert_allclose(conv[0, 0].numpy(), signal.correlate2d(x, k, "valid"), rtol=1e-12)
    np.testing.assert_allclose(lamina_conv, signal.correlate2d(x, k, "valid"), rtol=1e-12)
    assert not np.allclose(lamina_conv, signal.convolve2d(x, k, "valid"))  # k is not symmetric
    np.testing.assert_allclose(convolve2d(x, k, "valid"), correlate2d(x, k[::-1, ::-1], "valid"))


def test_filter2d_filters_each_channel_of_every_layout_and_keeps_dtype() -> None:
    rng = np.random.default_rng(2)
    x = rng.random((2, 3, 10, 12)).astype(np.float32)
    k = gaussian_kernel(5, 1.5)
    out = filter2d(x, k)
    assert out.shape == x.shape and out.dtype == np.float32
    for n in range(2):
        for c in range(3):
            want = signal.correlate2d(x[n, c], k, "same")
            np.testing.assert_allclose(out[n, c], want, rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(filter2d(x[n, c], k), want, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(filter2d(x[n], k), out[n], rtol=1e-6)
    uint8 = (x[0, 0] * 255).astype(np.uint8)
    assert filter2d(uint8, sharpen()).dtype == np.float32


def test_filter2d_is_differentiable_for_tensor_input() -> None:
    x = lamina.tensor(np.random.default_rng(3).random((1, 6, 6)), requires_grad=True)
    y = filter2d(x, laplacian(8))
    assert isinstance(y, lamina.Tensor)
    y.sum().backward()  # d sum(k * x) / dx: the kernel's sum (0) away from the zero padding
    np.testing.assert_allclose(x.grad[0, 2:4, 2:4], 0, atol=1e-12)


def test_named_kernels_hold_their_textbook_values() -> None:
    np.testing.assert_array_equal(sobel_x(), [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    np.testing.assert_array_equal(sobel_y(), sobel_x().T)
    np.testing.assert_array_equal(prewitt_x(), [[-1, 0, 1]] * 3)
    np.testing.assert_array_equal(prewitt_y(), prewitt_x().T)
    np.testing.assert_array_equal(laplacian(4), [[0, 1, 0], [1, -4, 1], [0, 1, 0]])
    assert laplacian(8).sum() == 0 and laplacian(8)[1, 1] == -8
    np.testing.assert_array_equal(sharpen(), np.eye(3)[1][:, None] * np.eye(3)[1] - laplacian(4))
    np.testing.assert_allclose(box_blur(4), np.full((4, 4), 1 / 16))
    np.testing.assert_array_equal(emboss(), [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]])
    g = gaussian_kernel(7, 1.2)
    assert abs(g.sum() - 1) < 1e-6 and np.allclose(g, g.T) and g.argmax() == 24
    # equal to scipy's Gaussian filter of an impulse (its kernel), truncated at 3 sigma = 3
    impulse = np.zeros((7, 7))
    impulse[3, 3] = 1
    np.testing.assert_allclose(
        gaussian_kernel(7, 1.0), ndimage.gaussian_filter(impulse, 1.0, truncate=3.0), rtol=1e-6
    )


def test_sobel_edges_give_magnitude_and_direction_of_a_step() -> None:
    x = np.zeros((8, 8))
    x[:, 4:] = 1  # brighter to the right: a vertical edge between columns 3 and 4
    mag, direction = sobel_edges(x)
    assert mag[4, 3] == 4 and mag[4, 4] == 4 and mag[4, 1] == 0
    assert direction[4, 3] == 0  # gradient points along +x
    mag_t, dir_t = sobel_edges(x.T)  # a horizontal edge: the gradient points along +y
    np.testing.assert_allclose(mag_t, mag.T)
    assert dir_t[3, 4] == pytest.approx(np.pi / 2)


def test_kernel_functions_reject_bad_input_naming_themselves() -> None:
    with pytest.raises(ValueError, match="laplacian: neighbours"):
        laplacian(6)
    with pytest.raises(ShapeError, match=r"filter2d: expected a 2-D kernel"):
        filter2d(np.zeros((4, 4)), np.zeros(3))
    with pytest.raises(ShapeError, match=r"correlate2d: expected an image \(H, W\)"):
        correlate2d(np.zeros((2, 4, 4)), sobel_x())
    with pytest.raises(ValueError, match="gaussian_kernel: sigma must be > 0"):
        gaussian_kernel(3, 0.0)
