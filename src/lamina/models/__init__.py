"""The networks of the course, ready to train.

Every builder takes ``num_classes`` and ``in_channels``; the twins of torchvision's networks
have its ``state_dict`` keys, shapes and order.
"""

from lamina.models.alexnet import AlexNet, alexnet
from lamina.models.charcnn import ALPHABET, CharCNN, char_cnn, encode_chars
from lamina.models.gpt import CharTransformer
from lamina.models.inception import GoogLeNet, googlenet
from lamina.models.lenet import LeNet5
from lamina.models.lm import CharRNN
from lamina.models.mlp import MLP
from lamina.models.mobilenet import MobileNetV1, mobilenet_v1
from lamina.models.resnet import ResNet, resnet18, resnet34, resnet50
from lamina.models.resnet_cifar import CifarResNet, resnet_cifar
from lamina.models.seq2seq import Hypothesis, Seq2Seq, beam_search
from lamina.models.vgg import (
    VGG,
    vgg11,
    vgg11_bn,
    vgg13,
    vgg13_bn,
    vgg16,
    vgg16_bn,
    vgg19,
    vgg19_bn,
)
from lamina.models.word_lm import NNLM, WordLSTM

__all__ = [
    "ALPHABET",
    "MLP",
    "NNLM",
    "VGG",
    "AlexNet",
    "CharCNN",
    "CharRNN",
    "CharTransformer",
    "CifarResNet",
    "GoogLeNet",
    "Hypothesis",
    "LeNet5",
    "MobileNetV1",
    "ResNet",
    "Seq2Seq",
    "WordLSTM",
    "alexnet",
    "beam_search",
    "char_cnn",
    "encode_chars",
    "googlenet",
    "mobilenet_v1",
    "resnet18",
    "resnet34",
    "resnet50",
    "resnet_cifar",
    "vgg11",
    "vgg11_bn",
    "vgg13",
    "vgg13_bn",
    "vgg16",
    "vgg16_bn",
    "vgg19",
    "vgg19_bn",
]
