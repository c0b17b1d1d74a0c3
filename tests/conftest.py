"""Shared test configuration: a fixed Hypothesis profile so the suite is quick and repeatable,
and the kernel modes: the op registry and layer contract suites run under the reference and
the NumPy kernels, the rest under the default;
``pytest --kernels MODE`` runs everything under one mode."""

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from lamina import kernels

settings.register_profile(
    "ci",
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("dev", max_examples=40, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

EVERY_MODE = ("test_ops_generic.py", "test_layer_contract.py")  # suites run under each mode
# Every installed mode with kernels of its own, numba included: a mode whose kernel table is
# the one before it (numba while no compiled kernel beats NumPy's and none is registered)
# would run the same code again. The RecursionError once seen late in long runs did not
# come back in a full run of both suites under numba with its compiled kernels (2,201 tests).
EVERY_MODE_KERNELS = tuple(
    mode
    for i, mode in enumerate(kernels.available())
    if i == 0 or kernels.registered(mode) != kernels.registered(kernels.available()[i - 1])
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--kernels",
        choices=kernels.MODES,
        default=None,
        help="run every test under this kernel mode (default: each mode for the op registry "
        "and layer contract suites, the default mode for the rest)",
    )


def pytest_configure(config: pytest.Config) -> None:
    mode = config.getoption("--kernels")
    if mode is not None:
        kernels.use(mode)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if (
        metafunc.definition.path.name in EVERY_MODE
        and metafunc.config.getoption("--kernels") is None
    ):
        metafunc.parametrize("kernel_mode", EVERY_MODE_KERNELS, indirect=True)


@pytest.fixture(autouse=True)
def kernel_mode(request: pytest.FixtureRequest) -> Iterator[str]:
    """The kernel mode a test runs under (parametrized for the EVERY_MODE suites)."""
    mode = getattr(request, "param", kernels.current())
    with kernels.use(mode):
        yield mode
