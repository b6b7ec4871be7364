"""What the torch-free tests of test_bench.py share with its comparisons with PyTorch
(tests/pytorch/test_bench.py)."""

import pytest

from minigan.cli.bench import workloads

SMALL = 4  # a tiny batch: these tests check that the code runs, not how fast


@pytest.fixture(autouse=True)
def _restore_bench_state():
    saved = dict(workloads.RUN)
    yield
    workloads.RUN.clear()
    workloads.RUN.update(saved)
