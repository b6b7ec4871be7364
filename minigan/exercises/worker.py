"""The grading process: runs with PYTHONPATH=<workspace>, so ``import minigan`` is the learner's copy.

Started by ``grader.py`` as a script (never imported), it reads a job on stdin::

    {"workspace": ..., "repo": ..., "exercises": [{"name": ..., "targets": [...]}, ...],
     "run": [names], "timeout": seconds, "torch": compare with PyTorch too}

and prints one ``@@result {json}`` line per exercise graded.  Each exercise is graded on its own:
the functions of every OTHER exercise run the reference solution (their code object is swapped for
the one compiled from the library's source), so a gap elsewhere does not fail this one.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import json
import signal
import sys
import time
import traceback
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
if sys.path and Path(sys.path[0] or ".").resolve() == HERE:
    sys.path.pop(0)  # the grader's folder must not shadow anything the workspace imports


class Timeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise Timeout()


def _code_in(code, qualname):
    """The code object named ``qualname`` inside a compiled module (searched through nested code)."""
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            if const.co_qualname == qualname:
                return const
            found = _code_in(const, qualname)
            if found is not None:
                return found
    return None


def _function(target):
    """The workspace's function object for ``path::Qualified.name`` (unwrapping decorators and descriptors)."""
    path, qualname = target.split("::")
    obj = importlib.import_module(path[:-3].replace("/", ".").removesuffix(".__init__"))
    for part in qualname.split("."):
        obj = vars(obj)[part] if part in vars(obj) else getattr(obj, part)
        if isinstance(obj, (staticmethod, classmethod)):
            obj = obj.__func__
        elif isinstance(obj, property):
            obj = obj.fget
    return inspect.unwrap(obj)


class Context:
    """What a check may ask of the grader: the reference solution of a target, as a function."""

    def __init__(self, reference_codes, functions):
        self._codes, self._functions = reference_codes, functions

    def reference(self, target):
        """The reference solution of ``target``: a function with the library's body and the workspace's globals."""
        fn = self._functions[target]
        twin = types.FunctionType(self._codes[target], fn.__globals__, fn.__name__, fn.__defaults__,
                                  fn.__closure__)
        twin.__kwdefaults__ = fn.__kwdefaults__
        return twin


def _where(exc):
    """The innermost frame of the traceback that lies in the workspace's minigan: 'minigan/x.py:12'."""
    place = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        name = frame.filename.replace("\\", "/")
        if "/minigan/" in name:
            place = f"minigan/{name.rsplit('/minigan/', 1)[1]}:{frame.lineno}"
    return place


def _describe(exc, fail_type):
    if isinstance(exc, fail_type):
        return str(exc)
    if isinstance(exc, NotImplementedError) and str(exc).startswith("exercise "):
        return f"not written yet ({exc})"
    where = _where(exc)
    message = str(exc).splitlines()[0] if str(exc) else ""
    return f"raised {type(exc).__name__}: {message}" + (f" (at {where})" if where else "")


def main():
    job = json.load(sys.stdin)
    workspace, repo = Path(job["workspace"]), Path(job["repo"])

    def emit(name, passed, message, seconds):
        print("@@result " + json.dumps({"name": name, "passed": passed, "message": message,
                                        "seconds": seconds}), flush=True)

    try:
        import minigan  # noqa: F401 - the learner's copy
        spec = importlib.util.spec_from_file_location("_minigan_exercise_checks", HERE / "checks.py")
        checks = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(checks)
        checks.USE_TORCH = bool(job.get("torch"))
        functions, references, compiled = {}, {}, {}
        for ex in job["exercises"]:
            for target in ex["targets"]:
                path, qualname = target.split("::")
                if path not in compiled:
                    text = (repo / path).read_text(encoding="utf-8")
                    compiled[path] = compile(text, str(workspace / path), "exec")
                functions[target] = _function(target)
                references[target] = _code_in(compiled[path], qualname)
                if references[target] is None:
                    raise LookupError(f"the library has no function {target}")
    except Exception as e:  # a syntax error in the workspace, say: nothing can be graded
        message = f"the workspace's minigan cannot be imported: {_describe(e, ())}"
        for name in job["run"]:
            emit(name, False, message, 0.0)
        return
    learner = {t: f.__code__ for t, f in functions.items()}
    context = Context(references, functions)
    signal.signal(signal.SIGALRM, _on_alarm)
    targets_of = {ex["name"]: ex["targets"] for ex in job["exercises"]}
    for name in job["run"]:
        mine = set(targets_of[name])
        start = time.perf_counter()
        try:
            for target, fn in functions.items():  # this exercise: the learner's code; the others: the reference
                fn.__code__ = learner[target] if target in mine else references[target]
            signal.setitimer(signal.ITIMER_REAL, job["timeout"])
            try:
                getattr(checks, "check_" + name)(context)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            passed, message = True, ""
        except Timeout:
            passed, message = False, f"took longer than {job['timeout']:g} s (an endless loop?)"
        except Exception as e:
            passed, message = False, _describe(e, checks.Fail)
        finally:
            checks.reset()
        emit(name, passed, " ".join(message.split()), round(time.perf_counter() - start, 3))


if __name__ == "__main__":
    main()
