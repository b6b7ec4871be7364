"""Gradients through an EMPTY tensor under ``create_graph=True``, over the differentiable surface, against PyTorch
float64: which gradients exist, their shapes, values (zeros) and ``requires_grad``, to third order.

An empty tensor carries no values, so what is left to get right is the graph: whether a gradient that flowed through
it is part of a graph (and so has a second order).  PyTorch's rules, which minigan follows:

* most backward formulas run as for a tensor with entries: the gradient requires grad when the formula reads a
  tensor that does (sin's grad · cos x);
* a few formulas return early for an empty input: cumprod's and logcumsumexp's hand back the upstream gradient
  itself (a constant when it is one), cummax's and cummin's hand back their empty input (which requires grad);
* a view whose base (or the view itself) was changed in place gets its history again as as_strided of the base, and
  as_strided's backward of an empty view is a fresh zero tensor, part of no graph.

Each case of the create_graph table (tests/pytorch/test_create_graph_requires_grad.py) runs with its inputs cut to
empty slices of non-leaves (``v[:0]``, ``v[..., 1:1]``), as they are, after the slice was changed in place, and after
its base was.  ``python tests/pytorch/test_empty_tensor_gradients.py`` prints the cases that differ."""

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import minigan

if __name__ == "__main__":  # (run as a script: the tests' own packages)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pytorch.test_create_graph_requires_grad import CASES, _builtin  # noqa: E402

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

CUTS = ("v[:0]", "v[..., 1:1]")  # (its first dim emptied, its last)
CHANGES = ("", "slice.mul_(2.0)", "v.mul_(2.0)")  # nothing, the empty slice changed in place, its base changed


def _run(lib, code, shapes, cut, change):
    """Each order's gradients with respect to the leaves, as (shape, values, requires_grad) or None; a refusal as
    ("raised", class)."""
    rng = np.random.default_rng(0)
    seen = []
    try:
        leaves = [lib.tensor(rng.normal(size=s), dtype=lib.float64, requires_grad=True) for s in shapes]
        inputs = []
        for x in leaves:
            ns = {"v": x * 1.0}
            ns["slice"] = eval(cut, ns)  # noqa: S307  (the table's own code)
            exec(change, ns)  # noqa: S102
            inputs.append(ns["slice"])
        y = eval(code, {"torch": lib, "F": lib.nn.functional, **dict(zip("abc", inputs))})  # noqa: S307
        ys, gos = [y], [lib.ones_like(y)]
        for _ in range(3):
            gs = lib.autograd.grad(ys, leaves, gos, create_graph=True, allow_unused=True)
            seen.append([None if g is None else (tuple(g.shape), g.detach().numpy().tolist(), bool(g.requires_grad))
                         for g in gs])
            ys = [g for g in gs if g is not None and g.requires_grad]
            if not ys:
                break
            gos = [lib.ones_like(g) for g in ys]
    except Exception as e:  # noqa: BLE001  (a refusal is a result to compare)
        seen.append(("raised", _builtin(e)))
    return seen


def differences(case):
    name, code, shapes, _ = case
    out = []
    for cut in CUTS:
        for change in CHANGES:
            with warnings.catch_warnings():  # (a NumPy warning on the way is another comparison's business)
                warnings.simplefilter("ignore")
                theirs = _run(torch, code, shapes, cut, change)
                if theirs[0][0] == "raised":
                    continue  # PyTorch refuses the op on an empty input: the exception comparisons' business
                mine = _run(minigan, code, shapes, cut, change)
            if mine != theirs:
                out.append(f"{name} on {cut}{' after ' + change if change else ''}: minigan {mine}, PyTorch {theirs}")
    return out


# Cases still open: (name -> why).  Each is expected to differ (strict: one that comes to agree must leave the list).
OPEN = {}  # (instance_norm's empty input, once here, agrees with PyTorch's: its strict xfail passed)

# The default run takes every fifth case and the ops with a rule of their own; -m slow takes the rest.
OWN_RULES = {"cumprod", "logcumsumexp", "cummax", "cummin", "adaptive_avg_pool1d", "adaptive_max_pool1d", "abs",
             "sin", "slice", "unbind"}
FAST = [c for i, c in enumerate(CASES) if i % 5 == 0 or c[0] in OWN_RULES]


def _params(cases):
    return [pytest.param(c, marks=pytest.mark.xfail(reason=OPEN[c[0]], strict=True)) if c[0] in OPEN else c
            for c in cases]


@pytest.mark.parametrize("case", _params(FAST), ids=[c[0] for c in FAST])
def test_empty_tensor_gradients(case):
    assert differences(case) == []


@pytest.mark.slow
@pytest.mark.parametrize("case", _params([c for c in CASES if c not in FAST]),
                         ids=[c[0] for c in CASES if c not in FAST])
def test_empty_tensor_gradients_rest(case):
    assert differences(case) == []


@pytest.mark.parametrize("shape", [(4, 4), (0, 4, 4), (2, 8, 4), (0, 4), (1, 0, 4), (4, 0), (4,)])
def test_fold_of_one_sample_or_an_empty_batch(shape):
    """fold takes unbatched columns (C·kh·kw, L) and an empty batch, as PyTorch's; no channels or no columns are
    refused with PyTorch's class."""
    got = []
    for lib in (minigan, torch):
        x = lib.tensor(np.arange(float(np.prod(shape))).reshape(shape), dtype=lib.float64, requires_grad=True)
        try:
            y = lib.nn.functional.fold(x, (3, 3), 2)
            g, = lib.autograd.grad(y, x, lib.ones_like(y) * 0.5)
            got.append((tuple(y.shape), y.detach().numpy().tolist(), g.numpy().tolist()))
        except Exception as e:  # noqa: BLE001  (minigan's class is, or subclasses, PyTorch's)
            got.append({c.__name__ for c in type(e).__mro__} if lib is minigan else _builtin(e))
    mine, theirs = got
    assert theirs in mine if isinstance(theirs, str) else mine == theirs


if __name__ == "__main__":
    failing = 0
    for case in CASES:
        found = differences(case)
        failing += bool(found)
        for line in found:
            print(line[:400])
    print(f"{failing} of {len(CASES)} cases differ")
