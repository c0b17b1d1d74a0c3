"""safetensors files: weights shared with PyTorch both ways, checkpoints, and hostile files.

Round trips use the ``safetensors`` package's PyTorch API (``safetensors.torch``) on the
PyTorch side and ``lamina.save``/``lamina.load`` on ours; every model lamina ships loads with
``load_state_dict(strict=True)`` and gives PyTorch's outputs. Hostile input (hand-made
headers, every truncation and bit flip of a real file, random edits, random JSON headers)
either loads or raises one FileFormatError naming the file.
"""

from __future__ import annotations

import io
import itertools
import json
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safetensors import safe_open
from safetensors.torch import load_file, save_file

import lamina as L
from lamina.errors import FileFormatError
from lamina.models import MLP, CharRNN, LeNet5

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


# ---------------------------------------------------------------- PyTorch twins
def _torch_lenet() -> torch.nn.Module:
    m = torch.nn.Module()
    m.features = torch.nn.Sequential(
        torch.nn.Conv2d(1, 6, 5, padding=2),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(6, 16, 5),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
    )
    m.classifier = torch.nn.Sequential(
        torch.nn.Flatten(),
        torch.nn.Linear(400, 120),
        torch.nn.ReLU(),
        torch.nn.Linear(120, 84),
        torch.nn.ReLU(),
        torch.nn.Linear(84, 10),
    )
    m.forward = lambda x: m.classifier(m.features(x))
    return m


def _torch_mlp(sizes: tuple[int, ...], dropout: float) -> torch.nn.Module:
    layers: list[torch.nn.Module] = [torch.nn.Flatten()]
    for i, (a, b) in enumerate(itertools.pairwise(sizes)):
        layers.append(torch.nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers += [torch.nn.ReLU(), *([torch.nn.Dropout(dropout)] if dropout else [])]
    m = torch.nn.Module()
    m.layers = torch.nn.Sequential(*layers)
    m.forward = lambda x: m.layers(x)
    return m


def _torch_char(cell: str) -> torch.nn.Module:
    m = torch.nn.Module()
    m.embedding = torch.nn.Embedding(30, 8)
    m.rnn = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[cell](
        8, 16, 2, batch_first=True
    )
    m.head = torch.nn.Linear(16, 30)
    m.forward = lambda x: m.head(m.rnn(m.embedding(x))[0])
    return m


def _image(n: int) -> np.ndarray:
    return np.random.default_rng(0).standard_normal((n, 1, 28, 28)).astype(np.float32)


MODELS: dict[str, tuple[Callable[[], Any], Callable[[], torch.nn.Module], Callable[[], Any]]] = {
    "lenet5": (LeNet5, _torch_lenet, lambda: _image(3)),
    "mlp-digits": (
        lambda: MLP((64, 128, 10), dropout=0.1),
        lambda: _torch_mlp((64, 128, 10), 0.1),
        lambda: np.random.default_rng(1).standard_normal((5, 64)).astype(np.float32),
    ),
    "mlp-spirals": (
        lambda: MLP((2, 64, 64, 3)),
        lambda: _torch_mlp((2, 64, 64, 3), 0.0),
        lambda: np.random.default_rng(2).standard_normal((7, 2)).astype(np.float32),
    ),
    **{
        f"char-{cell}": (
            (lambda c=cell: CharRNN(30, 8, 16, num_layers=2, cell=c)),
            (lambda c=cell: _torch_char(c)),
            lambda: np.random.default_rng(3).integers(0, 30, (4, 11)),
        )
        for cell in ("lstm", "gru", "rnn")
    },
}


def _outputs(lam: Any, tm: torch.nn.Module, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lam.eval()
    tm.eval()
    with torch.no_grad():
        want = tm(torch.from_numpy(x)).numpy()
    with L.no_grad():
        got = lam(L.tensor(x)).numpy()
    return got, want


@pytest.mark.parametrize("name", MODELS, ids=MODELS)
def test_pytorch_safetensors_file_loads_strictly_into_the_lamina_twin(
    name: str, tmp_path: Path
) -> None:
    make_lamina, make_torch, make_x = MODELS[name]
    torch.manual_seed(0)
    tm = make_torch()
    save_file(tm.state_dict(), tmp_path / "torch.safetensors")
    lam = make_lamina()
    lam.load_state_dict(L.load(tmp_path / "torch.safetensors"), strict=True)
    got, want = _outputs(lam, tm, make_x())
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", MODELS, ids=MODELS)
def test_lamina_safetensors_file_loads_strictly_into_pytorch(name: str, tmp_path: Path) -> None:
    make_lamina, make_torch, make_x = MODELS[name]
    lam = make_lamina()
    L.save(lam.state_dict(), tmp_path / "lamina.safetensors")
    tm = make_torch()
    tm.load_state_dict(load_file(tmp_path / "lamina.safetensors"), strict=True)
    got, want = _outputs(lam, tm, make_x())
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_full_checkpoint_round_trips_with_plain_values_in_the_metadata(tmp_path: Path) -> None:
    model = LeNet5()
    opt = L.optim.Adam(model.parameters(), lr=1e-3)
    state = {
        "model": model.state_dict(),
        "optimizer": opt.state_dict(),
        "epoch": 7,
        "name": "lenet",
        "best": 0.25,
        "done": False,
    }
    path = tmp_path / "ckpt.safetensors"
    L.save(state, path)
    back = L.load(path)
    assert list(back) == list(state)
    assert (back["epoch"], back["name"], back["best"], back["done"]) == (7, "lenet", 0.25, False)
    for k, v in state["model"].items():
        np.testing.assert_array_equal(back["model"][k], v.numpy() if hasattr(v, "numpy") else v)
    with safe_open(str(path), "np") as f:  # any safetensors reader sees names and values
        assert f.metadata()["epoch"] == "7" and f.metadata()["name"] == "lenet"
        assert "model.features.0.weight" in set(f.keys())
    restored = LeNet5()
    restored.load_state_dict(back["model"], strict=True)


DTYPES = [
    np.float64,
    np.float32,
    np.float16,
    np.int64,
    np.int32,
    np.int16,
    np.int8,
    np.uint8,
    np.bool_,
]


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_every_dtype_round_trips_and_pytorch_reads_the_same_values(
    dtype: Any, tmp_path: Path
) -> None:
    a = (np.arange(24) % 7 - 3).reshape(2, 3, 4).astype(dtype)
    L.save({"a": a, "scalar": np.asarray(a.flat[5]), "empty": a[:0]}, tmp_path / "d.safetensors")
    back = L.load(tmp_path / "d.safetensors")
    for k in ("a", "scalar", "empty"):
        assert back[k].dtype == np.dtype(dtype) and back[k].flags.writeable
    np.testing.assert_array_equal(back["a"], a)
    np.testing.assert_array_equal(load_file(tmp_path / "d.safetensors")["a"].numpy(), a)


def test_bfloat16_from_pytorch_loads_as_exact_float32(tmp_path: Path) -> None:
    t = torch.randn(5, 3, generator=torch.Generator().manual_seed(0)).to(torch.bfloat16)
    save_file({"w": t}, tmp_path / "bf16.safetensors")
    w = L.load(tmp_path / "bf16.safetensors")["w"]
    assert w.dtype == np.float32
    np.testing.assert_array_equal(w, t.float().numpy())


def test_file_objects_take_the_format_argument() -> None:
    buf = io.BytesIO()
    L.save({"w": np.ones(3, np.float32)}, buf, format="safetensors")
    buf.seek(0)
    np.testing.assert_array_equal(L.load(buf, format="safetensors")["w"], np.ones(3))
    with pytest.raises(ValueError, match="load: format must be 'npz' or 'safetensors'"):
        L.load(buf, format="pt")


def test_complex_arrays_are_refused_on_save(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="save: z: safetensors cannot hold complex"):
        L.save({"z": np.ones(2, np.complex64)}, tmp_path / "c.safetensors")
    assert not list(tmp_path.iterdir())  # no file and no temporary left


# ---------------------------------------------------------------- hostile files
def _file(header: Any, data: bytes = b"", claim: int | None = None) -> bytes:
    text = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack("<Q", len(text) if claim is None else claim) + text + data


def _f32(shape: list[int], offsets: list[int]) -> dict[str, Any]:
    return {"dtype": "F32", "shape": shape, "data_offsets": offsets}


HOSTILE = {
    "too-short": (b"\x01\x00", "shorter than the 8-byte header length"),
    "header-beyond-file": (_file({}, claim=7 << 40), "header claims 7696581394432 bytes"),
    "not-json": (_file(b"{not json"), "the header is not JSON"),
    "not-utf8": (_file(b'{"\xff": 1}'), "the header is not JSON"),
    "json-list": (_file([1, 2]), "the header is a JSON list"),
    "unknown-dtype": (
        _file({"w": {"dtype": "F128", "shape": [1], "data_offsets": [0, 16]}}, bytes(16)),
        "unknown dtype 'F128'",
    ),
    "offsets-beyond-data": (_file({"w": _f32([4], [0, 16])}, bytes(8)), "outside"),
    "shape-vs-offsets": (_file({"w": _f32([3], [0, 16])}, bytes(16)), "is 12 bytes"),
    "overlap": (
        _file({"a": _f32([2], [0, 8]), "b": _f32([2], [4, 12])}, bytes(12)),
        "overlaps the previous tensor",
    ),
    "gap": (_file({"a": _f32([1], [4, 8])}, bytes(8)), "leaves a gap"),
    "trailing-bytes": (_file({"a": _f32([1], [0, 4])}, bytes(8)), "cover 4 of the 8"),
    "negative-size": (_file({"a": _f32([-1], [0, 0])}), "sizes >= 0"),
    "missing-key": (_file({"a": {"dtype": "F32", "shape": [1]}}), "expected keys"),
    "bad-metadata": (_file({"__metadata__": {"epoch": 3}}), "__metadata__ must map"),
    "manifest-missing-tensor": (
        _file(
            {
                "__metadata__": {
                    "__lamina__": json.dumps(
                        {"format": "lamina", "version": 1, "tree": {"array": "w"}}
                    )
                }
            }
        ),
        "refers to a missing array",
    ),
    "manifest-newer": (
        _file(
            {
                "__metadata__": {
                    "__lamina__": json.dumps(
                        {"format": "lamina", "version": 9, "tree": {"value": 1}}
                    )
                }
            }
        ),
        "written by a newer lamina",
    ),
    "npz-named-safetensors": (b"PK\x03\x04" + bytes(40), "header claims"),
}


@pytest.mark.parametrize("data, message", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_safetensors_file_raises_one_format_error_naming_it(
    data: bytes, message: str, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.safetensors"
    path.write_bytes(data)
    with pytest.raises(FileFormatError, match=message) as info:
        L.load(path)
    assert str(path) in str(info.value)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray):
        return (
            isinstance(b, np.ndarray)
            and (a.dtype, a.shape) == (b.dtype, b.shape)
            and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
        )
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, float) and a != a:
        return isinstance(b, float) and b != b
    return type(a) is type(b) and a == b


def _load_or_refuse(data: bytes) -> Any:
    """Load ``data`` from a named in-memory file; None when refused naming it."""
    f = io.BytesIO(data)
    f.name = "mutant.safetensors"
    try:
        out = L.load(f)
    except FileFormatError as e:
        assert "mutant.safetensors" in str(e)
        return None
    buf = io.BytesIO()  # whatever loads is data again: it saves and loads back unchanged
    L.save(out, buf, format="safetensors")
    buf.seek(0)
    assert _same(L.load(buf, format="safetensors"), out)
    return out


def _real_file() -> bytes:
    buf = io.BytesIO()
    state = {
        "w": np.arange(6, dtype=np.float32).reshape(2, 3),
        "i": np.int8([1, -2]),
        "meta": [1, "x", None, (2.5, True)],
    }
    L.save(state, buf, format="safetensors")
    return buf.getvalue()


def test_every_truncation_is_refused_and_every_bit_flip_loads_or_is_refused() -> None:
    data = _real_file()
    for n in range(len(data)):
        assert _load_or_refuse(data[:n]) is None
    refused = 0
    for i in range(len(data)):
        for bit in range(8):
            flipped = bytearray(data)
            flipped[i] ^= 1 << bit
            refused += _load_or_refuse(bytes(flipped)) is None
    # safetensors has no checksum: flips in the 32 data bytes load as other values
    assert refused > 8 * (len(data) - 32) // 2


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
def test_random_edits_of_a_real_file_load_or_are_refused(
    edits: list[tuple[str, float, bytes]],
) -> None:
    mutant = bytearray(_real_file())
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
    _load_or_refuse(bytes(mutant))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 20) | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=12,
)
entries = (
    st.fixed_dictionaries(
        {
            "dtype": st.sampled_from(["F32", "F64", "I8", "BOOL", "BF16", "X1"]) | json_values,
            "shape": st.lists(st.integers(-1, 4), max_size=3) | json_values,
            "data_offsets": st.lists(st.integers(-2, 40), min_size=2, max_size=2) | json_values,
        }
    )
    | json_values
)


@FUZZ
@given(
    header=st.dictionaries(st.sampled_from(["a", "b", "c", "__metadata__"]), entries, max_size=3),
    data=st.binary(max_size=40),
)
def test_random_headers_load_or_raise_one_format_error(header: Any, data: bytes) -> None:
    _load_or_refuse(_file(header, data))


python_objects = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats()
    | st.text(max_size=6)
    | st.builds(np.asarray, st.lists(st.floats(width=32), max_size=4)).map(
        lambda a: a.astype(np.float32)
    )
    | st.builds(np.asarray, st.lists(st.integers(-100, 100), max_size=4)),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=4) | st.integers(0, 9), inner, max_size=3)
    ),
    max_leaves=10,
)


@FUZZ
@given(obj=python_objects)
def test_saved_data_loads_back_equal(obj: Any) -> None:
    buf = io.BytesIO()
    L.save(obj, buf, format="safetensors")
    buf.seek(0)
    assert _same(L.load(buf, format="safetensors"), obj)
