"""Datasets that need no network: bundled real data, generated toy problems, text corpora.

Classification datasets return ``X`` as float32 and ``y`` as int64 class indices.

>>> from lamina.datasets import load_iris
>>> X, y = load_iris()
>>> X.shape, X.dtype, y.dtype
((150, 4), dtype('float32'), dtype('int64'))
"""

from lamina.datasets.bundled import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_mnist_sample,
    load_wine,
)
from lamina.datasets.sentiment import SENTIMENT_SETS, load_vader_sentiment
from lamina.datasets.synthetic import (
    ADDITION_VOCAB,
    make_addition_task,
    make_blobs,
    make_copy_task,
    make_reverse_task,
    make_sine_sequences,
    make_spirals,
)
from lamina.datasets.text import TEXT_CORPORA, load_text

__all__ = [
    "ADDITION_VOCAB",
    "SENTIMENT_SETS",
    "TEXT_CORPORA",
    "load_breast_cancer",
    "load_diabetes",
    "load_digits",
    "load_iris",
    "load_mnist_sample",
    "load_text",
    "load_vader_sentiment",
    "load_wine",
    "make_addition_task",
    "make_blobs",
    "make_copy_task",
    "make_reverse_task",
    "make_sine_sequences",
    "make_spirals",
]
