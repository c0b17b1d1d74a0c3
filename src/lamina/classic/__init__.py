"""Classic machine learning on NumPy: linear models, logistic models, PCA and LDA.

Every estimator follows scikit-learn's contract (constructor stores, ``fit`` validates and
returns ``self``, fitted attributes end in ``_``) and matches scikit-learn's results.
"""

from __future__ import annotations

from lamina.classic.base import (
    BaseEstimator,
    ClassifierMixin,
    ConvergenceWarning,
    RegressorMixin,
    TransformerMixin,
)
from lamina.classic.decomposition import PCA, LinearDiscriminantAnalysis
from lamina.classic.lasso import ElasticNet, Lasso
from lamina.classic.linear import (
    BiasVarianceCurve,
    LinearRegression,
    Ridge,
    ridge_bias_variance,
)
from lamina.classic.logistic import LogisticRegression, SoftmaxRegression
from lamina.classic.preprocessing import MinMaxScaler, StandardScaler, one_hot
from lamina.classic.validation import DataConversionWarning

__all__ = [
    "PCA",
    "BaseEstimator",
    "BiasVarianceCurve",
    "ClassifierMixin",
    "ConvergenceWarning",
    "DataConversionWarning",
    "ElasticNet",
    "Lasso",
    "LinearDiscriminantAnalysis",
    "LinearRegression",
    "LogisticRegression",
    "MinMaxScaler",
    "RegressorMixin",
    "Ridge",
    "SoftmaxRegression",
    "StandardScaler",
    "TransformerMixin",
    "one_hot",
    "ridge_bias_variance",
]
