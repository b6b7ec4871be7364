"""How well generated 2-D samples match a learner's own points, when there are no known modes to count.

Improved precision and recall (Kynkäänniemi, Karras, Laine, Lehtinen & Aila 2019, Section 2): around
each real point put a disc whose radius is the distance to its k-th nearest real neighbour; the union
of the discs estimates where the real data lives. The same with the generated samples.

    precision = share of generated samples inside the real discs   (are the samples realistic?)
    recall    = share of real points inside the generated discs    (is all of the data covered?)

A generator that collapses onto part of the data keeps a high precision and loses recall; one that
sprays samples everywhere keeps recall and loses precision. Both are 1 for a perfect sampler of a
large enough sample (a little under 1 for finite samples of the same distribution).
"""

from __future__ import annotations

from minigan.backend import asnumpy, np
from minigan.metrics.manifold import precision_recall

MAX_POINTS = 2_000  # each side is subsampled to this many: the distance matrix is then 2,000 x 2,000
NEIGHBOURS = 3      # k: each disc reaches a point's k-th nearest neighbour
MIN_POINTS = NEIGHBOURS + 1  # real points the metrics need: each needs k others for its disc


def _subsample(x, rng):
    return x if len(x) <= MAX_POINTS else x[rng.choice(len(x), MAX_POINTS, replace=False)]


def points_metrics(samples, points, k: int = NEIGHBOURS, seed: int = 0) -> dict:
    """{"precision", "recall", "num_samples"} of generated ``samples`` (N, 2) against real ``points`` (M, 2):
    the k-NN precision and recall of minigan.metrics.manifold, on the points themselves as features."""
    fake = np.asarray(asnumpy(getattr(samples, "array", samples)), dtype=np.float64)
    real = np.asarray(points, dtype=np.float64)
    fake = fake[np.isfinite(fake).all(axis=1)]
    if len(fake) <= k:  # too few samples to have a k-th neighbour
        return {"precision": 0.0, "recall": 0.0, "num_samples": int(len(fake))}
    rng = np.random.default_rng(seed)  # its own generator: the training stream is not touched
    fake, real = _subsample(fake, rng), _subsample(real, rng)
    pr = precision_recall(real, fake, k=k)
    return {"precision": float(pr["precision"]), "recall": float(pr["recall"]), "num_samples": int(len(fake))}


__all__ = ["points_metrics", "MIN_POINTS", "NEIGHBOURS"]
