"""One rule for versions: pyproject.toml, the README, noxfile.py and .ci/run state the same supported range.

pyproject.toml declares Python and NumPy (what pip enforces), the README's "Versions" table says the same to a
learner, noxfile.py runs the suite at each end, and the PyTorch the comparisons are written against is pinned
alike in the README, noxfile.py and .ci/run.
"""

from __future__ import annotations

import ast
import gc
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _pyproject():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: no tomllib; read the lines needed
        text = (ROOT / "pyproject.toml").read_text()
        return {"project": {"requires-python": re.search(r'requires-python = "([^"]+)"', text).group(1),
                            "dependencies": re.findall(r'"(numpy[^"]*)"', text),
                            "classifiers": re.findall(r'"(Programming Language :: Python :: [^"]+)"', text)}}
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _noxfile_constant(name):
    return re.search(rf'^{name} = "([^"]+)"', (ROOT / "noxfile.py").read_text(), re.M).group(1)


def _versions_table():
    """The README's "Versions" table: {row name: its cells}."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Versions", 1)[1].split("\n## ", 1)[0]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in section.splitlines() if line.startswith("|")]
    return {row[0]: row[1:] for row in rows[2:]}


def test_the_readme_states_the_range_pyproject_declares():
    project = _pyproject()["project"]
    python_floor = project["requires-python"].removeprefix(">=")
    numpy_floor = next(d for d in project["dependencies"] if d.startswith("numpy")).split(">=")[1]
    table = _versions_table()
    assert set(table) >= {"Python", "NumPy", "PyTorch (test oracle)", "CuPy (GPU)"}, table
    assert table["Python"][0].startswith(f"{python_floor} "), table["Python"]
    assert table["NumPy"][0].startswith(f"{numpy_floor} "), table["NumPy"]
    classifiers = [c.rsplit(":: ", 1)[1] for c in project.get("classifiers", []) if "Python :: 3." in c]
    assert classifiers and classifiers[0] == python_floor and table["Python"][0].endswith(f"to {classifiers[-1]}")


def test_the_matrix_tests_the_declared_numpy_floor_and_the_readmes_pytorch():
    project = _pyproject()["project"]
    numpy_floor = next(d for d in project["dependencies"] if d.startswith("numpy")).split(">=")[1]
    assert _noxfile_constant("NUMPY_FLOOR").startswith(numpy_floor + ".")
    oracle = _noxfile_constant("TORCH_ORACLE")
    readme, ci = (ROOT / "README.md").read_text(), (ROOT / ".ci" / "run").read_text()
    assert f"pip install torch=={oracle}" in readme and f"pip install torch=={oracle}" in ci
    assert oracle.rsplit(".", 1)[0] in _versions_table()["PyTorch (test oracle)"][0]


def test_ci_runs_the_readmes_test_line():
    readme, ci = (ROOT / "README.md").read_text(), (ROOT / ".ci" / "run").read_text()
    command = re.search(r'pip install -e "\.\[test\]" && (python -m pytest[^\n`]*)\n', readme).group(1)
    assert 'pip install -e ".[test]"' in ci and re.search(rf"^{re.escape(command)}$", ci, re.M), command
    assert f"`{command}` runs the default suite" in readme  # the tests section names the same command


# What Python 3.11 and later added that 3.10 (the declared floor) lacks, as the package would name it.  New
# syntax (except*, PEP 695's type statements, PEP 701's f-strings) is ruff's: pyproject.toml's target-version
# py310 makes `ruff check .` (.ci/run) refuse it.  What ruff cannot see is the library: an attribute, a module
# or a name that only a newer Python has, and a regular expression that only a newer `re` compiles.
NEWER_ATTRIBUTES = {  # attribute names no older object has: flagged on any object
    "co_qualname": "3.11", "co_positions": "3.11", "co_exceptiontable": "3.11", "add_note": "3.11",
    "getmembers_static": "3.11", "file_digest": "3.11", "getLevelNamesMapping": "3.11", "is_junction": "3.12",
    "from_uri": "3.13", "full_match": "3.13", "process_cpu_count": "3.13", "binomialvariate": "3.12",
}
NEWER_MODULES = {"tomllib": "3.11", "wsgiref.types": "3.11"}
NEWER_NAMES = {  # module: {name: the Python that added it}
    "typing": {"Self": "3.11", "LiteralString": "3.11", "Never": "3.11", "assert_never": "3.11",
               "assert_type": "3.11", "reveal_type": "3.11", "Required": "3.11", "NotRequired": "3.11",
               "TypeVarTuple": "3.11", "Unpack": "3.11", "dataclass_transform": "3.11", "get_overloads": "3.11",
               "override": "3.12", "TypeAliasType": "3.12", "ReadOnly": "3.13", "TypeIs": "3.13"},
    "enum": {"StrEnum": "3.11", "ReprEnum": "3.11", "verify": "3.11", "member": "3.11", "nonmember": "3.11",
             "global_enum": "3.11", "EnumCheck": "3.11", "FlagBoundary": "3.11"},
    "datetime": {"UTC": "3.11"},
    "asyncio": {"TaskGroup": "3.11", "timeout": "3.11", "Runner": "3.11", "Barrier": "3.11"},
    "contextlib": {"chdir": "3.11"},
    "operator": {"call": "3.11"},
    "math": {"cbrt": "3.11", "exp2": "3.11", "sumprod": "3.12", "fma": "3.13"},
    "re": {"NOFLAG": "3.11"},
    "sys": {"exception": "3.11", "monitoring": "3.12", "last_exc": "3.12", "_is_gil_enabled": "3.13"},
    "itertools": {"batched": "3.12"},
    "inspect": {"markcoroutinefunction": "3.12", "BufferFlags": "3.12"},
    "copy": {"replace": "3.13"},
    "warnings": {"deprecated": "3.13"},
    "builtins": {"ExceptionGroup": "3.11", "BaseExceptionGroup": "3.11", "PythonFinalizationError": "3.13"},
}
# possessive quantifiers (x*+, x++, x?+, x{m,n}+) and atomic groups (?>...): Python 3.11's `re`
NEWER_REGEX = re.compile(r"(?<!\\)(?:[*+?}]\+|\(\?>)")
CHARACTER_CLASS = re.compile(r"(?<!\\)\[\^?\]?(?:\\.|[^\]\\])*\]")  # [...]: a + in one is no quantifier
REGEX_CALLS = {"compile", "match", "fullmatch", "search", "findall", "finditer", "sub", "subn", "split"}
# the interpreter's own options and variables, in a command a test or the library starts (an argv list)
NEWER_OPTIONS = {"-P": "3.11", "PYTHONSAFEPATH": "3.11", "frozen_modules": "3.11", "perf": "3.12",
                 "cpu_count": "3.13", "PYTHON_CPU_COUNT": "3.13"}


def _guarded(node) -> list:
    """The children of ``node`` that run only where a newer Python was asked for: all of a test skipped by the
    version (`@pytest.mark.skipif(sys.version_info ...)`), the body of an `if sys.version_info ...`, and the body
    of a `try` that catches ImportError, AttributeError or NameError."""
    if isinstance(node, ast.FunctionDef) and any("version_info" in ast.unparse(d) for d in node.decorator_list):
        return list(ast.iter_child_nodes(node))
    if isinstance(node, ast.If) and "version_info" in ast.unparse(node.test):
        return node.body
    if isinstance(node, ast.Try) and any(
            h.type is not None and any(e in ast.unparse(h.type) for e in ("ImportError", "ModuleNotFoundError",
                                                                        "AttributeError", "NameError"))
            for h in node.handlers):
        return node.body
    return []


def _python(argv):
    """Whether the argv list ``argv`` starts Python (sys.executable, or a program named python...)."""
    first = argv.elts[0] if argv.elts else None
    return (isinstance(first, ast.Attribute) and first.attr == "executable") or (
        isinstance(first, ast.Constant) and isinstance(first.value, str) and "python" in first.value)


def _x_option(argv, element):
    """Whether ``element`` of the argv list ``argv`` follows a "-X" (``-X frozen_modules=off``)."""
    i = argv.elts.index(element)
    return i > 0 and isinstance(argv.elts[i - 1], ast.Constant) and argv.elts[i - 1].value == "-X"


# the fields that never hold a node the scan reads: names, numbers, flags, and `ctx` (Load, Store, Del: a third
# of all nodes, none of them read)
_NOT_READ_FIELDS = {"ctx", "id", "attr", "arg", "module", "level", "asname", "type_comment", "kind", "is_async",
                    "conversion", "simple"}
_FIELDS = {}  # a node type: its fields that may hold a node


def _nodes(tree) -> list:
    """Every node of ``tree`` as ``list(ast.walk(tree))`` gives them (breadth first), less the contexts (Load,
    Store, Del): a list that grows as it is read, where ast.walk runs two generators a node, and for each type of
    node only its fields that may hold one (0.55 CPU-s for the repository's 1.0 million nodes, where reading every
    field of its 1.5 million took 0.7-0.8, and ast.walk about twice that)."""
    nodes, node_type = [tree], ast.AST
    for node in nodes:  # the nodes appended while the loop runs are read too
        kind = type(node)
        fields = _FIELDS.get(kind)
        if fields is None:
            fields = _FIELDS[kind] = tuple(f for f in kind._fields if f not in _NOT_READ_FIELDS)
        for field in fields:
            value = getattr(node, field, None)
            if type(value) is list:
                nodes.extend([v for v in value if isinstance(v, node_type)])
            elif isinstance(value, node_type):
                nodes.append(value)
    return nodes


def _newer_than_the_floor(tree):
    """[(line, what, the Python that added it)] for what ``tree`` uses that Python 3.10 does not have."""
    # the scan of every file of the repository is a default test, so each node costs as little as it can: one walk
    # lists the nodes; the subtrees a guard asks a newer Python for are set aside (each guard's subtree walked once:
    # they are few and small); then only the kinds of node that can name something newer are read, by their type
    nodes = _nodes(tree)
    guarded = set()  # the ids of the nodes a guard above asks a newer Python for
    for node in nodes:
        if type(node) in _GUARDS and id(node) not in guarded:
            for child in _guarded(node):
                guarded.update(map(id, _nodes(child)))
    # the local name -> the module it stands for (import x as y)
    modules = {alias.asname or alias.name.split(".")[0]: alias.name if alias.asname else alias.name.split(".")[0]
               for node in nodes if type(node) is ast.Import for alias in node.names}
    found = []
    builtins = NEWER_NAMES["builtins"]
    for node in nodes:
        kind = type(node)
        if kind not in _READ or id(node) in guarded:
            continue
        if kind is ast.Name:
            if node.id in builtins:
                found.append((node.lineno, node.id, builtins[node.id]))
        elif kind is ast.Attribute:
            if node.attr in NEWER_ATTRIBUTES:
                found.append((node.lineno, f".{node.attr}", NEWER_ATTRIBUTES[node.attr]))
            if type(node.value) is ast.Name:
                module = modules.get(node.value.id)
                if node.attr in NEWER_NAMES.get(module, {}):
                    found.append((node.lineno, f"{module}.{node.attr}", NEWER_NAMES[module][node.attr]))
        elif kind is ast.Call:
            if (type(node.func) is ast.Attribute and node.func.attr in REGEX_CALLS
                    and type(node.func.value) is ast.Name and modules.get(node.func.value.id) == "re" and node.args
                    and type(node.args[0]) is ast.Constant and isinstance(node.args[0].value, str)
                    and NEWER_REGEX.search(CHARACTER_CLASS.sub("", node.args[0].value))):
                found.append((node.lineno, f"re.{node.func.attr}({node.args[0].value[:40]!r})", "3.11"))
        elif kind is ast.List or kind is ast.Tuple:
            if any(type(e) is ast.Constant and isinstance(e.value, str) and e.value.split("=")[0] in NEWER_OPTIONS
                   and (e.value.startswith("PYTHON") or _python(node) and (e.value == "-P" or _x_option(node, e)))
                   for e in node.elts):
                found += [(node.lineno, f"the option {e.value!r}", NEWER_OPTIONS[e.value.split("=")[0]])
                          for e in node.elts if type(e) is ast.Constant and isinstance(e.value, str)
                          and e.value.split("=")[0] in NEWER_OPTIONS]
        elif kind is ast.Import:
            for alias in node.names:
                if alias.name in NEWER_MODULES:
                    found.append((node.lineno, f"import {alias.name}", NEWER_MODULES[alias.name]))
        elif node.module:  # ast.ImportFrom
            if node.module in NEWER_MODULES:
                found.append((node.lineno, f"from {node.module} import", NEWER_MODULES[node.module]))
            for alias in node.names:
                if alias.name in NEWER_NAMES.get(node.module, {}):
                    found.append((node.lineno, f"from {node.module} import {alias.name}",
                                  NEWER_NAMES[node.module][alias.name]))
    return found


_GUARDS = {ast.FunctionDef, ast.If, ast.Try}  # the nodes _guarded reads
_READ = {ast.Import, ast.ImportFrom, ast.Attribute, ast.List, ast.Tuple, ast.Name, ast.Call}  # what can name a newer


def test_the_code_uses_nothing_newer_than_the_declared_python():
    floor = tuple(int(p) for p in _pyproject()["project"]["requires-python"].removeprefix(">=").split("."))
    assert floor == (3, 10), "the tables above list what came after 3.10: start them at the new floor"
    offending = []
    # a tree holds no reference cycles (refcounting frees it), and the collector, which the allocations of parsing
    # start again and again, walks the test process's whole heap: with the whole suite collected, this test took
    # 12.7 CPU-s with it and 8.5 without
    collecting = gc.isenabled()
    gc.disable()
    try:
        for folder in ("minigan", "tests", "demos", "benchmarks"):
            for path in sorted((ROOT / folder).rglob("*.py")):
                tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
                offending += [f"{path.relative_to(ROOT)}:{line}: {what} (Python {since})"
                              for line, what, since in _newer_than_the_floor(tree)]
    finally:
        if collecting:
            gc.enable()
    assert not offending, "Python 3.10 (declared in pyproject.toml) has no:\n" + "\n".join(offending)


@pytest.mark.parametrize("source, flagged", [
    ("def f(code):\n    return code.co_qualname\n", ".co_qualname"),
    ("import tomllib\n", "import tomllib"),
    ("from typing import Self\n", "from typing import Self"),
    ("import enum\nclass E(enum.StrEnum):\n    A = 'a'\n", "enum.StrEnum"),
    ("import datetime as dt\nnow = dt.datetime.now(dt.UTC)\n", "datetime.UTC"),
    ("import re\nSTRING = re.compile(r'\"[^\"\\\\]*+\"')\n", "re.compile"),
    ("import re as regex\nWORD = regex.match(r'(?>[a-z]+)b', text)\n", "re.match"),
    ("try:\n    pass\nexcept ExceptionGroup:\n    pass\n", "ExceptionGroup"),
    ("import subprocess, sys\nsubprocess.run([sys.executable, '-P', '-m', 'minigan'])\n", "the option '-P'"),
    ("import subprocess, sys\nsubprocess.run([sys.executable, '-X', 'frozen_modules=off', '-c', ''])\n",
     "the option 'frozen_modules=off'"),
    ("import subprocess\nsubprocess.run(['python3', '-X', 'perf', '-c', ''])\n", "the option 'perf'"),
])
def test_the_scan_finds_each_kind_of_newer_python(source, flagged):
    found = _newer_than_the_floor(ast.parse(source))
    assert [what for _, what, _ in found if what.startswith(flagged)], (source, found)
    guarded = "import sys\nif sys.version_info >= (3, 11):\n" + "".join(f"    {line}\n" for line in
                                                                      source.splitlines())
    assert _newer_than_the_floor(ast.parse(guarded)) == [], "a use asked for under a version check is allowed"
