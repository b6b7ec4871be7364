"""F.pad's reflect and replicate kernels' checks, against PyTorch.

PyTorch pads with mode="reflect" or "replicate" by kernels (reflection_pad1d/2d/3d, replication_pad...) that take a
batch of size 0 but no other size 0 ("Expected 2D or 3D (batch mode) tensor with possibly 0 batch size and other
non-zero dimensions": RuntimeError), then have no bool form (NotImplementedError); circular padding is a composite
that takes both.  Over the four modes, six dtypes and inputs of one sample or a batch, with and without sizes 0,
minigan must give PyTorch's shape and dtype, or raise its class.
"""

import itertools

import pytest

import minigan
from pytorch.exception_oracle import outcome, same_outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

MODES = ["constant", "reflect", "replicate", "circular"]
DTYPES = ["float64", "float32", "int64", "uint8", "bool", "float16"]
INPUTS = [((2, 3, 4, 5), (0, 2, 1, 1)), ((2, 3, 5), (1, 1)), ((3, 5), (2, 1)), ((0, 3), (2, 1)), ((3, 0), (1, 1)),
          ((0, 3, 4), (1, 1)), ((2, 0, 4), (1, 1)), ((1, 2, 3, 4, 5), (1, 1, 1, 1, 1, 1)), ((2, 3, 0, 4), (1, 1, 1, 1)),
          ((0, 2, 3, 4), (1, 1, 1, 1)), ((3, 4, 5), (1, 1, 1, 1)), ((0, 4, 5), (1, 1, 1, 1))]


def _run(lib, mode, dtype, shape, pad):
    x = lib.ones(shape, dtype=getattr(lib, dtype))
    out = outcome(lambda: lib.nn.functional.pad(x, pad, mode=mode))
    return ("raised", out) if isinstance(out, Exception) else ("ran", (tuple(out.shape), str(out.dtype).split(".")[-1]))


@pytest.mark.parametrize("mode,dtype,shape_and_pad", list(itertools.product(MODES, DTYPES, INPUTS)))
def test_the_pad_kernels_refuse_as_pytorchs(mode, dtype, shape_and_pad):
    expected, got = _run(torch, mode, dtype, *shape_and_pad), _run(minigan, mode, dtype, *shape_and_pad)
    where = f"pad({dtype} {shape_and_pad[0]}, {shape_and_pad[1]}, mode={mode!r})"
    same_outcome(got, expected, where)
