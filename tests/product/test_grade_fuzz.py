"""One bad submission never costs the class: a class of hostile workspaces drawn at random (folder names, file
encodings, file kinds, sizes, timings, and issue 99's: file after file written at import, a classmate's code read
and run, a syntax error, a workspace one folder down) beside one teacher's key.  Whatever they hold, grading ends,
every student has a row, the key keeps every point, no blank workspace gains one (not by a classmate's code), each
export is valid UTF-8 with one row per student, and a journal resumes without grading anyone again."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import secrets
import shutil
import sys
import tempfile

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from minigan.exercises import gradebook, grader, workspace
from product.class_submissions import set_body

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="FIFOs, links and byte names as Linux has them")
NAMES = ["unbroadcast", "add_backward"]
SEED = secrets.randbits(31)
TEMPLATES = {}

FOLDER_NAMES = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1, max_size=40),
    st.sampled_from([b"\xff\xfe", b"=HYPERLINK(\"x\")", b"+1", b"-", b"\x1b[31mred", b"a\nb", b"\xe2\x80\xaeevil",
                     b"x" * 200]),
)


def _mess(root, kind, rng):
    """Make the workspace ``root`` hostile in one way (``kind``)."""
    ops = root / "minigan" / "engine" / "ops"
    init = root / "minigan" / "__init__.py"
    if kind == "latin1":
        (ops / "elementwise.py").write_bytes((ops / "elementwise.py").read_bytes() + b"\n# caf\xe9\n")
    elif kind == "utf16":
        (ops / "elementwise.py").write_bytes((ops / "elementwise.py").read_text().encode("utf-16"))
    elif kind == "nul":
        (ops / "elementwise.py").write_bytes(b"x = 1\x00\n")
    elif kind == "fifo":
        os.mkfifo(ops / "pipe.py")
        os.mkfifo(root / "minigan" / "nn" / "__init__.py.fifo")
    elif kind == "links":
        os.symlink("/etc/passwd", ops / "passwd.py")
        os.symlink("loop", ops / "loop")
        os.symlink(b"nowhere", os.fsencode(ops) + b"/\xff.py")
    elif kind == "folder":
        (ops / "elementwise.py").unlink()
        (ops / "elementwise.py").mkdir()
    elif kind == "empty":
        (ops / "elementwise.py").write_text("")
    elif kind == "big":
        (ops / "big.py").write_text("x = 1\n" * 400_000)  # 2.4 MB: over what the grader compiles for it
    elif kind == "deep":
        deep = ops
        for i in range(60):
            deep = deep / f"d{i}"
        deep.mkdir(parents=True)
        (deep / "m.py").write_text("x = 1\n")
    elif kind == "slow":
        init.write_text(init.read_text() + f"\nimport time as _t\n_t.sleep({rng.random() * 2:.2f})\n")
    elif kind == "noise":
        init.write_text(init.read_text() + "\nimport sys as _s\n_s.stderr.write('\\udcff\\x1b[2J' * 1000)\n"
                        "print('\\x00' * 100000)\n")
    elif kind == "no_minigan":
        shutil.rmtree(root / "minigan")
    elif kind == "record":
        (root / workspace.MANIFEST).write_bytes(b"\xff{not json")
    elif kind == "files":
        init.write_text(init.read_text() + "\nimport os as _o\nfor _i in range(3000):\n    try:\n"
                        "        open(f'f{_i}', 'w').write('x' * 100)\n    except OSError:\n        break\n")
    elif kind == "snoop":  # add_backward in one line of its own: the key's, read from the class's folder and run
        set_body(root, "add_backward", "_k = {}\nexec(open(%r).read(), _k)\nreturn _k['Add'].backward(self, grad)"
                 % str(root.parent / "key/minigan/engine/ops/elementwise.py"))
    elif kind == "syntax":
        path = ops / "elementwise.py"
        path.write_text(path.read_text().replace("def backward(self, grad):", "def backward(self, grad) oops:", 1))


KINDS = ["latin1", "utf16", "nul", "fifo", "links", "folder", "empty", "big", "deep", "slow", "noise", "no_minigan",
         "record", "files", "snoop", "syntax", "nested"]
KEYS = ("slow", "nested")  # made from the key: every point; the others from a blank workspace: none


def _raw(name) -> bytes:
    raw = os.fsencode(name) if isinstance(name, str) else name
    return b"_" + raw if raw in (b".", b"..", b"key") or raw.startswith(b".") else raw


def _class_folder(factory):
    """The class's folder: outside /tmp where the machine lets us (as a container's /submissions), so that a
    student who reads a classmate's code by its path meets the sandbox's own walls, not /tmp's."""
    if os.access("/var/tmp", os.W_OK):
        folder = tempfile.mkdtemp(prefix="minigan-fuzz-", dir="/var/tmp")
        os.chmod(folder, 0o755)
        CLEAN.append(folder)
        return type(factory.getbasetemp())(folder)
    return factory.mktemp("class")


CLEAN = []


@pytest.fixture(autouse=True, scope="module")
def _clean():
    yield
    for folder in CLEAN:
        shutil.rmtree(folder, ignore_errors=True)


def _template(factory, kind):
    if kind not in TEMPLATES:
        TEMPLATES[kind] = workspace.start(factory.mktemp("template") / kind, solutions=kind == "key")
    return TEMPLATES[kind]


@example(names=["n1", "n2", "n3"], kinds=["snoop", "files", "syntax"], data=random.Random(0))  # (this round's)
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(names=st.lists(FOLDER_NAMES, min_size=3, max_size=3, unique_by=lambda n: os.fsencode(n) if isinstance(n, str)
                      else n),
       kinds=st.lists(st.sampled_from(KINDS), min_size=3, max_size=3), data=st.randoms(use_true_random=False))
def test_a_class_of_hostile_workspaces_never_costs_the_key_a_point(tmp_path_factory, names, kinds, data):
    folder = _class_folder(tmp_path_factory)
    key = folder / "key"
    shutil.copytree(_template(tmp_path_factory, "key"), key)
    for name, kind in zip(names, kinds):
        raw = _raw(name)
        path = os.path.join(os.fsencode(folder), raw[:200])
        inner = os.path.join(path, b"minigan-course") if kind == "nested" else path  # (a zip with its top folder)
        shutil.copytree(os.fsencode(_template(tmp_path_factory, "key" if kind in KEYS else "blank")), inner)
        _mess(type(key)(os.fsdecode(path)), kind, data)
    journal = folder.parent / f"{folder.name}.jsonl"
    folders = gradebook.expand([folder])
    book = gradebook.grade_class(folders, NAMES, jobs=2, seed=SEED, journal=journal)
    assert len(book["students"]) == 4
    by = {e["student"]: e for e in book["students"]}
    assert by["key"]["passed"] == len(NAMES), by["key"]["results"]
    for name, kind in zip(names, kinds):
        place = gradebook.escape(type(key)(os.fsdecode(os.path.join(os.fsencode(folder), _raw(name)[:200]))).resolve())
        entry = next(e for e in book["students"] if e["workspace"] == place)
        assert entry["passed"] == (len(NAMES) if kind in KEYS else 0), (kind, entry["results"])
    for text in (gradebook.csv_text(book), gradebook.canvas_text(book), gradebook.moodle_text(book),
                 gradebook.report(book), json.dumps(book, ensure_ascii=False)):
        text.encode("utf-8")  # (no lone surrogate anywhere)
        assert "\x1b" not in text and "\x00" not in text
    assert len(list(csv.reader(io.StringIO(gradebook.csv_text(book))))) == 5
    assert len(gradebook.report(book).splitlines()) >= 4
    again = gradebook.grade_class(folders, NAMES, jobs=2, journal=journal)
    assert [e["points"] for e in again["students"]] == [e["points"] for e in book["students"]]
    assert len(journal.read_text(encoding="utf-8").splitlines()) == 5  # the seed and four students, once each


def test_the_grader_fails_on_one_workspace_and_the_class_still_gets_its_gradebook(tmp_path, monkeypatch):
    folder = tmp_path / "class"
    workspace.start(folder / "good", solutions=True)
    workspace.start(folder / "bad", solutions=True)
    grade = grader.grade

    def failing(root, *args, **kwargs):  # (a bug of the grader's own, met on one workspace)
        if str(root).endswith("bad"):
            raise KeyError("a bug")
        return grade(root, *args, **kwargs)

    monkeypatch.setattr(grader, "grade", failing)
    book = gradebook.grade_class(gradebook.expand([folder]), NAMES, jobs=2, seed=SEED)
    by = {e["student"]: e for e in book["students"]}
    assert by["good"]["passed"] == 2 and by["bad"]["passed"] == 0
    assert "the grader could not grade this workspace (KeyError" in by["bad"]["flags"][0]
