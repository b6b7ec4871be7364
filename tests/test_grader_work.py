"""What the grader does once for a class rather than once per student: the normal form of a function and the
words that reach for the grader in a file many workspaces share (cached by the file's hash, never by its path)."""

from __future__ import annotations

import sys

import pytest
from class_submissions import make_class, set_body

from minigan.exercises import gradebook, workspace
from minigan.exercises.catalogue import EXERCISES

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the learner's process is run as on Linux")


def test_a_file_many_workspaces_share_is_normalised_and_searched_once(tmp_path, monkeypatch):
    make_class(tmp_path, ["complete", "complete", "partial"])
    calls, reads = [], []
    normal_form, library_text = gradebook._normal_form, workspace.library_text
    monkeypatch.setattr(gradebook, "_normal_form", lambda text, q: calls.append(q) or normal_form(text, q))
    monkeypatch.setattr(workspace, "library_text", lambda path: reads.append(path) or library_text(path))
    first = [gradebook.copied_reference(tmp_path / "s01", e.name) for e in EXERCISES]
    assert all(first) and gradebook.suspicious(tmp_path / "s01") == []
    calls.clear(), reads.clear()
    assert [gradebook.copied_reference(tmp_path / "s02", e.name) for e in EXERCISES] == first
    assert gradebook.suspicious(tmp_path / "s02") == []
    assert calls == [] and reads == []  # the same files: nothing normalised or read from the library again
    # a file that changed is normalised again (the cache knows contents, not paths)
    set_body(tmp_path / "s02", "unbroadcast", "import ctypes\nreturn grad")
    assert not gradebook.copied_reference(tmp_path / "s02", "unbroadcast") and calls == ["unbroadcast"]
    assert gradebook.suspicious(tmp_path / "s02") == ["minigan/engine/graph.py uses ctypes"]
    partial = [gradebook.copied_reference(tmp_path / "s03", e.name) for e in EXERCISES]
    assert 0 < sum(partial) < len(EXERCISES)
