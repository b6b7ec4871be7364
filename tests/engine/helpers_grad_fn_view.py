"""What the torch-free tests of test_grad_fn_view.py share with its comparisons with PyTorch
(tests/pytorch/test_grad_fn_view.py)."""


def _lib_graph(lib):
    w = lib.tensor([0.5, -1.0], requires_grad=True)
    b = lib.tensor(0.25, requires_grad=True)
    x = lib.tensor([2.0, 3.0])
    return w, b, lib.sigmoid(w * x + b).sum()
