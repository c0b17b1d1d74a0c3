"""A walk through lamina.text on the Python documentation (ships with Python, no download).

tokenize -> TF-IDF -> word vectors (PPMI + SVD, and word2vec) -> analogies -> n-gram
perplexity. Runs in a few seconds: ``python examples/nlp/text_walkthrough.py``.
"""

from __future__ import annotations

import os

# Word2Vec's batches are small matrix products: a multi-threaded BLAS on a busy machine spends
# more time synchronizing threads than computing, so use one thread (set before NumPy loads).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

from lamina.text import (  # noqa: E402
    KeyedVectors,
    NGramLM,
    PorterStemmer,
    TfidfVectorizer,
    Word2Vec,
    cooccurrence_matrix,
    ppmi,
    python_docs_sentences,
    python_docs_texts,
    svd_embeddings,
    treebank_tokenize,
)


def main() -> None:
    # 1. Tokenize and stem one sentence.
    sentence = "The interpreter doesn't evaluate annotations; it's stored in __annotations__."
    tokens = treebank_tokenize(sentence)
    stemmer = PorterStemmer()
    print("tokens:", tokens)
    print("stems: ", [stemmer.stem(t) for t in tokens])

    # 2. TF-IDF over the documentation topics: the most distinctive words of one topic.
    texts = python_docs_texts()
    tfidf = TfidfVectorizer(stop_words="english", min_df=2, sparse=False)
    x = tfidf.fit_transform(texts)
    terms = tfidf.get_feature_names_out()
    top = terms[np.argsort(-x[0])[:5]]
    print(f"tf-idf: {x.shape[0]} topics x {x.shape[1]} terms; topic 0 is about {list(top)}")

    # 3. Count-based word vectors: co-occurrence -> PPMI -> truncated SVD.
    sentences = python_docs_sentences()
    counts = {}
    for s in sentences:
        for w in s:
            counts[w] = counts.get(w, 0) + 1
    frequent = [w for w, c in sorted(counts.items(), key=lambda wc: -wc[1]) if c >= 10]
    matrix, words = cooccurrence_matrix(sentences, window=4, vocabulary=frequent)
    lsa = KeyedVectors(svd_embeddings(ppmi(matrix, alpha=0.75), 50, power=0.5), words)
    print("ppmi+svd nearest to 'integer':", [w for w, _ in lsa.most_similar("integer", topn=5)])

    # 4. Predictive word vectors and analogies.
    w2v = Word2Vec(sentences, vector_size=50, window=5, min_count=5, sg=0, epochs=5, seed=0)
    print("word2vec nearest to 'list':", [w for w, _ in w2v.wv.most_similar("list", topn=5)])
    answer = w2v.wv.most_similar(positive=["keys", "list"], negative=["dict"], topn=3)
    print("analogy dict : keys :: list : ?", [w for w, _ in answer])

    # 5. N-gram language models: held-out perplexity.
    train, test = sentences[:3400], sentences[3400:]
    for lm in (NGramLM(2, k=0.01), NGramLM(3, k=0.01), NGramLM(3, smoothing="kneser-ney")):
        lm.fit(train)
        print(f"perplexity {lm!r}: {lm.perplexity(test):.1f}")
    print(
        "generated:", " ".join(NGramLM(3, smoothing="kneser-ney").fit(train).generate(12, seed=1))
    )


if __name__ == "__main__":
    main()
