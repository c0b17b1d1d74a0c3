"""Run a script under ``mpiexec -n N`` from the venv (never the PATH), always with a timeout."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

MPIEXEC = Path(sys.executable).parent / "mpiexec"


def mpi_env() -> dict[str, str]:
    """One BLAS thread per rank: the ranks share the machine's cores."""
    return {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def run_mpi(
    tmp_path: Path, n: int, script: str, *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Write ``script`` into ``tmp_path`` and run it on ``n`` ranks; the completed process."""
    if not MPIEXEC.is_file():
        raise FileNotFoundError(f"no mpiexec beside {sys.executable}: pip install 'lamina[mpi]'")
    path = tmp_path / "job.py"
    path.write_text(textwrap.dedent(script))
    cmd = [str(MPIEXEC), "-n", str(n), sys.executable, str(path), *args]
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=timeout, cwd=tmp_path, env=mpi_env()
    )


def check_ok(proc: subprocess.CompletedProcess[str]) -> str:
    """The job's stdout; its output in the failure message when it did not exit 0."""
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout
