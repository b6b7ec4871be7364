"""Composed programs: 2-6 public calls that feed one another, run under minigan and under PyTorch, traces compared.

Where the surface programs (surface_programs.py) draw one call each, these compose: views (expand, permute,
transpose, slices with steps, narrow, view/reshape, split/chunk/unbind, squeeze, movedim), in-place ops on views and
on bases (add_, mul_, clamp_, masked_fill_, index_add_, scatter_, copy_, fill_, zero_, x[i] = v, +=), operands that
require grad written into tensors that do not, grad-mode blocks (no_grad, set_grad_enabled(False), enable_grad inside
no_grad, no_grad as a function's and a generator's decorator), detach/detach_, .data (read and assigned),
requires_grad_, retain_grad, register_hook, autograd.grad with create_graph then a second backward,
autograd.Function subclasses, NaN/±inf/-0.0, empty and 0-d tensors, five dtypes and their promotion, NumPy scalars.

A program is a list of steps; each reads tensors of a pool by index and may add one.  The steps are drawn while the
program runs under PyTorch (so shapes fit), then replayed under minigan.  Each step records what a learner looks at:
values, dtype, shape, requires_grad, is_leaf, whether grad_fn is None, view-ness (``_base``, by its place in the
pool), every tensor's version counter and values, or the exception's built-in classes.  A loss made of some tensors is
then differentiated (backward, twice with retain_graph, or autograd.grad with create_graph and a second backward) and
the gradients, retained gradients and what each hook saw are recorded.

A difference is either one of KNOWN's classes (each says why it stays: a difference listed in docs/pytorch.md, or one
measured and left) or a failure.  ``python tests/pytorch/composed_programs.py --seeds 0:2000`` sweeps;
``--show SEED`` prints one program, minimised, with both traces.  (inference_mode is left out: minigan has no
inference tensors, docs/pytorch.md; a hook is never registered under no_grad: PyTorch 2.13 crashes with a
segmentation fault registering one on a view whose base changed in place.)
"""

import sys
from pathlib import Path

import numpy as np

TESTS = str(Path(__file__).resolve().parents[1])
if TESTS not in sys.path:  # run as a script: its first half is pytorch.composed_programs_steps, under tests/
    sys.path.insert(0, TESTS)
from pytorch.composed_programs_steps import _tol, execute  # noqa: E402  (its first half: the steps)


def same_values(a, b, dt="float64"):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "biu" or b.dtype.kind in "biu":
        return a.dtype == b.dtype and np.array_equal(a, b)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    if not np.array_equal(np.isnan(a64), np.isnan(b64)):
        return False
    fin = np.isfinite(a64) & np.isfinite(b64)
    if not np.array_equal(np.isinf(a64), np.isinf(b64)) or not np.array_equal(a64[~fin & ~np.isnan(a64)],
                                                                              b64[~fin & ~np.isnan(b64)]):
        return False
    t = _tol(dt)
    return bool(np.allclose(a64[fin], b64[fin], rtol=t, atol=t))


def compare_entry(a, b):
    """None when two trace entries agree, else a short description."""
    if a[0] != b[0]:
        if a[0].startswith("raise") or b[0].startswith("raise"):
            return "torch %s / minigan %s" % (a[0] + (":" + a[2] if a[0].startswith("raise") else ""),
                                              b[0] + (":" + b[2] + " " + b[3] if b[0].startswith("raise") else ""))
        return "kind %s/%s" % (a[0], b[0])
    if a[0] in ("raise", "raise_fin"):
        # PyTorch's class must be one minigan's exception is an instance of
        if not set(a[1]) <= set(b[1]):
            return "exception class torch %s%s / minigan %s%s: %s" % (a[2], a[1], b[2], b[1], b[3])
        return None
    if a[0] == "skip":
        return None
    if a[0] == "ok":
        if a[1] == "none" or b[1] == "none":
            return None if a[1] == b[1] else "result none/tensor"
        oa, ob = a[1], b[1]
        for key in ("shape", "dtype", "rg", "leaf", "fn", "base"):
            if oa[key] != ob[key]:
                return "%s torch %r / minigan %r" % (key, oa[key], ob[key])
        worst = max((_tol(str(v.dtype)), str(v.dtype)) for v in a[3])[1]  # (a float32 value rounded once, then
        if not same_values(oa["values"], ob["values"], worst):  # widened, differs by float32's ulp)
            return "values"
        if any(va is not None and va != vb for va, vb in zip(a[2], b[2])):
            return "versions torch %r / minigan %r" % (a[2], b[2])
        for k, (pa, pb) in enumerate(zip(a[3], b[3])):
            if not same_values(pa, pb, worst):
                return "pool[%d] values after step" % k
        return None
    if a[0] == "finish":
        fa, fb = a[1], b[1]
        worst = fa[0][4] if fa and fa[0][0] == "loss" else "float64"
        if len(fa) != len(fb):
            return "finish length"
        for ea, eb in zip(fa, fb):
            if ea[0] != eb[0]:
                return "finish %s/%s" % (ea[0], eb[0])
            if ea[0] == "loss":
                if ea[2:] != eb[2:] or not same_values(ea[1], eb[1], ea[4]):
                    return "loss %r/%r" % (ea[2:], eb[2:])
            elif ea[0] == "grads":
                for ga, gb in zip(ea[1], eb[1]):
                    if (ga is None) != (gb is None):
                        return "autograd.grad None torch %s / minigan %s" % (ga is None, gb is None)
                    if ga is not None and (ga[1] != gb[1] or not same_values(ga[0], gb[0], worst)):
                        return "autograd.grad value/requires_grad (rg %s/%s)" % (ga[1], gb[1])
            elif ea[0] == "grad":
                ga, gb = ea[2], eb[2]
                if (ga is None) != (gb is None):
                    return "pool[%d].grad None torch %s / minigan %s" % (ea[1], ga is None, gb is None)
                if ga is not None and (ga[1] != gb[1] or not same_values(ga[0], gb[0], worst)):
                    return "pool[%d].grad values/dtype" % ea[1]
            elif ea[0] == "hooks":
                if len(ea[1]) != len(eb[1]):
                    return "hook count"
                for ha, hb in zip(ea[1], eb[1]):
                    if len(ha) != len(hb):
                        return "hook calls torch %d / minigan %d" % (len(ha), len(hb))
                    for x, y in zip(ha, hb):
                        if not same_values(x, y, str(x.dtype)):
                            return "hook saw other values"
    return None


def first_difference(prog, ta, tb):
    """(the index of the first entry where two traces differ, a short description), or (None, None)."""
    for k, (a, b) in enumerate(zip(ta, tb)):
        d = compare_entry(a, b)
        if d:
            steps = prog["steps"]
            where = ("%s/%s/%s" % (steps[k]["kind"], steps[k]["op"], steps[k]["mode"]) if k < len(steps)
                     else "finish/" + prog["fin"]["how"])
            return k, where + " :: " + d
    if len(ta) != len(tb):
        return min(len(ta), len(tb)), "trace length"
    return None, None


def compare(prog_or_seed):
    """(the program, the index of its first difference, what differs): a seed is drawn, a program replayed."""
    if isinstance(prog_or_seed, int):
        prog, ta = execute("torch", None, draw_seed=prog_or_seed)
    else:
        prog = prog_or_seed
        _, ta = execute("torch", prog)
    _, tb = execute("minigan", prog)
    k, d = first_difference(prog, ta, tb)
    return prog, k, d


def _made(prog):
    """For each step, the pool index it made under PyTorch (None when it made none)."""
    _, trace = execute("torch", prog)
    made, n = [], 0
    for e in trace[:len(prog["steps"])]:
        if e[0] == "ok" and e[1] != "none" or e[0] == "raise_obs":
            made.append(n)
            n += 1
        else:
            made.append(None)
    return made


def _drop(prog, k, made):
    p = made[k]
    steps = []
    for q, s in enumerate(prog["steps"]):
        if q == k:
            continue
        s = dict(s)
        for key in ("i", "j"):
            if key in s and p is not None and s["kind"] != "new":
                if s[key] == p:
                    return None
                if s[key] > p:
                    s[key] -= 1
        steps.append(s)
    fin = dict(prog["fin"])
    if p is not None:
        if p in fin["picks"]:
            return None
        fin["picks"] = [x - 1 if x > p else x for x in fin["picks"]]
    return {"steps": steps, "fin": fin}


def minimise(prog):
    """Drop steps while the program still differs the same way."""
    _, k0, d0 = compare(prog)
    if k0 is None:
        return prog, None
    key = d0.split(" :: ")[1].split(" ")[0]
    changed = True
    while changed:
        changed = False
        made = _made(prog)
        for k in range(len(prog["steps"]) - 1, -1, -1):
            cand = _drop(prog, k, made)
            if cand is None:
                continue
            try:
                _, k1, d1 = compare(cand)
            except Exception:  # noqa: BLE001
                continue
            if k1 is not None and d1.split(" :: ")[1].split(" ")[0] == key:
                prog, d0, changed = cand, d1, True
                break
    return prog, d0


def describe(prog):
    lines = []
    for s in prog["steps"]:
        s = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in s.items()}
        lines.append(repr(s))
    lines.append("fin " + repr(prog["fin"]))
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------------------------
# The classes a difference may belong to and stay: (name, why, test of the two trace entries where they first differ)

def _msg(e):
    return e[3] if e[0].startswith("raise") else ""


KNOWN = [
    ("a freed graph walked again through nodes that saved nothing",
     "PyTorch frees only saved values, so a second walk through nodes that saved none (sum, mean, add, views) runs; "
     "minigan frees the whole node and refuses (GraphError, a RuntimeError): measured, left",
     lambda a, b: "second time" in _msg(b) and not a[0].startswith("raise")),
    ("a saved tensor changed in place that minigan's backward does not read",
     "docs/pytorch.md: PyTorch refuses at backward, minigan's result is the true one",
     lambda a, b: "modified by an inplace operation" in _msg(a) and not b[0].startswith("raise")),
    ("a saved tensor detach_()ed in place that minigan's backward does not read",
     "docs/pytorch.md (a saved tensor changed in place or detach_()ed): PyTorch refuses at backward, minigan runs",
     lambda a, b: "detached in-place" in _msg(a) and not b[0].startswith("raise")),
    ("the version of a vector-matrix product",
     "PyTorch computes x @ W for a 1-d x through an internal in-place op, so its result starts at version 1 (an "
     "implementation detail); minigan's at 0: measured, left",
     lambda a, b: False),  # (told by classify, which sees the step)
    ("view() of a computed tensor that NumPy laid out otherwise",
     "docs/pytorch.md: PyTorch refuses, minigan copies",
     lambda a, b: "view size is not compatible" in _msg(a) and b[0] == "ok"),
    ("x.data = another tensor after x was used in the graph",
     "PyTorch's recorded nodes then read the new data (or check the old shape), minigan's keep the values they saved: "
     "measured, left",
     lambda a, b: "invalid gradient at index" in _msg(a)),
    ("a stale view used by an op that records nothing",
     "docs/pytorch.md: a split/chunk/unbind (or no_grad) view whose base changed in place, used by an op that records "
     "nothing (an integer cast): PyTorch refuses at the next recorded op, minigan at that op",
     lambda a, b: "changed in place since" in _msg(b) and a[0] == "ok" and not a[1]["fn"] and not a[1]["rg"]),
    ("an autograd.Function that records nothing, returning its input",
     "nothing recorded: minigan returns the input detached (a tensor on its memory), PyTorch a view of the input: "
     "measured, left (the values and flags agree)",
     lambda a, b: False),  # (told by classify, which sees the step)
    ("an empty gradient through a view regenerated after an in-place change",
     "PyTorch regenerates the grad_fn of a view whose base changed in place as AsStridedBackward0, whose backward of "
     "0 elements returns plain zeros (no graph), so autograd.grad(create_graph=True) gives an empty gradient that "
     "does not require grad; minigan replays the view's own ops (PermuteBackward0 ...), as PyTorch does without the "
     "in-place change: an implementation detail, measured, left (the values agree)",
     lambda a, b: False),  # (told by classify, which sees the steps)
]


def classify(prog, k, ta, tb):
    """The KNOWN class of a difference at entry k (None when it is in none)."""
    a, b = ta[k], tb[k]
    for name, _why, test in KNOWN:
        if test(a, b):
            return name
    if any(s["op"] == "set_data" for s in prog["steps"][:k + 1]):
        return "x.data = another tensor after x was used in the graph"
    if k < len(prog["steps"]) and prog["steps"][k]["op"] == "matmul" and a[0] == b[0] == "ok" and \
            isinstance(a[1], dict) and (a[2][-1], b[2][-1]) == (1, 0) and a[2][:-1] == b[2][:-1]:
        return "the version of a vector-matrix product"
    grads = [e[1] for e in (a[1] + b[1] if a[0] == b[0] == "finish" else []) if e[0] == "grads"]
    empty = len(grads) == 2 and any(u is not None and u[0].size == 0 and (u[1], v[1]) == (False, True)
                                    for u, v in zip(*grads))  # (the class's own difference, at least once)
    if empty and any(s["kind"] == "inplace" for s in prog["steps"]) and all(
            (u is None) == (v is None) and (u is None or u[0].size == 0 and not u[1] or  # (the finish's first
                                            u[1] == v[1] and same_values(u[0], v[0], str(u[0].dtype)))  # difference
            for u, v in zip(*grads)):  # is then an empty gradient's requires_grad; the later ones follow from it)
        return "an empty gradient through a view regenerated after an in-place change"
    if k < len(prog["steps"]) and prog["steps"][k]["op"] == "First" and a[0] == b[0] == "ok" and \
            not a[1]["rg"] and a[1]["base"] != -2 and b[1]["base"] == -2:
        return "an autograd.Function that records nothing, returning its input"
    return None


def sweep(start, stop):
    """Every program of seeds start..stop-1: counts by KNOWN class, and the differences in none."""
    counts, unknown = {"programs": 0, "agree": 0}, []
    for seed in range(start, stop):
        counts["programs"] += 1
        prog, ta = execute("torch", None, draw_seed=seed)
        _, tb = execute("minigan", prog)
        k, d = first_difference(prog, ta, tb)
        if d is None:
            counts["agree"] += 1
            continue
        name = classify(prog, k, ta, tb)
        if name is None:
            unknown.append((seed, d))
        else:
            counts[name] = counts.get(name, 0) + 1
    return counts, unknown


def show(seed):
    prog, _ = execute("torch", None, draw_seed=seed)
    prog, d = minimise(prog)
    print("seed", seed, "minimised:", d)
    _, ta = execute("torch", prog)
    _, tb = execute("minigan", prog)
    for k, s in enumerate(prog["steps"]):
        print(k, {key: (v.tolist() if isinstance(v, np.ndarray) else v) for key, v in s.items()})
        for who, t in (("  PyTorch:", ta), ("  minigan:", tb)):
            e = t[k] if k < len(t) else None
            if e and e[0] == "ok" and isinstance(e[1], dict):
                e = ("ok", {key: v for key, v in e[1].items() if key != "values"}, e[1]["values"].tolist(), e[2])
            print(who, e)
    print("finish", prog["fin"])
    print("  PyTorch:", ta[-1])
    print("  minigan:", tb[-1])


if __name__ == "__main__":
    import argparse

    import minigan

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default="0:1000", help="A:B, the programs' seeds")
    parser.add_argument("--show", type=int, help="print one program, minimised, with both traces")
    args = parser.parse_args()
    minigan.set_num_threads(1)
    if args.show is not None:
        show(args.show)
    else:
        a, b = (int(v) for v in args.seeds.split(":"))
        counts, unknown = sweep(a, b)
        for seed, d in unknown:
            print(seed, d)
        print(counts, "unknown:", len(unknown))
