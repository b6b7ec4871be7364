"""The norms take a NumPy scalar eps (momentum, p) as the number it holds, as PyTorch's: np.float64(1e-3) leaves a
float32 input float32.  The family: every functional and module door of the norms and the distances that take an
eps, by np.float64, np.float32 and np.float16, on a float32 input: the result's dtype and values against PyTorch.
"""

from __future__ import annotations

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

CALLS = ["F.layer_norm(x, (3,), eps=E)", "F.layer_norm(x, (3,), w, b, eps=E)", "F.group_norm(x, 1, eps=E)",
         "F.group_norm(x, 2, w2, b2, eps=E)", "F.instance_norm(x, eps=E)", "F.instance_norm(x, weight=w2, eps=E)",
         "F.batch_norm(x, None, None, training=True, eps=E)",
         "F.batch_norm(x, None, None, w2, b2, training=True, eps=E, momentum=E)", "F.batch_norm(x, rm, rv, eps=E)",
         "F.rms_norm(x, (3,), eps=E)", "F.normalize(x, eps=E)", "F.normalize(x, p=E, dim=1)",
         "torch.nn.LayerNorm(3, eps=E)(x)", "torch.nn.GroupNorm(1, 2, eps=E)(x)", "torch.nn.BatchNorm1d(2, eps=E)(x)",
         "torch.nn.InstanceNorm1d(2, eps=E)(x)", "torch.nn.RMSNorm(3, eps=E)(x)", "F.cosine_similarity(x, x, eps=E)",
         "F.pairwise_distance(x, x, eps=E)"]
NUMBERS = [np.float64(0.001), np.float32(0.001), np.float16(0.5)]


def _result(lib, call, number):
    x = lib.tensor(np.random.default_rng(0).normal(size=(2, 2, 3)), dtype=lib.float32, requires_grad=True)
    names = dict(x=x, F=lib.nn.functional, torch=lib, E=number, w=lib.ones(3), b=lib.zeros(3), w2=lib.ones(2),
                 b2=lib.zeros(2), rm=lib.zeros(2), rv=lib.ones(2))
    out = eval(call, names)  # noqa: S307  (the table's own expressions)
    return str(out.dtype).split(".")[-1], out.detach().numpy()


@pytest.mark.parametrize("number", NUMBERS, ids=repr)
@pytest.mark.parametrize("call", CALLS)
def test_a_numpy_number_is_the_number_it_holds(call, number):
    (dtype, got), (want_dtype, want) = _result(minigan, call, number), _result(torch, call, number)
    assert dtype == want_dtype
    assert np.allclose(got, want, rtol=1e-4, atol=1e-5)
