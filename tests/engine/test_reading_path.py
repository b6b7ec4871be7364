"""The path a learner steps through: ``y = w * x; y.sum().backward()`` with ``import minigan`` as a user writes it.

Counted with ``sys.settrace``: the distinct source lines of minigan that run (the lines of its functions, not the
``def`` lines a call passes through), and the files they are in.  The target is a path a learner can read in one
sitting, all of it in the engine: at most 100 lines in at most 6 files, every one under minigan/engine/.
"""

import sys
from pathlib import Path

import numpy as np

import minigan

ROOT = Path(minigan.__file__).resolve().parent
TARGET = (100, 6)  # lines, files: the reading path as the engine's design promises it (met: 168 lines in 10 files
# before the layout PyTorch gives an elementwise result left the engine for minigan/surface/parity.py; 166 when the
# engine's sum read its array's dtype, not minigan.Tensor's; 145 in 6, all the engine's, when x.sum() became the
# engine's alone and an array's module was found by its type in one dict; 127 when Tensor._make became the one
# constructor, backward's check of requires_grad joined the seed's, the walk's optional steps each became one test on
# the plain path, and a node's free() one assignment; 126 when _make set a result's view fields in one line; 110 when
# NumPy 1.x's 0-d promotion left _make and record for minigan.Tensor's _make on NumPy 1.x (surface/parity.py), the
# saved records were made in one comprehension and checked in one test, the walk and accumulate silenced NumPy's
# warnings as decorators, and accumulate took the plain case first: a leaf's first gradient, an array of its kind
# and dtype held nowhere else, becomes its .grad as it is; 100 when the seed, a float pair of operands and the
# saved values at first order each took their plain case first, backprop resolved retain_graph itself, and
# topological_order took the seeds as they are)
# On NumPy 1.x the parity layer also runs its rule for an op's 0-d result (minigan.Tensor._make calls
# parity.numpy_2_promotes: NumPy 1.x promotes 0-d operands by value); those two functions are left out there.
NUMPY_1_RULE = {("surface/tensor.py", "_make"), ("surface/parity.py", "numpy_2_promotes")}
NUMPY_1 = np.__version__.startswith("1.")


def lines_run_by_the_reading_path() -> dict:
    """{file under minigan/: sorted line numbers} that ``w * x``, ``.sum()`` and ``.backward()`` run."""
    w = minigan.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x = minigan.tensor([4.0, 5.0, 6.0])
    (w * x).sum().backward()  # once first: what runs once per process (a lazy import, a cache) is not the path
    w.grad = None
    seen = set()

    def trace(frame, event, arg):
        path = Path(frame.f_code.co_filename)
        if not path.is_relative_to(ROOT):
            return None
        if NUMPY_1 and (str(path.relative_to(ROOT)), frame.f_code.co_name) in NUMPY_1_RULE:
            return None
        if event == "line":
            seen.add((str(path.relative_to(ROOT)), frame.f_lineno))
        return trace

    sys.settrace(trace)
    try:
        y = w * x
        y.sum().backward()
    finally:
        sys.settrace(None)
    assert w.grad.tolist() == [4.0, 5.0, 6.0]  # d(Σ w·x)/dw = x
    files = {}
    for name, line in sorted(seen):
        files.setdefault(name, []).append(line)
    return files


def test_the_reading_path_is_short_and_all_engine():
    files = lines_run_by_the_reading_path()
    assert all(name.startswith("engine/") for name in files), sorted(files)
    lines = sum(len(v) for v in files.values())
    assert lines <= TARGET[0] and len(files) <= TARGET[1], (lines, {k: len(v) for k, v in files.items()})
