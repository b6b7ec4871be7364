"""logsumexp's dim has no default in PyTorch: x.logsumexp() and torch.logsumexp(x) are TypeErrors there, and here
(NumPy's spelling, axis=None with keepdims, still reduces every entry, as scipy's logsumexp)."""

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

CALLS = {
    "x.logsumexp()": lambda lib, x: x.logsumexp(),
    "x.logsumexp(keepdim=True)": lambda lib, x: x.logsumexp(keepdim=True),
    "logsumexp(x)": lambda lib, x: lib.logsumexp(x),
    "x.logsumexp(0)": lambda lib, x: x.logsumexp(0),
    "x.logsumexp(dim=(0, 1))": lambda lib, x: x.logsumexp(dim=(0, 1)),
    "logsumexp(x, -1, True)": lambda lib, x: lib.logsumexp(x, -1, True),
}


def _outcome(lib, call):
    x = lib.tensor([[0.5, -1.0, 2.0], [3.0, 0.0, -0.25]], dtype=lib.float64)
    try:
        return [round(v, 12) for v in CALLS[call](lib, x).reshape(-1).tolist()]
    except TypeError:
        return "TypeError"


@pytest.mark.parametrize("call", CALLS)
def test_logsumexp_takes_a_dim_as_pytorchs(call):
    assert _outcome(minigan, call) == _outcome(torch, call)
