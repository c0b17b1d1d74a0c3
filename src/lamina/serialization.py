"""``save`` and ``load``: nested dicts of arrays, numbers and strings, with no pickle.

A name ending in ``.safetensors`` (or ``format="safetensors"``) selects the safetensors
format shared with PyTorch (``lamina._safetensors``); everything else is ``.npz``.

The ``.npz`` file is an ordinary archive: every array is one uncompressed ``.npy`` member,
and a JSON manifest (member ``__lamina__``) records the nesting, the plain values and the
format version. Both functions take a path or a binary file object, like ``torch.save``.

Loading never runs code and never allocates more than the file holds. It reads the zip
itself and, before allocating anything, refuses a member that is compressed (lamina writes
none, and compression is how a zip bomb expands: the stated bound is 1:1), a member whose
declared size differs from its stored size, members that together claim more bytes than the
file has, and an ``.npy`` header that declares more (or fewer) bytes than its member holds.
The manifest is checked node by node against its schema, to a nesting depth of ``MAX_DEPTH``.
A damaged, foreign or mismatched file raises ``FileFormatError`` (a ``ValueError``) naming
the file and what is wrong.

Saving to a path writes a temporary file beside the target, named with the process id, and
renames it over the target, so a crash mid-save leaves the old file intact and two processes
never share a temporary. The file gets the mode an ordinary ``open()`` gives:
0o666 & ~umask.
"""

from __future__ import annotations

import io
import json
import math
import os
import struct
import tokenize
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import numpy as np

from lamina._files import atomic_open
from lamina._safetensors import read_safetensors, write_safetensors
from lamina.errors import FileFormatError

__all__ = ["MAX_DEPTH", "load", "save"]

FileLike = str | os.PathLike | IO[bytes]

MAX_DEPTH = 100  # nesting levels of dicts/lists/tuples, on save and on load
_MANIFEST = "__lamina__"
_VERSION = 1
_KINDS = ("array", "value", "dict", "list", "tuple")
# What the zip reader and NumPy's .npy header parser raise on hostile bytes; caught only
# around those calls and turned into one FileFormatError.
_READ_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    tokenize.TokenError,
    EOFError,
    OSError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    SyntaxError,
    OverflowError,
    NotImplementedError,
)


# ---------------------------------------------------------------------------- saving
def _encode(
    obj: Any, arrays: dict[str, np.ndarray], where: str, depth: int, path: tuple | None = None
) -> Any:
    """A JSON-able description of ``obj``; arrays go to ``arrays`` and are referenced.

    Arrays are keyed ``a0, a1, ...``, or, given a ``path`` (safetensors), by their dotted key
    path (``model.fc.weight``) where that name is free, so PyTorch sees state_dict names.
    """
    if depth > MAX_DEPTH:
        raise ValueError(f"save: {where}: nested deeper than {MAX_DEPTH} levels (a cycle?)")
    if isinstance(getattr(obj, "data", None), np.ndarray):
        obj = obj.data  # a Tensor or Parameter
    if callable(getattr(obj, "state_dict", None)):
        raise TypeError(
            f"save: {where} is a {type(obj).__name__} object; lamina saves data, never whole "
            f"objects (that would need pickle): save its state_dict() instead, e.g. "
            f"save(model.state_dict(), path)"
        )
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind not in "biufc":
            raise TypeError(f"save: {where}: arrays of dtype {obj.dtype} cannot be saved")
        key = ".".join(map(str, path)) if path else ""
        n = len(arrays)
        while not key or key in arrays or key.startswith("__"):
            key, n = f"a{n}", n + 1
        arrays[key] = obj
        return {"array": key}
    if isinstance(obj, np.generic):
        obj = obj.item()
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return {"value": obj}
    if isinstance(obj, dict):
        items = []
        for k, v in obj.items():
            name = int(k) if isinstance(k, np.integer) else k
            if isinstance(name, bool) or not isinstance(name, (str, int)):
                raise TypeError(
                    f"save: {where}: dict keys must be str or int, got {type(k).__name__}"
                )
            sub = None if path is None else (*path, name)
            items.append([name, _encode(v, arrays, f"{where}[{name!r}]", depth + 1, sub)])
        return {"dict": items}
    if isinstance(obj, (list, tuple)):
        kind = "list" if isinstance(obj, list) else "tuple"
        return {
            kind: [
                _encode(v, arrays, f"{where}[{i}]", depth + 1, None if path is None else (*path, i))
                for i, v in enumerate(obj)
            ]
        }
    raise TypeError(f"save: {where}: cannot save an object of type {type(obj).__name__}")


def _check_file_object(f: object, method: str) -> None:
    """Refuse ``f`` (not a path) unless it is a binary file object with ``method``."""
    if not hasattr(f, method):
        raise TypeError(
            f"{'save' if method == 'write' else 'load'}: expected a path or a binary file "
            f"object, got {type(f).__name__}"
        )
    if isinstance(f, io.TextIOBase):
        raise TypeError(
            f"{'save' if method == 'write' else 'load'}: expected a binary file object "
            f"(opened with 'wb' or 'rb'), got a text-mode {type(f).__name__}"
        )


def _format(f: Any, format: str | None, owner: str) -> str:
    """ "npz" or "safetensors": ``format`` if given, else by the path's extension."""
    if format is None:
        name = str(f) if isinstance(f, (str, os.PathLike)) else str(getattr(f, "name", ""))
        return "safetensors" if name.endswith(".safetensors") else "npz"
    if format not in ("npz", "safetensors"):
        raise ValueError(f"{owner}: format must be 'npz' or 'safetensors', got {format!r}")
    return format


def _safetensors_writer(obj: Any) -> Callable[[IO[bytes]], None]:
    """Tensors named by their key paths; the nesting and plain values in ``__metadata__``."""
    arrays: dict[str, np.ndarray] = {}
    tree = _encode(obj, arrays, "obj", 0, ())
    manifest = {"format": "lamina", "version": _VERSION, "tree": tree}
    metadata = {_MANIFEST: json.dumps(manifest)}
    if isinstance(obj, dict):  # top-level plain values readable by any safetensors tool too
        for k, v in obj.items():
            if isinstance(k, str) and k != _MANIFEST and isinstance(v, (bool, int, float, str)):
                metadata[k] = str(v)
    for key, array in arrays.items():
        if array.dtype.kind == "c":
            raise TypeError(f"save: {key}: safetensors cannot hold complex arrays ({array.dtype})")
    return lambda fh: write_safetensors(fh, arrays, metadata)


def _npz_writer(obj: Any) -> Callable[[IO[bytes]], None]:
    arrays: dict[str, np.ndarray] = {}
    manifest = {"format": "lamina", "version": _VERSION, "tree": _encode(obj, arrays, "obj", 0)}
    members = {_MANIFEST: np.frombuffer(json.dumps(manifest).encode(), dtype=np.uint8)}
    members.update(arrays)
    # mypy matches **members against savez's bool allow_pickle keyword as well
    return lambda fh: np.savez(fh, **members)  # type: ignore[arg-type]


def save(obj: Any, f: FileLike, format: str | None = None) -> None:
    """Write ``obj`` (nested dicts/lists/tuples of arrays, tensors, numbers, strings) to ``f``.

    Parameters
    ----------
    obj : nested dict, list or tuple of arrays, tensors, numbers, strings and None
        Dict keys are str or int; nesting is at most ``MAX_DEPTH`` levels.
    f : path or binary file object
        A path is written atomically (a temporary file in the same folder, renamed over it)
        with mode 0o666 & ~umask; a file object (``io.BytesIO``, ``open(p, 'wb')``) is
        written at its current position.
    format : {"npz", "safetensors"}, optional
        Default: "safetensors" for a name ending in ``.safetensors``, else "npz". A
        safetensors file names each tensor by its key path (``fc.weight``; a state_dict
        gives exactly PyTorch's names) and keeps the nesting and the plain values in its
        ``__metadata__``, so PyTorch's ``safetensors.torch.load_file`` reads it too.

    Raises
    ------
    TypeError
        For an object that is not data, naming its type and where it sits in ``obj``. A
        ``Module`` or optimizer is refused with the advice to save its ``state_dict()``.
    """
    kind = _format(f, format, "save")
    write = _safetensors_writer(obj) if kind == "safetensors" else _npz_writer(obj)
    if isinstance(f, (str, os.PathLike)):
        with atomic_open(f, "wb") as fh:
            write(fh)
        return
    _check_file_object(f, "write")
    write(f)


# ---------------------------------------------------------------------------- loading
class _Tree:
    """Builds a manifest's tree, node by node checked, from arrays that ``read(key)`` gives."""

    name: str

    def has(self, key: str) -> bool:
        raise NotImplementedError

    def read(self, key: str) -> np.ndarray:
        raise NotImplementedError

    def bad(self, detail: str) -> FileFormatError:
        return FileFormatError(f"load: {self.name} is damaged or not a lamina file: {detail}")

    def check_manifest(self, manifest: Any) -> Any:
        """The tree of a parsed manifest, after its format and version are checked."""
        if not isinstance(manifest, dict) or manifest.get("format") != "lamina":
            raise self.bad("the manifest does not say format 'lamina'")
        version = manifest.get("version")
        if type(version) is int and version > _VERSION:
            raise FileFormatError(
                f"load: {self.name} was written by a newer lamina (format version {version}); "
                f"this lamina reads format version {_VERSION}"
            )
        if type(version) is not int or version != _VERSION:
            raise self.bad(f"unknown format version {version!r}")
        if set(manifest) != {"format", "version", "tree"}:
            raise self.bad(f"the manifest has keys {sorted(manifest)}")
        return manifest["tree"]

    def parse(self, text: bytes | str) -> Any:
        try:
            return json.loads(text)
        except RecursionError:
            raise self.bad("the manifest is nested too deeply") from None
        except ValueError as e:  # JSONDecodeError and UnicodeDecodeError
            raise self.bad(f"the manifest is not JSON ({e})") from None

    def decode(self, node: Any, where: str, depth: int) -> Any:
        """Check one manifest node against the schema and build its value."""
        if depth > MAX_DEPTH:
            raise self.bad(f"{where}: nested deeper than {MAX_DEPTH} levels")
        if not isinstance(node, dict) or len(node) != 1 or next(iter(node)) not in _KINDS:
            raise self.bad(f"{where}: expected one entry named one of {_KINDS}, got {node!r:.80}")
        ((kind, body),) = node.items()
        if kind == "value":
            if body is not None and not isinstance(body, (bool, int, float, str)):
                raise self.bad(f"{where}: a value must be a number, string or null")
            return body
        if kind == "array":
            if not isinstance(body, str) or not self.has(body):
                raise self.bad(f"{where}: refers to a missing array member {body!r:.80}")
            return self.read(body)
        if not isinstance(body, list):
            raise self.bad(f"{where}: a {kind} must hold a list")
        if kind != "dict":
            items = [self.decode(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(body)]
            return items if kind == "list" else tuple(items)
        out: OrderedDict[Any, Any] = OrderedDict()
        for item in body:
            if not isinstance(item, list) or len(item) != 2:
                raise self.bad(f"{where}: a dict item must be a [key, value] pair")
            key, value = item
            if isinstance(key, bool) or not isinstance(key, (str, int)) or key in out:
                raise self.bad(f"{where}: a dict key must be a new str or int, got {key!r:.80}")
            out[key] = self.decode(value, f"{where}[{key!r}]", depth + 1)
        return out


class _Archive(_Tree):
    """The checked members of one zip archive and the arrays read from it so far."""

    def __init__(self, zf: zipfile.ZipFile, size: int, name: str) -> None:
        self.zf, self.name = zf, name
        self.arrays: dict[str, np.ndarray] = {}
        infos = zf.infolist()
        self.members = {i.filename: i for i in infos}
        if len(self.members) != len(infos):
            raise self.bad("two members share a name")
        total = 0
        for info in infos:
            what = f"member {info.filename!r}"
            if info.flag_bits & 0x1:
                raise self.bad(f"{what} is encrypted")
            if info.compress_type != zipfile.ZIP_STORED:
                raise self.bad(
                    f"{what} is compressed (method {info.compress_type}); lamina stores arrays "
                    f"uncompressed and refuses to expand compressed members"
                )
            if info.file_size != info.compress_size:
                raise self.bad(
                    f"{what} declares {info.file_size} bytes but stores {info.compress_size}"
                )
            total += info.compress_size
            if total > size or info.header_offset + info.compress_size > size:
                raise self.bad(f"its members declare more bytes than the file's {size}")

    def has(self, key: str) -> bool:
        return key != _MANIFEST and key + ".npy" in self.members

    def read(self, key: str) -> np.ndarray:
        """The array in member ``key + '.npy'``, checked before anything is allocated."""
        if key not in self.arrays:
            info = self.members[key + ".npy"]
            try:
                with self.zf.open(info) as member:
                    self.arrays[key] = self._read_npy(member, info)
            except FileFormatError:
                raise
            except _READ_ERRORS as e:
                detail = f"member {info.filename!r}: {type(e).__name__}: {e}"
                raise self.bad(detail) from None
        return self.arrays[key]

    def _read_npy(self, member: IO[bytes], info: zipfile.ZipInfo) -> np.ndarray:
        version = np.lib.format.read_magic(member)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(member)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(member)
        else:
            raise self.bad(f"member {info.filename!r} has .npy format version {version}")
        what = f"member {info.filename!r} declares shape {shape} of {dtype}"
        if dtype.kind not in "biufc" or dtype.itemsize == 0:
            raise self.bad(f"{what}: only numeric arrays are read")
        if any(n < 0 for n in shape):
            raise self.bad(f"{what}: negative sizes")
        count = math.prod(shape)
        nbytes, held = count * dtype.itemsize, info.file_size - member.tell()
        if nbytes != held:  # the check that keeps a hostile header from allocating
            raise self.bad(f"{what} = {nbytes} bytes, but the member holds {held}")
        flat = np.empty(count, dtype)
        view, done = flat.view(np.uint8).data, 0  # a memoryview of flat's bytes
        while done < nbytes:
            # a ZipExtFile has readinto; typeshed types ZipFile.open as IO[bytes], which lacks it
            n = member.readinto(view[done:])  # type: ignore[attr-defined]
            if not n:
                raise self.bad(f"member {info.filename!r} ends early")
            done += n
        member.read()  # reach the end, so the zip reader checks the CRC
        return flat.reshape(shape[::-1]).T if fortran else flat.reshape(shape)

    def manifest(self) -> Any:
        if _MANIFEST + ".npy" not in self.members:
            raise self.bad(f"no {_MANIFEST} manifest")
        blob = self.read(_MANIFEST)
        if blob.dtype != np.uint8 or blob.ndim != 1:
            raise self.bad(f"the manifest is {blob.dtype} of shape {blob.shape}, not bytes")
        return self.check_manifest(self.parse(blob.tobytes()))


class _SafeTensors(_Tree):
    """The tensors of a safetensors file; its ``__lamina__`` metadata, if any, is the tree."""

    def __init__(self, tensors: dict[str, np.ndarray], name: str) -> None:
        self.tensors, self.name = tensors, name

    def has(self, key: str) -> bool:
        return key in self.tensors

    def read(self, key: str) -> np.ndarray:
        return self.tensors[key]


def _load_safetensors(fh: IO[bytes], size: int, name: str) -> Any:
    tensors, metadata = read_safetensors(fh, size, name)
    if _MANIFEST not in metadata:  # a plain file (PyTorch's save_file): name -> array
        return tensors
    reader = _SafeTensors(tensors, name)
    return reader.decode(reader.check_manifest(reader.parse(metadata[_MANIFEST])), "obj", 0)


def _load_stream(fh: IO[bytes], name: str, kind: str) -> Any:
    if not (hasattr(fh, "seekable") and fh.seekable()):
        fh = io.BytesIO(fh.read())  # the zip reader seeks; a pipe is read whole
    start = fh.tell()
    size = fh.seek(0, io.SEEK_END) - start
    fh.seek(start)
    if kind == "safetensors":
        return _load_safetensors(fh, size, name)
    try:
        zf = zipfile.ZipFile(fh)
    except _READ_ERRORS as e:
        raise FileFormatError(
            f"load: {name} is damaged or not a lamina file (not a zip archive: {e})"
        ) from None
    with zf:
        archive = _Archive(zf, size, name)
        return archive.decode(archive.manifest(), "obj", 0)


def load(f: FileLike, format: str | None = None) -> Any:
    """Read what ``save`` wrote, from a path or a binary file object.

    Dicts come back as ``OrderedDict``, arrays as writable NumPy arrays of the saved dtype.
    ``format`` ("npz" or "safetensors") defaults to the name's extension, as in ``save``. A
    safetensors file written by another tool (PyTorch's ``save_file``) loads as an
    ``OrderedDict`` of name -> array in file order, ready for ``load_state_dict``; its BF16
    tensors come back as float32.

    Raises
    ------
    FileNotFoundError
        When the path does not exist.
    FileFormatError
        (a ``ValueError``) for a damaged, foreign or newer-version file, naming the file and
        what is wrong; nothing is allocated beyond what the file itself holds.
    """
    kind = _format(f, format, "load")
    if not isinstance(f, (str, os.PathLike)):
        _check_file_object(f, "read")
        name = str(getattr(f, "name", f"<{type(f).__name__}>"))
        return _load_stream(f, name, kind)
    path = Path(f)
    if not path.exists():
        raise FileNotFoundError(f"load: no such file: {path}")
    if path.is_dir():
        raise FileFormatError(f"load: {path} is a directory, not a lamina file")
    with open(path, "rb") as fh:
        return _load_stream(fh, str(path), kind)
