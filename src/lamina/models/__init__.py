"""The networks of the course, ready to train.

Every builder takes ``num_classes`` and ``in_channels``; the twins of torchvision's networks
have its ``state_dict`` keys, shapes and order.
"""

import sys

from lamina.models.alexnet import *  # noqa: F403
from lamina.models.charcnn import *  # noqa: F403
from lamina.models.gpt import *  # noqa: F403
from lamina.models.inception import *  # noqa: F403
from lamina.models.lenet import *  # noqa: F403
from lamina.models.lm import *  # noqa: F403
from lamina.models.mlp import *  # noqa: F403
from lamina.models.mobilenet import *  # noqa: F403
from lamina.models.resnet import *  # noqa: F403
from lamina.models.resnet_cifar import *  # noqa: F403
from lamina.models.seq2seq import *  # noqa: F403
from lamina.models.vgg import *  # noqa: F403
from lamina.models.word_lm import *  # noqa: F403
from lamina.models.zoo import *  # noqa: F403

# Looked up by name: a star import may bind a module's name to its function (`alexnet`).
_PUBLIC = (
    "alexnet",
    "charcnn",
    "gpt",
    "inception",
    "lenet",
    "lm",
    "mlp",
    "mobilenet",
    "resnet",
    "resnet_cifar",
    "seq2seq",
    "vgg",
    "word_lm",
    "zoo",
)
__all__ = sorted({name for m in _PUBLIC for name in sys.modules[f"{__name__}.{m}"].__all__})
del sys
