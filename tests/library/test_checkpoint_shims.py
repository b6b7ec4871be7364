"""The checkpoint shims are removed at the release their plan names (docs/guarantees.md, "Checkpoints of earlier
versions"): this fails once minigan's version reaches it, and while they stay, they still read what they were
kept for."""

from __future__ import annotations

from pathlib import Path

import pytest

import minigan
from minigan.gans import training
from minigan.optim import optimizer

DOCS = Path(__file__).resolve().parents[2] / "docs" / "guarantees.md"


def _version(text: str) -> tuple:
    return tuple(int(part) for part in text.split(".")[:3])


@pytest.mark.parametrize("shim, removed_in", [("renamed_state", optimizer.RENAMED_STATE_REMOVED_IN),
                                              ("SETTINGS_ADDED", training.SETTINGS_ADDED_REMOVED_IN)])
def test_each_shim_goes_at_its_planned_release(shim, removed_in):
    assert _version(minigan.__version__) < _version(removed_in), (
        f"minigan {minigan.__version__} is the release that removes {shim}: remove it, its entry in "
        "docs/guarantees.md and this test's row")
    assert shim in DOCS.read_text() and f"removed in {removed_in}" in DOCS.read_text()


def test_a_checkpoint_from_before_the_added_settings_resumes_with_the_values_it_ran_with():
    now = {"lr": 1e-3, **training.SETTINGS_ADDED}
    old = {"lr": 1e-3}  # written before the settings existed
    assert training.config_difference(old, now) is None
    assert training.config_difference(old, {**now, "r1": 0.5}) == ("r1=0.0", "r1=0.5")
