"""One harness for the parity sweeps: an op's doors, the arguments drawn for it, and one comparison with PyTorch.

A sweep is written once for both libraries: ``call(lib, *case)`` builds its inputs with ``lib`` (minigan or torch),
calls the op through one of its doors, and returns what a program would look at (the result, its gradients, a
``grad_fn`` name, a tuple of them).  Each case runs in PyTorch and in minigan, and ``same`` compares the two outcomes:

* a refusal: minigan refuses where PyTorch does, with an instance of the built-in class PyTorch's is one of (the
  class a program can catch alike); a call that runs where PyTorch refuses, or refuses where it runs, differs;
* a tensor or an array: the same dtype and shape, then the values: equal (NaN where PyTorch's is NaN), or as the
  call marked it: ``close(x, rtol, atol)`` within a tolerance, ``bits(x)`` bit for bit (each zero's sign too; a NaN
  where PyTorch's is NaN, whatever its payload; ``bits(x, where=s)`` only where an intermediate ``s`` both compute
  is bit for bit PyTorch's), ``near(x, exact, tol)`` within ``tol`` or, entry by entry, as near a more precise
  answer as PyTorch's is (where both round a cancellation far in float32);
* a tuple or list item by item, anything else by ``==``.

``to_second_order(L, fn, arrays, dtypes)`` is what a call at a door gives to compare, its gradients to the second
order included.

``sweep(call, cases, ...)`` makes the test: one test item per case, or one per group of cases (``group``: a sweep of
hundreds of cheap cases, each group's differences listed together).  Each sweep is a test function of its own, so
the default run keeps its own slice of it (tests/conftest.py: ``budget_the_sweep``, or ``default_slice`` with
``every``); ``-m parity`` runs every case.
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest
from conftest import PARITY_BUDGET, default_slice

from pytorch.exception_oracle import builtin_class

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402


def outcome(fn, *args):
    """``fn(*args)``, or the exception it raised (NumPy's floating-point warnings and PyTorch's silenced)."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*args)
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return e


class close(tuple):
    """A tensor compared within ``rtol``/``atol`` of PyTorch's (same dtype and shape; NaN where PyTorch's is NaN)."""

    def __new__(cls, x, rtol=0.0, atol=0.0):
        return super().__new__(cls, (x, rtol, atol))


class bits(tuple):
    """A tensor compared bit for bit with PyTorch's: the sign of each zero too (a NaN where PyTorch's is NaN); with
    ``where``, a tensor of the same shape both compute (an intermediate each library rounds its own way), only at
    the entries where that is bit for bit PyTorch's, which must be most of them."""

    def __new__(cls, x, where=None):
        return super().__new__(cls, (x, where))


class near(tuple):
    """A tensor compared within ``tol`` (relative and absolute) of PyTorch's, or else, entry by entry, no farther from
    ``exact`` (a more precise answer, e.g. PyTorch's in float64; a function of none that gives it, called only where
    needed) than twice PyTorch's own distance or ``tol`` of it: the same dtype and shape, NaN where PyTorch's is."""

    def __new__(cls, x, exact, tol):
        return super().__new__(cls, (x, exact, tol))


def _is_tensor(x) -> bool:
    return isinstance(x, (torch.Tensor, minigan.Tensor))


def _array(x) -> np.ndarray:
    if isinstance(x, torch.Tensor):  # (force: PyTorch's zero gradient of a kink may be a ZeroTensor)
        return x.detach().numpy(force=True)
    return x.detach().cpu().numpy() if _is_tensor(x) else np.asarray(x)


def _dtype(x) -> str:
    return str(x.dtype).split(".")[-1]


def same(ours, theirs, where="") -> str | None:
    """None where minigan's outcome ``ours`` is PyTorch's ``theirs``, else what differs (see the module's doc)."""
    refused = isinstance(theirs, BaseException) or isinstance(theirs, type) and issubclass(theirs, BaseException)
    if refused:
        kind = builtin_class(theirs)
        ok = isinstance(ours, kind) or isinstance(ours, type) and issubclass(ours, kind)
        return None if ok else f"{where}: PyTorch raises {theirs!r:.120}; minigan gives {ours!r:.120}"
    if isinstance(ours, BaseException):
        return f"{where}: PyTorch runs; minigan raises {ours!r:.160}"
    if theirs is None or ours is None:
        return None if ours is theirs else f"{where}: {ours!r:.120} vs PyTorch's {theirs!r:.120}"
    if isinstance(theirs, (close, bits, near)):
        if type(ours) is not type(theirs):
            return f"{where}: {ours!r:.120} vs PyTorch's {theirs!r:.120}"
        if isinstance(theirs, near):
            return _near(ours[0], theirs[0], theirs[1], theirs[2], where)
        if isinstance(theirs, close):
            return _same_values(ours[0], theirs[0], where, *theirs[1:])
        if theirs[1] is None:
            return _same_values(ours[0], theirs[0], where, exact_bits=True)
        if np.shape(_array(ours[1])) != np.shape(_array(theirs[1])):
            return f"{where}: the entries to compare at differ in shape"
        agree = _bitwise_equal(_array(ours[1]), _array(theirs[1]))
        if agree.mean() <= 0.5:
            return f"{where}: only {agree.mean():.0%} of the entries compared (where the two libraries agree)"
        return _same_values(_array(ours[0])[agree], _array(theirs[0])[agree], where, exact_bits=True)
    if _is_tensor(theirs) or isinstance(theirs, (np.ndarray, np.generic)):
        return _same_values(ours, theirs, where)
    if isinstance(theirs, (tuple, list)):
        if not isinstance(ours, (tuple, list)) or len(ours) != len(theirs):
            return f"{where}: {ours!r:.120} vs PyTorch's {theirs!r:.120}"
        return next((d for i, (o, t) in enumerate(zip(ours, theirs)) for d in [same(o, t, f"{where}[{i}]")] if d),
                    None)
    return None if ours == theirs else f"{where}: {ours!r:.120} vs PyTorch's {theirs!r:.120}"


def _same_values(ours, theirs, where, rtol=0.0, atol=0.0, exact_bits=False) -> str | None:
    if not (_is_tensor(ours) or isinstance(ours, (np.ndarray, np.generic))):
        return f"{where}: PyTorch gives a tensor, minigan {ours!r:.120}"
    if _dtype(ours) != _dtype(theirs):
        return f"{where}: dtype {_dtype(ours)}, PyTorch's {_dtype(theirs)}"
    got, want = _array(ours), _array(theirs)
    if got.shape != want.shape:
        return f"{where}: shape {got.shape}, PyTorch's {want.shape}"
    if exact_bits and got.dtype.kind == "f":  # (NaN where PyTorch's is NaN, every other entry's sign bit too)
        equal = _bitwise_equal(got, want).all()
    elif (rtol or atol) and got.dtype.kind in "fc":
        equal = np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
    else:
        equal = np.array_equal(got, want, equal_nan=got.dtype.kind in "fc")
    return None if equal else f"{where}: values\n{got!r:.300}\nPyTorch's\n{want!r:.300}"


def _bitwise_equal(got, want) -> np.ndarray:
    """Entry by entry: the same value, NaN where NaN, and the same sign of a zero."""
    with np.errstate(invalid="ignore"):
        return ((got == want) & (np.signbit(got) == np.signbit(want))) | (np.isnan(got) & np.isnan(want))


def _near(ours, theirs, exact, tol, where) -> str | None:
    differs = _same_values(ours, theirs, where, tol, tol)
    if differs is None or not differs.startswith(f"{where}: values"):
        return differs
    got, want = _array(ours).astype(np.float64), _array(theirs).astype(np.float64)
    truth = _array(exact() if callable(exact) else exact).astype(np.float64)
    with np.errstate(all="ignore"):
        ok = (np.abs(got - truth) <= np.maximum(2 * np.abs(want - truth), tol * (1 + np.abs(truth)))) | \
            (np.isnan(got) & np.isnan(want))
    return None if ok.all() else f"{differs}\nand farther from the exact answer\n{truth!r:.300}\nthan PyTorch's"


MINIGAN = os.path.dirname(minigan.__file__) + os.sep


def reached_minigan(error) -> bool:
    """Whether ``error`` was raised with minigan's code on the stack: a refusal of minigan's, not of the sweep's own
    code (a call written wrong raises alike in both libraries, and would otherwise pass as an agreement)."""
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith(MINIGAN):
            return True
        tb = tb.tb_next
    return False


def _gradients(L, grads, leaves, rtol, atol):
    """Gradients as compared: a missing one a zero one (PyTorch's zero gradient of a kink may be a ZeroTensor)."""
    return [close(L.zeros(tuple(t.shape), dtype=t.dtype) if g is None or getattr(g, "_is_zerotensor", bool)() else
                  g.detach(), rtol, atol) for g, t in zip(grads, leaves)]


def to_second_order(L, fn, arrays, dtypes, tol=None, second_tol=None):
    """What a program sees of ``fn(L, *tensors)``, the tensors made of ``arrays`` in ``dtypes`` (the floating ones
    requiring grad), up to its second derivative: the result (within ``tol``, rtol and atol), whether it requires
    grad, the gradients of Σ w·out (w cycling through 1.5, 2.5, 3.5, 0.5), and those of Σ g·(|g| + 1) over the first
    gradients that require grad (within ``second_tol``).  A refusal at a stage is that stage's outcome, compared by
    its class; minigan's must be one line.  The tolerances by default: 1e-9 (1e-11 absolute), or with a float32
    operand 1e-4 (1e-5), and its second order 5e-3 (1e-4: a second derivative of a negative order sums terms of
    opposite signs, rounded apart)."""
    f32 = "float32" in dtypes
    tol = tol or ((1e-4, 1e-5) if f32 else (1e-9, 1e-11))
    second_tol = second_tol or ((5e-3, 1e-4) if f32 else tol)
    tensors = []
    for a, dtype in zip(arrays, dtypes):
        t = L.tensor(a, dtype=getattr(L, dtype))
        tensors.append(t.requires_grad_() if t.is_floating_point() else t)
    out = outcome(fn, L, *tensors)
    if isinstance(out, Exception):
        if L is minigan and "\n" in str(out):
            return f"a refusal of more than one line: {out!r}"
        raise out
    seen = [close(out.detach(), *tol), out.requires_grad]
    leaves = [t for t in tensors if t.requires_grad]
    if not out.requires_grad:
        return seen
    w = L.tensor(np.arange(1, out.numel() + 1, dtype=np.float64).reshape(tuple(out.shape)) % 4 + 0.5, dtype=out.dtype)
    grads = outcome(lambda: L.autograd.grad((out * w).sum(), leaves, create_graph=True, allow_unused=True))
    if isinstance(grads, Exception):
        return [*seen, grads]
    live = [g for g in grads if g is not None and g.requires_grad]
    second = live and outcome(lambda: L.autograd.grad(sum((g * g.detach().abs().add(1.0)).sum() for g in live),
                                                      leaves, allow_unused=True))
    return [*seen, _gradients(L, grads, leaves, *tol), second if isinstance(second, Exception) or not live else
            _gradients(L, second, leaves, *second_tol)]


def check(call, cases, also=None) -> None:
    """Every case of ``cases`` gives in minigan what it gives in PyTorch (and ``also(ours, theirs)``, a check of the
    sweep's own, says nothing); the ones that differ are listed, and so are the cases whose call fails in both
    libraries before it reaches minigan."""
    differ = []
    for case in cases:
        ours, theirs = outcome(call, minigan, *case), outcome(call, torch, *case)
        if isinstance(ours, Exception) and isinstance(theirs, Exception) and not reached_minigan(ours):
            differ.append(f"{case!r}: the sweep's call fails before it reaches minigan: {ours!r:.200}")
            continue
        differs = same(ours, theirs, repr(case)) or also and also(ours, theirs) and f"{case!r}: {also(ours, theirs)}"
        if differs:
            differ.append(differs)
    assert not differ, f"{len(differ)} of {len(cases)} differ:\n" + "\n".join(differ[:6])


def sweep(call, cases, group=None, every=None, ids=None, also=None, cover=()):
    """The test of ``call`` over ``cases`` (tuples of its arguments after ``lib``, or ``pytest.param``s of them,
    whose marks are kept): one item per case, or per value of ``group(*case)`` (with its cases' marks).  The default
    run keeps every ``every``-th item (by default about PARITY_BUDGET of them) and, of single cases, each value of
    each argument, and each value of a ``cover`` function of the case (of a group: of its first case) at least once;
    ``-m parity`` runs the rest.
    ``also(ours, theirs)``: a check of the sweep's own after the comparison (a message where they differ).  Assign
    the test to a name that starts with ``test_``."""
    params = [c if isinstance(c, type(pytest.param())) else pytest.param(*(c if isinstance(c, tuple) else (c,)))
              for c in cases]
    if group is None:
        items = [pytest.param([tuple(c.values)], marks=c.marks, id=ids(*c.values) if ids else "-".join(map(
            str, c.values))) for c in params]
        cover = [lambda cs, i=i: repr(cs[0][i]) for i in range(len(params[0].values))] + \
            [lambda cs, key=key: repr(key(*cs[0])) for key in cover]
    else:
        groups, marks = {}, {}
        for c in params:  # (a group carries its cases' marks)
            groups.setdefault(group(*c.values), []).append(tuple(c.values))
            marks.setdefault(group(*c.values), {}).update({repr(m): m for m in c.marks})
        items = [pytest.param(cs, id=str(key), marks=list(marks[key].values())) for key, cs in groups.items()]
        cover = [lambda cs, key=key: repr(key(*cs[0])) for key in cover]  # (of a group: of its first case)
    if every or len(items) > PARITY_BUDGET:
        items = default_slice(items, every or max(1, len(items) // PARITY_BUDGET), cover=cover)

    @pytest.mark.parametrize("cases", items)
    def test(cases):
        check(call, cases, also)
    return test
