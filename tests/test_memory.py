"""lamina.memory: glibc keeps freed blocks, so a training loop stops faulting pages in."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from lamina import memory

# Ten steps that each keep ten 8 MB arrays alive and then free them all, as a training step
# does with its activations, and the minor page faults that costs. SETUP runs first.
_FAULTS = textwrap.dedent(
    """
    import resource
    import numpy as np
    SETUP

    def step():
        arrays = [np.ones(2 << 20, np.float32) for _ in range(10)]
        del arrays

    step()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(10):
        step()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    """
)


def _faults(setup: str, setting: str = "1") -> int:
    env = {**os.environ, "LAMINA_KEEP_FREED_MEMORY": setting}
    code = _FAULTS.replace("SETUP", setup)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return int(out.stdout)


@pytest.mark.skipif(not memory._is_glibc(), reason="the setting is glibc's")
def test_freed_memory_is_reused_instead_of_faulted_in_again() -> None:
    kept = _faults("from lamina import memory; memory.apply_default()")
    returned = _faults("from lamina import memory; memory.apply_default()", setting="0")
    assert returned > 10_000  # without it, much of the 80 MB faults in again at every step
    assert kept < 1000


@pytest.mark.skipif(not memory._is_glibc(), reason="the setting is glibc's")
def test_importing_lamina_leaves_malloc_alone() -> None:
    assert _faults("import lamina, lamina.nn, lamina.optim, lamina.training") > 10_000


@pytest.mark.skipif(not memory._is_glibc(), reason="the setting is glibc's")
def test_keep_freed_memory_reports_success_on_glibc() -> None:
    assert memory.keep_freed_memory() is True


def test_stand_alone_families_import_numpy_and_errors_only() -> None:
    code = textwrap.dedent(
        """
        import sys
        import lamina.classic, lamina.text
        print(" ".join(sorted(m for m in sys.modules if m.startswith("lamina"))))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = out.stdout.split()
    outside = [m for m in loaded if not m.startswith(("lamina.classic", "lamina.text"))]
    assert outside == ["lamina", "lamina.errors"], outside
