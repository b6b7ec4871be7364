"""A string choice PyTorch does not know (gelu's approximate, pad's and Upsample's mode, div's rounding_mode) raises
PyTorch's class: RuntimeError for approximate and rounding_mode, NotImplementedError for a padding or upsampling
mode, at each door that takes it (function, method, in-place form, layer: built then called, where PyTorch checks
only at the call)."""

import warnings

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

BAD = ["fast", "", "Tanh", "FLOOR", "wrap", "cubic"]

DOORS = {
    "F.gelu": lambda t, v: t.nn.functional.gelu(t.ones(2), approximate=v),
    "nn.GELU": lambda t, v: t.nn.GELU(approximate=v)(t.ones(2)),
    "F.pad 4-D": lambda t, v: t.nn.functional.pad(t.ones(1, 1, 3, 3), (1, 1, 1, 1), mode=v),
    "F.pad 3-D": lambda t, v: t.nn.functional.pad(t.ones(1, 2, 3), (1, 1), mode=v),
    "nn.Upsample": lambda t, v: t.nn.Upsample(scale_factor=2, mode=v)(t.ones(1, 1, 2, 2)),
    "F.interpolate": lambda t, v: t.nn.functional.interpolate(t.ones(1, 1, 2, 2), scale_factor=2, mode=v),
    "torch.div": lambda t, v: t.div(t.ones(2), 2, rounding_mode=v),
    "Tensor.div": lambda t, v: t.ones(2).div(t.ones(2), rounding_mode=v),
    "Tensor.div_": lambda t, v: t.ones(2).div_(2.0, rounding_mode=v),
    "torch.divide": lambda t, v: t.divide(t.ones(2), 2, rounding_mode=v),
}


def _raised(fn):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn()
    except Exception as exc:  # noqa: BLE001 - the class is the result
        return exc
    return None


CASES = [(door, value) for door in DOORS for value in BAD]


@pytest.mark.parametrize("door, value", CASES, ids=[f"{d}-{v!r}" for d, v in CASES])
def test_an_unknown_choice_raises_pytorchs_class(door, value):
    theirs = _raised(lambda: DOORS[door](torch, value))
    mine = _raised(lambda: DOORS[door](minigan, value))
    assert theirs is not None, f"PyTorch takes {value!r} at {door}"
    assert isinstance(mine, type(theirs)), f"minigan {mine!r}, PyTorch {theirs!r}"
