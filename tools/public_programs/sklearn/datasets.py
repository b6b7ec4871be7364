"""``make_moons`` and ``make_circles``, by scikit-learn's recipe (the stand-in: see __init__.py)."""

import numpy as np


def _generator(random_state):
    if random_state is None:
        return np.random.mtrand._rand
    return random_state if isinstance(random_state, np.random.RandomState) else np.random.RandomState(random_state)


def _split(n_samples):
    return (n_samples // 2, n_samples - n_samples // 2) if isinstance(n_samples, int) else tuple(n_samples)


def _finish(X, y, shuffle, noise, rng):
    if shuffle:
        order = rng.permutation(len(y))
        X, y = X[order], y[order]
    if noise is not None:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X, y


def make_moons(n_samples=100, *, shuffle=True, noise=None, random_state=None):
    """Two interleaving half circles: points (n, 2) and labels 0 or 1."""
    rng = _generator(random_state)
    n_out, n_in = _split(n_samples)
    outer_x, outer_y = np.cos(np.linspace(0, np.pi, n_out)), np.sin(np.linspace(0, np.pi, n_out))
    inner_x, inner_y = 1 - np.cos(np.linspace(0, np.pi, n_in)), 1 - np.sin(np.linspace(0, np.pi, n_in)) - 0.5
    X = np.vstack([np.append(outer_x, inner_x), np.append(outer_y, inner_y)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    return _finish(X, y, shuffle, noise, rng)


def make_circles(n_samples=100, *, shuffle=True, noise=None, random_state=None, factor=0.8):
    """A large circle holding a small one (``factor`` its radius): points (n, 2) and labels 0 or 1."""
    rng = _generator(random_state)
    n_out, n_in = _split(n_samples)
    lin_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    lin_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack([np.append(np.cos(lin_out), np.cos(lin_in) * factor),
                   np.append(np.sin(lin_out), np.sin(lin_in) * factor)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    return _finish(X, y, shuffle, noise, rng)
