"""F.instance_norm's refusals in PyTorch's order when the running statistics require grad (dev surface program
11873184).

PyTorch's instance_norm is its batch norm of the (1, N·C, ...) input with the weight, bias and running statistics
repeated N times; an empty input returns x·weight[0] + bias[0] there (an IndexError for an empty repeated weight)
before the running statistics are written back with copy_, which refuses a leaf that requires grad.  Over inputs
empty and not, of C = 0 or 3 channels, float64 and int64, with weight and bias absent, of C entries, requiring grad,
running statistics absent, plain or requiring grad, use_input_stats and not, under grad mode and no_grad: minigan
must run where PyTorch runs or raise its class.
"""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import same_outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES = [(2, 3, 4), (1, 0, 3), (0, 3, 4), (2, 3, 0), (0, 0, 2)]


def _run(lib, shape, dtype, affine, running, use_input_stats, grad_mode):
    c = shape[1]
    x = lib.tensor(np.arange(np.prod(shape)).reshape(shape) % 5, dtype=getattr(lib, dtype))
    w = None if affine == "none" else lib.tensor(np.linspace(0.5, 1.5, c), dtype=lib.float64,
                                                 requires_grad=affine == "grad")
    b = None if affine == "none" else lib.tensor(np.linspace(-1, 1, c), dtype=lib.float64,
                                                 requires_grad=affine == "grad")
    stats = (None, None) if running == "none" else (
        lib.zeros(c, dtype=lib.float64, requires_grad=running == "grad"),
        lib.ones(c, dtype=lib.float64, requires_grad=running == "grad"))
    try:
        with lib.set_grad_enabled(grad_mode):
            out = lib.nn.functional.instance_norm(x, *stats, w, b, use_input_stats=use_input_stats)
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return "raised", e
    return "ran", tuple(out.shape), str(out.dtype).split(".")[-1]


@pytest.mark.parametrize("shape,dtype,affine,running,use_input_stats,grad_mode", list(itertools.product(
    SHAPES, ["float64", "int64"], ["none", "plain", "grad"], ["none", "plain", "grad"], [True, False],
    [True, False])))
def test_instance_norm_refuses_in_pytorchs_order(shape, dtype, affine, running, use_input_stats, grad_mode):
    args = shape, dtype, affine, running, use_input_stats, grad_mode
    expected, got = _run(torch, *args), _run(minigan, *args)
    where = (f"instance_norm({dtype} {shape}, weight/bias {affine}, running stats {running}, use_input_stats="
             f"{use_input_stats}, grad mode {grad_mode})")
    same_outcome(got, expected, where)
