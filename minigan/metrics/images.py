"""Classifier-based metrics for generated images (see the design notes, "Metrics").

A classifier trained on the real images (``minigan.classifier.reference_classifier(dataset=...)``,
for the 8x8 digits, Fashion-MNIST or MNIST) judges the generated images:

* *conditional accuracy* (cGAN): the fraction of images asked to be class c that it classifies as c;
* *class coverage*: how many classes receive at least ``min_fraction`` of the predictions, and the
  KL divergence from the predicted-class histogram to uniform (0: balanced; log K: one class only);
* *Fréchet distance* in the classifier's feature space (the FID recipe with a digits judge):
  ``||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2))``, reported next to the *real-vs-real
  floor*: the distance between two disjoint sets of real digits of the same size. A finite sample
  never scores 0, even a perfect generator only reaches about the floor;
* *precision and recall* (Kynkäänniemi et al. 2019) and *density and coverage* (Naeem et al. 2020) in the
  same features (``minigan.metrics.manifold``): precision/density say how real the samples look, recall/
  coverage how much of the real data they reach; each beside its real-vs-real ceiling.

The matrix square root needs no SciPy: ``Tr((S_a S_b)^(1/2))`` equals the sum of the square roots of
the eigenvalues of the symmetric PSD matrix ``S_a^(1/2) S_b S_a^(1/2)`` (it is similar to S_a S_b),
and ``S_a^(1/2)`` comes from a symmetric eigen-decomposition. Everything runs on the host in float64.

Images go to the classifier as ``minigan.classifier`` expects them, (N, C, H, W) in [0, 1] (8×8 digits
may also be (N, 64) rows); pass ``value_range=(-1, 1)`` for a tanh generator and they are mapped with
(x + 1) / 2. ``dataset_metrics(fake01, "fashion-mnist")`` does it all with the data set's reference.
"""

from __future__ import annotations

from minigan import arguments
from minigan.engine.backend import np
from minigan.metrics.manifold import manifold_metrics
from minigan.surface.data import host_array

# k of the k-NN balls: 3 for precision and recall (Kynkäänniemi et al. 2019), 5 for density and coverage
# (Naeem et al. 2020), the papers' own choices.
MANIFOLD_K_PR, MANIFOLD_K_DC = 3, 5


# ----------------------------------------------------------------------------- helpers
def _num_classes(num_classes, fn: str) -> int:
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < 1:
        raise ValueError(f"{fn}: got num_classes={num_classes!r}, expected a positive integer")
    return int(num_classes)


def _labels(labels, num_classes: int, fn: str, name: str):
    """(N,) int64 class indices from integer labels, or from (N, K) scores/logits (their argmax)."""
    a = host_array(labels, fn, name, dtype=None)
    if a.ndim == 2:
        if a.shape[1] != num_classes:
            raise ValueError(f"{fn}: got {name} of shape {a.shape}, expected (N,) labels or (N, {num_classes}) scores")
        if a.dtype.kind == "f" and not np.isfinite(a).all():
            raise ValueError(f"{fn}: got {name} scores with NaN or inf entries")
        return a.argmax(axis=1).astype(np.int64)
    if a.ndim != 1:
        raise ValueError(f"{fn}: got {name} of shape {a.shape}, expected (N,) labels or (N, {num_classes}) scores")
    if a.dtype.kind == "f":
        if not (np.isfinite(a).all() and (a == np.round(a)).all()):
            raise TypeError(f"{fn}: got {name} of dtype {a.dtype} with non-integer values, expected class indices")
    elif a.dtype.kind == "b":
        raise TypeError(f"{fn}: got {name} of dtype bool, expected integer class indices")
    a = a.astype(np.int64)
    if a.size and (a.min() < 0 or a.max() >= num_classes):
        raise ValueError(f"{fn}: got {name} in {a.min()}..{a.max()}, expected class indices in 0..{num_classes - 1}")
    return a


def _features_2d(x, fn: str, name: str):
    a = host_array(x, fn, name)
    if a.ndim == 1:
        a = a[:, None]  # N scalar features
    if a.ndim != 2:
        raise ValueError(f"{fn}: got {name} of shape {a.shape}, expected (N, D) features")
    if a.shape[0] < 2:
        raise ValueError(f"{fn}: got {name} of shape {a.shape}, expected at least 2 samples for a covariance")
    if not np.isfinite(a).all():
        raise ValueError(f"{fn}: got {name} with NaN or inf entries, expected finite features")
    return a


def _classifier_images(images, value_range, fn: str):
    """Host float32 images in [0, 1] for ``minigan.classifier`` (which checks the shape itself)."""
    a = host_array(images, fn, "images", dtype=None)
    if a.dtype.kind != "f":
        raise TypeError(f"{fn}: got images of dtype {a.dtype}, expected floating point pixels")
    if a.ndim != 4 and not (a.ndim == 2 and a.shape[1] == 64):
        raise ValueError(f"{fn}: got images of shape {a.shape}, expected (N, C, H, W) (or (N, 64) for 8×8 digits)")
    if a.shape[0] == 0:
        raise ValueError(f"{fn}: got images of shape {a.shape}, expected at least one image")
    lo, hi = arguments.value_range(fn, value_range)
    a = a.astype(np.float64)
    if not np.isfinite(a).all():
        raise ValueError(f"{fn}: got images with NaN or inf pixels (a diverged generator?)")
    return ((a - lo) / (hi - lo)).astype(np.float32)


# ----------------------------------------------------------------------------- class histograms
def class_histogram(predictions, num_classes: int = 10):
    """Fraction (K,) float64 of the predictions in each class; ``predictions`` are (N,) labels or (N, K) scores."""
    fn = "class_histogram"
    k = _num_classes(num_classes, fn)
    pred = _labels(predictions, k, fn, "predictions")
    if pred.size == 0:
        raise ValueError(f"{fn}: got predictions of shape {pred.shape}, expected at least one prediction")
    return np.bincount(pred, minlength=k) / pred.size


def class_coverage(predictions, num_classes: int = 10, min_fraction: float = 0.0) -> int:
    """How many of the ``num_classes`` classes receive more than ``min_fraction`` of the predictions."""
    fn = "class_coverage"
    min_fraction = arguments.fraction(fn, "min_fraction", min_fraction)
    return int((class_histogram(predictions, num_classes) > min_fraction).sum())


def kl_to_uniform(hist) -> float:
    """KL(p || uniform) = sum_k p_k log(p_k K) of a histogram (counts or fractions; 0 log 0 = 0).

    0 for a uniform histogram, log K when everything falls in one class. An all-zero histogram
    scores log K (the convention of ``mode_metrics``: no evidence is as bad as a total collapse).
    """
    fn = "kl_to_uniform"
    h = host_array(hist, fn, "hist")
    if h.ndim != 1 or h.size == 0:
        raise ValueError(f"{fn}: got hist of shape {h.shape}, expected a non-empty 1-D histogram")
    if not np.isfinite(h).all() or (h < 0).any():
        raise ValueError(f"{fn}: got hist with negative, NaN or inf entries, expected counts >= 0")
    k, total = h.size, h.sum()
    if total == 0:
        return float(np.log(k))
    p = h[h > 0] / total
    return max(float(np.sum(p * np.log(p * k))), 0.0)


# ----------------------------------------------------------------------------- classifier scores
def conditional_accuracy(classifier, images, intended_labels=None, value_range=(0.0, 1.0)) -> float:
    """Fraction of generated images classified as the class they were generated for.

    ``conditional_accuracy(classifier, images, intended_labels)`` runs ``classifier`` (a
    ``minigan.classifier`` model, in evaluation mode, without a graph) on ``images`` (N, C, H, W)
    (the classifier's image shape) whose pixels span ``value_range``;
    ``conditional_accuracy(predictions, intended_labels)`` scores predictions (N,) (or scores (N, 10))
    that were computed already.
    """
    from minigan.classifier import NUM_CLASSES, predict
    from minigan.engine.grad_mode import no_grad

    fn = "conditional_accuracy"
    if intended_labels is None:  # the two-argument form: (predictions, intended_labels)
        predicted = _labels(classifier, NUM_CLASSES, fn, "predictions")
        labels = _labels(images, NUM_CLASSES, fn, "intended_labels")
        n = predicted.shape[0]
        what = f"predictions of shape {predicted.shape}"
    else:
        x = _classifier_images(images, value_range, fn)
        labels = _labels(intended_labels, NUM_CLASSES, fn, "intended_labels")
        n = x.shape[0]
        what = f"images of shape {x.shape}"
        predicted = None
    if labels.shape != (n,) or n == 0:
        raise ValueError(f"{fn}: got {what} and intended_labels of shape {labels.shape}, "
                         f"expected ({n},) labels, one per image, and at least one")
    if predicted is None:
        with no_grad():
            predicted = predict(classifier, x)
    return float((predicted == labels).mean())


# ----------------------------------------------------------------------------- Fréchet distance
def _sqrt_psd(s):
    """The symmetric square root of a symmetric PSD matrix (tiny negative eigenvalues clipped to 0)."""
    w, v = np.linalg.eigh((s + s.T) / 2)
    return (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T


def frechet_distance_from_stats(mu_a, cov_a, mu_b, cov_b) -> float:
    """||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)): the squared 2-Wasserstein distance of two Gaussians."""
    fn = "frechet_distance_from_stats"
    mu_a, mu_b = np.atleast_1d(host_array(mu_a, fn, "mu_a")), np.atleast_1d(host_array(mu_b, fn, "mu_b"))
    cov_a, cov_b = np.atleast_2d(host_array(cov_a, fn, "cov_a")), np.atleast_2d(host_array(cov_b, fn, "cov_b"))
    d = mu_a.shape[0]
    if mu_a.shape != (d,) or mu_b.shape != (d,) or cov_a.shape != (d, d) or cov_b.shape != (d, d):
        raise ValueError(f"{fn}: got mu_a {mu_a.shape}, cov_a {cov_a.shape}, mu_b {mu_b.shape}, cov_b {cov_b.shape}, "
                         "expected (D,), (D, D), (D,), (D, D)")
    for name, a in (("mu_a", mu_a), ("mu_b", mu_b), ("cov_a", cov_a), ("cov_b", cov_b)):
        if not np.isfinite(a).all():
            raise ValueError(f"{fn}: got {name} with NaN or inf entries")
    root_a = _sqrt_psd(cov_a)
    middle = root_a @ cov_b @ root_a  # similar to S_a S_b, but symmetric PSD
    eig = np.linalg.eigvalsh((middle + middle.T) / 2)
    tr_sqrt = float(np.sqrt(np.clip(eig, 0.0, None)).sum())
    diff = mu_a - mu_b
    value = float(diff @ diff + np.trace(cov_a) + np.trace(cov_b) - 2.0 * tr_sqrt)
    return max(value, 0.0)  # >= 0 in exact arithmetic; clamp rounding


def frechet_distance(feats_a, feats_b) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets (N_a, D) and (N_b, D).

    Means and (unbiased) covariances are computed on the host in float64; the sets may differ in
    size but not in D. (N,) inputs are N scalar features.
    """
    fn = "frechet_distance"
    a, b = _features_2d(feats_a, fn, "feats_a"), _features_2d(feats_b, fn, "feats_b")
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"{fn}: got feats_a of shape {a.shape} and feats_b of shape {b.shape}, "
                         "expected the same feature dimension D")
    return frechet_distance_from_stats(a.mean(axis=0), np.cov(a, rowvar=False), b.mean(axis=0),
                                       np.cov(b, rowvar=False))


# ----------------------------------------------------------------------------- all together
def image_metrics(classifier, generated, real, intended_labels=None, num_classes: int = 10, seed: int = 0,
                  value_range=(0.0, 1.0)) -> dict:
    """All image metrics of ``generated`` images, judged by ``classifier`` against ``real`` images.

    Both image sets are (N, C, H, W) of the classifier's image shape; ``value_range`` is the pixel range of *both*
    (use (-1, 1) for tanh outputs and real digits loaded with ``scale="pm1"``). Returns
    {"num_samples", "classes_covered", "class_counts", "kl_to_uniform", "frechet_distance",
    "frechet_floor", "frechet_samples", "precision", "recall", "density", "coverage" and the same four
    with "_real_vs_real"} and "conditional_accuracy" when ``intended_labels`` are given.

    The Fréchet distance and its floor use the same sample size n = min(N, len(real) // 2): two
    disjoint random subsets A and B of ``real`` (a fixed split seeded by ``seed``; minigan's own
    generators are untouched) and n random generated images. ``frechet_distance`` = FD(generated, A),
    ``frechet_floor`` = FD(B, A): what a generator that drew fresh real digits would score.
    Precision, recall, density and coverage (``minigan.metrics.manifold``: k-NN balls, k = 3 and 5) compare
    the same n generated images with A; "precision_real_vs_real" etc. compare B with A, their ceiling
    (a finite sample of real images scores below 1). They need n > 5 and are left out below.
    """
    from minigan.classifier import features, predict
    from minigan.engine.grad_mode import no_grad

    fn = "image_metrics"
    k = _num_classes(num_classes, fn)
    gen = _classifier_images(generated, value_range, fn)
    ref = _classifier_images(real, value_range, fn)
    n_gen, n_real = gen.shape[0], ref.shape[0]
    if n_gen < 2 or n_real < 4:
        raise ValueError(f"{fn}: got generated of shape {gen.shape} and real of shape {ref.shape}, "
                         "expected at least 2 generated and 4 real images")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"{fn}: got seed={seed!r}, expected an integer")
    labels = None
    if intended_labels is not None:
        labels = _labels(intended_labels, k, fn, "intended_labels")
        if labels.shape != (n_gen,):
            raise ValueError(f"{fn}: got generated of shape {gen.shape} and intended_labels of shape "
                             f"{labels.shape}, expected ({n_gen},) labels, one per image")

    with no_grad():  # predict/features also switch the model to eval mode and restore it afterwards
        predicted = predict(classifier, gen)
        hist = class_histogram(predicted, k)
        out = {"num_samples": int(n_gen), "classes_covered": class_coverage(predicted, k),
               "class_counts": [int(c) for c in np.bincount(predicted, minlength=k)],
               "kl_to_uniform": kl_to_uniform(hist)}
        if labels is not None:
            out["conditional_accuracy"] = float((predicted == labels).mean())

        n = min(n_gen, n_real // 2)
        rng = np.random.default_rng(int(seed))
        order = rng.permutation(n_real)
        real_a, real_b = ref[order[:n]], ref[order[n:2 * n]]
        fake = gen[rng.permutation(n_gen)[:n]]
        f_a, f_fake, f_b = (features(classifier, x) for x in (real_a, fake, real_b))
        out["frechet_distance"] = frechet_distance(f_fake, f_a)
        out["frechet_floor"] = frechet_distance(f_b, f_a)
        out["frechet_samples"] = int(n)
    if n > MANIFOLD_K_DC:  # every ball needs k other images
        out.update(manifold_metrics(f_a, f_fake, MANIFOLD_K_PR, MANIFOLD_K_DC))
        out.update({f"{name}_real_vs_real": value
                    for name, value in manifold_metrics(f_a, f_b, MANIFOLD_K_PR, MANIFOLD_K_DC).items()})
    return out


def digits_metrics(fake01, labels=None) -> dict:
    """``image_metrics`` for generated 8×8 digits in [0, 1], judged by the reference CNN against all
    1,797 real digits (so the Fréchet floor uses two disjoint halves of 898)."""
    return dataset_metrics(fake01, "digits", labels)


def dataset_metrics(fake01, dataset: str = "digits", labels=None) -> dict:
    """``image_metrics`` for generated images in [0, 1] of ``dataset`` ("digits", "fashion-mnist" or
    "mnist"), judged by its reference CNN. The real images: all 1,797 digits, or the 10,000 test images
    of a 28×28 data set (images the judge never trained on), so the floor compares two halves of 5,000."""
    from minigan.classifier import DATASETS, reference_classifier

    if dataset not in DATASETS:
        raise ValueError(f"dataset_metrics: got dataset={dataset!r}, expected one of {DATASETS}")
    if dataset == "digits":
        from minigan.data.digits import load_digits

        real, _ = load_digits("all", scale="01")
    else:
        from minigan.data.spec import load_image_dataset

        real = load_image_dataset(dataset)[2]
    judge = reference_classifier("cnn", dataset=dataset)
    return image_metrics(judge, fake01, real, intended_labels=labels)


__all__ = [
    "class_histogram", "class_coverage", "kl_to_uniform", "conditional_accuracy", "frechet_distance",
    "frechet_distance_from_stats", "image_metrics", "digits_metrics", "dataset_metrics",
]
