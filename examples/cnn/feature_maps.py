"""Feature maps: what each layer of LeNet-5 hands to the next, and how the shapes shrink.

Each convolution filter produces one feature map (a channel); pooling halves height and
width; the last maps are flattened into the dense layers. The first layer's six maps of an
MNIST digit and its six 5 x 5 filters are drawn (an untrained net: the maps are the digit
seen through random edge-like filters).

Run: python examples/cnn/feature_maps.py [--out DIR]   -> DIR/lenet_maps.png, DIR/lenet_filters.png
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

import lamina as L
from lamina import datasets, models, nn
from lamina.training import plot_feature_maps, plot_filters


def main(out: Path) -> None:
    (x, _), _ = datasets.load_mnist_sample()  # (4000, 1, 28, 28)
    net = models.LeNet5(rng=np.random.default_rng(0))
    for row in nn.summary(net, (1, 28, 28)).rows:
        print(f"layer {row.name:<14} {row.kind:<10} output {row.output_shape} params {row.params}")
    with L.no_grad():
        maps = net.features[1](net.features[0](L.tensor(x[:1])))  # conv 1 and its ReLU
    print(f"first-layer feature maps: {maps.shape}")
    out.mkdir(parents=True, exist_ok=True)
    print(f"wrote {plot_feature_maps(maps.numpy()[0], out / 'lenet_maps.png')}")
    print(f"wrote {plot_filters(net.features[0].weight.numpy(), out / 'lenet_filters.png')}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="LeNet-5's feature maps.")
    parser.add_argument("--out", type=Path, help="folder for the PNGs (default: a temporary one)")
    main(parser.parse_args().out or Path(tempfile.mkdtemp(prefix="lamina-maps-")))
