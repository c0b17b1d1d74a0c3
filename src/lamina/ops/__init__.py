"""The operations of lamina: every differentiable function, written once.

Tensor methods and ``lamina.nn.functional`` both call into here.
"""

from lamina.ops.activation import (
    dropout,
    elu,
    leaky_relu,
    linear,
    log_softmax,
    softmax,
    softplus,
)
from lamina.ops.compare import eq, ge, gt, le, lt, ne
from lamina.ops.conv import conv1d, conv2d, conv_transpose1d, conv_transpose2d
from lamina.ops.elementwise import (
    abs,
    add,
    cast,
    clip,
    div,
    exp,
    log,
    log1p,
    maximum,
    minimum,
    mul,
    neg,
    pow,
    relu,
    sigmoid,
    sign,
    sqrt,
    square,
    sub,
    tanh,
    where,
)
from lamina.ops.index import gather, getitem, index_add
from lamina.ops.linalg import matmul
from lamina.ops.loss import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    l1_loss,
    mse_loss,
    nll_loss,
    pairwise_distance,
    triplet_margin_loss,
)
from lamina.ops.norm import batch_norm, layer_norm
from lamina.ops.pool import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    avg_pool1d,
    avg_pool2d,
    global_avg_pool2d,
    l2_pool1d,
    l2_pool2d,
    lp_pool1d,
    lp_pool2d,
    max_pool1d,
    max_pool2d,
)
from lamina.ops.random import (
    bernoulli,
    multinomial,
    normal,
    rand_like,
    randint,
    randint_like,
    randn_like,
    randperm,
)
from lamina.ops.reduce import argmax, argmin, logsumexp, max, mean, min, std, sum, var
from lamina.ops.rnn import lstm_scan
from lamina.ops.shape import (
    broadcast_to,
    cat,
    chunk,
    expand,
    flatten,
    pad,
    permute,
    reshape,
    split,
    squeeze,
    stack,
    sum_to,
    transpose,
    unsqueeze,
)

clamp = clip
concatenate = cat

__all__ = [
    "abs", "adaptive_avg_pool1d", "adaptive_avg_pool2d", "add", "argmax", "argmin", "avg_pool1d",
    "avg_pool2d", "batch_norm", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "broadcast_to", "cast", "cat", "chunk", "clamp", "clip", "concatenate", "conv1d", "conv2d",
    "conv_transpose1d", "conv_transpose2d", "cross_entropy", "div", "dropout", "elu", "eq", "exp",
    "expand", "flatten", "gather", "ge", "getitem", "global_avg_pool2d", "gt", "index_add",
    "l1_loss", "l2_pool1d", "l2_pool2d", "layer_norm", "le", "leaky_relu", "linear", "log",
    "log1p", "log_softmax", "logsumexp", "lp_pool1d", "lp_pool2d", "lstm_scan", "lt", "matmul",
    "max", "max_pool1d", "max_pool2d", "maximum", "mean", "min", "minimum", "mse_loss", "mul",
    "ne", "neg", "nll_loss", "pad", "pairwise_distance", "permute", "pow", "relu", "reshape",
    "sigmoid", "sign", "softmax", "softplus", "split", "sqrt", "square", "squeeze", "stack", "std",
    "sub", "sum", "sum_to", "tanh", "transpose", "triplet_margin_loss", "unsqueeze", "var",
    "where",
    # random sampling (PyTorch names; lamina's default generator or generator=)
    "bernoulli", "multinomial", "normal", "rand_like", "randint", "randint_like", "randn_like",
    "randperm",
]  # fmt: skip
