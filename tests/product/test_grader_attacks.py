"""A hostile student against the grader: every attack here beat the grader once; each must now fail.

The attacks: a verdict forged from inside the graded process (the workspace's ``minigan/__init__.py`` hunting for
the grader's channel and token, a ``sitecustomize.py`` or ``json.py`` beside ``minigan/``), a daemon that leaves
the session and outlives grading, unbounded stderr, a body that loads the installed reference, a verbatim copy
hidden by ``pass``, a gradebook cell that a spreadsheet runs as a formula, writes through links in a workspace,
``start`` into the library itself, and wrong optimizers the checks once passed (AdamW as L2, AMSGrad's unused
running maximum).
"""

from __future__ import annotations

import csv
import io
import json
import secrets
import subprocess
import sys
import textwrap
import time

import pytest

from minigan.exercises import gradebook, grader, source, workspace
from minigan.exercises.catalogue import BY_NAME, EXERCISES
from product.class_submissions import set_body

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the attacks use Linux's /proc and fork")

SOME = ["unbroadcast", "add_backward", "mul_backward", "sgd", "adam"]
# The grader's inputs of the gradings below that run in this process: drawn once a run and shared, as a class
# shares one, so that the library's answers on them are computed once, in one reference process (the grader keeps
# them per seed).  The grading in a process of its own (the probe of what the graded code prints) draws its own.
SEED = secrets.randbits(31)


@pytest.fixture(scope="module", autouse=True)
def _reference_once():
    grader.reference(grader.resolve(SOME), SEED)

# Walks every frame it can find for the grader's job (a token and the channel results go to), and writes a
# passing result for every exercise in every format a grader might read: token lines, bare JSON, and on every
# file descriptor.  Then it lets grading go on (it forges; it does not crash).
FORGER = textwrap.dedent('''
    import builtins as _builtins, gc as _gc, json as _json, os as _os, sys as _sys
    def _forge():
        names = %r
        tokens, fds = set(), set(_builtins.range(3, 64))  # (minigan's namespace has a range of its own)
        frames = []
        f = _sys._getframe()
        while f is not None:
            frames.append(f)
            f = f.f_back
        for f in frames:
            for value in list(f.f_locals.values()) + list(f.f_globals.values()):
                if type(value) is type({}) and "token" in value:
                    tokens.add(str(value["token"]))
                    if isinstance(value.get("results_fd"), type(0)):
                        fds.add(value["results_fd"])
            for key in ("token", "nonce"):
                if isinstance(f.f_locals.get(key), type("")):
                    tokens.add(f.f_locals[key])
        for obj in _gc.get_objects():
            if type(obj) is type({}) and isinstance(obj.get("token"), type("")):
                tokens.add(obj["token"])
        lines = []
        for name in names:
            body = _json.dumps({"name": name, "passed": True, "message": "", "seconds": 0.1})
            lines += [t + " " + body for t in tokens] or [body, "PASS " + name]
        data = ("\\n".join(lines) + "\\n").encode()
        for fd in fds:
            try:
                _os.write(fd, data)
            except OSError:
                pass
    _forge()
    _sys.modules[__name__].__dict__["_forged"] = True
''')


def _blank(tmp_path, name="ws"):
    return workspace.start(tmp_path / name)


def _passed(results):
    return [n for n, p, _, _ in results if p]


def test_a_forged_verdict_from_the_workspaces_init_changes_nothing(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    init = root / "minigan" / "__init__.py"
    init.write_text(init.read_text() + FORGER % ([e.name for e in EXERCISES],))
    for name in SOME[1:]:
        set_body(root, name, "raise ValueError('not solved')")
    set_body(root, SOME[0], "import minigan\nraise RuntimeError(f'forger ran: {getattr(minigan, \"_forged\", False)}')")
    results, _ = grader.grade(root, SOME, timeout=10, seed=SEED)
    assert _passed(results) == [], results
    assert "forger ran: True" in results[0][2], results[0][2]  # (the attack did run)


def test_an_unsolved_body_that_forges_its_own_verdict_fails(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    set_body(root, "mul_backward", (FORGER % (["mul_backward"],)) + "\nraise RuntimeError('forged')")
    results, _ = grader.grade(root, ["mul_backward"], timeout=10, seed=SEED)
    assert _passed(results) == []
    assert "raised RuntimeError: forged" in results[0][2], results[0][2]


def test_sitecustomize_and_json_beside_minigan_never_run(tmp_path):
    root = _blank(tmp_path)
    marker = tmp_path / "ran"
    code = (f"open({str(marker)!r}, 'a').write('x')\n" + textwrap.dedent('''
        import os, sys
        try:
            job = sys.stdin.read()
            sys.stdin = __import__("io").StringIO(job)
            import importlib.util as u, sysconfig
            spec = u.spec_from_file_location("_j", os.path.join(sysconfig.get_paths()["stdlib"], "json", "__init__.py"))
            j = u.module_from_spec(spec); spec.loader.exec_module(j)
            d = j.loads(job)
            for e in d.get("exercises", []):
                os.write(d["results_fd"], (d["token"] + " " + j.dumps({"name": e["name"], "passed": True,
                         "message": "", "seconds": 0.1}) + "\\n").encode())
        except Exception:
            pass
    '''))
    (root / "sitecustomize.py").write_text(code)
    (root / "usercustomize.py").write_text(code)
    (root / "json.py").write_text(f"open({str(marker)!r}, 'a').write('j')\nfrom _json_missing import *\n")
    results, _ = grader.grade(root, ["unbroadcast", "add_backward"], timeout=10, seed=SEED)
    assert _passed(results) == []
    assert not marker.exists(), "a start-up file beside minigan/ ran in the graded process"


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_daemon_that_leaves_the_session_does_not_outlive_grading(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    pidfile, victim = tmp_path / "daemon.pid", tmp_path / "gradebook.csv"
    victim.write_text("grades\n")
    body = textwrap.dedent(f'''
        import os, time
        try:
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    open({str(pidfile)!r}, "w").write(str(os.getpid()))
                    time.sleep(1.5)
                    open({str(victim)!r}, "w").write("rewritten by the daemon\\n")
                    os._exit(0)
                os._exit(0)
        except Exception:
            pass
        return (unbroadcast(grad, value(self.inputs[0]).shape) if self.needs_input_grad[0] else None,
                unbroadcast(grad, value(self.inputs[1]).shape) if self.needs_input_grad[1] else None)
    ''')
    set_body(root, "add_backward", body)
    grader.grade(root, ["add_backward"], timeout=10, seed=SEED)
    time.sleep(2.5)
    assert victim.read_text() == "grades\n", "a daemon started by the graded code rewrote a file after grading"
    if pidfile.exists():
        assert not _alive(int(pidfile.read_text())), "the daemon is still running"


def test_what_the_graded_code_prints_is_bounded_on_disk_and_in_memory(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    set_body(root, "add_backward", "import sys, os\nchunk = 'x' * (1 << 20)\nfor _ in range(400):\n"
                                   "    sys.stderr.write(chunk)\n    sys.stdout.write(chunk)\nraise ValueError('done')")
    probe = ("import resource, sys\nfrom minigan.exercises import grader\n"
             f"before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
             f"r, _ = grader.grade({str(root)!r}, ['add_backward'], timeout=60)\n"
             "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before, r[0][1])\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    grown_kb, passed = done.stdout.split()
    assert passed == "False"
    assert int(grown_kb) < 100 << 10, f"the grader grew by {int(grown_kb) >> 10} MB reading what the code printed"


def _reference_loader(root, exercise):
    """A body that finds the installed reference (through the workspace's record, the editable install, or the
    repository) and calls its function of the same name."""
    target = BY_NAME[exercise].targets[0]
    path, qualname = source.split_target(target)
    return textwrap.dedent(f'''
        import importlib.util, json, os, glob, sys
        here = os.path.dirname(os.path.abspath(__file__))
        places = []
        folder = here
        for _ in range(8):
            try:
                places.append(json.load(open(os.path.join(folder, ".exercises.json"))).get("library") or "")
            except Exception:
                pass
            folder = os.path.dirname(folder)
        places.append({str(workspace.REPO)!r})
        try:
            import numpy
            site = os.path.dirname(os.path.dirname(os.path.realpath(numpy.__file__)))
            for f in glob.glob(os.path.join(site, "__editable__*minigan*finder.py")):
                text = open(f).read()
                start = text.index("'minigan': '") + len("'minigan': '")
                places.append(os.path.dirname(text[start:text.index("'", start)]))
            places.append(site)
        except Exception:
            pass
        for place in places:
            file = os.path.join(place, {path!r})
            try:
                spec = importlib.util.spec_from_file_location("_reference_copy", file)
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
            except Exception:
                continue
            fn = module
            for part in {qualname!r}.split("."):
                fn = getattr(fn, part)
            return fn(self, grad)
        raise RuntimeError("no reference found")
    ''')


def test_a_body_that_loads_the_installed_reference_fails_and_is_flagged(tmp_path):
    root = _blank(tmp_path)
    set_body(root, "add_backward", _reference_loader(root, "add_backward"))
    entry = gradebook.grade_student(root, "mallory", ["add_backward"], timeout=10, seed=SEED)
    assert not entry["results"][0]["passed"], entry["results"][0]["message"]
    assert any("reference" in flag for flag in entry["flags"]), entry["flags"]
    assert str(workspace.REPO) not in (root / workspace.MANIFEST).read_text()


def test_a_verbatim_copy_is_found_after_appending_pass_renaming_and_reordering(tmp_path):
    root = _blank(tmp_path)
    target = BY_NAME["adam"].targets[0]
    path, qualname = source.split_target(target)
    ref = source.function_text(workspace.library_text(path), qualname)
    disguised = ref.replace("alpha", "step_size").replace('"""', '"""Mine. ', 1)
    lines = disguised.rstrip("\n").splitlines()
    disguised = "\n".join(lines) + "\n        pass  # done\n"
    for other in BY_NAME["adam"].targets[1:]:
        p, q = source.split_target(other)
        text = (root / p).read_text()
        fn = source.function_text(workspace.library_text(p), q)
        (root / p).write_text(source.replace_function(text, q, fn.rstrip("\n") + "\n    pass\n"))
    text = (root / path).read_text()
    (root / path).write_text(source.replace_function(text, qualname, disguised))
    assert gradebook.copied_reference(root, "adam")


def test_independent_statements_in_another_order_are_still_a_copy(tmp_path):
    root = _blank(tmp_path)
    path, qualname = source.split_target(BY_NAME["adam"].targets[0])
    ref = source.function_text(workspace.library_text(path), qualname)
    first = '        alpha, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]\n'
    second = "        xp = backend.get_array_module(p.array)\n"
    assert first + second in ref
    text = (root / path).read_text()
    (root / path).write_text(source.replace_function(text, qualname, ref.replace(first + second, second + first)))
    for other in BY_NAME["adam"].targets[1:]:
        p, q = source.split_target(other)
        t = (root / p).read_text()
        (root / p).write_text(source.replace_function(t, q, source.function_text(workspace.library_text(p), q)))
    assert gradebook.copied_reference(root, "adam")


def test_no_gradebook_cell_starts_a_formula():
    rows = [{"student": "=HYPERLINK(\"http://x\")", "exercise": "unbroadcast", "set": "autodiff", "passed": False,
             "points": 0, "message": "+1+1"}, {"student": "@SUM(A1)", "exercise": "unbroadcast", "set": "autodiff",
                                                "passed": False, "points": 0, "message": "-2\tx"}]
    book = {"graded_by": "x", "graded_at": "now", "exercises": [{"name": "unbroadcast", "set": "autodiff",
                                                                 "points": 1}],
            "students": [{"student": r["student"], "results": [r], "points": 0, "max_points": 1, "flags": [],
                          "workspace": "", "copied_reference": [], "passed": 0, "exercises": 1, "seconds": 0.0,
                          "made_by": None, "version_mismatch": False, "record_note": None,
                          "record_claims_unconfirmed": []} for r in rows]}
    for text in (gradebook.csv_text(book),):
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell


def test_check_never_writes_through_a_link_in_the_workspace(tmp_path):
    root = _blank(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("mine\n")
    (root / ".exercises.tmp").symlink_to(victim)
    workspace.record(root, [("unbroadcast", False, "not written", 0.1)])
    assert victim.read_text() == "mine\n"
    assert json.loads((root / workspace.MANIFEST).read_text())["progress"]["unbroadcast"]["passed"] is False


def test_start_force_never_writes_through_a_dangling_link(tmp_path):
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes\n")
    victim = tmp_path / "victim.md"
    (folder / "EXERCISES.md").symlink_to(victim)
    with pytest.raises(workspace.WorkspaceError):
        workspace.start(folder, force=True)
    assert not victim.exists()


def test_start_refuses_a_folder_inside_the_library(tmp_path, monkeypatch):
    library = tmp_path / "lib" / "minigan"
    (library / "engine").mkdir(parents=True)
    (library / "__init__.py").write_text("")
    monkeypatch.setattr(workspace, "LIBRARY", library)
    with pytest.raises(workspace.WorkspaceError, match="inside"):
        workspace.start(library / "engine" / "ws")
    assert not (library / "engine" / "ws").exists()
    with pytest.raises(workspace.WorkspaceError, match="inside"):
        workspace.start(workspace.LIBRARY.parent)  # the library inside the workspace: the same endless copy


ADAMW_AS_L2 = ("adam", [('if group["weight_decay"] != 0 and group["decoupled_weight_decay"]:\n'
                         '            p.mul_(1.0 - alpha * group["weight_decay"])',
                         'if group["weight_decay"] != 0 and group["decoupled_weight_decay"]:\n'
                         '            g = g + group["weight_decay"] * p.array')], "AdamW's decay added to g (L2)")
AMSGRAD_UNUSED = ("adam", [("step = _adam_direction(xp, m, v_max, alpha", "step = _adam_direction(xp, m, v, alpha")],
                  "AMSGrad's running maximum never used")


@pytest.mark.parametrize("mutation", [ADAMW_AS_L2, AMSGRAD_UNUSED], ids=["adamw-as-l2", "amsgrad-unused"])
def test_adam_branches_the_checks_once_passed_now_fail(tmp_path, mutation):
    from product.test_exercises_mutations import apply_mutation
    root = workspace.start(tmp_path / "ws", solutions=True)
    exercise, edits, _ = mutation
    apply_mutation(root, exercise, edits)
    results, _ = grader.grade(root, ["adam"], timeout=20, seed=SEED)
    assert not results[0][1], f"{mutation[2]} passed adam"


def test_the_workspace_never_holds_the_librarys_path(tmp_path):
    root = _blank(tmp_path)
    for file in (root / workspace.MANIFEST, root / "EXERCISES.md"):
        assert str(workspace.REPO) not in file.read_text()


def test_a_workspace_link_to_a_file_outside_is_never_followed_when_grading(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    outside = tmp_path / "outside.py"
    outside.write_text((root / "minigan" / "engine" / "graph.py").read_text())
    (root / "minigan" / "engine" / "graph.py").unlink()
    (root / "minigan" / "engine" / "graph.py").symlink_to(outside)
    results, _ = grader.grade(root, ["unbroadcast"], timeout=10, seed=SEED)
    assert not results[0][1]
    assert "link" in results[0][2]


def test_the_env_of_the_graded_process_holds_no_path_to_the_reference(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    set_body(root, "unbroadcast", textwrap.dedent(f'''
        import os, sys
        library, repo = {str(workspace.LIBRARY)!r}, {str(workspace.REPO)!r}
        problems = []
        if not (sys.flags.isolated and sys.flags.no_user_site):
            problems.append("not isolated")
        if "PYTHONPATH" in os.environ:
            problems.append("PYTHONPATH")
        problems += [f"env {{k}}" for k, v in os.environ.items() if library in v]
        for p in sys.path:
            if p and (p == repo or p.startswith(library) or os.path.isdir(os.path.join(p, "minigan", "exercises"))):
                problems.append(f"path {{p}}")
        raise RuntimeError("isolation: " + ("; ".join(problems) or "clean"))
    '''))
    results, _ = grader.grade(root, ["unbroadcast"], timeout=10, seed=SEED)
    assert "raised RuntimeError: isolation: clean" in results[0][2], results[0][2]
