"""F.dropout, dropout1d and dropout2d with inplace=True where nothing is drawn, against PyTorch.

PyTorch checks p (and the input's dimensions) first; then, where nothing is drawn (not training, p = 0, no entries),
its kernel hands back the input itself without writing: no version moves, and neither a leaf that requires grad nor
an expanded tensor is refused.  Where it draws (p = 1, or training), it writes as any in-place op, with its refusals.
"""

import warnings

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

OPS = {"dropout": ((2, 3, 4), "dropout"), "dropout1d": ((2, 3, 4), "dropout1d"),
       "dropout2d": ((2, 3, 4, 5), "dropout2d"), "dropout1d of 4-D": ((2, 3, 4, 5), "dropout1d")}
CASES = {"not training": (0.5, False), "p = 0": (0.0, True), "p = 1": (1.0, True), "p = 1.5": (1.5, False),
         "p = -0.1": (-0.1, True)}
INPUTS = ["plain", "leaf requires grad", "expanded", "empty"]


def _run(lib, op, case, given):
    shape, name = OPS[op]
    p, training = CASES[case]
    if given == "empty":
        shape = (0,) + shape[1:]
    x = lib.ones(shape, dtype=lib.float64, requires_grad=given == "leaf requires grad")
    if given == "expanded":
        x = lib.ones((1,) + shape[1:], dtype=lib.float64).expand(*shape)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = getattr(lib.nn.functional, name)(x, p, training, inplace=True)
        return "ran", r is x, x._version, x.detach().sum().item()
    except Exception as e:  # noqa: BLE001  (the class is the comparison)
        return e


@pytest.mark.parametrize("given", INPUTS)
@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("op", list(OPS))
def test_an_in_place_dropout_that_draws_nothing_writes_nothing_as_pytorch(op, case, given):
    expected, got = _run(torch, op, case, given), _run(minigan, op, case, given)
    if isinstance(expected, Exception):  # PyTorch refuses: minigan with its class
        assert isinstance(got, type(expected)), (got, expected)
    else:
        assert got == expected
