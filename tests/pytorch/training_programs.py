"""Training programs as a PyTorch user writes them, drawn from seeds, run under PyTorch (float64, the oracle) and
under minigan, and compared: what each program records (losses, gradients, parameters, buffers, optimizer and
scheduler state, reprs, the classes of the errors raised, the warnings given) must agree.

A program is a function ``prog(T, R)``: ``T`` is the library (``T.nn``, ``T.optim``, ``T.sched``, ``T.F``,
``T.utils``, and the top level), ``R`` the recorder, which also gives the program its data from a NumPy generator of
the seed and copies the same initial weights into both libraries (``R.init``).  The families:
tests/pytorch/training_programs_loops.py (training loops: model x loss x optimizer x scheduler x extras),
training_programs_modules.py (state_dict round trips, hooks, freezing, errors, reprs, init, checkpoint resume,
module utilities, RNNs, losses, optimizer API) and training_programs_corners.py (warnings, tied weights, module
API options, clip_grad, grad modes, norm layers, Embedding, optimizer skips).

    python tests/pytorch/training_programs.py loops 0:300     # a family over seeds: prints what differs
"""
import math
import traceback

import numpy as np
import pytest

import minigan
from minigan.surface import random as minigan_random

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


class NS:
    """A library as a program sees it: T.nn, T.optim, T.F, ..."""

    def __init__(self, lib):
        self.lib = lib
        self.name = "torch" if lib is torch else "minigan"
        self.nn = lib.nn
        self.F = lib.nn.functional
        self.optim = lib.optim
        self.sched = lib.optim.lr_scheduler
        self.utils = lib.nn.utils

    def __getattr__(self, k):
        return getattr(self.lib, k)


def to_np(x):
    return np.asarray(x.detach().cpu().numpy() if hasattr(x, "cpu") else x.detach().numpy())


class Rec:
    def __init__(self, T, seed):
        self.T = T
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.trace = []

    def data(self, *shape, scale=1.0):
        return self.T.tensor(self.rng.normal(0, scale, size=shape))

    def ints(self, hi, *shape):
        return self.T.tensor(self.rng.integers(0, hi, size=shape))

    def init(self, model, scale=0.4):
        with self.T.no_grad():
            for _name, p in model.named_parameters():
                p.copy_(self.T.tensor(self.rng.normal(0, scale, size=tuple(p.shape))))
        return model

    def t(self, label, x):
        if x is None:
            self.trace.append((label, "None"))
            return
        if isinstance(x, (list, tuple)):
            for i, y in enumerate(x):
                self.t(f"{label}[{i}]", y)
            return
        if isinstance(x, dict):
            self.trace.append((label + ".keys", sorted(map(str, x.keys()))))
            for k in sorted(x, key=str):
                self.t(f"{label}.{k}", x[k])
            return
        if hasattr(x, "detach"):
            self.trace.append((label, ("T", to_np(x).astype(np.float64) if to_np(x).dtype != bool else to_np(x),
                                       str(x.dtype).split(".")[-1], tuple(x.shape), bool(x.requires_grad))))
            return
        if isinstance(x, float):
            self.trace.append((label, ("F", x)))
            return
        self.trace.append((label, ("V", x)))

    def v(self, label, x):
        self.trace.append((label, ("V", x)))

    def grads(self, model, label="grad"):
        for n, p in model.named_parameters():
            self.t(f"{label}.{n}", p.grad)

    def params(self, model, label="param"):
        for n, p in model.named_parameters():
            self.t(f"{label}.{n}", p)

    def buffers(self, model, label="buf"):
        for n, b in model.named_buffers():
            self.t(f"{label}.{n}", b)

    def opt_state(self, opt, label="opt"):
        sd = opt.state_dict()
        for k, st in sorted(sd["state"].items()):
            for sk in sorted(st):
                self.t(f"{label}.state[{k}].{sk}", st[sk])
        for gi, g in enumerate(sd["param_groups"]):
            for k in sorted(g):
                if k == "params":
                    self.v(f"{label}.group{gi}.params", list(g[k]))
                elif isinstance(g[k], (int, float, bool, str, type(None))) or k == "betas":
                    self.v(f"{label}.group{gi}.{k}", g[k] if not isinstance(g[k], tuple) else list(g[k]))

    def expect_error(self, label, fn):
        try:
            out = fn()
        except Exception as e:  # noqa: BLE001
            self.trace.append((label, ("E", e)))
            return None
        self.trace.append((label, ("OK",)))
        return out


BUILTINS = (NotImplementedError, IndexError, KeyError, TypeError, ValueError, AttributeError, ZeroDivisionError,
            AssertionError, RuntimeError, StopIteration)


def builtin_of(e):
    for c in type(e).__mro__:
        if c.__module__ == "builtins" and c is not Exception and c is not BaseException:
            return c
    return Exception


def run(prog, lib, seed):
    """The program's record under ``lib``, in float64; the default dtype and the random state are put back."""
    T = NS(lib)
    rng = lib if lib is torch else minigan_random  # (minigan's state lives in surface/random.py: no top-level door)
    dtype, state = lib.get_default_dtype(), rng.get_rng_state()
    lib.set_default_dtype(lib.float64)
    R = Rec(T, seed)
    try:
        prog(T, R)
        R.trace.append(("end", ("OK",)))
    except Exception as e:  # noqa: BLE001  (an error is part of the record: its class is compared)
        R.trace.append(("raised", ("E", e)))
        R.tb = traceback.format_exc()
    finally:
        lib.set_default_dtype(dtype)
        rng.set_rng_state(state)
    return R


def same(a, b, rtol=1e-7, atol=1e-9):
    """Differences between two traces (PyTorch first) as a list of strings."""
    out = []
    ta, tb = a.trace, b.trace
    for i in range(max(len(ta), len(tb))):
        if i >= len(ta) or i >= len(tb):
            out.append(f"length: torch {len(ta)} minigan {len(tb)}; next torch {ta[i] if i < len(ta) else None!r:.200} "
                       f"minigan {tb[i] if i < len(tb) else None!r:.200}")
            break
        (la, x), (lb, y) = ta[i], tb[i]
        if la != lb:
            out.append(f"label {la} vs {lb}: torch {x!r:.300} minigan {y!r:.300}")
            break
        if x == "None" or y == "None":
            if x != y:
                out.append(f"{la}: torch {x!r:.200} minigan {y!r:.200}")
            continue
        if x[0] != y[0]:
            out.append(f"{la}: torch {x!r:.300} minigan {y!r:.300}")
            if x[0] == "E" or y[0] == "E":
                break
            continue
        if x[0] == "E":
            c = builtin_of(x[1])
            if not isinstance(y[1], c):
                out.append(f"{la}: exception torch {type(x[1]).__name__}({x[1]}) minigan {type(y[1]).__name__}({y[1]})")
            continue
        if x[0] == "T":
            _, va, da, sa, ra = x
            _, vb, db, sb, rb = y
            if sa != sb:
                out.append(f"{la}: shape {sa} vs {sb}")
                continue
            if da != db:
                out.append(f"{la}: dtype {da} vs {db}")
            if ra != rb:
                out.append(f"{la}: requires_grad {ra} vs {rb}")
            if not np.allclose(va, vb, rtol=rtol, atol=atol, equal_nan=True):
                err = np.nanmax(np.abs(np.asarray(va, float) - np.asarray(vb, float))) if va.size else 0
                out.append(f"{la}: values max|d|={err:.3g}")
            continue
        if x[0] == "F":
            if not (math.isclose(x[1], y[1], rel_tol=rtol, abs_tol=atol) or (math.isnan(x[1]) and math.isnan(y[1]))):
                out.append(f"{la}: {x[1]!r} vs {y[1]!r}")
            continue
        if x[0] == "V":
            va, vb = x[1], y[1]
            if isinstance(va, float) or isinstance(vb, float):
                try:
                    if math.isclose(float(va), float(vb), rel_tol=rtol, abs_tol=atol):
                        continue
                except (TypeError, ValueError):
                    pass
            if isinstance(va, list) and isinstance(vb, list) and len(va) == len(vb) and all(
                    isinstance(p, (int, float)) for p in va + vb):
                if np.allclose(va, vb, rtol=rtol, atol=atol):
                    continue
            if va != vb and str(va) != str(vb):
                out.append(f"{la}: torch {va!r:.300} minigan {vb!r:.300}")
    return out


def compare(prog, seed):
    a = run(prog, torch, seed)
    b = run(prog, minigan, seed)
    return same(a, b), a, b


def families():
    from pytorch import training_programs_corners, training_programs_loops, training_programs_modules

    return {"loops": training_programs_loops.program, "modules": training_programs_modules.program_misc,
            "more": training_programs_modules.program_more, "corners": training_programs_corners.program}


def differing(family, seeds):
    """[(seed, differences)] of the programs of ``family`` over ``seeds`` that do not agree."""
    import warnings

    make, out = families()[family], []
    for seed in seeds:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (a program that compares warnings records them itself)
            d, _, _ = compare(make(seed), seed)
        if d:
            out.append((seed, d))
    return out


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    family, span = sys.argv[1], sys.argv[2]
    a, b = map(int, span.split(":"))
    bad = differing(family, range(a, b))
    for seed, d in bad:
        print(seed, d[:3])
    print(f"{family}: {b - a} programs, {len(bad)} differ")
