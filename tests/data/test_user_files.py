"""Loaders for a user's own files, on small files written into tmp_path."""

import numpy as np
import pytest
from PIL import Image

from lamina.data import (
    load_csv,
    load_image,
    load_image_folder,
    load_npy,
    load_npz,
    load_text_file,
)


def test_load_csv_with_named_integer_target(tmp_path):
    f = tmp_path / "d.csv"
    f.write_text("a,b,label\n1,2.5,0\n3,4,1\n\n5,6e-1,2\n")
    X, y = load_csv(f, target_column="label")
    np.testing.assert_allclose(X, [[1, 2.5], [3, 4], [5, 0.6]])
    assert X.dtype == np.float32 and y.dtype == np.int64
    np.testing.assert_array_equal(y, [0, 1, 2])


def test_load_csv_without_header_and_text_labels(tmp_path):
    f = tmp_path / "d.tsv"
    f.write_text("1\t2\tcat\n3\t4\tdog\n5\t6\tcat\n")
    X, y = load_csv(f, target_column=-1, delimiter="\t", header=False)
    assert X.shape == (3, 2)
    np.testing.assert_array_equal(y, [0, 1, 0])
    g = tmp_path / "e.csv"
    g.write_text("1.5,2\n3.5,4\n")
    np.testing.assert_allclose(load_csv(g, header=False, target_column=0)[1], [1.5, 3.5])


def test_load_csv_features_only_and_float_target(tmp_path):
    f = tmp_path / "d.csv"
    f.write_text("x,y\n1,0.5\n2,1.5\n")
    assert load_csv(f).shape == (2, 2)
    assert load_csv(f, target_column=1)[1].dtype == np.float32


@pytest.mark.parametrize(
    "text, pattern",
    [
        ("a,b\n1,2\n3\n", r"line 3: expected 2 columns, got 1"),
        ("a,b\n1,2\n3,x\n", r"line 3: expected a number, got 'x'"),
        ("a,b\n", r"holds no data rows"),
    ],
    ids=["ragged", "non-numeric", "empty"],
)
def test_load_csv_malformed_files_name_the_line(tmp_path, text, pattern):
    f = tmp_path / "bad.csv"
    f.write_text(text)
    with pytest.raises(ValueError, match=r"load_csv: .*bad.csv.*" + pattern):
        load_csv(f)


def test_load_csv_unknown_target_column(tmp_path):
    f = tmp_path / "d.csv"
    f.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="no column named 'c'"):
        load_csv(f, target_column="c")
    with pytest.raises(FileNotFoundError, match="load_csv: no such file"):
        load_csv(tmp_path / "missing.csv")


def test_load_npy_and_npz_round_trip(tmp_path):
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.save(tmp_path / "a.npy", a)
    np.savez(tmp_path / "b.npz", x=a, y=np.arange(2))
    np.testing.assert_array_equal(load_npy(tmp_path / "a.npy"), a)
    arrays = load_npz(tmp_path / "b.npz")
    assert sorted(arrays) == ["x", "y"]
    np.testing.assert_array_equal(arrays["x"], a)


def test_load_npy_rejects_garbage_and_pickles(tmp_path):
    (tmp_path / "bad.npy").write_bytes(b"not numpy")
    with pytest.raises(ValueError, match=r"load_npy: .*bad.npy.* is not a valid .npy file"):
        load_npy(tmp_path / "bad.npy")
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError, match="load_npy"):
        load_npy(tmp_path / "obj.npy")
    with pytest.raises(ValueError, match=r"load_npz: .*is not a valid .npz archive"):
        load_npz(tmp_path / "bad.npy")


def test_load_text_file(tmp_path):
    f = tmp_path / "t.txt"
    f.write_text("héllo\nworld\n", encoding="utf-8")
    assert load_text_file(f) == "héllo\nworld\n"
    f.write_bytes(b"ok\nbad \xff byte\n")
    with pytest.raises(ValueError, match=r"load_text_file: .*t.txt' line 2: expected utf-8 text"):
        load_text_file(f)


def _write_pgm(path, img, binary=True, maxval=255):
    h, w = img.shape
    if binary:
        path.write_bytes(
            f"P5\n# a comment\n{w} {h}\n{maxval}\n".encode() + img.astype(np.uint8).tobytes()
        )
    else:
        body = "\n".join(" ".join(str(v) for v in row) for row in img)
        path.write_text(f"P2\n{w} {h}\n{maxval}\n{body}\n")


def test_netpbm_images_read_with_numpy(tmp_path):
    img = np.arange(12, dtype=np.uint8).reshape(3, 4) * 20
    _write_pgm(tmp_path / "a.pgm", img)
    _write_pgm(tmp_path / "b.pgm", img, binary=False)
    rgb = np.arange(24, dtype=np.uint8).reshape(2, 4, 3) * 10
    (tmp_path / "c.ppm").write_bytes(b"P6 4 2 255\n" + rgb.tobytes())
    for name in ("a.pgm", "b.pgm"):
        out = load_image(tmp_path / name)
        assert out.shape == (1, 3, 4) and out.dtype == np.float32
        np.testing.assert_allclose(out[0], img / 255.0, rtol=1e-6)
    np.testing.assert_allclose(
        load_image(tmp_path / "c.ppm"), rgb.transpose(2, 0, 1) / 255.0, rtol=1e-6
    )


def test_truncated_pgm_says_what_was_expected(tmp_path):
    (tmp_path / "t.pgm").write_bytes(b"P5\n4 3\n255\n" + bytes(5))
    with pytest.raises(ValueError, match=r"load_image: .*t.pgm': expected 12 pixel values .*got 5"):
        load_image(tmp_path / "t.pgm")
    (tmp_path / "x.pgm").write_bytes(b"GIF89a")
    with pytest.raises(ValueError, match="expected a PGM/PPM magic"):
        load_image(tmp_path / "x.pgm")


def test_image_folder_with_png_and_pgm(tmp_path):
    rng = np.random.default_rng(0)
    imgs = rng.integers(0, 256, size=(4, 5, 6), dtype=np.uint8)
    for i, cls in enumerate(["cat", "cat", "dog", "dog"]):
        (tmp_path / cls).mkdir(exist_ok=True)
        if i % 2:
            _write_pgm(tmp_path / cls / f"{i}.pgm", imgs[i])
        else:
            Image.fromarray(imgs[i], mode="L").save(tmp_path / cls / f"{i}.png")
    (tmp_path / "dog" / "notes.txt").write_text("ignored")
    X, y, classes = load_image_folder(tmp_path)
    assert classes == ["cat", "dog"] and X.shape == (4, 1, 5, 6) and X.dtype == np.float32
    np.testing.assert_array_equal(y, [0, 0, 1, 1])
    np.testing.assert_allclose(X[:, 0], imgs / 255.0, rtol=1e-6)


def test_image_folder_rgb_png_and_size_mismatch(tmp_path):
    (tmp_path / "a").mkdir()
    rgba = np.random.default_rng(1).integers(0, 256, size=(4, 4, 4), dtype=np.uint8)
    Image.fromarray(rgba, mode="RGBA").save(tmp_path / "a" / "x.png")
    X, _, _ = load_image_folder(tmp_path)
    np.testing.assert_allclose(X[0], rgba[..., :3].transpose(2, 0, 1) / 255.0, rtol=1e-6)
    Image.fromarray(rgba[:3], mode="RGBA").save(tmp_path / "a" / "y.png")
    with pytest.raises(ValueError, match=r"load_image_folder: .*y.png' has shape \(3, 3, 4\)"):
        load_image_folder(tmp_path)


def test_image_folder_without_classes(tmp_path):
    with pytest.raises(ValueError, match="has no class subfolders"):
        load_image_folder(tmp_path)
