"""Classifier-based metrics for generated digits (design contract, "Metrics").

A classifier trained on the *real* digits (``minigan.classifier.reference_classifier``) judges
the generated images:

* conditional accuracy — for a conditional GAN, is a generated "7" classified as 7?
* class coverage and KL to uniform — does the generator produce every class, equally often?
* Fréchet distance — between Gaussians fitted to the classifier's penultimate features of
  generated and real images (the FID recipe, Heusel et al. 2017, with a digits classifier in
  place of Inception):  ‖μ_g − μ_r‖² + Tr(Σ_g + Σ_r − 2 (Σ_g Σ_r)^{1/2}).

A Fréchet distance means little alone: two *real* samples of the same size also differ (the
estimate is biased by the sample size), so it is always reported beside that real-vs-real floor.
Everything is computed on the host in float64.
"""

from __future__ import annotations

from minigan import backend
from minigan.backend import np


def _host(x, fn, name):
    if hasattr(x, "data") and not backend.is_array(x):
        x = x.data
    return np.asarray(backend.asnumpy(x))


def class_histogram(predictions, num_classes: int = 10):
    """Fraction of predictions in each class, shape (num_classes,)."""
    pred = _host(predictions, "class_histogram", "predictions").reshape(-1)
    if pred.size == 0:
        raise ValueError("class_histogram: got no predictions")
    if pred.dtype.kind not in "iu" or pred.min() < 0 or pred.max() >= num_classes:
        raise ValueError(f"class_histogram: predictions must be integers in [0, {num_classes}), got {pred.dtype} "
                         f"values in [{pred.min()}, {pred.max()}]")
    return np.bincount(pred, minlength=num_classes) / pred.size


def class_coverage(predictions, num_classes: int = 10, min_fraction: float = 0.0) -> int:
    """How many classes receive more than ``min_fraction`` of the predictions."""
    return int((class_histogram(predictions, num_classes) > min_fraction).sum())


def kl_to_uniform(hist) -> float:
    """KL(p̂ ‖ uniform) = Σ p̂ log(p̂·K): 0 when every class is equally frequent, log K for one class."""
    p = np.asarray(hist, dtype=np.float64)
    if p.ndim != 1 or p.size == 0 or (p < 0).any() or not np.isclose(p.sum(), 1.0):
        raise ValueError(f"kl_to_uniform: expected a histogram that sums to 1, got {p!r}")
    nz = p > 0
    return float(max((p[nz] * np.log(p[nz] * p.size)).sum(), 0.0))


def conditional_accuracy(predictions, intended_labels) -> float:
    """Fraction of generated images classified as the class they were generated for."""
    pred = _host(predictions, "conditional_accuracy", "predictions").reshape(-1)
    labels = _host(intended_labels, "conditional_accuracy", "intended_labels").reshape(-1)
    if pred.shape != labels.shape or pred.size == 0:
        raise ValueError(f"conditional_accuracy: {pred.shape[0]} predictions but {labels.shape[0]} intended labels")
    return float((pred == labels).mean())


def _sqrt_psd(a):
    """Symmetric square root of a positive semi-definite matrix (eigenvalues clipped at 0)."""
    w, v = np.linalg.eigh((a + a.T) / 2)
    return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def frechet_distance(feats_a, feats_b) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets of shape (N, D).

    Tr((Σa Σb)^{1/2}) is computed as Tr((Σa^{1/2} Σb Σa^{1/2})^{1/2}), a symmetric PSD matrix, so
    only symmetric eigen-decompositions are needed (no scipy, no complex round-off).
    """
    a = _host(feats_a, "frechet_distance", "feats_a").astype(np.float64)
    b = _host(feats_b, "frechet_distance", "feats_b").astype(np.float64)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1] or min(a.shape[0], b.shape[0]) < 2:
        raise ValueError(f"frechet_distance: expected two (N, D) feature arrays with the same D and N >= 2, "
                         f"got {a.shape} and {b.shape}")
    mu_a, mu_b = a.mean(axis=0), b.mean(axis=0)
    cov_a, cov_b = np.atleast_2d(np.cov(a, rowvar=False)), np.atleast_2d(np.cov(b, rowvar=False))
    root_a = _sqrt_psd(cov_a)
    cross = np.clip(np.linalg.eigvalsh(root_a @ cov_b @ root_a), 0, None)
    fd = ((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * np.sqrt(cross).sum()
    return float(max(fd, 0.0))


def image_metrics(classifier, generated, real, intended_labels=None, num_classes: int = 10, seed: int = 0) -> dict:
    """All digits metrics of ``generated`` images (N, 1, H, W) in [0, 1], judged by ``classifier``.

    The Fréchet distance uses n = min(N, len(real)//2) images on each side, and the floor is the
    distance between two disjoint real halves of that same size, so the two numbers compare.
    """
    from minigan.classifier import features, predict

    gen = _host(generated, "image_metrics", "generated").astype(np.float32)
    ref = _host(real, "image_metrics", "real").astype(np.float32)
    if gen.ndim != 4 or ref.ndim != 4 or gen.shape[1:] != ref.shape[1:]:
        raise ValueError(f"image_metrics: expected generated and real images (N, C, H, W) of the same image "
                         f"shape, got {gen.shape} and {ref.shape}")
    pred = backend.asnumpy(predict(classifier, gen))
    hist = class_histogram(pred, num_classes)
    out = {"num_samples": int(gen.shape[0]), "classes_covered": class_coverage(pred, num_classes),
           "class_counts": [int(c) for c in np.bincount(pred, minlength=num_classes)],
           "kl_to_uniform": kl_to_uniform(hist)}
    if intended_labels is not None:
        out["conditional_accuracy"] = conditional_accuracy(pred, intended_labels)

    n = min(gen.shape[0], ref.shape[0] // 2)
    rng = np.random.default_rng(seed)  # a fixed split of the real set, independent of training
    perm = rng.permutation(ref.shape[0])
    real_a, real_b = ref[perm[:n]], ref[perm[n:2 * n]]
    fake = gen[rng.permutation(gen.shape[0])[:n]]
    f_a, f_b, f_fake = (backend.asnumpy(features(classifier, x)) for x in (real_a, real_b, fake))
    out["frechet_distance"] = frechet_distance(f_fake, f_a)
    out["frechet_floor"] = frechet_distance(f_b, f_a)
    out["frechet_samples"] = int(n)
    return out


def digits_metrics(fake01, labels=None) -> dict:
    """``image_metrics`` for generated 8×8 digits in [0, 1], judged by the reference CNN against all
    1,797 real digits (so the Fréchet floor uses two disjoint halves of 898)."""
    from minigan.classifier import reference_classifier
    from minigan.data.digits import load_digits

    real, _ = load_digits("all", scale="01")
    return image_metrics(reference_classifier("cnn"), fake01, real, intended_labels=labels)
