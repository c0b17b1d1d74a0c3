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
from lamina.nn.dropout import Dropout
from lamina.nn.embedding import Embedding
from lamina.nn.linear import Flatten, Identity, Linear
from lamina.nn.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    TripletMarginLoss,
)
from lamina.nn.module import IncompatibleKeys, Module, StateDictError
from lamina.nn.norm import BatchNorm1d, BatchNorm2d, LayerNorm
from lamina.nn.packing import PackedSequence, pack_padded_sequence, pad_packed_sequence
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
    "Conv1d",
    "Conv2d",
    "ConvTranspose2d",
    "CrossEntropyLoss",
    "DepthwiseSeparableConv2d",
    "Dropout",
    "Embedding",
    "Flatten",
    "GRUCell",
    "GlobalAvgPool2d",
    "Identity",
    "IncompatibleKeys",
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
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "SpatiallySeparableConv2d",
    "StateDictError",
    "Summary",
    "Tanh",
    "TripletMarginLoss",
    "functional",
    "init",
    "pack_padded_sequence",
    "pad_packed_sequence",
    "summary",
    "utils",
]  # fmt: skip
