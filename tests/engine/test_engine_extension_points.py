"""The library above the engine writes into the engine's classes only the names the engine declares for it.

``minigan.engine.EXTENSION_POINTS`` lists them, per class (``Tensor.plain``: the class of every result, which the
surface sets to minigan.Tensor; PyTorch's view of a node for a learner's prints, set by minigan/surface/node_view.py).
A fresh interpreter imports the engine alone, notes every class and module of it, then imports the whole library
and compares: a name added to, or replaced in, an engine class or module that is not declared fails here, and so
does a declared name that nothing sets (the declaration would have gone stale).
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
import minigan
minigan.tensor  # the first public name installs the surface
for info in pkgutil.walk_packages(minigan.__path__, "minigan."):
    if info.name in ("minigan.__main__", "minigan.bench"):  # the doors of python -m: they run a command
        continue
    try:
        importlib.import_module(info.name)
    except ImportError as e:  # an optional package (matplotlib, CuPy) this machine lacks
        if (e.name or "").startswith("minigan"):
            raise
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


def test_the_library_writes_into_engine_classes_only_the_declared_extension_points():
    declared = {f"{cls.__module__}.{cls.__qualname__}": set(names)
                for cls, names in minigan.engine.EXTENSION_POINTS.items()}
    found = _written()
    undeclared = {k: sorted(set(names) - declared.get(k, set())) for k, names in found["classes"].items()}
    assert {k: v for k, v in undeclared.items() if v} == {}
    unused = {k: sorted(names - set(found["classes"].get(k, ()))) for k, names in declared.items()}
    assert {k: v for k, v in unused.items() if v} == {}, "declared, but nothing above the engine sets them"
    assert {k: v for k, v in found["modules"].items() if v} == {}, "the library rebinds an engine module's names"
    assert found["new"] == [], "engine modules the library made classes in"
