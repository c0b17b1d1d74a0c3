"""lamina.text: tokenizers, stemming, bag of words, count-based and predictive word vectors,
and n-gram language models, on NumPy alone (SciPy optional, for sparse output).
"""

from __future__ import annotations

from lamina.text.cooccur import cooccurrence_matrix, ppmi, svd_embeddings
from lamina.text.corpora import python_docs_sentences, python_docs_texts
from lamina.text.evaluate import (
    evaluate_analogies,
    evaluate_word_pairs,
    read_analogies,
    read_word_pairs,
)
from lamina.text.glove import GloVe
from lamina.text.keyedvectors import KeyedVectors
from lamina.text.ngram_lm import FactorizedBigramLM, NGramLM, pad_sentence
from lamina.text.similarity import (
    cosine_similarity,
    euclidean_distance,
    nearest_neighbors,
    pearson_correlation,
    rankdata,
    spearman_correlation,
    unit_rows,
)
from lamina.text.stem import PorterStemmer, lemmatize, porter_stem
from lamina.text.stopwords import ENGLISH_STOP_WORDS, remove_stop_words
from lamina.text.tokenize import (
    lowercase,
    regexp_tokenize,
    sent_tokenize,
    simple_tokenize,
    treebank_tokenize,
    whitespace_tokenize,
    wordpunct_tokenize,
)
from lamina.text.vectorize import CountVectorizer, TfidfVectorizer
from lamina.text.vocab import OutOfVocabularyError, Vocabulary, count_tokens
from lamina.text.word2vec import Word2Vec

__all__ = [
    "ENGLISH_STOP_WORDS",
    "CountVectorizer",
    "FactorizedBigramLM",
    "GloVe",
    "KeyedVectors",
    "NGramLM",
    "OutOfVocabularyError",
    "PorterStemmer",
    "TfidfVectorizer",
    "Vocabulary",
    "Word2Vec",
    "cooccurrence_matrix",
    "cosine_similarity",
    "count_tokens",
    "euclidean_distance",
    "evaluate_analogies",
    "evaluate_word_pairs",
    "lemmatize",
    "lowercase",
    "nearest_neighbors",
    "pad_sentence",
    "pearson_correlation",
    "porter_stem",
    "ppmi",
    "python_docs_sentences",
    "python_docs_texts",
    "rankdata",
    "read_analogies",
    "read_word_pairs",
    "regexp_tokenize",
    "remove_stop_words",
    "sent_tokenize",
    "simple_tokenize",
    "spearman_correlation",
    "svd_embeddings",
    "treebank_tokenize",
    "unit_rows",
    "whitespace_tokenize",
    "wordpunct_tokenize",
]
