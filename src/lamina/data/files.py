"""Loaders for a user's own files: CSV, .npy/.npz, images and folders of them, a text file.

Malformed files raise ``ValueError`` naming the file, the line (for text formats) and what was
expected. Nothing here uses the network or pickle.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "convert_channels",
    "load_csv",
    "load_image",
    "load_image_folder",
    "load_npy",
    "load_npz",
    "load_text_file",
    "read_csv_rows",
    "resize_image",
]

NETPBM_EXTENSIONS = (".pgm", ".ppm", ".pnm")
IMAGE_EXTENSIONS = (
    ".png",
    ".jpg",
    ".jpeg",
    ".bmp",
    ".gif",
    ".tif",
    ".tiff",
    ".webp",
    *NETPBM_EXTENSIONS,
)


def _existing(owner: str, path: str | os.PathLike) -> Path:
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{owner}: no such file or folder: '{p}'")
    return p


def _target_index(header: list[str] | None, target: int | str, n_cols: int, where: str) -> int:
    if isinstance(target, str):
        if header is None:
            raise ValueError(f"load_csv: target_column {target!r} is a name, but header=False")
        if target not in header:
            raise ValueError(f"load_csv: {where}: no column named {target!r}; columns: {header}")
        return header.index(target)
    if not -n_cols <= target < n_cols:
        raise ValueError(f"load_csv: {where}: target_column {target} is outside {n_cols} columns")
    return target % n_cols


def _labels(values: list[str]) -> np.ndarray:
    """Numeric targets: int64 when every value is whole, else float32; text: sorted codes."""
    try:
        y = np.array([float(v) for v in values])
    except ValueError:
        return np.unique(np.array(values), return_inverse=True)[1].astype(np.int64)
    return y.astype(np.int64) if np.all(y == np.round(y)) else y.astype(np.float32)


def load_csv(
    path: str | os.PathLike,
    target_column: int | str | None = None,
    delimiter: str = ",",
    header: bool = True,
) -> Any:
    """Read a numeric CSV file into float32 features and, optionally, a target column.

    Parameters
    ----------
    path : str or PathLike
    target_column : int, str or None, default=None
        Index (negative counts from the end) or, with a header, name of the target column.
    delimiter : str, default=","
    header : bool, default=True
        Whether the first line holds column names.

    Returns
    -------
    X : ndarray of shape (n_rows, n_features), float32
        Returned alone when ``target_column`` is None.
    (X, y) : y of shape (n_rows,) when ``target_column`` is given; int64 when every target
        is a whole number, float32 otherwise, and for text labels the int64 index of the
        label in the sorted list of distinct labels.

    Raises
    ------
    ValueError
        For an empty file, a row with a different number of columns, or a non-numeric
        feature, naming the line.
    """
    p = _existing("load_csv", path)
    with p.open(newline="", encoding="utf-8") as fh:
        rows = [(i, r) for i, r in enumerate(csv.reader(fh, delimiter=delimiter), 1) if r]
    names = [c.strip() for c in rows.pop(0)[1]] if header and rows else None
    if not rows:
        raise ValueError(f"load_csv: '{p}' holds no data rows")
    n_cols = len(names) if names is not None else len(rows[0][1])
    t = None if target_column is None else _target_index(names, target_column, n_cols, f"'{p}'")
    X = np.empty((len(rows), n_cols - (t is not None)), dtype=np.float32)
    targets = []
    for r, (line, row) in enumerate(rows):
        if len(row) != n_cols:
            raise ValueError(
                f"load_csv: '{p}' line {line}: expected {n_cols} columns, got {len(row)}"
            )
        if t is not None:
            targets.append(row[t].strip())
            row = row[:t] + row[t + 1 :]
        try:
            X[r] = [float(v) for v in row]
        except ValueError:
            bad = next(v for v in row if not _is_float(v))
            raise ValueError(
                f"load_csv: '{p}' line {line}: expected a number, got {bad!r}"
            ) from None
    return X if t is None else (X, _labels(targets))


MISSING = ("", "na", "nan", "n/a", "null", "none", "?")


def read_csv_rows(
    path: str | os.PathLike, delimiter: str = ","
) -> tuple[list[str], list[int], list[list[str]]]:
    """A CSV file with a header as text: column names, each row's line number, the rows.

    Cells are stripped. A row with another number of cells, or a missing value (an empty
    cell or NA, NaN, N/A, null, None, ?), is refused naming the line and the column.
    """
    p = _existing("read_csv_rows", path)
    with p.open(newline="", encoding="utf-8") as fh:
        rows = [(i, r) for i, r in enumerate(csv.reader(fh, delimiter=delimiter), 1) if r]
    if len(rows) < 2:
        raise ValueError(f"read_csv_rows: '{p}' needs a header line and at least one data row")
    names = [c.strip() for c in rows[0][1]]
    lines, cells = [], []
    for line, row in rows[1:]:
        if len(row) != len(names):
            raise ValueError(
                f"read_csv_rows: '{p}' line {line}: expected {len(names)} columns, got {len(row)}"
            )
        row = [c.strip() for c in row]
        for name, cell in zip(names, row):
            if cell.lower() in MISSING:
                raise ValueError(
                    f"read_csv_rows: '{p}' line {line}: missing value in column {name!r} "
                    f"(got {cell!r}); fill or drop that row"
                )
        lines.append(line)
        cells.append(row)
    return names, lines, cells


def _is_float(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True


def load_npy(path: str | os.PathLike) -> np.ndarray:
    """Read one array from a ``.npy`` file (no pickled objects)."""
    p = _existing("load_npy", path)
    try:
        return np.load(p, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise ValueError(f"load_npy: '{p}' is not a valid .npy file: {exc}") from None


def load_npz(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Read every array of a ``.npz`` archive into a dict keyed by name (no pickle)."""
    p = _existing("load_npz", path)
    try:
        with np.load(p, allow_pickle=False) as archive:
            if not hasattr(archive, "files"):
                raise ValueError("it holds a single array; use load_npy")
            return {k: archive[k] for k in archive.files}
    except (ValueError, OSError, EOFError) as exc:
        raise ValueError(f"load_npz: '{p}' is not a valid .npz archive: {exc}") from None


def load_text_file(path: str | os.PathLike, encoding: str = "utf-8") -> str:
    """Read a whole text file; undecodable bytes raise ``ValueError`` naming the line."""
    p = _existing("load_text_file", path)
    data = p.read_bytes()
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValueError(
            f"load_text_file: '{p}' line {line}: expected {encoding} text, got byte "
            f"{data[exc.start : exc.start + 1]!r}"
        ) from None


# ------------------------------------------------------------------------------- images
def _netpbm_tokens(data: bytes, count: int) -> tuple[list[int], int]:
    """The first ``count`` header integers of a PGM/PPM file, skipping comments."""
    values: list[int] = []
    pos = 2
    while len(values) < count:
        while pos < len(data) and data[pos : pos + 1].isspace():
            pos += 1
        if data[pos : pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        start = pos
        while pos < len(data) and not data[pos : pos + 1].isspace():
            pos += 1
        values.append(int(data[start:pos]))
    return values, pos + 1


def _read_netpbm(p: Path) -> np.ndarray:
    """PGM (P2/P5) or PPM (P3/P6) into (H, W) or (H, W, 3) floats in [0, 1]."""
    data = p.read_bytes()
    magic = data[:2]
    if magic not in (b"P2", b"P3", b"P5", b"P6"):
        raise ValueError(
            f"load_image: '{p}': expected a PGM/PPM magic P2, P3, P5 or P6, got {magic!r}"
        )
    channels = 3 if magic in (b"P3", b"P6") else 1
    try:
        (w, h, maxval), pos = _netpbm_tokens(data, 3)
    except (ValueError, IndexError):
        raise ValueError(
            f"load_image: '{p}': expected width, height and maxval in the header"
        ) from None
    n = w * h * channels
    if magic in (b"P2", b"P3"):
        pixels = np.array(data[pos:].split(), dtype=np.float64)
    else:
        dtype = ">u2" if maxval > 255 else "u1"
        pixels = np.frombuffer(
            data,
            dtype=dtype,
            count=min(n, (len(data) - pos) // np.dtype(dtype).itemsize),
            offset=pos,
        )
    if pixels.size != n:
        raise ValueError(
            f"load_image: '{p}': expected {n} pixel values for {w}x{h}x{channels}, "
            f"got {pixels.size}"
        )
    img = pixels.astype(np.float32) / maxval
    return img.reshape(h, w, channels)[..., 0] if channels == 1 else img.reshape(h, w, 3)


def _read_with_pillow(p: Path) -> np.ndarray:
    """Any format Pillow reads, as (H, W) or (H, W, 3) floats in [0, 1]; alpha dropped."""
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:
        raise ImportError(
            f"load_image: reading '{p.suffix}' files needs Pillow: pip install 'lamina[images]'"
        ) from None
    try:
        with Image.open(p) as im:
            im.seek(0)  # the first frame of an animated GIF
            if im.mode in ("I", "I;16", "I;16B", "I;16L"):  # 16-bit grayscale
                return np.asarray(im, dtype=np.float32) / 65535.0
            mode = "L" if im.mode in ("1", "L", "LA") else "RGB"
            img = np.asarray(im.convert(mode), dtype=np.float32) / 255.0
            if im.mode in ("P", "PA") and (img[..., :1] == img[..., 1:]).all():
                img = img[..., 0]  # a palette of grays (a GIF saved from grayscale)
            return img
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as e:
        raise ValueError(f"load_image: '{p}' is not a readable image ({e})") from None


def load_image(path: str | os.PathLike) -> np.ndarray:
    """Read an image file as a float32 array (C, H, W) in [0, 1].

    PNG, JPEG, BMP, GIF (first frame), TIFF and WebP are read with Pillow (the optional
    ``images`` extra, ``pip install 'lamina[images]'``); PGM/PPM with NumPy alone. Grayscale
    files give C = 1, colour files C = 3 (an alpha channel is dropped).

    Raises
    ------
    ValueError
        For an unknown extension or a file that is not a readable image, naming the file.
    ImportError
        For a format that needs Pillow when Pillow is not installed.
    """
    p = _existing("load_image", path)
    ext = p.suffix.lower()
    if ext not in IMAGE_EXTENSIONS:
        raise ValueError(f"load_image: '{p}': expected one of {IMAGE_EXTENSIONS}, got '{ext}'")
    img = _read_netpbm(p) if ext in NETPBM_EXTENSIONS else _read_with_pillow(p)
    return img[None] if img.ndim == 2 else np.ascontiguousarray(img.transpose(2, 0, 1))


def resize_image(img: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Bilinear resize of (C, H0, W0) to (C, h, w), pixel centres aligned (half-pixel).

    x_src = (x + 0.5) * W0 / w - 0.5, clipped to [0, W0 - 1]; the same for y; the value is
    the bilinear mix of the four neighbouring source pixels.
    """
    h, w = size
    _, h0, w0 = img.shape
    if (h0, w0) == (h, w):
        return img
    ys = np.clip((np.arange(h) + 0.5) * h0 / h - 0.5, 0, h0 - 1)
    xs = np.clip((np.arange(w) + 0.5) * w0 / w - 0.5, 0, w0 - 1)
    y0, x0 = np.floor(ys).astype(int), np.floor(xs).astype(int)
    y1, x1 = np.minimum(y0 + 1, h0 - 1), np.minimum(x0 + 1, w0 - 1)
    fy, fx = (ys - y0)[:, None], (xs - x0)[None, :]
    top = img[:, y0][:, :, x0] * (1 - fx) + img[:, y0][:, :, x1] * fx
    bottom = img[:, y1][:, :, x0] * (1 - fx) + img[:, y1][:, :, x1] * fx
    return (top * (1 - fy) + bottom * fy).astype(img.dtype)


def convert_channels(img: np.ndarray, channels: int) -> np.ndarray:
    """(C, H, W) to ``channels`` (1 or 3): colour to gray by ITU-R 601 luma, gray repeated.

    gray = 0.299 R + 0.587 G + 0.114 B
    """
    if img.shape[0] == channels:
        return img
    if channels == 1:
        luma = np.array([0.299, 0.587, 0.114], np.float32)
        return np.tensordot(luma, img[:3], axes=1)[None].astype(img.dtype)
    return np.repeat(img[:1], channels, axis=0)


def load_image_folder(
    root: str | os.PathLike,
    size: tuple[int, int] | None = None,
    channels: int | None = None,
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Read a class-per-subfolder image collection: ``root/<class name>/<image file>``.

    Classes are the subfolder names in sorted order; files are read in sorted order. With
    ``size`` (height, width) every image is resized (``resize_image``) and with ``channels``
    (1 or 3) converted (``convert_channels``); otherwise all must have the same shape.

    Returns
    -------
    X : ndarray of shape (n_images, C, H, W), float32 in [0, 1]
    y : ndarray of shape (n_images,), int64
        Index of each image's class in ``classes``.
    classes : list of str
    """
    p = _existing("load_image_folder", root)
    classes = sorted(d.name for d in p.iterdir() if d.is_dir() and not d.name.startswith("."))
    if not classes:
        raise ValueError(f"load_image_folder: '{p}' has no class subfolders")
    images, labels, first = [], [], None
    for label, name in enumerate(classes):
        for f in sorted((p / name).iterdir()):
            if f.suffix.lower() not in IMAGE_EXTENSIONS:
                continue
            img = load_image(f)
            if channels is not None:
                img = convert_channels(img, channels)
            if size is not None:
                img = resize_image(img, size)
            if first is None:
                first = (f, img.shape)
            elif img.shape != first[1]:
                raise ValueError(
                    f"load_image_folder: '{f}' has shape {img.shape}, expected {first[1]} "
                    f"like '{first[0]}' (pass size= and channels= to convert them)"
                )
            images.append(img)
            labels.append(label)
    if not images:
        raise ValueError(f"load_image_folder: no {'/'.join(IMAGE_EXTENSIONS)} files under '{p}'")
    return np.stack(images), np.array(labels, dtype=np.int64), classes
