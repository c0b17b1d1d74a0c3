"""lamina.text: tokenizers, stemming, bag of words, count-based and predictive word vectors,
and n-gram language models, on NumPy alone (SciPy optional, for sparse output).
"""

from lamina.text import (
    cooccur,
    corpora,
    evaluate,
    glove,
    keyedvectors,
    ngram_lm,
    similarity,
    stem,
    stopwords,
    tokenize,
    vectorize,
    vocab,
    word2vec,
)
from lamina.text.cooccur import *  # noqa: F403
from lamina.text.corpora import *  # noqa: F403
from lamina.text.evaluate import *  # noqa: F403
from lamina.text.glove import *  # noqa: F403
from lamina.text.keyedvectors import *  # noqa: F403
from lamina.text.ngram_lm import *  # noqa: F403
from lamina.text.similarity import *  # noqa: F403
from lamina.text.stem import *  # noqa: F403
from lamina.text.stopwords import *  # noqa: F403
from lamina.text.tokenize import *  # noqa: F403
from lamina.text.vectorize import *  # noqa: F403
from lamina.text.vocab import *  # noqa: F403
from lamina.text.word2vec import *  # noqa: F403

_MODULES = (
    cooccur,
    corpora,
    evaluate,
    glove,
    keyedvectors,
    ngram_lm,
    similarity,
    stem,
    stopwords,
    tokenize,
    vectorize,
    vocab,
    word2vec,
)
__all__ = sorted({name for m in _MODULES for name in m.__all__})
