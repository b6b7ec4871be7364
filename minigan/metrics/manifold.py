"""Precision, recall, density and coverage: fidelity and diversity from k-nearest-neighbour balls.

The Fréchet distance mixes two failures into one number: samples that do not look real (fidelity) and real
images the generator never makes (diversity). These four metrics separate them. Each real image X_i gets a
ball B(X_i, NND_k(X_i)) whose radius is the distance to its k-th nearest *other* real image (in the
reference classifier's features); the union of the balls estimates the manifold of real images. Likewise
for the generated images Y_j.

* **precision** (Kynkäänniemi et al. 2019, "Improved Precision and Recall Metric for Assessing Generative
  Models", k = 3): the fraction of generated images inside the real manifold, 1/M Σ_j 1[Y_j ∈ ∪_i B(X_i)].
  Low precision: samples unlike any real image.
* **recall** (the same paper): the fraction of real images inside the *generated* manifold,
  1/N Σ_i 1[X_i ∈ ∪_j B(Y_j)]. Low recall: parts of the data the generator misses (mode collapse).
* **density** (Naeem et al. 2020, "Reliable Fidelity and Diversity Metrics for Generative Models", k = 5):
  1/(kM) Σ_j Σ_i 1[Y_j ∈ B(X_i)], how many real balls hold each sample, so one outlier real image with a
  huge ball cannot make bad samples look good. About 1 when the two sets come from the same distribution;
  it can exceed 1 (samples packed where real images are dense).
* **coverage** (the same paper): the fraction of real images whose ball holds at least one generated
  image, 1/N Σ_i 1[∃ j: Y_j ∈ B(X_i)]. Real balls, so it is not fooled by a few generated outliers the way
  recall's generated balls are.

Two finite samples of the *same* distribution do not score 1 (a sample inside the real manifold may still
fall between its balls): compute the metrics between two disjoint real halves to see the ceiling
(``image_metrics`` reports it beside each metric).

Distances are Euclidean, computed as ||a||² + ||b||² − 2 a·b by matrix products in float64, in blocks of
rows so that an (N, M) distance matrix never has to exist at once. Balls are closed (distance ≤ radius).
"""

from __future__ import annotations

from minigan.engine.backend import np
from minigan.surface.data import host_array

# Rows of generated (or real) features per block: a block of distances is (BLOCK_ROWS, N) float64.
BLOCK_ROWS = 1024


def _features(x, fn: str, name: str, k: int):
    a = host_array(x, fn, name).astype(np.float64)
    if a.ndim == 1:
        a = a[:, None]  # N scalar features
    if a.ndim != 2:
        raise ValueError(f"{fn}: got {name} of shape {a.shape}, expected (N, D) features")
    if a.shape[0] <= k:
        raise ValueError(f"{fn}: got {name} of shape {a.shape}, expected more than k={k} samples "
                         "(each needs k other samples for its ball)")
    if not np.isfinite(a).all():
        raise ValueError(f"{fn}: got {name} with NaN or inf entries, expected finite features")
    return a


def _check_k(k, fn: str) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"{fn}: got k={k!r}, expected a positive integer")
    return int(k)


def _squared_distances(a, b, b_sq):
    """(len(a), len(b)) squared distances ||a_i||² + ||b_j||² − 2 a_i·b_j, clipped at 0 (rounding)."""
    d2 = (a * a).sum(axis=1)[:, None] + b_sq[None, :] - 2.0 * (a @ b.T)
    return np.maximum(d2, 0.0)


def knn_radii(feats, k: int = 3):
    """(N,) float64: each row's distance to its k-th nearest *other* row of ``feats`` (N, D)."""
    fn = "knn_radii"
    k = _check_k(k, fn)
    x = _features(feats, fn, "feats", k)
    sq = (x * x).sum(axis=1)
    radii = np.empty(x.shape[0])
    for start in range(0, x.shape[0], BLOCK_ROWS):
        d2 = _squared_distances(x[start:start + BLOCK_ROWS], x, sq)
        rows = np.arange(d2.shape[0])
        d2[rows, start + rows] = 0.0  # a point's distance to itself, exactly (not its rounding)
        # sorted position 0 is the point itself, so position k is its k-th nearest other point
        radii[start:start + d2.shape[0]] = np.partition(d2, k, axis=1)[:, k]
    return np.sqrt(radii)


def _ball_counts(fake, real, real_radii, fake_radii=None):
    """For each fake row, how many real balls hold it; for each real row, whether a fake row lies in its
    ball and (with ``fake_radii``) whether it lies in a fake ball. One pass over (fake × real) blocks."""
    real_sq, r2 = (real * real).sum(axis=1), real_radii ** 2
    in_real_balls = np.empty(fake.shape[0], dtype=np.int64)
    real_ball_hit = np.zeros(real.shape[0], dtype=bool)
    real_in_fake_ball = np.zeros(real.shape[0], dtype=bool)
    for start in range(0, fake.shape[0], BLOCK_ROWS):
        d2 = _squared_distances(fake[start:start + BLOCK_ROWS], real, real_sq)  # (block, N_real)
        inside = d2 <= r2[None, :]                                              # Y_j ∈ B(X_i)
        in_real_balls[start:start + d2.shape[0]] = inside.sum(axis=1)
        real_ball_hit |= inside.any(axis=0)
        if fake_radii is not None:                                              # X_i ∈ B(Y_j)
            f2 = fake_radii[start:start + d2.shape[0]] ** 2
            real_in_fake_ball |= (d2 <= f2[:, None]).any(axis=0)
    return in_real_balls, real_ball_hit, real_in_fake_ball


def precision_recall(real_feats, fake_feats, k: int = 3) -> dict:
    """{"precision", "recall"} of ``fake_feats`` (M, D) against ``real_feats`` (N, D), k-NN balls with
    ``k`` = 3 as in Kynkäänniemi et al. 2019. Both in [0, 1]; 1 is best."""
    fn = "precision_recall"
    k = _check_k(k, fn)
    real, fake = _features(real_feats, fn, "real_feats", k), _features(fake_feats, fn, "fake_feats", k)
    _same_dim(real, fake, fn)
    in_real, _, real_in_fake = _ball_counts(fake, real, knn_radii(real, k), knn_radii(fake, k))
    return {"precision": float((in_real > 0).mean()), "recall": float(real_in_fake.mean())}


def density_coverage(real_feats, fake_feats, k: int = 5) -> dict:
    """{"density", "coverage"} of ``fake_feats`` (M, D) against ``real_feats`` (N, D), real k-NN balls with
    ``k`` = 5 as in Naeem et al. 2020. Coverage in [0, 1] (1 best); density ≥ 0, about 1 for a perfect
    generator."""
    fn = "density_coverage"
    k = _check_k(k, fn)
    real, fake = _features(real_feats, fn, "real_feats", k), _features(fake_feats, fn, "fake_feats", 0)
    _same_dim(real, fake, fn)
    in_real, real_hit, _ = _ball_counts(fake, real, knn_radii(real, k))
    return {"density": float(in_real.sum() / (k * fake.shape[0])), "coverage": float(real_hit.mean())}


def _same_dim(real, fake, fn):
    if real.shape[1] != fake.shape[1]:
        raise ValueError(f"{fn}: got real_feats of shape {real.shape} and fake_feats of shape {fake.shape}, "
                         "expected the same feature dimension D")


def manifold_metrics(real_feats, fake_feats, k_pr: int = 3, k_dc: int = 5) -> dict:
    """{"precision", "recall", "density", "coverage"}: ``precision_recall`` (k = ``k_pr``) and
    ``density_coverage`` (k = ``k_dc``) of the same two feature sets."""
    return {**precision_recall(real_feats, fake_feats, k_pr), **density_coverage(real_feats, fake_feats, k_dc)}


__all__ = ["knn_radii", "precision_recall", "density_coverage", "manifold_metrics"]
