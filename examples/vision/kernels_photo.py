"""Classic kernels on a real photograph: edges, sharpening and blurring by lamina's conv2d.

The photograph is one of scikit-learn's sample images (shipped with the package, offline).
Run:  python examples/vision/kernels_photo.py [--out DIR]   -> DIR/kernels.png
(DIR defaults to a fresh temporary folder.)
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from sklearn.datasets import load_sample_image

from lamina.vision import (
    emboss,
    filter2d,
    gaussian_kernel,
    laplacian,
    sharpen,
    sobel_edges,
    sobel_x,
    sobel_y,
)


def main(out_dir: Path) -> Path:
    photo = load_sample_image("china.jpg")[::2, ::2]  # (214, 320, 3) uint8: halved for speed
    grey = photo.mean(axis=2).astype(np.float32) / 255  # (H, W)
    magnitude, direction = sobel_edges(grey)
    panels = {
        "photograph (grey)": grey,
        "Sobel x": filter2d(grey, sobel_x()),
        "Sobel y": filter2d(grey, sobel_y()),
        "edge magnitude": magnitude,
        "edge direction": direction,
        "Laplacian (8)": filter2d(grey, laplacian(8)),
        "sharpen": np.clip(filter2d(grey, sharpen()), 0, 1),
        "Gaussian blur 9x9, sigma 3": filter2d(grey, gaussian_kernel(9, 3.0)),
        "emboss": filter2d(grey, emboss()),
    }
    colour = filter2d(np.moveaxis(photo, -1, 0), gaussian_kernel(9, 3.0))  # (3, H, W) per channel
    fig = Figure(figsize=(12, 9), dpi=80)
    FigureCanvasAgg(fig)
    for k, (title, image) in enumerate(panels.items()):
        ax = fig.add_subplot(3, 4, k + 1)
        ax.imshow(image, cmap="twilight" if "direction" in title else "gray")
        ax.set_title(title, fontsize=9)
        ax.axis("off")
    ax = fig.add_subplot(3, 4, 10)
    ax.imshow(np.clip(np.moveaxis(colour, 0, -1) / 255, 0, 1))
    ax.set_title("colour, blurred per channel", fontsize=9)
    ax.axis("off")
    fig.tight_layout()
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "kernels.png"
    fig.savefig(path, format="png")
    print(f"edge magnitude: mean {magnitude.mean():.4f}, max {magnitude.max():.4f}")
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Classic kernels on a photograph.")
    parser.add_argument("--out", type=Path, help="folder for the PNG (default: a temporary one)")
    args = parser.parse_args()
    main(args.out or Path(tempfile.mkdtemp(prefix="lamina-kernels-")))
