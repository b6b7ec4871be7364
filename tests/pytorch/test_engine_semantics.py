"""PyTorch's tensor semantics in the engine: .grad is a Tensor, in-place ops and their rules, the
version counter that catches a saved tensor changed in place, copy vs shared memory, per-thread grad mode.

(Its torch-free tests: tests/engine/test_engine_semantics.py.)"""

import numpy as np
import pytest

import minigan


@pytest.mark.parametrize("case", ["leaf", "two_leaves", "non_leaf", "unused", "twice", "create_graph"])
def test_backward_inputs_accumulates_only_into_them_as_pytorch(case):
    """y.backward(inputs=...): only the given tensors' .grad change (leaves or not), as in PyTorch."""
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

    def run(lib):
        rng = np.random.default_rng(1)
        x, w = (lib.tensor(rng.normal(size=(2, 3)), requires_grad=True) for _ in range(2))
        u = lib.tensor(rng.normal(size=(3,)), requires_grad=True)
        h = (x * w).tanh()
        h.retain_grad() if case == "non_leaf" else None
        y = (h * h).sum() + (w * 3.0).sum()
        inputs = {"leaf": [w], "two_leaves": (x, w), "non_leaf": [h, x], "unused": [u, x], "twice": x,
                  "create_graph": [x]}[case]
        y.backward(inputs=inputs, retain_graph=True, create_graph=case == "create_graph")
        if case == "twice":
            y.backward(inputs=[x])
        return [None if t.grad is None else np.array(t.grad.detach().cpu().numpy()) for t in (x, w, u, h)]

    for ours, theirs in zip(run(minigan), run(torch)):
        assert (ours is None) == (theirs is None)
        if ours is not None:
            np.testing.assert_allclose(ours, theirs, rtol=1e-12)
