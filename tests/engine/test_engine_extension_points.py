"""The library above the engine changes the engine only through the seams the engine declares, and those hold what
is declared for them.

``minigan.engine.SEAMS`` lists every seam by kind.  Bindings: a fresh interpreter imports the engine alone, notes every
class and module of it, then imports the whole library and compares: a name added to, or replaced in, an engine class
or module that is not a declared attribute fails here, and so does a declared attribute that nothing sets (the
declaration would have gone stale).  Contents: the names minigan.Tensor replaces are the declared list
(minigan/surface/tensor.py's ENGINE_NAMES_REPLACED); a hook method is one the engine defines; no node has its
``backward`` replaced (a node's own hooks are run by the walk); no engine op is subclassed outside the engine.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import minigan.engine

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, inspect, json, pkgutil, sys, types
import minigan.engine

def engine_modules():
    for info in pkgutil.walk_packages(minigan.engine.__path__, "minigan.engine."):
        importlib.import_module(info.name)
    return {name: m for name, m in sys.modules.items()
            if name == "minigan.engine" or name.startswith("minigan.engine.")}

def snapshot():
    modules = engine_modules()
    classes = {f"{c.__module__}.{c.__qualname__}": c for m in modules.values() for c in vars(m).values()
               if inspect.isclass(c) and c.__module__ == m.__name__}
    return ({k: dict(vars(c)) for k, c in classes.items()},
            {k: {n: v for n, v in vars(m).items() if not isinstance(v, types.ModuleType)} for k, m in modules.items()})

before_classes, before_modules = snapshot()
from tests.engine.test_engine_extension_points import whole_library  # (it imports the engine alone)
whole_library()
after_classes, after_modules = snapshot()

def written(before, after):
    return sorted(n for n, v in after.items() if n not in before or before[n] is not v)

print(json.dumps({
    "classes": {k: written(before_classes[k], after_classes[k]) for k in before_classes},
    "modules": {k: written(before_modules[k], after_modules.get(k, {})) for k in before_modules},
    "new": sorted(set(after_classes) - set(before_classes)),
}))
"""


def _written():
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(PROBE)], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_library_writes_into_engine_classes_only_the_declared_attributes():
    declared = {f"{cls.__module__}.{cls.__qualname__}": set(names)
                for cls, names in minigan.engine.SEAMS["attribute"].items()}
    found = _written()
    undeclared = {k: sorted(set(names) - declared.get(k, set())) for k, names in found["classes"].items()}
    assert {k: v for k, v in undeclared.items() if v} == {}
    unused = {k: sorted(names - set(found["classes"].get(k, ()))) for k, names in declared.items()}
    assert {k: v for k, v in unused.items() if v} == {}, "declared, but nothing above the engine sets them"
    assert {k: v for k, v in found["modules"].items() if v} == {}, "the library rebinds an engine module's names"
    assert found["new"] == [], "engine modules the library made classes in"


def whole_library():
    """Import every module of minigan, the surface first (as the first public name does)."""
    import importlib
    import pkgutil

    import minigan
    minigan.tensor  # noqa: B018  (the first public name installs the surface)
    for info in pkgutil.walk_packages(minigan.__path__, "minigan."):
        if info.name in ("minigan.__main__", "minigan.bench"):  # the doors of python -m: they run a command
            continue
        try:
            importlib.import_module(info.name)
        except ImportError as e:  # an optional package (matplotlib, CuPy) this machine lacks
            if (e.name or "").startswith("minigan"):
                raise


def _name(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


def test_no_engine_op_is_subclassed_outside_the_engine():
    """A subclass of an engine op above the engine would be a second home for that op, its template hooks a seam no
    table shows: what PyTorch's programs see beyond the values is a row of minigan/surface/ops.py (layout, gradient,
    grad_fn, kernels) or its door's own logic, and an op the engine lacks is an engine node.  (Joined, cat into its
    inputs' layout, left for the Cat row's layout; Scaled, addmm's alpha·(a @ b), for the engine's ScaledMatMul with
    PyTorch's BLAS scaling in its row's kernels; Pow's kernels, leaky_relu_'s node and batch norm's re-run
    statistics before them, for a row of KERNELS, LeakyReLU's of_result and BatchNorm.gradients.)"""
    whole_library()
    from minigan.engine.graph import Node

    def subclasses(c):
        for s in c.__subclasses__():
            yield s
            yield from subclasses(s)
    found = {(_name(s), _name(base)) for s in subclasses(Node) for base in s.__bases__
             if not s.__module__.startswith("minigan.engine") and base.__module__.startswith("minigan.engine")
             and base is not Node and not s.__module__.startswith("tests")}
    assert found == set(), sorted(found)


def test_minigan_tensor_replaces_exactly_the_declared_engine_names():
    from minigan.engine.tensor import Tensor as EngineTensor
    from minigan.surface.tensor import ENGINE_NAMES_REPLACED, Tensor
    engine_names = {n for c in EngineTensor.__mro__ if c is not object for n in vars(c)}
    own = {"__module__", "__doc__", "__qualname__", "__dict__", "__weakref__", "__slots__", "__firstlineno__",
           "__static_attributes__", "__annotations__", "__init_subclass__"}
    above = Tensor.__mro__[:Tensor.__mro__.index(EngineTensor)]
    replaced = {n for c in above for n in vars(c) if n in engine_names and n not in own}
    assert replaced == ENGINE_NAMES_REPLACED, (sorted(replaced - ENGINE_NAMES_REPLACED),
                                               sorted(ENGINE_NAMES_REPLACED - replaced))
    hooks = set(minigan.engine.SEAMS["hook method"][EngineTensor])
    assert hooks <= replaced, "a declared hook method minigan.Tensor does not override"


def test_the_hook_methods_and_tables_are_the_engines():
    for cls, names in minigan.engine.SEAMS["hook method"].items():
        assert cls.__module__.startswith("minigan.engine") and all(callable(getattr(cls, n)) for n in names), cls
    from minigan.engine import graph, walk
    tables = minigan.engine.SEAMS["table"]
    assert tables["RESULT_ADJUSTMENTS"] is graph.RESULT_ADJUSTMENTS
    assert tables["GRADIENT_ADJUSTMENTS"] is graph.GRADIENT_ADJUSTMENTS
    assert tables["KERNELS"] is graph.KERNELS
    assert tables["post_accumulate"] is walk.post_accumulate


def test_a_nodes_hooks_leave_its_backward_alone():
    """register_hook and register_prehook on a node fill its node_hooks, which the walk runs; the node's backward stays
    its class's (none is replaced per instance)."""
    import minigan as m
    w = m.tensor([1.0, 2.0], requires_grad=True)
    y = (w * 3).sum()
    seen = []
    node = y.grad_fn.next_functions[0][0]
    node.register_prehook(lambda grads: seen.append("pre"))
    node.register_hook(lambda grads_in, grads_out: seen.append("post"))
    y.backward(retain_graph=True)  # (a freed node's __dict__ is emptied: kept, it shows what was set on it)
    assert seen == ["pre", "post"] and "backward" not in vars(node) and w.grad.tolist() == [3.0, 3.0]


def test_the_tables_hold_the_op_rows_and_nothing_else():
    """RESULT_ADJUSTMENTS, GRADIENT_ADJUSTMENTS, KERNELS and the grad_fn names are minigan/surface/ops.py's rows,
    filled once: nothing else in the library writes into them; and every engine op has its row."""
    whole_library()
    from minigan.engine import graph
    from minigan.engine.graph import Node
    from minigan.surface import node_view, ops
    rows = ops.ROWS
    assert graph.RESULT_ADJUSTMENTS == {r.node: r.layout for r in rows if r.layout is not None}
    assert graph.GRADIENT_ADJUSTMENTS == {r.node: r.gradient for r in rows if r.gradient is not None}
    assert graph.KERNELS == {r.node: r.kernels for r in rows if not isinstance(r.kernels, str)}
    for node, kernels in graph.KERNELS.items():  # a row's kernels replace functions the node has (the textbook's,
        own = {n for n in vars(kernels) if not n.startswith("__")} - {"rounds"}  # static methods), by their names;
        # a row with rounds (Pow's: rounds(b, number)) is asked by the node's kernels() where they compute otherwise
        assert own and all(isinstance(vars(node).get(n), staticmethod) for n in own), (node, sorted(own))
        rounds = vars(kernels).get("rounds")
        assert rounds is None or isinstance(rounds, staticmethod) and callable(vars(node).get("kernels")), node
    assert node_view.NAMES == {r.node.__name__: r.grad_fn for r in rows if r.grad_fn is not None}
    assert node_view.BY_CALL == {r.node.__name__: r.by_call for r in rows if r.by_call is not None}
    for column in ("grad_fn", "by_call"):  # (by class name: rows of one name must agree)
        by_name = {}
        for r in rows:
            by_name.setdefault(r.node.__name__, set()).add(getattr(r, column))
        assert {k: v for k, v in by_name.items() if len(v - {None}) > 1} == {}, column
    assert len({r.node for r in rows}) == len(rows), "an op with two rows"

    def subclasses(c):
        for s in c.__subclasses__():
            yield s
            yield from subclasses(s)
    engine_ops = {s for s in subclasses(Node) if s.__module__.startswith("minigan.engine.")}
    assert {_name(s) for s in engine_ops - {r.node for r in rows}} == set(), "engine ops without a row"
