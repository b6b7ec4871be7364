"""Hints that teach (issue 99): a hint points to the rule and the shapes, never the reference code.  Written before
the hints were: ``sum_backward``'s hint was the reference line, ``node_apply``'s the whole function as pseudocode.

Held apart by token overlap: the longest run of code tokens (names, numbers, operators, brackets) a hint shares
with its exercise's reference bodies (comments and docstrings left out).  Six tokens allow a rule written as
code (``-a / b ** 2``, ``self.state[p]``) and the names of helpers; a line of the reference is longer."""

from __future__ import annotations

import ast
import re

import pytest

from minigan.exercises import source, workspace
from minigan.exercises.catalogue import BY_NAME, EXERCISES

TOKEN = re.compile(r"[A-Za-z_]\w*|\d+(?:\.\d+)?|\*\*|//|[-+*/@%<>=!]=?|[()\[\]{},.:]")
LONGEST = 6  # tokens in a row a hint may share with the reference


def _reference_tokens(exercise) -> list:
    tokens = []
    for target in exercise.targets:
        path, qualname = source.split_target(target)
        text = workspace.library_text(path)
        fn = source.find_function(source.parse(text), qualname)
        for statement in source.body_statements(fn):
            tokens += TOKEN.findall(re.sub(r"#.*", "", ast.get_source_segment(text, statement)))
    return tokens


def _longest_shared_run(a, b) -> int:
    best, previous = 0, [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            if x == y:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.name for e in EXERCISES])
def test_no_hint_is_its_reference_code(exercise):
    run = _longest_shared_run(_reference_tokens(exercise), TOKEN.findall(exercise.hint))
    assert run <= LONGEST, f"{exercise.name}'s hint shares {run} tokens in a row with the reference: {exercise.hint}"


def test_the_measure_of_overlap_finds_a_line_of_code():
    tokens = TOKEN.findall("namespace(grad).broadcast_to(_keep(grad, self.in_shape, self.axis), self.in_shape)")
    assert _longest_shared_run(tokens, TOKEN.findall("return namespace(grad).broadcast_to(_keep(grad, x)")) == 11
    assert _longest_shared_run(tokens, TOKEN.findall("broadcast the gradient back to the input's shape")) <= 1


def _check_hints():
    """(exercise, hint) for every hint a check gives when it fails: the strings assigned to ``hint`` or passed as
    ``hint=`` in each ``check_<name>`` of minigan/exercises/checks/."""
    found = []
    for path in sorted((workspace.LIBRARY / "exercises" / "checks").glob("*.py")):
        for fn in ast.parse(path.read_text(encoding="utf-8")).body:
            name = fn.name[len("check_"):] if isinstance(fn, ast.FunctionDef) else ""
            if name not in BY_NAME:
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and "hint" in t.id
                                                        for t in node.targets):
                    value = node.value
                elif isinstance(node, ast.keyword) and node.arg == "hint":
                    value = node.value
                else:
                    continue
                text = " ".join(c.value for c in ast.walk(value) if isinstance(c, ast.Constant)
                                and isinstance(c.value, str))
                if text:
                    found.append((name, text))
    return found


CHECK_HINTS = _check_hints()


def test_the_checks_give_hints_to_hold():
    assert len(CHECK_HINTS) >= 30, len(CHECK_HINTS)  # (40 when written)


@pytest.mark.parametrize("name, hint", CHECK_HINTS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CHECK_HINTS)])
def test_no_hint_a_failing_check_gives_is_its_reference_code(name, hint):
    run = _longest_shared_run(_reference_tokens(BY_NAME[name]), TOKEN.findall(hint))
    assert run <= LONGEST, f"a hint of {name}'s checks shares {run} tokens in a row with the reference: {hint}"
