"""The process group: a world of one without mpiexec, collectives over 3 ranks with it."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from mpi_jobs import check_ok, mpi_env, run_mpi

from lamina import distributed as dist
from lamina.autodiff import Tensor


def test_world_of_one_without_mpiexec():
    dist.init()
    dist.init()  # idempotent
    assert (dist.world_size(), dist.rank(), dist.is_main()) == (1, 0, True)
    a = np.arange(6.0).reshape(2, 3)
    for op in ("sum", "mean", "max", "min", "prod"):
        assert dist.all_reduce(a, op) is a
    np.testing.assert_array_equal(a, np.arange(6.0).reshape(2, 3))
    t = Tensor(np.ones(3))
    assert dist.broadcast(t, 0) is t
    np.testing.assert_array_equal(dist.all_gather(a), a)
    dist.barrier()


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda: dist.all_reduce(np.ones(3), "avg"), ValueError, "all_reduce: op must be one of"),
        (lambda: dist.all_reduce(np.ones((3, 2)).T), ValueError, "all_reduce: expected a C-cont"),
        (lambda: dist.all_reduce([1.0, 2.0]), TypeError, "all_reduce: expected a NumPy array"),
        (lambda: dist.broadcast(np.ones(3), 1), ValueError, r"broadcast: root must be a rank in"),
        (lambda: dist.broadcast(np.array(["a"]), 0), TypeError, "broadcast: expected a numeric"),
    ],
    ids=["bad-op", "not-contiguous", "list", "root-out-of-world", "strings"],
)
def test_collectives_refuse_bad_input(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**mpi_env(), **env},
    )


def test_import_without_mpi4py_is_a_world_of_one():
    code = (
        "import sys; sys.modules['mpi4py'] = None\n"
        "import lamina.distributed as d; print(d.world_size(), 'mpi4py' in sys.modules)"
    )
    proc = _python(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["1", "True"]  # the None placeholder: never imported


def test_launched_world_without_mpi4py_says_how_to_install():
    code = "import sys; sys.modules['mpi4py'] = None\nimport lamina.distributed as d; d.init()"
    proc = _python(code, PMI_SIZE="2", PMI_RANK="0")
    assert proc.returncode != 0
    assert "mpiexec started 2 processes but mpi4py is not installed" in proc.stderr
    assert "lamina[mpi]" in proc.stderr


def test_collectives_over_three_ranks(tmp_path):
    out = check_ok(
        run_mpi(
            tmp_path,
            3,
            """
        import numpy as np
        import lamina.distributed as d
        r, n = d.rank(), d.world_size()
        assert n == 3 and d.is_main() == (r == 0)
        a = np.array([r, 10.0 * r, 1.0 + r])
        s = d.all_reduce(a.copy(), "sum"); m = d.all_reduce(a.copy(), "mean")
        mx = d.all_reduce(a.copy(), "max"); mn = d.all_reduce(a.copy(), "min")
        p = d.all_reduce(a.copy(), "prod")
        assert s.tolist() == [3.0, 30.0, 6.0], s
        assert np.allclose(m, [1.0, 10.0, 2.0]) and mx.tolist() == [2.0, 20.0, 3.0]
        assert mn.tolist() == [0.0, 0.0, 1.0] and p.tolist() == [0.0, 0.0, 6.0]
        i = d.all_reduce(np.array([r + 1], np.int64))
        assert i.dtype == np.int64 and i.tolist() == [6]
        b = np.full((2, 2), float(r), np.float32)
        d.broadcast(b, root=2)
        assert (b == 2.0).all() and b.dtype == np.float32
        g = d.all_gather(np.full((r + 1, 2), r, np.int32))  # uneven first dimension
        assert g.tolist() == [[0, 0], [1, 1], [1, 1], [2, 2], [2, 2], [2, 2]], g
        d.barrier()
        passed = d.all_reduce(np.array([1]))  # every rank got here
        if r == 0:
            print("ranks passed:", int(passed[0]))
    """,
        )
    )
    assert out.split() == ["ranks", "passed:", "3"]  # one writer: lines never interleave
