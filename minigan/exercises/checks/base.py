"""What every check is made of: where the checks run (``ROLE``), what they record (``RECORD``), the grader's seed,
and ``close``, ``check``, ``raises`` and ``gradcheck``, which name the input, the expected value, the value got, and
a hint.

The state ``runner.py`` sets lives here, and only here: ``ROLE``, ``USE_TORCH`` and, through ``set_seed``, ``SEED``
and ``GRADS``.  The modules of the exercise sets read it as ``base.NAME`` when it can change.
"""

from __future__ import annotations

import numpy as np

import minigan
from minigan import autograd


class Fail(AssertionError):
    """The first property that does not hold, in one line."""


# Where the checks run decides what ``close``, ``check`` and ``raises`` do (``runner.py`` sets it):
#   None         judge in place (raise Fail): the library's own tests run the checks on the library;
#   "student"    in the learner's process: record only what was GOT (data), judge nothing;
#   "reference"  in the grader's process, on the library: record what is EXPECTED, with tolerances and hints.
# The grader compares the two records; what the learner's process says about pass or fail counts for nothing.
ROLE = None
RECORD = []  # (kind, label, value, extra) in the order the check made them
SEED = 0  # the grader's seed for this grading (random inputs are unknown until grading starts)
USE_TORCH = False  # `exercises check --torch`: also compare with torch.optim (importing torch takes seconds)


def set_seed(seed):
    """Use the grader's ``seed`` for every random input of the checks."""
    global SEED, GRADS
    SEED = int(seed)
    GRADS = rng(7).standard_normal((6, 3)) * np.array([1.0, 1e-3, 30.0])


def reset():
    """Undo what a failed check may have left behind (grad mode off, say)."""
    minigan.set_grad_enabled(True)




# ----------------------------------------------------------------------------- helpers
def rng(seed=0):
    return np.random.default_rng([SEED, seed])


GRADS = rng(7).standard_normal((6, 3)) * np.array([1.0, 1e-3, 30.0])  # three scales: ε matters for the small one
# (the optimizers' checks step on them; set_seed draws them again from the grader's seed)


def T(a, grad=True):
    """A float64 leaf."""
    return minigan.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def _array(v):
    if v is None:
        return None
    if isinstance(v, minigan.Tensor):
        return v.detach().numpy()
    return np.asarray(v)


def _fmt(v):
    return f"{float(v):.6g}" if np.ndim(v) == 0 else np.array2string(np.asarray(v), precision=4, threshold=8)


def _data(v):
    """What the learner's process hands back for a value: a float64 array, or None when it is not numbers."""
    try:
        a = np.array(_array(v), dtype=np.float64)
    except Exception:  # noqa: BLE001 - a value that is no array of numbers: it matches nothing
        return None
    return a if a.size <= 1 << 22 else None


def compare(what, g, e, hint, rtol=1e-6, atol=1e-9):
    """None when the data ``g`` equals ``e`` within tolerance, else the one-line failure at the worst element."""
    e = np.asarray(e, dtype=np.float64)
    if g is None:
        return f"{what}: expected an array of shape {tuple(e.shape)}, got None; hint: {hint}"
    if g.shape != e.shape:
        return f"{what}: expected shape {tuple(e.shape)}, got shape {tuple(g.shape)}; hint: {hint}"
    g = g.astype(np.float64)
    bad = ~np.isclose(g, e, rtol=rtol, atol=atol, equal_nan=True)
    if bad.any():
        err = np.where(bad, np.nan_to_num(np.abs(g - e), nan=np.inf), -1.0)
        i = np.unravel_index(int(np.argmax(err)), e.shape) if e.ndim else ()
        at = f" at index {tuple(int(k) for k in i)}" if e.ndim else ""
        return f"{what}:{at} expected {_fmt(e[i])}, got {_fmt(g[i])}; hint: {hint}"
    return None


def close(what, got, expected, hint, rtol=1e-6, atol=1e-9):
    """``got`` equals ``expected`` (arrays or numbers) within tolerance, or Fail at the worst element."""
    if ROLE == "student":
        RECORD.append(("close", what, _data(got), None))
        return
    e = np.asarray(_array(expected), dtype=np.float64)
    if ROLE == "reference":
        RECORD.append(("close", what, e.copy(), {"hint": hint, "rtol": rtol, "atol": atol}))
    g = _array(got)
    failure = compare(what, None if g is None else np.asarray(g), e, hint, rtol, atol)
    if failure:
        raise Fail(failure)


def check(condition, message, hint):
    if ROLE == "student":
        RECORD.append(("check", " ".join(str(message).split())[:400], bool(condition), None))
        return
    if ROLE == "reference":
        RECORD.append(("check", "", True, {"hint": hint}))
    if not condition:
        raise Fail(f"{message}; hint: {hint}")


def raises(what, error, fn, hint):
    try:
        fn()
    except error:
        outcome = None
    except Exception as e:  # the wrong kind of error
        outcome = f"{what}: expected {error.__name__}, got {type(e).__name__}: {e}"
    else:
        outcome = f"{what}: expected {error.__name__}, nothing was raised"
    if ROLE == "student":
        RECORD.append(("raises", what, outcome is None, (outcome or "")[:400]))
        return
    if ROLE == "reference":
        RECORD.append(("raises", what, True, {"hint": hint}))
    if outcome:
        raise Fail(f"{outcome}; hint: {hint}")


def _numeric_gradient(value, arrays, eps=1e-6):
    """Central differences of the scalar ``value(*arrays)`` with respect to each array."""
    grads = []
    for a in arrays:
        g = np.zeros_like(a)
        for i in np.ndindex(a.shape):
            old = a[i]
            a[i] = old + eps
            up = value(*arrays)
            a[i] = old - eps
            down = value(*arrays)
            a[i] = old
            g[i] = (up - down) / (2 * eps)
        grads.append(g)
    return grads


NAMES = "abcdefgh"


def gradcheck(label, fn, arrays, hint, second_order=False, seed=0):
    """The gradient of ⟨r, fn(*inputs)⟩ (r random) by the learner's backward against central differences;
    with ``second_order`` also the gradient of ⟨v, ∇⟩ (double backward, create_graph=True)."""
    arrays = [np.array(a, dtype=np.float64) for a in arrays]
    r_gen = rng(seed)
    xs = [T(a) for a in arrays]
    out = fn(*xs)
    r = r_gen.standard_normal(out.shape)

    def value(*arrs):
        with minigan.no_grad():
            return float((fn(*[T(a, grad=False) for a in arrs]).detach().numpy() * r).sum())

    analytic = autograd.grad(out, xs, grad_outputs=minigan.tensor(r), allow_unused=True)
    numeric = _numeric_gradient(value, arrays)
    for name, a, n in zip(NAMES, analytic, numeric):
        close(f"{label}: d/d{name}", a, n, hint, rtol=1e-5, atol=1e-7)
    if not second_order:
        return
    vs = [r_gen.standard_normal(a.shape) for a in arrays]

    def first_order_dot(*arrs):
        ys = [T(a) for a in arrs]
        gs = autograd.grad(fn(*ys), ys, grad_outputs=minigan.tensor(r), allow_unused=True)
        return float(sum((_array(g) * v).sum() for g, v in zip(gs, vs) if g is not None))

    xs = [T(a) for a in arrays]
    gs = autograd.grad(fn(*xs), xs, grad_outputs=minigan.tensor(r), create_graph=True, allow_unused=True)
    pairs = [(g, minigan.tensor(v)) for g, v in zip(gs, vs) if g is not None and g.requires_grad]
    numeric2 = _numeric_gradient(first_order_dot, arrays)
    if not pairs:
        check(all(np.abs(n).max() < 1e-6 for n in numeric2),
              f"{label}: under create_graph=True the gradient has no graph of its own, so no second derivative "
              "(it should not be 0 here)", hint + " (use self.saved_tensors and ops on grad, not plain arrays)")
        return
    analytic2 = autograd.grad([g for g, _ in pairs], xs, grad_outputs=[v for _, v in pairs], allow_unused=True)
    for name, a, n in zip(NAMES, analytic2, numeric2):
        got = a if a is not None else np.zeros_like(n)
        close(f"{label}: second derivative (double backward) d/d{name} ⟨v, ∇⟩", got, n,
              hint + " (under create_graph=True, saved_tensors gives Tensors: use them, not plain arrays)",
              rtol=1e-4, atol=1e-6)


def _op_cases(cases, hint, second_order=False):
    for i, (label, fn, arrays) in enumerate(cases):
        gradcheck(label, fn, arrays, hint, second_order=second_order, seed=i)


def rn(*shape, seed=0):
    return rng(seed).standard_normal(shape)


def away_from_zero(*shape, seed=0):
    """Normal numbers with |x| ≥ 0.2 (so a kink at 0 is never within a finite-difference step)."""
    a = rn(*shape, seed=seed)
    return np.where(a >= 0, a + 0.2, a - 0.2)
