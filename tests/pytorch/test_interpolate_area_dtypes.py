"""interpolate(mode="area") is adaptive average pooling, and takes what it takes: PyTorch's adaptive_avg_pool refuses
an integer or bool input, but gives an empty tensor of the input's dtype when the output has no pixel (its kernel
returns before it dispatches on the dtype).  So an integer image shrunk below one pixel is an empty integer tensor,
as PyTorch's (held-out surface seed 12321577: minigan refused every non-float input first)."""

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

DTYPES = ["float64", "float32", "int64", "int32", "int16", "int8", "uint8", "bool"]
SIZES = [  # (input shape, the resize keywords)
    ((2, 2, 1, 4), {"scale_factor": 0.5}),
    ((2, 2, 1, 4), {"size": (0, 2)}),
    ((2, 2, 3, 4), {"size": (1, 0)}),
    ((2, 2, 3, 4), {"size": (2, 2)}),
    ((2, 2, 3, 4), {"scale_factor": 2.0}),
    ((2, 3, 1), {"scale_factor": 0.5}),
    ((2, 3, 4), {"size": 0}),
    ((2, 3, 4), {"size": 3}),
    ((3, 1, 2), {"scale_factor": 0.4}),
]


def outcome(lib, dtype, shape, kwargs):
    x = lib.tensor(np.arange(np.prod(shape)).reshape(shape) % 3, dtype=getattr(lib, dtype))
    try:
        y = lib.nn.functional.interpolate(x, mode="area", **kwargs)
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return e
    return tuple(y.shape), str(y.dtype).split(".")[-1], y.double().numpy()


@pytest.mark.parametrize("dtype, case", list(itertools.product(DTYPES, range(len(SIZES)))))
def test_area_resizes_and_refuses_by_dtype_as_pytorch(dtype, case):
    shape, kwargs = SIZES[case]
    theirs, mine = outcome(torch, dtype, shape, kwargs), outcome(minigan, dtype, shape, kwargs)
    if isinstance(theirs, Exception):
        assert isinstance(mine, type(theirs)), f"PyTorch raises {theirs!r}, minigan gives {mine!r}"
        return
    assert not isinstance(mine, Exception), f"PyTorch gives {theirs[:2]}, minigan raises {mine!r}"
    assert mine[:2] == theirs[:2]
    np.testing.assert_allclose(mine[2], theirs[2], rtol=1e-6)
