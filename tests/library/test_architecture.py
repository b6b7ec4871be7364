"""The floors of the house (docs/architecture.md), checked from the code's own imports.

* the engine (``minigan/engine/``) imports nothing outside itself, and ``minigan/__init__.py`` imports nothing
  (a table of names read lazily), so importing the engine loads the engine alone; of the engine, only
  ``backend.py`` imports NumPy or CuPy;
* no import circle among minigan's modules (an import inside a function counts too);
* no upward import: the engine, then the Tensor's PyTorch surface, then the free functions (``minigan.*``,
  ``F.*``), then the rest of the library, then the command line; a file imports only from its own floor or below;
* the library never imports the command line (``minigan/cli/``), which stands above everything;
* one training loop: ``minigan/gans/training.py`` steps a GAN and writes its checkpoint's layout; the command
  line (``train``, the lab) runs that loop and never steps a trainer or lays out a checkpoint itself;
* no command-line module borrows another's private names (``train_cli._helper``).
* the free functions hand on in one way (``add = with_out(pointwise.add)``), and each file of the surface stays
  under 500 code lines.

The imports are read with ``ast`` from the source files, nothing is imported or run.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "minigan"
ENTRIES = {"minigan.__main__", "minigan.bench"}  # the two thin doors of ``python -m``
def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _resolve(name: str) -> str | None:
    """The module a dotted name refers to (a package's name means its ``__init__``)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _tree(module: str) -> ast.Module:
    return ast.parse(MODULES[module].read_text(encoding="utf-8"))


def _read(module: str) -> dict:
    """What the tests below read from ``module``'s tree, in one walk: the minigan modules it imports, the top-level
    names of the other modules it imports (in a function too), and the lines of its ``.train_step(...)`` calls and of
    its dicts laid out as a checkpoint."""
    imports, external, steps, layouts = set(), set(), [], []
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Import):
            imports.update(_resolve(a.name) for a in node.names if a.name.startswith("minigan"))
            external.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module.startswith("minigan"):
                for a in node.names:  # ``from minigan import nn`` imports the module minigan.nn
                    imports.add(_resolve(f"{node.module}.{a.name}"))
            external.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "train_step":
            steps.append(node.lineno)
        elif isinstance(node, ast.Dict):  # a checkpoint: the trainer's state beside the random generators'
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if {"trainer", "rng", "history"} <= keys:
                layouts.append(node.lineno)
    imports.discard(None)
    imports.discard(module)
    return {"imports": imports, "external": external - {"minigan"}, "train_step": steps, "layouts": layouts}


@functools.cache
def _package() -> dict:
    """Each module's _read, read when a test first asks (not while the suite is collected): the package is parsed
    once for all the tests here (a parse of it costs ~1.5 CPU-s), and its trees are not kept."""
    return {m: _read(m) for m in MODULES}


def _graph() -> dict:
    """Each module's minigan imports."""
    return {m: facts["imports"] for m, facts in _package().items()}


def _face(module: str) -> bool:
    """The package's own ``minigan/__init__.py`` hands names on; every module below it is imported through it."""
    return module == "minigan"


def test_no_import_circle():
    graph = {m: {n for n in targets if not _face(n)} for m, targets in _graph().items() if not _face(m)}
    state, stack, circles = {}, [], []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == "open":
                circles.append(stack[stack.index(n):] + [n])
            elif n not in state:
                visit(n)
        stack.pop()
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert not circles, f"import circles: {circles}"


def test_the_library_never_imports_the_command_line():
    library = [m for m in _graph() if not (m == "minigan.cli" or m.startswith("minigan.cli.")) and m not in ENTRIES]
    offenders = {m: sorted(n for n in _graph()[m] if n.startswith("minigan.cli")) for m in library}
    assert not {m: n for m, n in offenders.items() if n}


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_engine_imports_nothing_outside_it():
    engine = [m for m in MODULES if _in(m, "minigan.engine")]
    assert len(engine) > 10  # (the test reads the right folder)
    offenders = {m: sorted(n for n in _graph()[m] if not _in(n, "minigan.engine")) for m in engine}
    assert not {m: n for m, n in offenders.items() if n}


def _external_imports(module: str) -> set:
    """The top-level names of the modules outside minigan that ``module`` imports (in a function too)."""
    return _package()[module]["external"]


def test_only_backend_imports_numpy_or_cupy_in_the_engine():
    """``engine/backend.py`` is the one engine module that imports NumPy or CuPy; every other asks an array for its
    module or takes NumPy from it (``backend.np``), so a reader finds what depends on the array library in one file."""
    engine = [m for m in MODULES if _in(m, "minigan.engine")]
    offenders = {m: sorted(_external_imports(m) & {"numpy", "cupy", "cupyx"}) for m in engine}
    assert {m: n for m, n in offenders.items() if n and m != "minigan.engine.backend"} == {}
    assert offenders["minigan.engine.backend"]  # (the test reads imports where they are)


def test_the_package_imports_nothing_so_the_engine_runs_alone():
    """``import minigan.engine`` runs ``minigan/__init__.py`` first: it names its modules in a table and imports
    none of them until a name is asked for (tests/library/test_lazy_import.py runs it)."""
    assert _graph()["minigan"] == set()


SURFACE = {"minigan.surface", "minigan.surface.tensor", "minigan.storage", "minigan._dtype"}
# minigan.Tensor: the engine's Tensor plus PyTorch's methods (minigan/surface/: the methods by topic, the bodies they
# share with the free functions of the same name, their print, their advice, the reading of a Python index), the
# class assembled in surface/tensor.py, its storage and its dtypes
FREE_FUNCTIONS = {"minigan.toplevel", "minigan.doors_pointwise", "minigan.doors_products", "minigan.doors_arrays",
                  "minigan.doors_methods", "minigan.functional", "minigan.linalg", "minigan.cuda",
                  "minigan.accelerator"}


def floor(module: str) -> int:
    """0 the engine, 1 the Tensor's surface, 2 the free functions, 3 the rest of the library, 4 the command line."""
    if _in(module, "minigan.engine"):
        return 0
    if any(_in(module, m) for m in SURFACE):
        return 1
    if any(_in(module, m) for m in FREE_FUNCTIONS):
        return 2
    if _in(module, "minigan.cli") or module in ENTRIES:
        return 4
    return 3


def test_no_upward_import():
    """A method never calls up into a free function: ``x.lerp()`` is the method, ``minigan.lerp(x)`` calls it."""
    graph = {m: {n for n in targets if not _face(n)} for m, targets in _graph().items() if not _face(m)}
    offenders = {m: sorted(n for n in targets if floor(n) > floor(m)) for m, targets in graph.items()}
    assert not {m: n for m, n in offenders.items() if n}


def _cli_modules():
    return [m for m in MODULES if m == "minigan.cli" or m.startswith("minigan.cli.")]


LOOP_HOME = "minigan.gans.training"


def test_one_training_loop_and_one_checkpoint_layout():
    steppers = {m: _package()[m]["train_step"] for m in _cli_modules() if _package()[m]["train_step"]}
    layouts = {m: facts["layouts"] for m, facts in _package().items() if facts["layouts"]}
    assert not steppers, f"the command line steps a trainer itself (use {LOOP_HOME}.TrainingLoop): {steppers}"
    assert set(layouts) == {LOOP_HOME}, f"the checkpoint is laid out outside {LOOP_HOME}: {layouts}"


def test_no_command_line_module_borrows_anothers_private_names():
    borrowed = {}
    for module in _cli_modules():
        tree = _tree(module)
        aliases = set()  # names bound to another command-line module
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("minigan.cli"):
                for a in node.names:
                    if a.name.startswith("_"):
                        borrowed.setdefault(module, []).append(a.name)
                    if f"{node.module}.{a.name}" in MODULES:
                        aliases.add(a.asname or a.name)
            elif isinstance(node, ast.Import):
                aliases.update(a.asname for a in node.names if a.name.startswith("minigan.cli") and a.asname)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and node.attr.startswith("_")):
                borrowed.setdefault(module, []).append(f"{node.value.id}.{node.attr}")
    assert not borrowed, f"private names used across command-line modules: {borrowed}"


def _hand_on_shapes(source: str) -> list:
    """How toplevel.py's free functions hand on to another body, where one does not bind a name to a surface body:
    a ``def`` behind a decorator that is not a factory's ``out=``, a name made by calling a factory of functions,
    or a ``def`` whose whole body is one call of a Tensor method (``return _t(input, "f").f(...)``)."""
    shapes = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            decorators = [ast.unparse(d) for d in node.decorator_list if ast.unparse(d) != "factory_out"]
            if decorators:
                shapes.append(f"@{decorators[0]} def {node.name}")
            elif len(body) == 1 and isinstance(body[0], ast.Return) and "_t(" in ast.unparse(body[0]):
                shapes.append(f"def {node.name} (one method call)")
        elif isinstance(node, ast.Assign):  # (abs_, acos_ = f("abs_"), f("acos_") too)
            values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
            for call in [v for v in values if isinstance(v, ast.Call)]:
                if ast.unparse(call.func) == "with_out":
                    if not isinstance(call.args[0], ast.Attribute):  # not a module's body
                        shapes.append(f"{ast.unparse(node.targets[0])} = {ast.unparse(call)}")
                elif (isinstance(call.func, ast.Name) and call.func.id[0].islower() and call.args
                      and all(isinstance(a, ast.Constant) for a in call.args)):  # a function made from a name
                    shapes.append(f"{ast.unparse(node.targets[0])} = {ast.unparse(call)}")
    return shapes


def test_free_functions_hand_on_in_one_way():
    """``minigan.add`` is ``add = with_out(pointwise.add)``: each free function is a name bound to its body (behind the
    ``out=`` door where PyTorch's takes one), so a reader finds one shape, and stepping in reaches the body."""
    assert _hand_on_shapes((PACKAGE / "toplevel.py").read_text(encoding="utf-8")) == []


def test_every_surface_file_is_under_500_code_lines():
    from engine.test_size_budget import code_lines

    sizes = {p.name: code_lines(p.read_text(encoding="utf-8")) for p in (PACKAGE / "surface").glob("*.py")}
    assert {name: n for name, n in sizes.items() if n >= 500} == {}
