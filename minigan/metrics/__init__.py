"""Metrics that make results comparable with the literature (see the design notes, "Metrics")."""

from minigan.metrics.images import (
    class_coverage,
    class_histogram,
    conditional_accuracy,
    frechet_distance,
    image_metrics,
    kl_to_uniform,
)
from minigan.metrics.manifold import density_coverage, knn_radii, manifold_metrics, precision_recall
from minigan.metrics.memorization import memorization_distance
from minigan.metrics.mixture import mixture_metrics, mode_metrics

__all__ = ["mixture_metrics", "mode_metrics", "frechet_distance", "image_metrics", "class_histogram",
           "class_coverage", "kl_to_uniform", "conditional_accuracy", "precision_recall", "density_coverage",
           "manifold_metrics", "knn_radii", "memorization_distance"]

from minigan.metrics.images import frechet_distance_from_stats  # noqa: E402

__all__ += ["frechet_distance_from_stats"]
