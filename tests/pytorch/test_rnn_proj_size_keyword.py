"""``proj_size=`` given to each recurrent layer, against PyTorch: an LSTM takes it (0 disables the projection), and
an RNN or GRU takes ``proj_size=0`` and refuses any other with PyTorch's ValueError ("only supported for LSTM"), where
minigan's RNN and GRU took no such keyword (a TypeError).  Found by outsider round 5's argument survey."""

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402

LAYERS = ["RNN", "GRU", "LSTM"]
PROJ = [0, 1, 2, 3, -1, 1.5, True]


def _outcome(lib, layer, proj, **more):
    m = outcome(lambda: getattr(lib.nn, layer)(3, 3, proj_size=proj, **more))
    if isinstance(m, Exception):
        return m
    out = m(lib.zeros(2, 1, 3))
    return m.proj_size, sorted(n for n, _ in m.named_parameters()), tuple(out[0].shape)


CASES = [(layer, proj, more) for layer in LAYERS for proj in PROJ for more in ({}, {"num_layers": 2})]


@pytest.mark.parametrize("layer, proj, more", CASES, ids=[f"{c[0]}-{c[1]!r}-{len(c[2])}" for c in CASES])
def test_proj_size_as_pytorch(layer, proj, more):
    theirs, mine = _outcome(torch, layer, proj, **more), _outcome(minigan, layer, proj, **more)
    if isinstance(theirs, Exception):
        assert isinstance(mine, type(theirs)), f"PyTorch raised {theirs!r}, minigan gave {mine!r}"
    else:
        assert mine == theirs
