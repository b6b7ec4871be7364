"""interpolate (and upsample, upsample_nearest, upsample_bilinear) of an input with a size 0, against PyTorch float64.

PyTorch refuses (a RuntimeError) an input with an empty spatial axis, an output size of 0 (a scale_factor that
rounds a size down to nothing), and, in every mode but ``area``, an input with no channels; an empty batch runs.
Found by the surface programs' shape-coherent draws (tests/pytorch/surface_programs.py, seed 11623932 and the
zero-d programs' seed 20000053): minigan resized these, or divided by the empty size (a ZeroDivisionError)."""

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402

MODES = {3: ["nearest", "nearest-exact", "linear", "area"], 4: ["nearest", "nearest-exact", "bilinear", "bicubic",
                                                                   "area"]}
SHAPES = [(2, 0, 4), (0, 2, 4), (2, 3, 0), (2, 3, 1), (2, 0, 3, 4), (2, 3, 0, 4), (2, 3, 4, 0), (0, 2, 3, 4),
          (2, 3, 1, 2), (2, 3, 2, 2)]
RESIZES = [{"size": 2}, {"scale_factor": 2.0}, {"scale_factor": 0.5}]


def _cases():
    for shape, resize in itertools.product(SHAPES, RESIZES):
        for mode in MODES[len(shape)]:
            if mode == "area" and resize == {"scale_factor": 0.5} and 1 in shape[2:]:
                continue  # (area to 0 pixels is the adaptive pools': PyTorch's forward runs, its backward refuses)
            yield shape, mode, resize, "interpolate"
        yield shape, "nearest", resize, "upsample_nearest"
        if len(shape) == 4:
            yield shape, "bilinear", resize, "upsample_bilinear"


def _call(lib, shape, mode, resize, name):
    x = lib.tensor(np.linspace(-1.0, 2.0, int(np.prod(shape))).reshape(shape), dtype=lib.float64, requires_grad=True)
    f = getattr(lib.nn.functional, name)
    return outcome(lambda: f(x, mode=mode, **resize) if name == "interpolate" else f(x, **resize))


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("shape, mode, resize, name", list(_cases()))
def test_an_empty_size_is_refused_or_resized_as_pytorch(shape, mode, resize, name):
    theirs = _call(torch, shape, mode, resize, name)
    ours = _call(minigan, shape, mode, resize, name)
    if isinstance(theirs, Exception):
        assert isinstance(ours, Exception), f"minigan resized to {tuple(ours.shape)}; PyTorch: {theirs}"
        assert isinstance(ours, RuntimeError), f"minigan {type(ours).__name__}: {ours}"
        return
    assert not isinstance(ours, Exception), f"minigan {type(ours).__name__}: {ours}; PyTorch ran"
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12, atol=1e-12)
