"""F.instance_norm's checks in PyTorch's order, against PyTorch.

With use_input_stats=True PyTorch first asks for more than one spatial element (ValueError); its kernel then reads
the channels, dim 1, so an input of fewer than 2 dimensions is an IndexError before its dtype is looked at (minigan
refused an int64 vector's dtype first).  Over 0-d to 3-D inputs, float64 and int64, use_input_stats and running
statistics given or not, minigan must run where PyTorch runs or raise its class.
"""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome, same_outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES = [(), (5,), (2, 5), (2, 3, 4), (2, 3, 1)]


def _run(lib, shape, dtype, use_input_stats, running):
    x = lib.tensor(np.arange(np.prod(shape)).reshape(shape), dtype=getattr(lib, dtype))
    stats = (lib.zeros(3, dtype=lib.float64), lib.ones(3, dtype=lib.float64)) if running else (None, None)
    out = outcome(lambda: lib.nn.functional.instance_norm(x, *stats, use_input_stats=use_input_stats))
    return ("raised", out) if isinstance(out, Exception) else ("ran", tuple(out.shape))


@pytest.mark.parametrize("shape,dtype,use_input_stats,running", list(itertools.product(
    SHAPES, ["float64", "int64"], [True, False], [False, True])))
def test_instance_norm_checks_in_pytorchs_order(shape, dtype, use_input_stats, running):
    expected, got = _run(torch, shape, dtype, use_input_stats, running), _run(minigan, shape, dtype, use_input_stats,
                                                                              running)
    where = f"instance_norm({dtype} {shape}, use_input_stats={use_input_stats}, running stats {running})"
    same_outcome(got, expected, where)
