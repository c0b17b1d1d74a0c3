"""save/load: round trips, atomic writes, damaged and foreign files."""

from __future__ import annotations

import io
import multiprocessing
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import lamina as L
import lamina.nn as nn
import lamina.optim as optim
from lamina.errors import FileFormatError


def test_nested_state_round_trips(tmp_path: Path) -> None:
    state = {
        "model": nn.Linear(3, 2).state_dict(),
        "optimizer": {"state": {0: {"step": 3, "exp_avg": np.ones(2)}}, "lr": 0.1},
        "epoch": 4,
        "name": "lenet",
        "flags": [True, None, (1, 2.5)],
    }
    L.save(state, tmp_path / "ckpt.npz")
    back = L.load(tmp_path / "ckpt.npz")
    assert (
        back["epoch"] == 4 and back["name"] == "lenet" and back["flags"] == [True, None, (1, 2.5)]
    )
    assert back["optimizer"]["state"][0]["step"] == 3
    np.testing.assert_array_equal(back["model"]["weight"], state["model"]["weight"])
    assert back["model"]["weight"].dtype == np.float32


def test_interrupted_save_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ckpt.npz"
    L.save({"v": np.arange(3)}, path)

    def crash(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        L.save({"v": np.arange(10)}, path)
    monkeypatch.undo()
    np.testing.assert_array_equal(L.load(path)["v"], np.arange(3))
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt.npz"]  # no temporary left behind


def test_truncated_file_raises_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.npz"
    L.save({"v": np.arange(1000)}, path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="damaged or not a lamina file"):
        L.load(path)


def test_foreign_npz_is_refused(tmp_path: Path) -> None:
    np.savez(tmp_path / "other.npz", a=np.ones(2))
    with pytest.raises(ValueError, match="not a lamina file"):
        L.load(tmp_path / "other.npz")


def test_pickled_npz_is_never_unpickled(tmp_path: Path) -> None:
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError, match="damaged or not a lamina file"):
        L.load(tmp_path / "obj.npy")


def test_missing_file_and_unsupported_objects(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such file"):
        L.load(tmp_path / "missing.npz")
    with pytest.raises(TypeError, match="cannot save an object of type set"):
        L.save({"s": {1, 2}}, tmp_path / "x.npz")


def test_save_and_load_take_binary_file_objects(tmp_path: Path) -> None:
    state = {"w": np.arange(4.0), "step": 2}
    buf = io.BytesIO()
    L.save(state, buf)
    buf.seek(0)
    back = L.load(buf)
    np.testing.assert_array_equal(back["w"], state["w"])
    assert back["step"] == 2
    with open(tmp_path / "f.npz", "wb") as f:
        L.save(state, f)
    with open(tmp_path / "f.npz", "rb") as f:
        assert L.load(f)["step"] == 2
    assert L.load(tmp_path / "f.npz")["step"] == 2  # a file object writes the same format


class _Pipe(io.RawIOBase):
    """A stream that cannot seek, like a pipe or a socket."""

    def __init__(self, data: bytes = b"") -> None:
        self.inner = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        return self.inner.readinto(b)

    def write(self, b: Any) -> int:
        return self.inner.write(b)


def test_save_and_load_through_streams_that_cannot_seek() -> None:
    out = _Pipe()
    L.save({"w": np.ones((2, 2), np.float32)}, out)
    back = L.load(_Pipe(out.inner.getvalue()))
    assert back["w"].dtype == np.float32 and back["w"].flags.writeable


def test_text_mode_files_and_other_objects_are_refused_as_targets(tmp_path: Path) -> None:
    with open(tmp_path / "t.npz", "w") as f, pytest.raises(TypeError, match="binary file"):
        L.save({"a": 1}, f)
    with pytest.raises(TypeError, match="expected a path or a binary file object, got int"):
        L.load(3)  # type: ignore[arg-type]


def test_file_object_errors_name_the_object() -> None:
    with pytest.raises(FileFormatError, match="<BytesIO> is damaged or not a lamina file"):
        L.load(io.BytesIO(b"junk"))


@pytest.mark.parametrize(
    "make",
    [lambda: nn.Linear(2, 2), lambda: optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1)],
    ids=["module", "optimizer"],
)
def test_whole_modules_and_optimizers_are_refused_with_advice(make: Any, tmp_path: Path) -> None:
    obj = make()
    name = type(obj).__name__
    with pytest.raises(TypeError, match=rf"obj is a {name} object.*save its state_dict\(\)"):
        L.save(obj, tmp_path / "m.npz")
    with pytest.raises(TypeError, match=rf"obj\['run'\]\[1\] is a {name} object"):
        L.save({"run": [1, obj]}, tmp_path / "m.npz")
    assert not list(tmp_path.iterdir())  # nothing was written


def test_unsupported_objects_are_named_with_their_place_in_the_object(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"obj\['a'\]\[0\]\['b'\]: cannot save an object of type"):
        L.save({"a": [{"b": b"bytes"}]}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match=r"obj\['s'\]: arrays of dtype <U1 cannot be saved"):
        L.save({"s": np.array(["x"])}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="dict keys must be str or int, got tuple"):
        L.save({(1, 2): 0}, tmp_path / "x.npz")


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_saved_file_mode_follows_the_umask_like_open(umask: int, tmp_path: Path) -> None:
    old = os.umask(umask)
    try:
        L.save({"v": 1}, tmp_path / "m.npz")
        with open(tmp_path / "plain", "wb"):
            pass
    finally:
        os.umask(old)
    mode = (tmp_path / "m.npz").stat().st_mode & 0o777
    assert mode == 0o666 & ~umask == (tmp_path / "plain").stat().st_mode & 0o777


def test_temporary_file_is_named_per_process_and_renamed_over_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renames: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: Any, dst: Any) -> None:
        renames.append((Path(src).name, Path(dst).name))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    L.save({"v": 1}, tmp_path / "m.npz")
    L.save({"v": 2}, tmp_path / "m.npz")
    (first, target), (second, _) = renames
    assert target == "m.npz" and first != second
    assert first.startswith(f".m.npz.{os.getpid()}.") and first.endswith(".tmp")
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"] and L.load(tmp_path / "m.npz")[
        "v"
    ] == 2


def test_loaded_arrays_are_writable_and_keep_layout_and_byte_order(tmp_path: Path) -> None:
    f = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    big = np.arange(3, dtype=">i4")
    L.save({"f": f, "big": big}, tmp_path / "x.npz")
    back = L.load(tmp_path / "x.npz")
    np.testing.assert_array_equal(back["f"], f)
    assert back["f"].flags.f_contiguous and back["big"].dtype == np.dtype(">i4")
    back["f"][0, 0] = 9.0  # writable, like np.load's arrays


def test_a_reader_with_only_read_is_enough(tmp_path: Path) -> None:
    class Reader:
        def __init__(self, data: bytes) -> None:
            self.data = data

        def read(self, n: int = -1) -> bytes:
            out, self.data = self.data, b""
            return out

    L.save({"v": np.arange(3)}, tmp_path / "r.npz")
    back = L.load(Reader((tmp_path / "r.npz").read_bytes()))
    np.testing.assert_array_equal(back["v"], np.arange(3))


def _save_many(path: str, value: int) -> None:
    for _ in range(15):
        L.save({"v": np.full(1000, value)}, path)


def test_two_processes_saving_the_same_path_never_collide(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.npz")
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_save_many, args=(path, v)) for v in (1, 2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0]
    v = L.load(path)["v"]
    assert v[0] in (1, 2) and (v == v[0]).all()  # one whole save, never a mix
    assert [p.name for p in tmp_path.iterdir()] == ["shared.npz"]
