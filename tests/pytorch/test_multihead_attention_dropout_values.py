"""nn.MultiheadAttention takes any dropout at construction and reads it as PyTorch's forward does: only in training,
only above 0 (a negative p drops nothing), refused by dropout itself above 1.  minigan refused any value outside
[0, 1) when the layer was made, which PyTorch does not."""

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

VALUES = [0.0, 0.5, 1.0, -0.1, 1.5, "a"]
RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 2, 4))


def outcome(lib, p, training, need_weights):
    lib.manual_seed(0)
    try:
        m = lib.nn.MultiheadAttention(4, 2, dropout=p).double()
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return e
    with lib.no_grad():
        for i, t in enumerate(m.parameters()):
            t.copy_(lib.tensor(np.random.default_rng(i).uniform(-0.5, 0.5, tuple(t.shape))))
    m.train(training)
    x = lib.tensor(X)
    try:
        out, weights = m(x, x, x, need_weights=need_weights)
    except Exception as e:  # noqa: BLE001
        return e
    random = training and isinstance(p, float) and 0 < p < 1
    return tuple(out.shape), None if random else out.detach().numpy()


@pytest.mark.parametrize("p, training, need_weights", list(itertools.product(VALUES, [True, False], [True, False])))
def test_dropout_is_read_as_pytorchs_forward_reads_it(p, training, need_weights):
    theirs, mine = outcome(torch, p, training, need_weights), outcome(minigan, p, training, need_weights)
    if isinstance(theirs, Exception):
        assert isinstance(mine, type(theirs)), f"PyTorch raises {theirs!r}, minigan gives {mine!r}"
        return
    assert not isinstance(mine, Exception), f"PyTorch runs, minigan raises {mine!r}"
    assert mine[0] == theirs[0]
    if theirs[1] is not None:
        np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-10, atol=1e-12)
