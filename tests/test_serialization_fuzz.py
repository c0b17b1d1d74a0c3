"""load under attack: every outcome is a correct load or one FileFormatError naming the file.

Three sources of hostile input: manifests drawn from a JSON strategy, byte mutations of real
saved files (every single-bit flip and truncation exhaustively, plus random edits), and
hand-made files (a header declaring 7 TiB, a deflate bomb, a plain .npy, a directory...).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lamina as L
from lamina.errors import FileFormatError
from lamina.serialization import MAX_DEPTH

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))


def _npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, array, allow_pickle=False)
    return buf.getvalue()


def _manifest(tree: Any, version: Any = 1) -> bytes:
    text = json.dumps({"format": "lamina", "version": version, "tree": tree})
    return _npy(np.frombuffer(text.encode(), dtype=np.uint8))


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _lamina_file(tree: Any, version: Any = 1) -> bytes:
    arrays = {"a0.npy": _npy(np.arange(6.0).reshape(2, 3)), "a1.npy": _npy(np.int8([1, 2]))}
    return _zip({"__lamina__.npy": _manifest(tree, version), **arrays})


def _same(a: Any, b: Any) -> bool:
    """Equal values of equal types, arrays by dtype, shape and content."""
    if isinstance(a, np.ndarray):
        return (
            isinstance(b, np.ndarray)
            and (a.dtype, a.shape) == (b.dtype, b.shape)
            and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
        )
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, float) and a != a:
        return isinstance(b, float) and b != b
    return type(a) is type(b) and a == b


def _load_or_refuse(path: Path, data: bytes) -> Any:
    """Load ``data`` from ``path``; None when refused with a FileFormatError naming it."""
    path.write_bytes(data)
    try:
        return L.load(path)
    except FileFormatError as e:
        assert str(path) in str(e)
        return None


def _load_in_memory(data: bytes) -> Any:
    """As ``_load_or_refuse``, from a named in-memory file (no disk traffic)."""
    f = io.BytesIO(data)
    f.name = "mutant-in-memory.npz"
    try:
        return L.load(f)
    except FileFormatError as e:
        assert "mutant-in-memory.npz" in str(e)
        return None


# ---------------------------------------------------------------- (a) manifests from JSON
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=12,
)
leaf_nodes = st.one_of(
    st.builds(lambda v: {"value": v}, json_values),
    st.builds(lambda k: {"array": k}, st.sampled_from(["a0", "a1", "a9", "__lamina__", 0, None])),
    json_values,
)
manifest_nodes = st.recursive(
    leaf_nodes,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"list": xs}, st.lists(inner, max_size=3)),
        st.builds(lambda xs: {"tuple": xs}, st.lists(inner, max_size=3)),
        st.builds(
            lambda kv: {"dict": kv},
            st.lists(
                st.one_of(st.tuples(st.text(max_size=3) | st.integers(), inner).map(list), inner),
                max_size=3,
            ),
        ),
        st.builds(lambda a, b: {"list": a, "dict": b}, inner, inner),
    ),
    max_leaves=15,
)


@FUZZ
@given(
    tree=manifest_nodes,
    version=st.sampled_from([1, 1, 1, 2, 0, "1", True, None]),
)
def test_random_manifests_load_correctly_or_raise_one_format_error(
    tree: Any, version: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("m") / "fuzz.npz"
    out = _load_or_refuse(path, _lamina_file(tree, version))
    if out is not None:  # a correct load survives a save/load round trip unchanged
        L.save(out, path)
        assert _same(L.load(path), out)


@FUZZ
@given(top=json_values)
def test_random_json_as_the_whole_manifest_is_refused(
    top: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    blob = _npy(np.frombuffer(json.dumps(top).encode(), dtype=np.uint8))
    path = tmp_path_factory.mktemp("j") / "fuzz.npz"
    assert _load_or_refuse(path, _zip({"__lamina__.npy": blob})) is None


# ---------------------------------------------------------------- (b) byte mutations
def _real_file(tmp_path: Path) -> tuple[bytes, Any]:
    state = {
        "w": np.arange(6, dtype=np.float32).reshape(2, 3),
        "f": np.asfortranarray(np.ones((2, 3))),
        "meta": [1, "x", None, (2.5, True)],
    }
    L.save(state, tmp_path / "real.npz")
    return (tmp_path / "real.npz").read_bytes(), L.load(tmp_path / "real.npz")


def test_every_single_bit_flip_and_truncation_loads_correctly_or_is_refused(
    tmp_path: Path,
) -> None:
    data, expected = _real_file(tmp_path)
    path, refused = tmp_path / "mutant.npz", 0
    mutants = [data[:n] for n in range(len(data))]
    for i in range(len(data)):
        for bit in range(8):
            flipped = bytearray(data)
            flipped[i] ^= 1 << bit
            mutants.append(bytes(flipped))
    for mutant in mutants:
        out = _load_or_refuse(path, mutant) if len(mutant) % 16 == 0 else _load_in_memory(mutant)
        refused += out is None
        assert out is None or _same(out, expected)
    assert refused > len(mutants) // 2  # most damage is caught, by CRC or by a check


@FUZZ
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["flip", "truncate", "insert", "overwrite"]),
            st.floats(0, 1),
            st.binary(min_size=1, max_size=8),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_random_edits_of_a_real_file_load_correctly_or_are_refused(
    edits: list[tuple[str, float, bytes]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp("b")
    data, expected = _real_file(tmp)
    mutant = bytearray(data)
    for op, where, chunk in edits:
        i = int(where * len(mutant))
        if op == "flip" and i < len(mutant):
            mutant[i] ^= chunk[0] or 1
        elif op == "truncate":
            del mutant[i:]
        elif op == "insert":
            mutant[i:i] = chunk
        else:
            mutant[i : i + len(chunk)] = chunk
    out = _load_or_refuse(tmp / "mutant.npz", bytes(mutant))
    assert out is None or _same(out, expected)


# ---------------------------------------------------------------- (c) hand-made files
def _huge_header() -> bytes:
    """A 7 TiB float64 array declared in a header, with no data behind it."""
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": "<f8", "fortran_order": False, "shape": (7 * 2**40 // 8,)}
    )
    return _zip({"__lamina__.npy": _manifest({"array": "a0"}), "a0.npy": buf.getvalue()})


def _deflate_bomb() -> bytes:
    """16 MiB of zeros deflated to ~16 KiB (ratio ~1000:1), made on the fly."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("__lamina__.npy", _manifest({"array": "a0"}))
        with zf.open("a0.npy", "w") as member:
            header = io.BytesIO()
            np.lib.format.write_array_header_1_0(
                header, {"descr": "<f8", "fortran_order": False, "shape": (2**21,)}
            )
            member.write(header.getvalue())
            for _ in range(16):
                member.write(bytes(2**20))
    return buf.getvalue()


def _future_zip_version() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("__lamina__.npy", _manifest({"value": 1}))
        info = zipfile.ZipInfo("a0.npy")
        info.extract_version = 99  # "needs zip 9.9 to extract": zipfile raises NotImplementedError
        zf.writestr(info, _npy(np.ones(2)))
    return buf.getvalue()


def _flipped_npy_header(index: int, bit: int) -> bytes:
    """One bit flipped in an .npy header: the '{' (numpy raises tokenize.TokenError) or a
    quote of 'descr' (numpy raises SyntaxError)."""
    flipped = bytearray(_npy(np.ones(3)))
    flipped[index] ^= 1 << bit
    return _zip({"__lamina__.npy": _manifest({"array": "a0"}), "a0.npy": bytes(flipped)})


def _object_array() -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.array([{}], dtype=object), allow_pickle=True)
    return _zip({"__lamina__.npy": _manifest({"array": "a0"}), "a0.npy": buf.getvalue()})


def _deep_manifest(levels: int) -> bytes:
    """A manifest of ``levels`` nested lists, spelt out (json.dumps would recurse too deeply)."""
    tree = '{"list": [' * levels + '{"value": 0}' + "]}" * levels
    text = '{"format": "lamina", "version": 1, "tree": ' + tree + "}"
    return _zip({"__lamina__.npy": _npy(np.frombuffer(text.encode(), dtype=np.uint8))})


HOSTILE = {
    "7 TiB header": (_huge_header, "declares shape"),
    "deflate bomb": (_deflate_bomb, "is compressed"),
    "plain .npy": (lambda: _npy(np.ones(3)), "not a zip archive"),
    "empty file": (lambda: b"", "not a zip archive"),
    "not a zip": (lambda: b"hello, world\n" * 10, "not a zip archive"),
    "zip without manifest": (lambda: _zip({"a0.npy": _npy(np.ones(2))}), "no __lamina__"),
    "foreign npz": (lambda: _zip({"x.npy": _npy(np.ones(2))}), "not a lamina file"),
    "future format version": (lambda: _lamina_file({"value": 1}, 7), "newer lamina"),
    "future zip version": (_future_zip_version, "zip file version"),
    "npy header, tokenize error": (lambda: _flipped_npy_header(10, 0), "a0.npy': TokenError"),
    "npy header, syntax error": (lambda: _flipped_npy_header(21, 4), "a0.npy': SyntaxError"),
    "object array member": (_object_array, "only numeric arrays"),
    "missing array member": (lambda: _lamina_file({"array": "a7"}), "missing array member"),
    "5000-deep manifest": (lambda: _deep_manifest(5000), "nested too deeply"),
    "deeper than MAX_DEPTH": (lambda: _deep_manifest(MAX_DEPTH + 1), "nested deeper than"),
    "manifest not bytes": (lambda: _zip({"__lamina__.npy": _npy(np.ones(3))}), "not bytes"),
    "manifest not json": (
        lambda: _zip({"__lamina__.npy": _npy(np.frombuffer(b"{oops", np.uint8))}),
        "not JSON",
    ),
}


@pytest.mark.parametrize("make, message", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_file_raises_one_format_error_naming_it(
    make: Any, message: str, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.npz"
    path.write_bytes(make())
    with pytest.raises(FileFormatError, match=message) as info:
        L.load(path)
    assert str(path) in str(info.value) and isinstance(info.value, ValueError)


def test_directory_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match=f"{tmp_path} is a directory"):
        L.load(tmp_path)


def test_depth_limit_holds_on_save_and_the_deepest_allowed_file_round_trips(
    tmp_path: Path,
) -> None:
    deepest: Any = 0
    for _ in range(MAX_DEPTH):
        deepest = [deepest]
    L.save(deepest, tmp_path / "deep.npz")
    assert L.load(tmp_path / "deep.npz") == deepest
    with pytest.raises(ValueError, match=f"nested deeper than {MAX_DEPTH} levels"):
        L.save([deepest], tmp_path / "deeper.npz")
    cycle: list[Any] = []
    cycle.append(cycle)
    with pytest.raises(ValueError, match="a cycle"):
        L.save(cycle, tmp_path / "cycle.npz")


# ---------------------------------------------------------------- round trip of valid data
arrays = st.sampled_from(
    [np.float32, np.float64, np.int64, np.uint8, np.bool_, np.complex64]
).flatmap(lambda dt: st.lists(st.integers(0, 3), max_size=6).map(lambda xs: np.array(xs, dtype=dt)))
python_objects = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5) | arrays,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=3) | st.integers(), inner, max_size=3)
    ),
    max_leaves=12,
)


@FUZZ
@given(obj=python_objects)
def test_saved_data_loads_back_equal_from_paths_and_file_objects(
    obj: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("r") / "obj.npz"
    L.save(obj, path)
    buf = io.BytesIO()
    L.save(obj, buf)
    buf.seek(0)
    assert _same(L.load(path), obj) and _same(L.load(buf), obj)
