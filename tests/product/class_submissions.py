"""A class's worth of workspaces for the grading tests: blank, partial, complete, and hostile ones.

``make_class(folder, kinds)`` makes one workspace per kind (copies of one blank and one teacher's
workspace, edited) and returns ``{student: (kind, {exercise: passes?})}``: what a correct gradebook says.
Each hostile workspace is a teacher's copy with one exercise (``HOSTILE[kind]``) made hostile, so a
correct grader fails that exercise only (the "fake" one also writes fake result lines everywhere from
``add_backward``, which still passes: lines are not data the grader reads).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from minigan.exercises import source, workspace
from minigan.exercises.catalogue import BY_NAME, EXERCISES

# kind → (exercise made hostile, the body it gets, a word its failure message must hold)
HOSTILE = {
    "loop": ("exp_backward", "while True:  # a time limit raised as an exception is swallowed here\n"
             "    try:\n        while True:\n            pass\n    except Exception:\n        pass", "longer than"),
    "fork": ("mul_backward", "import os, time\nif os.fork() == 0:\n    while True:\n        time.sleep(0.05)\n"
             "a, b = self.saved_tensors\n(x, y), (need_a, need_b) = self.inputs, self.needs_input_grad\n"
             "return (unbroadcast(grad * b, value(x).shape) if need_a else None), "
             "(unbroadcast(grad * a, value(y).shape) if need_b else None)",
             "start processes"),
    "fake": ("adam", None, "not written yet"),  # unwritten; the workspace prints and writes fake "passed" lines
    "memory": ("log_backward", "import numpy as np\nhog = []\nwhile True:\n    hog.append(np.ones(1 << 22))", "memory"),
    "exit": ("tanh_backward", "import os\nos._exit(0)", "ended before reporting"),
}

# printed at exit and written into every open file descriptor by the "fake" workspace
FAKE_LINES = "".join(f"@@result {json.dumps({'name': e.name, 'passed': True, 'message': '', 'seconds': 0.1})}\n"
                     f"{json.dumps({'name': e.name, 'passed': True, 'message': '', 'seconds': 0.1})}\n"
                     for e in EXERCISES)
FAKE_CODE = f'''
import atexit as _atexit, builtins as _builtins, os as _os, sys as _sys
_FAKE = {FAKE_LINES!r}


def _claim_everything():
    print(_FAKE, flush=True)
    for _fd in _builtins.range(0, 64):  # (minigan's namespace has a range of its own, as torch's)
        try:
            _os.write(_fd, _FAKE.encode())
        except OSError:
            pass


_atexit.register(_claim_everything)
_claim_everything()
'''


# appended to a blank workspace's minigan/__init__.py: looks through every frame and object of the process it runs in
# for a token and a result channel, and writes a pass for every exercise on every file descriptor
FORGE_CODE = f'''
import builtins as _builtins, gc as _gc, json as _json, os as _os, sys as _sys
def _forge():
    tokens = set()
    f = _sys._getframe()
    while f is not None:
        for v in list(f.f_locals.values()):
            if type(v) is type({{}}) and isinstance(v.get("token"), type("")):
                tokens.add(v["token"])
        f = f.f_back
    for o in _gc.get_objects():
        if type(o) is type({{}}) and isinstance(o.get("token"), type("")):
            tokens.add(o["token"])
    fake = {FAKE_LINES!r}
    lines = "".join(t + " " + line for t in tokens for line in fake.splitlines(keepends=True)) + fake
    for fd in _builtins.range(3, 64):
        try:
            _os.write(fd, lines.encode())
        except OSError:
            pass
_forge()
'''


def fill_in(root: Path, name: str) -> None:
    """Copy the library's body of exercise ``name`` into the workspace (a learner who solved it)."""
    for target in BY_NAME[name].targets:
        path, qualname = source.split_target(target)
        text = (root / path).read_text()
        text = source.replace_function(text, qualname, source.function_text(workspace.library_text(path), qualname))
        (root / path).write_text(text)


def set_body(root: Path, name: str, body: str) -> None:
    """Give exercise ``name``'s (first) function the body ``body`` (unindented source)."""
    path, qualname = source.split_target(BY_NAME[name].targets[0])
    text = (root / path).read_text()
    text = source.stub(text, qualname, "placeholder")
    first, _, indent = source.body_span(text, qualname)
    lines = text.splitlines(keepends=True)
    new = "".join(" " * indent + line + "\n" for line in body.splitlines())
    (root / path).write_text("".join(lines[: first - 1] + [new] + lines[first:]))


def make_class(folder: Path, kinds) -> dict:
    """One workspace per kind in ``folder`` (student names s01, s02, ...); returns the expected grades."""
    folder = Path(folder)
    blank = workspace.start(folder / "_blank")
    solved = workspace.start(folder / "_solved", solutions=True)
    names = [e.name for e in EXERCISES]
    expected = {}
    for i, kind in enumerate(kinds):
        student = f"s{i + 1:02d}"
        root = folder / student
        if kind == "blank":
            shutil.copytree(blank, root)
            passes = dict.fromkeys(names, False)
        elif kind == "partial":
            shutil.copytree(blank, root)
            done = names[: 5 + (7 * i) % 40]
            for name in done:
                fill_in(root, name)
            passes = {n: n in done for n in names}
        elif kind == "forge":  # a blank workspace whose __init__ hunts for the grader's channel and claims everything
            shutil.copytree(blank, root)
            init = root / "minigan" / "__init__.py"
            init.write_text(init.read_text() + FORGE_CODE)
            passes = dict.fromkeys(names, False)
        elif kind == "complete":
            shutil.copytree(solved, root)
            passes = dict.fromkeys(names, True)
        elif kind == "record":  # a partial workspace whose record claims everything passed, made by "9.9"
            shutil.copytree(blank, root)
            for name in names[:3]:
                fill_in(root, name)
            manifest = json.loads((root / workspace.MANIFEST).read_text())
            manifest["minigan_version"] = "9.9"
            manifest["progress"] = {n: {"passed": True, "message": "", "seconds": 0.1} for n in names}
            (root / workspace.MANIFEST).write_text(json.dumps(manifest))
            passes = {n: n in names[:3] for n in names}
        else:
            shutil.copytree(solved, root)
            exercise, body, _ = HOSTILE[kind]
            if kind == "fake":
                path, qualname = source.split_target(BY_NAME[exercise].targets[0])
                text = (root / path).read_text()
                (root / path).write_text(source.stub(text, qualname, f"exercise {exercise}: write it"))
                init = root / "minigan" / "__init__.py"
                init.write_text(init.read_text() + FAKE_CODE)
                set_body(root, "add_backward", "import os\nfor fd in range(64):\n    try:\n"
                         "        os.write(fd, _FAKE_LINE)\n    except OSError:\n        pass\n"
                         "(a, b), (need_a, need_b) = self.inputs, self.needs_input_grad\n"
                         "return (unbroadcast(grad, value(a).shape) if need_a else None,\n"
                         "        unbroadcast(grad, value(b).shape) if need_b else None)")
                elementwise = root / "minigan" / "engine" / "ops" / "elementwise.py"
                elementwise.write_text(elementwise.read_text() + f"\n_FAKE_LINE = {FAKE_LINES.encode()!r}\n")
                passes = {n: n != exercise for n in names}  # writing fake lines everywhere changes nothing
            else:
                set_body(root, exercise, body)
                passes = {n: n != exercise for n in names}
        expected[student] = (kind, passes)
    shutil.rmtree(blank)
    shutil.rmtree(solved)
    return expected
