"""Neural-network building blocks: ``Module``, layers, losses, initializers."""

from lamina.nn import functional, init, utils
from lamina.nn.activation import ELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Tanh
from lamina.nn.container import ModuleDict, ModuleList, Sequential
from lamina.nn.conv import (
    Conv1d,
    Conv2d,
    ConvTranspose2d,
    DepthwiseSeparableConv2d,
    SpatiallySeparableConv2d,
)
from lamina.nn.dropout import Dropout, Dropout2d
from lamina.nn.embedding import Embedding
from lamina.nn.linear import Flatten, Identity, Linear
from lamina.nn.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
    TripletMarginLoss,
)
from lamina.nn.module import IncompatibleKeys, Module, StateDictError
from lamina.nn.norm import BatchNorm1d, BatchNorm2d, GroupNorm, InstanceNorm2d, LayerNorm
from lamina.nn.packing import PackedSequence, pack_padded_sequence, pad_packed_sequence
from lamina.nn.padding import ConstantPad2d, ReflectionPad2d, ReplicationPad2d, ZeroPad2d
from lamina.nn.parameter import Buffer, Parameter
from lamina.nn.pool import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AvgPool1d,
    AvgPool2d,
    GlobalAvgPool2d,
    L2Pool1d,
    L2Pool2d,
    LPPool1d,
    LPPool2d,
    MaxPool1d,
    MaxPool2d,
)
from lamina.nn.pyramidal import Pyramidal, PyramidalLSTM
from lamina.nn.recurrent import GRU, LSTM, RNN, RNNBase
from lamina.nn.rnn_cells import GRUCell, LSTMCell, RNNCell
from lamina.nn.summary import Summary, summary
from lamina.nn.upsample import Upsample

__all__ = [
    "ELU",
    "GRU",
    "LSTM",
    "RNN",
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AvgPool1d",
    "AvgPool2d",
    "BCELoss",
    "BCEWithLogitsLoss",
    "BatchNorm1d",
    "BatchNorm2d",
    "Buffer",
    "ConstantPad2d",
    "Conv1d",
    "Conv2d",
    "ConvTranspose2d",
    "CrossEntropyLoss",
    "DepthwiseSeparableConv2d",
    "Dropout",
    "Dropout2d",
    "Embedding",
    "Flatten",
    "GRUCell",
    "GlobalAvgPool2d",
    "GroupNorm",
    "HuberLoss",
    "Identity",
    "IncompatibleKeys",
    "InstanceNorm2d",
    "KLDivLoss",
    "L1Loss",
    "L2Pool1d",
    "L2Pool2d",
    "LPPool1d",
    "LPPool2d",
    "LSTMCell",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MSELoss",
    "MaxPool1d",
    "MaxPool2d",
    "Module",
    "ModuleDict",
    "ModuleList",
    "NLLLoss",
    "PackedSequence",
    "Parameter",
    "Pyramidal",
    "PyramidalLSTM",
    "RNNBase",
    "RNNCell",
    "ReLU",
    "ReflectionPad2d",
    "ReplicationPad2d",
    "Sequential",
    "Sigmoid",
    "SmoothL1Loss",
    "Softmax",
    "Softplus",
    "SpatiallySeparableConv2d",
    "StateDictError",
    "Summary",
    "Tanh",
    "TripletMarginLoss",
    "Upsample",
    "ZeroPad2d",
    "functional",
    "init",
    "pack_padded_sequence",
    "pad_packed_sequence",
    "summary",
    "utils",
]  # fmt: skip
