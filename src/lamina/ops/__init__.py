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
from lamina.ops.channel_dropout import dropout2d
from lamina.ops.compare import eq, ge, gt, le, lt, ne
from lamina.ops.conv import conv1d, conv2d, conv_transpose1d, conv_transpose2d
from lamina.ops.creation import new_empty, new_full, new_ones, new_tensor, new_zeros
from lamina.ops.einsum import einsum
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
from lamina.ops import inplace
from lamina.ops.index import gather, getitem, index_add
from lamina.ops.inplace import index_put
from lamina.ops.interpolate import interpolate
from lamina.ops.layout import clone, contiguous, narrow, repeat, roll, t
from lamina.ops.linalg import bmm, matmul, mm
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
from lamina.ops.loss_pointwise import huber_loss, kl_div, smooth_l1_loss
from lamina.ops.mask import masked_fill, tril, triu
from lamina.ops.norm import batch_norm, group_norm, instance_norm, layer_norm
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
from lamina.ops.reduce import argmax, argmin, cumsum, logsumexp, max, mean, min, std, sum, var
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
from lamina.ops.sort import argsort, sort, topk
from lamina.ops.trig import cos, sin

clamp = clip
concatenate = cat

__all__ = [
    "abs", "adaptive_avg_pool1d", "adaptive_avg_pool2d", "add", "argmax", "argmin", "avg_pool1d",
    "avg_pool2d", "batch_norm", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "broadcast_to", "cast", "cat", "chunk", "clamp", "clip", "concatenate", "conv1d", "conv2d",
    "conv_transpose1d", "conv_transpose2d", "cross_entropy", "div", "dropout", "dropout2d", "elu",
    "eq", "exp", "expand", "flatten", "gather", "ge", "getitem", "global_avg_pool2d", "group_norm",
    "gt", "huber_loss", "index_add", "instance_norm", "interpolate", "kl_div",
    "l1_loss", "l2_pool1d", "l2_pool2d", "layer_norm", "le", "leaky_relu", "linear", "log",
    "log1p", "log_softmax", "logsumexp", "lp_pool1d", "lp_pool2d", "lstm_scan", "lt", "matmul",
    "max", "max_pool1d", "max_pool2d", "maximum", "mean", "min", "minimum", "mse_loss", "mul",
    "ne", "neg", "nll_loss", "pad", "pairwise_distance", "permute", "pow", "relu", "reshape",
    "sigmoid", "sign", "smooth_l1_loss", "softmax", "softplus", "split", "sqrt", "square",
    "squeeze", "stack", "std",
    "sub", "sum", "sum_to", "tanh", "transpose", "triplet_margin_loss", "unsqueeze", "var",
    "where",
    # random sampling (PyTorch names; lamina's default generator or generator=)
    "bernoulli", "multinomial", "normal", "rand_like", "randint", "randint_like", "randn_like",
    "randperm",
    # in place (PyTorch's rules): the module, and the out-of-place x[index] = v
    "index_put", "inplace",
    # everyday functions (PyTorch names)
    "argsort", "bmm", "clone", "contiguous", "cos", "cumsum", "einsum", "masked_fill", "mm",
    "narrow", "new_empty", "new_full", "new_ones", "new_tensor", "new_zeros", "repeat",
    "roll", "sin", "sort", "t", "topk", "tril", "triu",
]  # fmt: skip
