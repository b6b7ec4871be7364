"""``StandardScaler`` by scikit-learn's definition (the stand-in: see __init__.py): each column less its mean, over
its population standard deviation (a constant column is left unscaled)."""

import numpy as np


class StandardScaler:
    def __init__(self, *, copy=True, with_mean=True, with_std=True):
        self.with_mean, self.with_std = with_mean, with_std

    def fit(self, X, y=None):
        X = np.asarray(X, dtype=np.float64)
        self.mean_ = X.mean(axis=0) if self.with_mean else None
        scale = X.std(axis=0)
        self.scale_ = np.where(scale == 0, 1.0, scale) if self.with_std else None
        return self

    def transform(self, X):
        X = np.asarray(X, dtype=np.float64)
        if self.with_mean:
            X = X - self.mean_
        return X / self.scale_ if self.with_std else X

    def fit_transform(self, X, y=None):
        return self.fit(X).transform(X)
