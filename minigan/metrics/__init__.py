"""Metrics that make results comparable with the literature (see the design notes, "Metrics")."""

from minigan.metrics.mixture import mixture_metrics, mode_metrics

__all__ = ["mixture_metrics", "mode_metrics"]
