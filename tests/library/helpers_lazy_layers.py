"""What the torch-free tests of test_lazy_layers.py share with its comparisons with PyTorch
(tests/pytorch/test_lazy_layers.py)."""

from minigan import nn

# (name, constructor arguments, an input shape)
CASES = [
    ("LazyLinear", (3,), (4, 5)),
    ("LazyLinear", (2,), (2, 3, 7)),
    ("LazyConv1d", (4, 3), (2, 5, 9)),
    ("LazyConv2d", (4, 3), (2, 3, 7, 7)),
    ("LazyConv2d", (4, 3), (3, 6, 6)),  # unbatched
    ("LazyConvTranspose1d", (3, 2), (2, 4, 5)),
    ("LazyConvTranspose2d", (3, 4), (2, 5, 3, 3)),
    ("LazyBatchNorm1d", (), (6, 4)),
    ("LazyBatchNorm2d", (), (3, 2, 4, 4)),
]
KWARGS = {"LazyConv2d": {"stride": 2, "padding": 1}, "LazyConvTranspose2d": {"stride": 2, "padding": 1}}


def ours(name, args):
    return getattr(nn, name)(*args, **KWARGS.get(name, {}))
