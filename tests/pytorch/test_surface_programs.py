"""Random programs drawn from the whole public surface (tests/pytorch/surface_programs.py) under minigan and PyTorch
float64.

The generator's own parts are checked here (it reads every surveyed name, its arguments come from the types, the
comparison sees a difference when there is one); the sweeps report their classes.  The fast slice runs in the default
suite; the long one is marked slow.  A difference in a class not yet fixed is reported by the sweep's summary
(``python tests/pytorch/surface_programs.py --seeds A:B``), and these tests hold the line where the classes are fixed:
no
silent wrong value, gradient, dtype or requires_grad among programs that both run."""

import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

from pytorch import surface_programs as sp  # noqa: E402

# Differences that are not silent (a refusal of another class than PyTorch's, one library refusing where the other
# runs, a layout) are counted by the summary; these are the silent ones: a wrong result from a call both run.
SILENT = ("value", "dtype", "shape", "requires_grad", "view", "identity", "first-order grad", "second-order grad",
          "grad mode")


def test_the_catalog_reads_the_whole_surveyed_surface():
    entries = sp.catalog()
    spaces = {space for space, *_ in entries}
    assert len(entries) > 650 and spaces >= {"torch", "torch.Tensor", "torch.nn.functional", "torch.linalg",
                                             "torch.nn.init", "torch.nn.utils"}
    names = {(space, name) for space, name, *_ in entries}
    assert ("torch.Tensor", "clamp_") in names and ("torch.nn.functional", "interpolate") in names
    clamp = dict(((s, n), o) for s, n, _, o in entries)[("torch.Tensor", "clamp_")]
    kinds = {tuple(a.kind for a in overload) for overload in clamp}
    assert ("opt_tensor", "opt_tensor") in kinds and ("opt_scalar", "opt_scalar") in kinds  # both of PyTorch's


def test_arguments_come_from_the_types():
    """Over a few hundred programs: NumPy scalars, tensors as bounds, views, in-place preparations, NaN and ±∞,
    every grad mode."""
    programs = [sp.generate(seed) for seed in range(400)]
    text = " ".join(str(p["args"]) + str(p["kwargs"]) for p in programs)
    assert "'np'" in text and "nan" in text and "inf" in text
    views = {s["view"][0] for p in programs for s in p["tensors"] if s["view"]}
    assert views >= {"permute", "slice", "expand", "t"}
    assert {s["prep"] for p in programs for s in p["tensors"]} >= {"fresh", "clone", "detach_", "no_grad_clone"}
    assert {p["mode"] for p in programs} >= set(sp.GRAD_MODES)
    assert {s["dtype"] for p in programs for s in p["tensors"]} >= {"float64", "float32", "int64", "bool"}
    assert any(np.isnan(s["values"]).any() for p in programs for s in p["tensors"] if s["dtype"] == "float64")


def test_the_comparison_sees_a_difference():
    """Two records that differ in a value, a gradient, an exception's class: each is found."""
    program = sp.generate(0)
    base = {"outcome": "ok", "grad_mode_after": True, "plain": None, "is_self": [], "first": [np.ones(3)],
            "second": None, "inputs_after": [],
            "results": [{"values": np.array([1.0, math.nan]), "dtype": "float64", "shape": (2,), "requires_grad": True,
                         "floating": True, "view_of": [], "flatten_view": False}]}
    assert sp.differences(base, base, program) == []
    other = {**base, "results": [{**base["results"][0], "values": np.array([1.0, 2.0])}]}
    assert [w for w, _ in sp.differences(other, base, program)] == ["value"]
    other = {**base, "first": [np.array([1.0, 2.0, 1.0])]}
    assert [w for w, _ in sp.differences(other, base, program)] == ["first-order grad"]
    ours = {"outcome": "raised", "stage": "call", "type": ValueError, "error": "ValueError: x", "grad_mode_after": True}
    theirs = {**ours, "type": IndexError, "error": "IndexError: x"}
    assert [w for w, _ in sp.differences(ours, theirs, program)] == ["exception type"]
    assert sp.differences({**ours, "type": IndexError}, theirs, program) == []


def _silent(result):
    return {what: n for what, n in result["classes"].items() if what in SILENT}


def test_a_fast_slice_of_surface_programs():
    """300 programs at seeds 0 to 299: none gives a silent wrong result (a refusal of another exception class than
    PyTorch's, or one library refusing where the other runs, is counted by the summary, not here)."""
    result = sp.sweep(0, 300)
    counts = result["counts"]
    assert sum(counts.values()) == 300 and counts["agree"] > 100 and counts["both_raise"] > 30, counts
    assert not _silent(result), {what: result["examples"][what] for what in _silent(result)}


@pytest.mark.slow
def test_twenty_thousand_surface_programs():
    """Seeds 3,000,000 to 3,019,999: the silent classes left (python tests/pytorch/surface_programs.py --seeds
    3000000:3020000 lists every class with its count)."""
    result = sp.sweep(3_000_000, 3_020_000)
    print("surface programs against PyTorch:", result["counts"], result["classes"])
    assert sum(result["counts"].values()) == 20_000
    assert not _silent(result), {what: (n, result["examples"][what]) for what, n in _silent(result).items()}


def test_its_command_line_runs_as_its_docstring_says():
    # (from the repository root, with nothing on PYTHONPATH: the survey it reads is tests/pytorch/signature_survey.py)
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "tests/pytorch/surface_programs.py", "--seeds", "17:19"], cwd=root,
                          capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": ""})
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert done.stdout.startswith("surface programs 17:19: 2 run;"), done.stdout[:500]
