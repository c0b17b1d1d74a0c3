"""The safetensors file format, read and written with NumPy only (no pickle, no extra package).

A file is an 8-byte little-endian header length n, n bytes of JSON, then the raw
little-endian buffers. The JSON maps each tensor name to ``{"dtype", "shape",
"data_offsets": [begin, end]}`` (offsets into the buffer area) and may hold
``"__metadata__"``, a dict of str to str. This is the layout of the ``safetensors`` package
(https://github.com/huggingface/safetensors), so files go both ways with PyTorch's
``safetensors.torch.save_file``/``load_file``.

The reader checks the whole header against the file size before it allocates anything: a
header length beyond the file, bad JSON, an unknown dtype, a shape whose bytes differ from
its offsets, offsets out of range, overlapping or leaving holes all raise one
``FileFormatError`` naming the file. BF16 tensors (PyTorch's bfloat16, which NumPy lacks)
load as float32, exactly.
"""

from __future__ import annotations

import json
import math
import struct
from collections import OrderedDict
from typing import IO

import numpy as np

from lamina.errors import FileFormatError

__all__ = ["MAX_HEADER", "read_safetensors", "write_safetensors"]

MAX_HEADER = 100_000_000  # bytes of JSON header, the safetensors package's own limit
_DTYPES = {
    "F64": np.float64,
    "F32": np.float32,
    "F16": np.float16,
    "I64": np.int64,
    "I32": np.int32,
    "I16": np.int16,
    "I8": np.int8,
    "U64": np.uint64,
    "U32": np.uint32,
    "U16": np.uint16,
    "U8": np.uint8,
    "BOOL": np.bool_,
}
_NAMES = {np.dtype(v): k for k, v in _DTYPES.items()}


def write_safetensors(
    fh: IO[bytes], tensors: dict[str, np.ndarray], metadata: dict[str, str]
) -> None:
    """Write ``tensors`` (name -> array) and ``metadata`` (str -> str) to ``fh``."""
    header: dict[str, object] = {"__metadata__": metadata} if metadata else {}
    offset = 0
    buffers = []
    for name, array in tensors.items():
        dtype = array.dtype.newbyteorder("=")
        if dtype not in _NAMES:
            raise TypeError(
                f"save: {name}: safetensors holds {sorted(_NAMES, key=str)}, not {array.dtype}"
            )
        data = np.ascontiguousarray(array, dtype.newbyteorder("<")).tobytes()
        header[name] = {
            "dtype": _NAMES[dtype],
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        buffers.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # buffers start 8-byte aligned, as the package writes
    fh.write(struct.pack("<Q", len(text)))
    fh.write(text)
    for data in buffers:
        fh.write(data)


def _bad(name: str, detail: str) -> FileFormatError:
    return FileFormatError(f"load: {name} is damaged or not a safetensors file: {detail}")


_Entry = tuple[int, int, str, str, tuple[int, ...]]  # begin, end, tensor, dtype name, shape


def _entries(header: object, size: int, name: str) -> list[_Entry]:
    """(begin, end, tensor, dtype, shape) per tensor, each checked against the buffer size."""
    if not isinstance(header, dict):
        raise _bad(name, f"the header is a JSON {type(header).__name__}, not an object")
    entries: list[_Entry] = []
    for key, spec in header.items():
        if key == "__metadata__":
            continue
        what = f"tensor {key!r:.80}"
        if not isinstance(spec, dict) or set(spec) != {"dtype", "shape", "data_offsets"}:
            raise _bad(name, f"{what}: expected keys dtype, shape, data_offsets")
        dtype, shape, offsets = spec["dtype"], spec["shape"], spec["data_offsets"]
        if not isinstance(dtype, str) or (dtype not in _DTYPES and dtype != "BF16"):
            raise _bad(name, f"{what}: unknown dtype {dtype!r:.40}")
        if not isinstance(shape, list) or not all(type(n) is int and n >= 0 for n in shape):
            raise _bad(name, f"{what}: shape must be a list of sizes >= 0, got {shape!r:.80}")
        if (
            not isinstance(offsets, list)
            or len(offsets) != 2
            or not all(type(n) is int for n in offsets)
            or not 0 <= offsets[0] <= offsets[1] <= size
        ):
            raise _bad(name, f"{what}: data_offsets {offsets!r:.80} outside [0, {size}]")
        itemsize = 2 if dtype == "BF16" else np.dtype(_DTYPES[dtype]).itemsize
        nbytes = math.prod(shape) * itemsize
        if offsets[1] - offsets[0] != nbytes:
            raise _bad(
                name,
                f"{what}: shape {tuple(shape)} of {dtype} is {nbytes} bytes, "
                f"its offsets span {offsets[1] - offsets[0]}",
            )
        entries.append((offsets[0], offsets[1], key, dtype, tuple(shape)))
    entries.sort(key=lambda e: (e[0], e[1]))
    end = 0
    for begin, stop, key, *_ in entries:
        if begin != end:
            problem = "overlaps the previous tensor" if begin < end else "leaves a gap before it"
            raise _bad(name, f"tensor {key!r:.80} at offset {begin} {problem} (ending at {end})")
        end = stop
    if end != size:
        raise _bad(name, f"the tensors cover {end} of the {size} data bytes")
    return entries


def _metadata(header: dict, name: str) -> dict[str, str]:
    meta = header.get("__metadata__", {})
    if not isinstance(meta, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in meta.items()
    ):
        raise _bad(name, "__metadata__ must map strings to strings")
    return meta


def read_safetensors(
    fh: IO[bytes], size: int, name: str
) -> tuple[OrderedDict[str, np.ndarray], dict[str, str]]:
    """The tensors (in file order) and metadata of the ``size`` bytes of ``fh``."""
    if size < 8:
        raise _bad(name, f"{size} bytes is shorter than the 8-byte header length")
    (n,) = struct.unpack("<Q", fh.read(8))
    if n > MAX_HEADER or 8 + n > size:
        raise _bad(name, f"its header claims {n} bytes, but the file holds {size - 8} after it")
    try:
        header = json.loads(fh.read(n).decode("utf-8"))
    except RecursionError:
        raise _bad(name, "the header is nested too deeply") from None
    except ValueError as e:  # JSONDecodeError and UnicodeDecodeError
        raise _bad(name, f"the header is not JSON ({e})") from None
    entries = _entries(header, size - 8 - n, name)
    meta = _metadata(header, name)
    tensors: OrderedDict[str, np.ndarray] = OrderedDict()
    for begin, stop, key, dtype, shape in entries:
        raw = fh.read(stop - begin)
        if len(raw) != stop - begin:
            raise _bad(name, f"tensor {key!r:.80} ends early")
        if dtype == "BF16":  # the top half of a float32: widen by shifting 16 bits up
            bits = np.frombuffer(raw, "<u2").astype(np.uint32) << 16
            tensors[key] = bits.view(np.float32).reshape(shape)
        else:
            array = np.frombuffer(raw, np.dtype(_DTYPES[dtype]).newbyteorder("<"))
            tensors[key] = array.astype(_DTYPES[dtype]).reshape(shape)  # native order, writable
    return tensors, meta
