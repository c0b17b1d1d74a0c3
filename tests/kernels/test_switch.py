"""The kernel switch: use() as a call and a context manager, LAMINA_KERNELS, the default, and
the dispatch: a kernel's forward and first-order backward run in its mode, the reference
backward (after the reference forward is re-run) under create_graph or without a kernel."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import numpy as np
import pytest

import lamina as L
from lamina import kernels
from lamina.autodiff.function import Function


class Cube(Function):
    """y = x^3.  dx = 3 x^2 g (the reference)."""

    def forward(ctx, x):
        ctx.square = x * x
        return ctx.square * x

    def backward(ctx, g):
        (x,) = ctx.inputs
        return 3 * x * x * g


calls: list[str] = []


class CubeKernel:
    def forward(ctx, x):
        calls.append("forward")
        ctx.kernel_square = x**2
        return x**3

    def backward(ctx, g):
        calls.append("backward")
        return 3 * ctx.kernel_square * g


@pytest.fixture
def cube_kernel() -> Iterator[None]:
    calls.clear()
    kernels.register(Cube.kernel_key, "numpy")(CubeKernel)
    yield
    del kernels._registered["numpy"][Cube.kernel_key]
    kernels._select(kernels.current())


def test_use_is_a_call_and_a_context_manager() -> None:
    before = kernels.current()
    with kernels.use("reference"):
        assert kernels.current() == "reference"
        with kernels.use("numpy"):
            assert kernels.current() == "numpy"
        assert kernels.current() == "reference"
    assert kernels.current() == before
    try:
        kernels.use("reference")
        assert kernels.current() == "reference" and not kernels.active
    finally:
        kernels.use(before)


def test_unknown_or_missing_modes_are_refused_naming_the_switch() -> None:
    with pytest.raises(ValueError, match=r"kernels.use: mode must be one of .*got 'fast'"):
        kernels.use("fast")
    if "numba" not in kernels.available():
        with pytest.raises(ValueError, match=r"'numba' is not installed.*lamina\[fast\]"):
            kernels.use("numba")


def _mode_in_child(env_value: str | None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("LAMINA_KERNELS", None)
    if env_value is not None:
        env["LAMINA_KERNELS"] = env_value
    code = "import lamina.kernels as k; print(k.current(), ','.join(k.available()))"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


def test_default_is_the_fastest_measured_and_the_environment_chooses() -> None:
    default = _mode_in_child(None)
    mode, installed = default.stdout.split()
    assert installed.split(",")[:2] == ["reference", "numpy"]
    assert mode == kernels.DEFAULT == "numpy"  # numba: opt-in until measured faster
    assert _mode_in_child("reference").stdout.split()[0] == "reference"
    assert _mode_in_child("numpy").stdout.split()[0] == "numpy"
    bad = _mode_in_child("turbo")
    assert bad.returncode != 0 and "LAMINA_KERNELS" in bad.stderr and "'turbo'" in bad.stderr


def test_a_kernel_runs_forward_and_first_order_backward_in_its_mode(cube_kernel: None) -> None:
    x = L.tensor(np.array([1.0, -2.0, 0.5]), requires_grad=True)
    with kernels.use("numpy"):
        y = Cube.apply(x)
        y.sum().backward()
    assert calls == ["forward", "backward"]
    np.testing.assert_allclose(x.grad.data, 3 * x.data**2, rtol=1e-15)
    calls.clear()
    with kernels.use("reference"):
        Cube.apply(x).sum().backward()
    assert calls == []


def test_create_graph_runs_the_reference_backward_after_a_kernel_forward(cube_kernel: None) -> None:
    x = L.tensor(np.array([1.0, -2.0, 0.5]), requires_grad=True)
    with kernels.use("numpy"):
        y = Cube.apply(x)
        (gx,) = L.grad(y.sum(), x, create_graph=True)
        (gxx,) = L.grad(gx.sum(), x)
    assert calls == ["forward"]  # the kernel's backward is first order only: not called
    np.testing.assert_allclose(gxx.data, 6 * x.data, rtol=1e-15)


def test_a_kernel_needs_a_forward_or_a_backward() -> None:
    with pytest.raises(TypeError, match="neither forward nor backward"):
        kernels.register("lamina.ops.nothing.Nothing", "numpy")(object())


def test_release_buffers_frees_what_the_pool_keeps() -> None:
    from lamina.kernels.numpy import buffers

    kernels.release_buffers()
    a = buffers.take((9 << 20,), np.float32)  # 36 MB: pooled
    buffers.give_back(a)
    assert buffers.kept_bytes() == 36 << 20
    b = buffers.take((9 << 20,), np.float32)
    assert np.shares_memory(a, b)  # the same buffer, reused
    assert buffers.kept_bytes() == 0  # taken: the caller owns it
    buffers.give_back(b)
    assert kernels.release_buffers() == 36 << 20 and buffers.kept_bytes() == 0


def test_every_registered_key_names_a_function_of_lamina() -> None:
    import importlib

    import lamina.ops  # noqa: F401  (every op module is imported)

    for mode in kernels.available()[1:]:
        for key in kernels.registered(mode):
            module, _, name = key.rpartition(".")
            cls = getattr(importlib.import_module(module), name, None)
            assert isinstance(cls, type) and issubclass(cls, Function), key
            assert cls.kernel_key == key


def test_conv_kernel_gives_its_im2col_matrix_back_when_the_node_is_freed(monkeypatch) -> None:
    from lamina.kernels.numpy import buffers

    monkeypatch.setattr(buffers, "POOL_MIN", 1)  # pool every size, so a small conv shows it
    kernels.release_buffers()
    rng = np.random.default_rng(0)
    x = L.tensor(rng.standard_normal((2, 3, 8, 8)), requires_grad=True)
    w = L.tensor(rng.standard_normal((4, 3, 3, 3)), requires_grad=True)
    with kernels.use("numpy"):
        y = L.nn.functional.conv2d(x, w)
        cols = y._ctx.cols
        assert buffers.pooled_bytes() == 0  # taken by the node
        y.sum().backward()
        assert buffers.pooled_bytes() == cols.nbytes  # given back when the graph was freed
        y2 = L.nn.functional.conv2d(x, w)
        assert np.shares_memory(y2._ctx.cols, cols)  # and reused by the next convolution
        with kernels.use("reference"):
            expected = L.nn.functional.conv2d(x, w)
        np.testing.assert_allclose(y2.numpy(), expected.numpy(), rtol=1e-12)
    kernels.release_buffers()
