"""The suite runs in any order and split between processes (pytest-xdist): each test leaves the process as it
found it.  tests/conftest.py reads the process-wide settings a test could change (PROCESS_STATE) before and after
every test; a change left behind fails that test, by name, and is put back.  These tests check that guard."""

import os

import conftest
import numpy as np

import minigan


def test_a_change_left_behind_is_named_and_put_back():
    before = conftest.process_state()
    minigan.set_default_dtype(minigan.float64)
    minigan.set_printoptions(precision=7)
    minigan.set_grad_enabled(False)
    np.seterr(divide="raise")
    os.environ["MINIGAN_SUITE_PROBE"] = "1"
    changes = conftest.put_back(before)
    assert [change.split(" (")[0] for change in changes] == [
        "minigan's default dtype", "minigan's grad mode", "minigan's print options",
        "NumPy's floating-point error handling", "the environment variables"]
    assert "'precision': 4} -> {'precision': 7}" in changes[2]  # the entry that changed, not the whole dict
    assert "{'MINIGAN_SUITE_PROBE': None} -> {'MINIGAN_SUITE_PROBE': '1'}" in changes[4]
    assert conftest.process_state() == before and conftest.put_back(before) == []


def test_each_setting_reads_equal_twice():
    # a reading that differs from itself (a fresh object each time) would fail every test
    assert conftest.put_back(conftest.process_state()) == []


def test_each_setting_that_can_be_put_back_is(tmp_path):
    before = conftest.process_state()
    minigan.set_num_threads(minigan.get_num_threads() + 1)
    minigan.use_deterministic_algorithms(True)
    np.set_printoptions(precision=3)
    os.chdir(tmp_path)
    changes = conftest.put_back(before)
    assert len(changes) == 4 and conftest.process_state() == before
