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


def _apart(e, g) -> tuple:
    """``e`` and ``g`` printed with the fewest significant digits (6 at least) that tell them apart."""
    for digits in range(6, 18):
        a, b = f"{float(e):.{digits}g}", f"{float(g):.{digits}g}"
        if a != b:
            return a, b
    return repr(float(e)), repr(float(g))


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
        want, have = _apart(e[i], g[i])
        off = abs(float(g[i]) - float(e[i])) if np.isfinite(g[i]) and np.isfinite(e[i]) else float("inf")
        return f"{what}:{at} expected {want}, got {have} (off by {off:.3g}; allowed {atol:g} + {rtol:g}·|expected|" \
               f" = {atol + rtol * abs(float(e[i])):.3g}); hint: {hint}"
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


def same(what, got, expected, hint):
    """``got`` is the same data as ``expected`` (names, keys, orders: what ``close`` cannot compare), or Fail.  In
    the learner's process only ``got`` is recorded (as ``close``'s value); the grader compares."""
    if ROLE == "student":
        RECORD.append(("same", what, None, {"value": _encode(got)}))
        return
    if ROLE == "reference":
        RECORD.append(("same", what, None, {"hint": hint, "value": _encode(expected)}))
    if _encode(got) != _encode(expected):
        raise Fail(f"{what}: expected {_encode(expected)!r:.200}, got {_encode(got)!r:.200}; hint: {hint}")


def check(condition, message, hint, site=None):
    """``condition`` holds, or Fail.  (The learner's process never runs this: its build of the checks calls
    ``observe`` instead, and the grader judges the condition: ``split.py``.)"""
    if ROLE == "reference":
        RECORD.append(("check", "", True, {"hint": hint, "id": site}))
    if not condition:
        raise Fail(f"{message}; hint: {hint}")


def _encode(v, depth=0):
    """A value a condition looks at, as data for the grader (JSON), or, when it is no data, the truth of it."""
    if v is None or isinstance(v, (bool, str)):
        return v[:400] if isinstance(v, str) else v
    if isinstance(v, (int, float, np.integer, np.floating, np.bool_)):
        return v.item() if isinstance(v, np.generic) else v
    if isinstance(v, np.dtype):
        return {"dtype": str(v)}
    if isinstance(v, type) and issubclass(v, np.generic):
        return {"type": v.__name__}
    if depth < 3 and isinstance(v, (list, tuple, set, frozenset)) and len(v) <= 64:
        items = [_encode(x, depth + 1) for x in v]
        if isinstance(v, list):
            return items
        if isinstance(v, tuple):
            return {"tuple": items}
        return {"set": items}
    if isinstance(v, np.ndarray) and v.size <= 64 and v.dtype.kind in "biuf":
        return {"array": v.tolist(), "dtype": str(v.dtype)}
    try:
        truth = bool(v)
    except Exception:  # noqa: BLE001 - an array of many values, say
        truth = None
    return {"opaque": type(v).__name__[:60], "truth": truth}


def _rec(seen, slot, value):
    """(the learner's build of a condition) keep what ``value`` is at ``slot``; hand it on unchanged."""
    seen[str(slot)] = _encode(value)
    return value


def observe(site, message, condition):
    """(the learner's build of ``check``) record the values ``condition`` looks at; what it comes to is no one's."""
    seen = {}
    condition(seen)
    RECORD.append(("check", " ".join(str(message).split())[:400], None, {"id": site, "leaves": seen}))


def raises(what, error, fn, hint):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the kind is the grader's to judge (or, in place, below)
        raised = e
    else:
        raised = None
    if ROLE == "student":  # what was raised, by its classes' names: the grader judges it
        names = None if raised is None else [k.__name__ for k in type(raised).__mro__][:20]
        RECORD.append(("raises", what, None, {"raised": names, "message": str(raised)[:300] if raised else ""}))
        return
    if ROLE == "reference":
        RECORD.append(("raises", what, True, {"hint": hint, "error": error.__name__}))
    if raised is None:
        raise Fail(f"{what}: expected {error.__name__}, nothing was raised; hint: {hint}")
    if not isinstance(raised, error):
        raise Fail(f"{what}: expected {error.__name__}, got {type(raised).__name__}: {raised}; hint: {hint}")


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

    _one_gradient_per_input(label, out, hint)
    analytic = autograd.grad(out, xs, grad_outputs=minigan.tensor(r), allow_unused=True)
    if ROLE != "student":  # (expected values: never computed in the learner's process, see split.py)
        numeric = _numeric_gradient(value, arrays)
    else:
        numeric = [None] * len(arrays)
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
    if ROLE != "student":
        numeric2 = _numeric_gradient(first_order_dot, arrays)
    else:
        numeric2 = [None] * len(arrays)
    if not pairs:
        if ROLE != "student":  # (the library's own answer: no second derivative here; the learner's took its path)
            flat = all(np.abs(n).max() < 1e-6 for n in numeric2)
        else:
            flat = True
        check(flat,
              f"{label}: under create_graph=True the gradients backward returned are not recorded in the graph (no op "
              "the graph records links them to the inputs), so no second derivative can be taken, not even one that "
              "is 0: the rule is that backward builds its gradients from ops on grad and the saved Tensors (a mask "
              "made by a comparison such as out > 0 is a constant and records nothing)",
              hint + " (use self.saved_tensors and ops on grad, not plain arrays)")
        return
    analytic2 = autograd.grad([g for g, _ in pairs], xs, grad_outputs=[v for _, v in pairs], allow_unused=True)
    for name, a, n in zip(NAMES, analytic2, numeric2):
        got = a if a is not None else np.zeros_like(n)
        close(f"{label}: second derivative (double backward) d/d{name} ⟨v, ∇⟩", got, n,
              hint + " (under create_graph=True, saved_tensors gives Tensors: use them, not plain arrays)",
              rtol=1e-4, atol=1e-6)


def _one_gradient_per_input(label, out, hint):
    """Fail saying the rule when the backward of ``out``'s node hands back anything but a tuple of gradients, one per
    input (a single array would be read as the gradients of its rows, and fail on a shape that says nothing)."""
    node = out.grad_fn
    if node is None:
        return
    try:
        with minigan.no_grad():  # (first order: the gradients are arrays)
            got = node.backward(np.ones(out.shape, dtype=out.numpy().dtype))
    except Exception:  # noqa: BLE001 - a backward that raises: the gradient check below says where
        return
    count = len(node.edges)
    if not isinstance(got, (tuple, list)) or len(got) != count:
        what = f"{len(got)} gradients" if isinstance(got, (tuple, list)) else \
            f"a {type(got).__name__}" + (f" of shape {tuple(got.shape)}" if hasattr(got, "shape") else "")
        raise Fail(f"{label}: backward returned {what} where a tuple of gradients is due, one per input ({count} "
                   "here; None for an input that needs none; (g,) for one input); hint: " + hint)


def _op_cases(cases, hint, second_order=False):
    for i, (label, fn, arrays) in enumerate(cases):
        gradcheck(label, fn, arrays, hint, second_order=second_order, seed=i)


def rn(*shape, seed=0):
    return rng(seed).standard_normal(shape)


def away_from_zero(*shape, seed=0):
    """Normal numbers with |x| ≥ 0.2 (so a kink at 0 is never within a finite-difference step)."""
    a = rn(*shape, seed=seed)
    return np.where(a >= 0, a + 0.2, a - 0.2)
