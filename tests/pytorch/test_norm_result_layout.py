"""The normalizations lay their results out as PyTorch's for every input layout, so that ``flatten()`` or ``view()``
of a result is a view exactly where PyTorch's is (surface programs 11568644 and 11603737: group_norm of a transposed
input, whose ``flatten()`` copied where PyTorch's is a view).  PyTorch's batch_norm, group_norm and rms_norm allocate
a row-major result, or a channels-last one for a 4-D or 5-D channels-last input (``suggest_memory_format``, which
reads no other rank so); instance_norm and layer_norm a row-major one always; normalize, elementwise, follows its
input.  batch_norm's is left following its input (docs/pytorch.md): its cases are expected to fail.
Compared are the strides of the axes longer than 1 and whether ``flatten()`` is a view, with the values,
for each input layout of test_image_op_layout.py, with and without a gradient asked for."""

import numpy as np
import pytest

from pytorch.oracle import HAVE_TORCH
from pytorch.test_image_op_layout import layout_differences

pytestmark = pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")

R = np.random.default_rng(1)
SHAPES = {2: (4, 6), 3: (2, 4, 5), 4: (2, 4, 3, 5), 5: (2, 4, 3, 2, 3)}


def _c(lib, x, k=0):
    """A per-channel vector (length x.shape[1]) of fixed values."""
    return lib.tensor(np.linspace(0.5, 1.5, x.shape[1]) + k, dtype=lib.float64)


CALLS = {  # name: (ranks, call(F, lib, x))
    "batch_norm_train": ((2, 3, 4, 5), lambda F, lib, x: F.batch_norm(x, None, None, training=True)),
    "batch_norm_train_affine": ((2, 3, 4, 5), lambda F, lib, x: F.batch_norm(
        x, _c(lib, x), _c(lib, x, 1), _c(lib, x), _c(lib, x, -1), training=True)),
    "batch_norm_eval": ((2, 3, 4, 5), lambda F, lib, x: F.batch_norm(x, _c(lib, x, -1), _c(lib, x))),
    "batch_norm_eval_affine": ((2, 3, 4, 5), lambda F, lib, x: F.batch_norm(
        x, _c(lib, x, -1), _c(lib, x), _c(lib, x), _c(lib, x, 2))),
    "group_norm": ((2, 3, 4, 5), lambda F, lib, x: F.group_norm(x, 2)),
    "group_norm_one_group_affine": ((2, 3, 4, 5), lambda F, lib, x: F.group_norm(x, 1, _c(lib, x), _c(lib, x, 1))),
    "group_norm_per_channel": ((2, 3, 4, 5), lambda F, lib, x: F.group_norm(x, x.shape[1], _c(lib, x))),
    "instance_norm": ((3, 4, 5), lambda F, lib, x: F.instance_norm(x)),
    "instance_norm_affine": ((3, 4, 5), lambda F, lib, x: F.instance_norm(x, weight=_c(lib, x), bias=_c(lib, x))),
    "layer_norm": ((2, 3, 4, 5), lambda F, lib, x: F.layer_norm(x, x.shape[-1:])),
    "layer_norm_two_axes": ((2, 3, 4, 5), lambda F, lib, x: F.layer_norm(x, x.shape[-2:])),
    "rms_norm": ((2, 3, 4, 5), lambda F, lib, x: F.rms_norm(x, x.shape[-1:])),
    "rms_norm_weight_two_axes": ((2, 3, 4, 5), lambda F, lib, x: F.rms_norm(
        x, x.shape[-2:], lib.tensor(np.linspace(0.5, 2, x.shape[-2] * x.shape[-1]).reshape(x.shape[-2:])))),
    "normalize": ((2, 3, 4, 5), lambda F, lib, x: F.normalize(x, dim=1)),
}


BATCH_NORM = pytest.mark.xfail(strict=True, reason="batch_norm's result follows its input's layout (docs/pytorch.md, "
                                                   "Layouts: a copy after every convolution)")


@pytest.mark.parametrize("name", [pytest.param(n, marks=BATCH_NORM) if n.startswith("batch_norm") else n
                                  for n in sorted(CALLS)])
def test_norm_results_are_laid_out_as_pytorchs(name):
    ranks, call = CALLS[name]
    found = [line for rank in ranks for line in layout_differences(call, R.standard_normal(SHAPES[rank]), f"{rank}-D ")]
    assert not found, f"{name}: {len(found)} cases differ\n" + "\n".join(found[:12])
