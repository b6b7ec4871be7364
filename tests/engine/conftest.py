"""Fixtures a module of this wing shares with its other half in another wing (its comparisons with
PyTorch, or its torch-free tests)."""

from engine.helpers_strict_backend import device  # noqa: F401  (a fixture)
