"""``python worker.py measure CONFIG PYTHON-ARGUMENTS...``: run a "predict, then measure" command (``-c CODE`` or
``-m MODULE ...``) on a workspace's minigan, with the functions named in CONFIG (the exercises not written yet)
running the reference solution.  This is the learner's own tool, run on their own code at their request: grading
never uses it (the grader runs ``runner.py`` under ``supervise.py``; see ``grader.py``).
"""

from __future__ import annotations

import json
import runpy
import sys
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
if sys.path and Path(sys.path[0] or ".").resolve() == HERE:
    sys.path.pop(0)  # the grader's folder must not shadow anything the workspace imports
# exercises/lookup.py, read by its path: the name minigan is the workspace's copy in this process
lookup = types.SimpleNamespace(**runpy.run_path(str(HERE / "lookup.py")))


def load_references(targets, repo, workspace, missing=None):
    """({target: the workspace's function}, {target: the reference's code object}) for every target.  With a
    dict ``missing``, a target the workspace no longer has (deleted, renamed) goes there with why, instead of
    raising: only its own exercise fails."""
    functions, references, compiled = {}, {}, {}
    for target in targets:
        path, qualname = target.split("::")
        if path not in compiled:
            text = (repo / path).read_text(encoding="utf-8")
            compiled[path] = compile(text, str(workspace / path), "exec")
        references[target] = lookup.code_in(compiled[path], qualname)
        if references[target] is None:
            raise LookupError(f"the library has no function {target}")
        try:
            functions[target] = lookup.function_of(target)
        except (KeyError, AttributeError, TypeError) as e:
            if missing is None:
                raise
            missing[target] = f"the workspace has no function {qualname} in {path} ({type(e).__name__}: {e}); " \
                              "was it renamed or deleted?"
    return functions, references


def measure(config_path, args):
    """Run ``python ARGS`` (``-c CODE ...`` or ``-m MODULE ...``) with the stubbed targets filled in."""
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    sys.path.insert(0, config["workspace"])
    import minigan  # noqa: F401 - the learner's copy

    functions, references = load_references(config["fill"], Path(config["repo"]), Path(config["workspace"]))
    for target, fn in functions.items():
        fn.__code__ = references[target]
    if args[:1] == ["-c"] and len(args) >= 2:
        sys.argv = ["-c", *args[2:]]
        sys.path[0] = ""
        exec(compile(args[1], "<string>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
    elif args[:1] == ["-m"] and len(args) >= 2:
        sys.argv = [args[1], *args[2:]]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    else:
        raise SystemExit(f"minigan exercises measure: cannot run python {' '.join(args)}: expected -c or -m")


if __name__ == "__main__":
    if sys.argv[1:2] != ["measure"]:
        raise SystemExit("usage: python worker.py measure CONFIG -c CODE | -m MODULE ...")
    measure(sys.argv[2], sys.argv[3:])
