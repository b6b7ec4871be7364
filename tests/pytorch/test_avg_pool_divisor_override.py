"""avg_pool2d's divisor_override, checked as PyTorch 2.13 checks it: its binding takes an int (a NumPy integer or a
0-d integer tensor too) and refuses anything else first (TypeError: a bool, a float, a string), and its kernel
refuses 0 (RuntimeError) before it reads the input's dimensions, dtype or sizes.  Found by the surface programs
(tests/pytorch/surface_programs.py, seed 11700824: divisor_override=0 gave minigan's ValueError)."""

import numpy as np
import pytest
from conftest import default_slice

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome, same_tensor_outcome  # noqa: E402

DIVISORS = [0, -1, 3, -3, True, False, 2.0, 2.5, "2", np.int64(2), np.int32(0), np.float64(2.0), "tensor 2",
            "tensor 0", "tensor 2.0", None]
INPUTS = {"float64": np.arange(2 * 3 * 4 * 4, dtype=np.float64).reshape(2, 3, 4, 4) - 40,
          "int64": np.arange(2 * 3 * 4 * 4, dtype=np.int64).reshape(2, 3, 4, 4) - 40,
          "one image": np.arange(3 * 4 * 4, dtype=np.float64).reshape(3, 4, 4),
          "empty batch": np.zeros((0, 3, 4, 4)), "5-D": np.zeros((1, 1, 1, 4, 4)), "bool": np.zeros((1, 1, 4, 4), bool),
          "int32": np.zeros((1, 1, 4, 4), np.int32), "empty plane": np.zeros((1, 1, 0, 4))}
GEOMETRY = [dict(kernel_size=2), dict(kernel_size=3, stride=1, padding=1, ceil_mode=True, count_include_pad=False),
            dict(kernel_size=5), dict(kernel_size=2, stride=0)]


def _divisor(lib, d):
    if isinstance(d, str) and d.startswith("tensor"):
        value = float(d.split()[1]) if "." in d else int(d.split()[1])
        return lib.tensor(value)
    return d


def _call(lib, name, d, geometry, module):
    x = lib.tensor(INPUTS[name])
    if module:
        return outcome(lambda: lib.nn.AvgPool2d(divisor_override=_divisor(lib, d), **geometry)(x))
    return outcome(lambda: lib.nn.functional.avg_pool2d(x, divisor_override=_divisor(lib, d), **geometry))


# Every 7th case by default (and each divisor, input, geometry and form), the rest under -m parity
@pytest.mark.parametrize("d, name, geometry, module", default_slice(
    [pytest.param(d, name, geometry, module, id=f"{d!r}-{name}-{','.join(f'{k}={v}' for k, v in geometry.items())}-"
                  f"{'AvgPool2d' if module else 'function'}")
     for d in DIVISORS for name in INPUTS for geometry in GEOMETRY for module in [False, True]], 23, cover="each"))
def test_divisor_override_as_pytorch(d, name, geometry, module):
    theirs, ours = _call(torch, name, d, geometry, module), _call(minigan, name, d, geometry, module)
    same_tensor_outcome(ours, theirs)
