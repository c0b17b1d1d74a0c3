"""The famous CNNs side by side: parameter counts of lamina's model zoo against the reference ones.

LeNet-5 (1998) is two convolutions and three dense layers; AlexNet (2012) and VGG-16 (2014)
hold most of their parameters in the dense layers; ResNet-18 (2015), GoogLeNet (2014) and
MobileNet (2017) end with a global average pool and one dense layer, and so are far smaller
though deeper. VGG-16 is counted from its layer list with the course's formulas (building its
138 M weights takes too long for an example), then its convolution stack is built and counted.

Run: python examples/cnn/architectures.py
"""

from __future__ import annotations

from lamina import models, nn

# Reference counts (torchvision's models; LeNet-5 in its ReLU/max-pool form, 10 classes).
PUBLISHED = {
    "LeNet-5": 61_706,
    "AlexNet": 61_100_840,
    "VGG-16": 138_357_544,
    "GoogLeNet": 6_624_904,
    "ResNet-18": 11_689_512,
    "MobileNet-v1": 4_231_976,
}
VGG16_CONVS = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512]  # 3x3 each


def count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def vgg16_by_formula() -> tuple[int, int]:
    convs, c_in = 0, 3
    for c_out in VGG16_CONVS:
        convs += (3 * 3 * c_in + 1) * c_out  # (k*k*c_in + 1) * c_out
        c_in = c_out
    dense = (512 * 7 * 7 + 1) * 4096 + (4096 + 1) * 4096 + (4096 + 1) * 1000
    return convs, convs + dense


def main() -> None:
    built = {
        "LeNet-5": models.LeNet5(),
        "AlexNet": models.alexnet(),
        "GoogLeNet": models.googlenet(),
        "ResNet-18": models.resnet18(),
        "MobileNet-v1": models.mobilenet_v1(),
    }
    counts = {name: count(m) for name, m in built.items()}
    convs, counts["VGG-16"] = vgg16_by_formula()
    stack, c_in = [], 3
    for c_out in VGG16_CONVS:
        stack.append(nn.Conv2d(c_in, c_out, 3, padding=1))
        c_in = c_out
    print(f"VGG-16 convolutions: formula {convs} built {count(nn.Sequential(*stack))}")
    for name in sorted(counts, key=counts.get):
        dense = "" if name not in built else f"  dense share {dense_share(built[name]):.0%}"
        print(f"{name:<13} counted {counts[name]:>11,}  reference {PUBLISHED[name]:>11,}{dense}")


def dense_share(model: nn.Module) -> float:
    """Fraction of the parameters held by fully connected (Linear) layers."""
    dense = sum(count(m) for m in model.modules() if isinstance(m, nn.Linear))
    return dense / count(model)


if __name__ == "__main__":
    main()
