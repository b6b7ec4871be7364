"""The exercises find a function's code by its qualified name in the library's compiled text, built on the way down
through nested code (Python 3.10's code objects have no co_qualname): every name Python gives resolves to its code.
One function does it (exercises/lookup.py), for the grader's runner and the learner's worker alike."""

from __future__ import annotations

import sys
import types
from collections import Counter
from pathlib import Path

import pytest

from minigan.exercises import grader, lookup, runner, worker

ROOT = Path(__file__).resolve().parents[2]


def _nested(code):
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield const
            yield from _nested(const)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="the names to compare with are co_qualname, Python 3.11's")
def test_every_qualified_name_in_the_package_finds_its_own_code():
    wrong, count = [], 0
    for path in sorted((ROOT / "minigan").rglob("*.py")):
        module = compile(path.read_text(encoding="utf-8"), str(path), "exec")
        names = Counter(code.co_qualname for code in _nested(module))  # what Python itself names each
        for code in _nested(module):
            if code.co_qualname.startswith("<"):  # a module-level comprehension or lambda: no name to look for
                continue
            count += 1
            found = lookup.code_in(module, code.co_qualname)
            # two lambdas or comprehensions of one function share a name: the one found is named so
            if found is None or found.co_qualname != code.co_qualname or (names[code.co_qualname] == 1
                                                                          and found is not code):
                wrong.append(f"{path.relative_to(ROOT)}: {code.co_qualname}")
    assert count > 1000 and not wrong, wrong[:20]


def test_a_method_a_nested_function_and_a_lambda_are_found_by_their_qualified_names():
    module = compile("class A:\n    def f(self):\n        def g():\n            h = lambda: 1\n            return h\n"
                     "        return [g for _ in ()]\n", "<text>", "exec")
    for qualname in ("A", "A.f", "A.f.<locals>.g", "A.f.<locals>.g.<locals>.<lambda>"):
        code = lookup.code_in(module, qualname)
        assert code is not None and code.co_name == qualname.rsplit(".", 1)[-1], qualname
    assert lookup.code_in(module, "A.g") is None and lookup.code_in(module, "f") is None


def test_the_runner_and_the_worker_find_targets_with_the_one_lookup():
    # the runner gets it compiled in its job (its process may not open the library's files); the worker reads it
    assert not hasattr(runner, "_code_in") and not hasattr(worker, "_code_in")
    job = grader._job("reference", [], 0, False, 1.0, None)
    space = runner._lookup(job["lookup"])
    module = compile("class A:\n    def f(self):\n        return 1\n", "<text>", "exec")
    assert space.code_in(module, "A.f").co_name == "f"
    assert worker.lookup.code_in(module, "A.f").co_name == "f"
