"""A grader a maintainer can read (issue 99): no function in minigan/exercises/ over 60 lines (the per-student run
was 144, five closures over a nine-key state dict and a module global), and the per-student run a state machine
whose states and transitions are named (``session.py``)."""

from __future__ import annotations

import ast

from minigan.exercises import session, workspace

LONGEST = 60  # lines, from the def to the last line


def test_no_function_of_the_grader_is_over_60_lines():
    long = []
    for path in sorted((workspace.LIBRARY / "exercises").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > LONGEST:
                    long.append(f"{path.relative_to(workspace.LIBRARY.parent)}::{node.name} ({lines} lines)")
    assert not long, long


def test_the_per_student_run_keeps_no_state_in_closures_or_module_globals():
    for path in (workspace.LIBRARY / "exercises" / "grader.py", workspace.LIBRARY / "exercises" / "session.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.Global, ast.Nonlocal))], path
        run = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "_run_student") \
            if path.name == "grader.py" else None
        if run is not None:
            assert not [n for s in run.body for n in ast.walk(s) if isinstance(n, (ast.FunctionDef, ast.Lambda))], \
                "_run_student defines functions inside itself"
    names = {session.STARTING, session.RUNNING, session.ASIDE, session.DONE}
    assert len(names) == 4
    for state in names:
        assert state.upper().split()[-1] in session.__doc__.upper()
