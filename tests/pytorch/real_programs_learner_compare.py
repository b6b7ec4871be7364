"""test_real_programs_learner.py's comparison: a program's result, run under PyTorch and under minigan, flattened into
{path: value} and compared value by value."""


import numpy as np

import minigan
from pytorch.test_real_programs_learner import Own, Raised, torch


def _canon(x, path, out):
    """Flatten a program's result into {path: comparable value}."""
    if isinstance(x, (torch.Tensor, minigan.Tensor)):
        d = x.detach()
        out[path] = ("tensor", str(d.dtype).replace("minigan.", "torch."), tuple(d.shape), np.asarray(d.numpy()))
    elif isinstance(x, dict):
        for k, v in x.items():
            _canon(v, f"{path}.{k}", out)
    elif isinstance(x, (list, tuple)):
        out[path + ".len"] = len(x)
        for i, v in enumerate(x):
            _canon(v, f"{path}[{i}]", out)
    elif isinstance(x, str):
        out[path] = x.replace("minigan.", "torch.")  # (the dtype's printed name: docs/pytorch.md, Dtypes)
    elif isinstance(x, (torch.dtype, minigan.dtype)):
        out[path] = str(x).replace("minigan.", "torch.")
    else:
        out[path] = x


def _same(theirs, ours):
    if isinstance(theirs, tuple) and theirs[:1] == ("tensor",):
        if not (isinstance(ours, tuple) and ours[:1] == ("tensor",)) or theirs[1:3] != ours[1:3]:
            return False
        a, b = theirs[3], ours[3]
        if a.dtype.kind == "f":
            return np.allclose(b, a, rtol=1e-7 if a.dtype == np.float64 else 1e-5, atol=1e-12, equal_nan=True)
        return np.array_equal(a, b)
    if isinstance(theirs, Raised):
        return isinstance(ours, Raised) and theirs.kinds <= ours.kinds
    if isinstance(theirs, Own):
        return isinstance(ours, Own) and ours.value is True
    if isinstance(theirs, float) and isinstance(ours, float):
        return bool(np.isclose(ours, theirs, rtol=1e-7, atol=1e-13, equal_nan=True))
    return type(theirs) is type(ours) and theirs == ours


def _compare(program, seed=0):
    theirs, ours = {}, {}
    _canon(program(torch, seed), "", theirs)
    _canon(program(minigan, seed), "", ours)
    differ = [f"{k}: PyTorch {theirs.get(k, '<missing>')!r}, minigan {ours.get(k, '<missing>')!r}"
              for k in sorted(set(theirs) | set(ours)) if k not in theirs or k not in ours or
              not _same(theirs[k], ours[k])]
    assert not differ, f"{program.__name__}: {len(differ)} of {len(theirs)} differ:\n" + "\n".join(differ[:12])
