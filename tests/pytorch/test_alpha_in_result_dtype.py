"""``input ± alpha·other`` is computed in the result's dtype, as PyTorch's kernels compute it: alpha·other of a float32
or integer ``other`` added to a float64 ``input`` is not first rounded to float32 (nor an int32 ``other`` scaled in
int32 for an int64 result), over add, sub, subtract, rsub, their methods and in-place forms, against PyTorch float64
(values to float64's precision, the dtype, and the gradients to both operands)."""

import itertools
import warnings

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

FORMS = {
    "add": lambda lib, x, o, a: lib.add(x, o, alpha=a),
    "sub": lambda lib, x, o, a: lib.sub(x, o, alpha=a),
    "subtract": lambda lib, x, o, a: lib.subtract(x, o, alpha=a),
    "rsub": lambda lib, x, o, a: lib.rsub(x, o, alpha=a),
    "x.add": lambda lib, x, o, a: x.add(o, alpha=a),
    "x.sub": lambda lib, x, o, a: x.sub(o, alpha=a),
    "x.add(a, o)": lambda lib, x, o, a: x.add(a, o),
    "x.add_": lambda lib, x, o, a: (x * 1).add_(o, alpha=a),
    "x.sub_": lambda lib, x, o, a: (x * 1).sub_(o, alpha=a),
}
PAIRS = [("float64", "float32"), ("float64", "int64"), ("float64", "int32"), ("float32", "int64"),
         ("int64", "int32"), ("float64", "float64")]
ALPHAS = [3, 0.37, -1.1, 2**20]


def _run(lib, form, x_dtype, o_dtype, alpha):
    x_values = [1.1, -2.3, 0.1] if x_dtype.startswith("float") else [1, -2, 7]
    o_values = [0.1, 3.3, -7.7] if o_dtype.startswith("float") else [3, -5, 2**15]
    x = lib.tensor(x_values, dtype=getattr(lib, x_dtype), requires_grad=x_dtype.startswith("float"))
    o = lib.tensor(o_values, dtype=getattr(lib, o_dtype), requires_grad=o_dtype.startswith("float"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = FORMS[form](lib, x, o, alpha)
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return "raised", type(e)
    grads = []
    if out.requires_grad:
        leaves = [t for t in (x, o) if t.requires_grad]
        grads = [g.detach().numpy().astype(np.float64) for g in lib.autograd.grad((out * out).sum(), leaves)]
    return "ran", str(out.dtype).split(".")[-1], out.detach().numpy().astype(np.float64), grads


@pytest.mark.parametrize("form", sorted(FORMS))
def test_alpha_times_other_is_computed_in_the_result_dtype(form):
    differ = []
    for (x_dtype, o_dtype), alpha in itertools.product(PAIRS, ALPHAS):
        ours, theirs = _run(minigan, form, x_dtype, o_dtype, alpha), _run(torch, form, x_dtype, o_dtype, alpha)
        if theirs[0] == "raised" or ours[0] == "raised":
            same = ours[0] == theirs[0] and issubclass(ours[1], next(
                c for c in theirs[1].__mro__ if c.__module__ == "builtins"))
        else:
            rtol = 1e-6 if "float32" in (theirs[1],) else 1e-13
            same = ours[1] == theirs[1] and np.allclose(ours[2], theirs[2], rtol=rtol, atol=0) and len(
                ours[3]) == len(theirs[3]) and all(np.allclose(a, b, rtol=rtol, atol=0)
                                                   for a, b in zip(ours[3], theirs[3]))
        if not same:
            differ.append(f"{form} {x_dtype} {o_dtype} alpha={alpha}: minigan {ours[1:3]} | PyTorch {theirs[1:3]}")
    assert not differ, f"{len(differ)} differ, e.g.\n" + "\n".join(differ[:6])
