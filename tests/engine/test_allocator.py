"""``keep_freed_memory`` (minigan/process.py): malloc keeps freed arrays for the next one, so fresh pages stop
faulting; ``import minigan`` leaves the process's allocator alone, minigan's commands and lessons set it. And
``backend.matmul``'s one-term products (a (m, 1) by (1, n)) give exactly BLAS's numbers."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from minigan.cli import main as cli
from minigan.cli import train as gans_cli
from minigan.engine import backend

# A training step in small: make four arrays of 12 MB, writing every page, then free them all; 20 times. Count
# the page faults the last 19 took.
CHILD = """
import json, resource, sys
import numpy
import minigan
from minigan.process import keep_freed_memory
kept = keep_freed_memory() if sys.argv[1] == "keep" else None
if sys.argv[1] == "lesson":  # a lesson's script or notebook kernel: its process is the lesson's
    import minigan.lessons
for step in range(20):
    if step == 1:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    arrays = [numpy.ones(3_000_000, numpy.float32) for _ in range(4)]
    del arrays
print(json.dumps({"kept": kept, "faults": resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before}))
"""


def _faults(mode):
    r = subprocess.run([sys.executable, "-c", CHILD, mode], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_keep_freed_memory_stops_the_page_faults_of_a_remade_array():
    kept = _faults("keep")
    if not kept["kept"]:
        pytest.skip("the C library is not glibc: keep_freed_memory is a no-op here")
    plain = _faults("import")  # import minigan only: glibc's default, which gives big blocks back
    pages = 19 * 4 * 3_000_000 * 4 // 4096  # 76 arrays of 2,930 pages
    assert plain["faults"] > pages // 10, plain  # glibc gave some of the freed blocks back: fresh pages again
    assert kept["faults"] < pages // 1000, kept  # every array in memory that was freed before: no fresh page


def test_a_lesson_keeps_freed_memory():
    """A lesson owns its process, as a command does: without this its GAN steps page-faulted 128 KB arrays in
    again on every step (576,000 faults and 1.3 s of system time a seed of lesson 06, 1.7x its CPU time)."""
    if not _faults("keep")["kept"]:
        pytest.skip("the C library is not glibc: keep_freed_memory is a no-op here")
    pages = 19 * 4 * 3_000_000 * 4 // 4096
    assert _faults("lesson")["faults"] < pages // 1000


def test_cli_keeps_freed_memory_before_the_command_runs(monkeypatch):
    calls = []
    monkeypatch.setattr(cli, "set_num_threads", lambda n: calls.append("threads"))
    monkeypatch.setattr(cli, "keep_freed_memory", lambda: calls.append("keep"))
    monkeypatch.setattr(gans_cli, "run", lambda args: calls.append("run") or 0)
    assert cli.main(["train", "wgan"]) == 0
    assert calls == ["threads", "keep", "run"]


@pytest.mark.parametrize("shapes", [((64, 1), (1, 300)), ((3, 5, 1), (3, 1, 7)), ((2, 1, 4, 1), (3, 1, 6)),
                                    ((1, 1), (1, 1))])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_one_term_products_equal_blas_exactly(shapes, dtype):
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal(s).astype(dtype) if dtype != np.int64 else rng.integers(-9, 9, s) for s in shapes)
    out = backend.matmul(a, b)
    assert out.shape == np.matmul(a, b).shape and out.dtype == np.matmul(a, b).dtype
    np.testing.assert_array_equal(out, np.matmul(a, b))  # one product a term: no rounding to differ
