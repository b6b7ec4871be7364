"""The exercises: every catalogue target exists in the library, a teacher's workspace passes every
exercise, a fresh one fails every exercise with its hint, grading is isolated and fast, works
without PyTorch, and the command line never overwrites a learner's work.

(Its torch-free tests: tests/product/test_exercises.py.)"""

from __future__ import annotations

import pytest


def test_the_closed_forms_the_grader_uses_are_torch_optim(monkeypatch):
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    del torch
    from minigan.exercises.checks import base, optim
    monkeypatch.setattr(base, "USE_TORCH", True)
    for name, closed, kws in (("SGD", optim._sgd_closed, [{"lr": 0.1, "momentum": 0.9, "dampening": 0.3},
                                                          {"lr": 0.1, "momentum": 0.9, "nesterov": True}]),
                              ("RMSprop", optim._rmsprop_closed, [{"lr": 0.01, "centered": True, "momentum": 0.5}]),
                              ("Adam", optim._adam_closed, [{"lr": 0.01, "betas": (0.5, 0.999), "eps": 1e-3,
                                                             "weight_decay": 0.1}])):
        for kw in kws:
            oracle = optim._torch_trajectory(name, base.GRADS, optim.THETA0, **kw)
            assert abs(closed(**kw) - oracle).max() < 1e-10, (name, kw)
