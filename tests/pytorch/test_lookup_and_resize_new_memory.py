"""embedding's result is row-major whatever its indices' layout, and interpolate's result is a new tensor even
where nothing is resized, as PyTorch's: a later flatten() (a view or a copy) and a write into the input tell.

Found by the surface programs (seed 12162378: embedding of transposed indices with padding_idx, whose result's
flatten() was a copy in minigan and a view in PyTorch; interpolate(mode="nearest") at scale 1 returned the input's
own memory)."""

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


import minigan  # noqa: E402

LAYOUTS = {"row-major": lambda t: t, "transposed": lambda t: t.t(), "stepped": lambda t: t[:, ::2],
           "expanded": lambda t: t[:1].expand(3, 4)}
OPTIONS = [{}, {"padding_idx": 1}, {"scale_grad_by_freq": True}, {"max_norm": 1.0}, {"padding_idx": 0, "max_norm": 2.0,
           "scale_grad_by_freq": True}]


def _embedding(lib, layout, options, requires_grad):
    table = np.array([[0.5, -2.0], [1.5, 0.25], [-3.0, 1.0], [0.0, 4.0]])
    weight = lib.tensor(table, dtype=lib.float64, requires_grad=requires_grad)
    idx = LAYOUTS[layout](lib.tensor(np.arange(12).reshape(3, 4) % 4 if layout != "transposed" else
                                     np.arange(12).reshape(4, 3) % 4))
    out = lib.nn.functional.embedding(idx, weight, **options)
    return tuple(out.shape), tuple(out.stride()), out.flatten()._base is not None, out.detach().numpy()


@pytest.mark.parametrize("layout, options, requires_grad",
                         list(itertools.product(LAYOUTS, OPTIONS, (True, False))))
def test_embedding_is_row_major_as_pytorch(layout, options, requires_grad):
    theirs, ours = (_embedding(lib, layout, options, requires_grad) for lib in (torch, minigan))
    assert ours[:3] == theirs[:3]
    np.testing.assert_allclose(ours[3], theirs[3], rtol=1e-12)


RESIZES = [((1, 2, 3, 4), {"scale_factor": 1}), ((1, 2, 3, 4), {"size": (3, 4)}), ((1, 2, 3, 4), {"scale_factor": 2}),
           ((1, 2, 3, 4), {"scale_factor": (1, 2)}), ((1, 2, 5), {"scale_factor": 1}), ((1, 2, 5), {"size": 5}),
           ((2, 3, 4, 4), {"size": (4, 4)})]


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact"])
@pytest.mark.parametrize("shape, kw", RESIZES)
def test_interpolate_gives_a_new_tensor_as_pytorch(shape, kw, mode):
    results = []
    for lib in (torch, minigan):
        x = lib.arange(float(np.prod(shape))).reshape(shape)
        try:
            out = lib.nn.functional.interpolate(x, mode=mode, **kw)
        except Exception as e:  # noqa: BLE001 - the outcome is compared
            results.append(type(e).__name__)
            continue
        before = out.clone()
        x.add_(100)  # a write into the input reaches a result that shares its memory
        results.append((tuple(out.shape), bool((out == before).all()), out.flatten()._base is not None))
    assert results[1] == results[0]
