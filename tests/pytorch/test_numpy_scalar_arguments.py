"""NumPy scalars as number arguments, over the whole surface: PyTorch reads a NumPy scalar as the Python number it
holds (an integer one as an int, a floating or bool one as a float), never as a tensor of its dtype, so
``torch.logit(x32, eps=np.float64(1e-3))`` stays float32 and ``x_int * np.float16(2)`` is float32, the default
dtype, as ``x_int * 2.0``.

Every public name whose arguments the surface generator (tests/pytorch/surface_programs.py) drew a NumPy scalar for
in a range of programs is called again with that scalar of each NumPy dtype, its tensors float64 and then float32,
and compared with PyTorch (values, dtype, requires_grad, gradients, refusals).  A program whose difference stays
when its NumPy scalars are given as the Python numbers PyTorch reads them as is another class than this one: it is
counted, not asserted here."""

import functools
import math
import os
import pickle
import warnings
from pathlib import Path

import numpy as np
import pytest
from conftest import SCRATCH

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch import surface_programs as sp  # noqa: E402

SEEDS = range(11_100_000, 11_130_000)  # (development seeds: about 280 names draw a NumPy scalar here)
DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"]


def _numpy_scalars(v):
    return isinstance(v, tuple) and v[:1] == ("np",) or isinstance(v, list) and any(map(_numpy_scalars, v))


@functools.lru_cache(maxsize=1)
def _programs():
    """The first program of each name that draws a NumPy scalar: drawn once per run (30,000 programs, ~2.4 CPU-s)
    into the run's temporary folder (tests/conftest.py's SCRATCH); under pytest-xdist a lock makes the other
    workers wait for it and read it, not draw it again."""
    path = Path(SCRATCH) / "numpy_scalar_programs.pickle"
    with open(path.with_suffix(".lock"), "w") as lock:
        if os.name == "posix":
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if path.exists():
            return pickle.loads(path.read_bytes())
        first = _draw()
        path.with_suffix(".tmp").write_bytes(pickle.dumps(first))
        os.replace(path.with_suffix(".tmp"), path)
        return first


def _draw():
    first = {}
    for seed in SEEDS:
        p = sp.generate(seed)
        key = p["space"] + "." + p["name"]
        if key not in first and (_numpy_scalars(p["args"]) or _numpy_scalars(list(p["kwargs"].values()))):
            first[key] = p
    return first


def _as(v, dtype):
    """Each NumPy scalar in ``v`` as one of ``dtype`` holding (about) the number drawn."""
    if isinstance(v, tuple) and v[:1] == ("np",):
        x = v[2]
        if dtype == "bool":
            x = bool(x)
        elif dtype[0] in "iu":
            x = abs(int(x)) if math.isfinite(x) else 2
        return ("np", dtype, x)
    return [_as(x, dtype) for x in v] if isinstance(v, list) else v


def _python(v):
    """Each NumPy scalar in ``v`` as the Python number PyTorch reads it as (an int for an integer, else a float)."""
    if isinstance(v, tuple) and v[:1] == ("np",):
        return int(v[2]) if v[1][0] in "iu" else float(getattr(np, v[1])(v[2]))
    return [_python(x) for x in v] if isinstance(v, list) else v


def _differences(program):
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sp.differences(sp.run(minigan, program), sp.run(torch, program), program)


@pytest.mark.parametrize("float32", [False, True], ids=["float64", "float32"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_a_numpy_scalar_is_the_number_it_holds(dtype, float32):
    programs = _programs()
    assert len(programs) > 250  # (the survey reaches the surface's number arguments)
    wrong, other_class = [], []
    for key, p in programs.items():
        tensors = [dict(t, dtype="float32") if float32 and t["dtype"] == "float64" else t for t in p["tensors"]]
        p = {**p, "tensors": tensors, "args": _as(p["args"], dtype),
             "kwargs": {k: _as(v, dtype) for k, v in p["kwargs"].items()}}
        found = _differences(p)
        if not found:
            continue
        plain = {**p, "args": _python(p["args"]), "kwargs": {k: _python(v) for k, v in p["kwargs"].items()}}
        (other_class if _differences(plain) else wrong).append(f"{key} (seed {p['seed']}): {found[0]}")
    assert not wrong, f"{len(wrong)} names take a NumPy {dtype} otherwise than its number:\n" + "\n".join(wrong)
