"""Op records of the functions the zoo networks brought: hardtanh and relu6 (MobileNet).

Each is checked for PyTorch parity of values and gradients (float32 and float64), against
finite differences, and for its error inputs by the generic suites. Inputs span both bounds,
so the flat parts (zero gradient, as PyTorch's hardtanh_backward) are exercised.
"""

from __future__ import annotations

import numpy as np
import torch.nn.functional as TF
from hypothesis import strategies as st

import lamina.nn.functional as F
from specs.opspec import ErrorCase, OpSpec, unary

OPS = [
    OpSpec(
        "hardtanh",
        lambda x, min_val, max_val: F.hardtanh(x, min_val, max_val),
        lambda x, min_val, max_val: TF.hardtanh(x, min_val, max_val),
        unary(),
        lambda s: st.sampled_from(
            [{"min_val": -1.0, "max_val": 1.0}, {"min_val": -0.5, "max_val": 1.5}]
        ),
        domain=(-3.0, 3.0),
        second_order=False,
        errors=(
            ErrorCase(
                (np.zeros(3),),
                ValueError,
                r"hardtanh: max_val must be greater than min_val",
                {"min_val": 1.0, "max_val": 1.0},
            ),
        ),
    ),
    OpSpec("relu6", F.relu6, TF.relu6, unary(), domain=(-3.0, 9.0), second_order=False),
]
