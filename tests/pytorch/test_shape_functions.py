"""repeat_interleave, broadcast_tensors, atleast_1d/2d/3d, column_stack, dstack, rot90, tensor_split and unflatten
against PyTorch (float64, the oracle): values, shapes and gradients."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

X = np.arange(12.0).reshape(3, 4) - 5
CASES = {
    "repeat_interleave_flat": lambda L, x: L.repeat_interleave(x, 2),
    "repeat_interleave_dim": lambda L, x: x.repeat_interleave(3, dim=1),
    "repeat_interleave_counts": lambda L, x: L.repeat_interleave(x, L.tensor([1, 0, 2]), dim=0),
    "broadcast_tensors": lambda L, x: L.broadcast_tensors(x, x[0], x[:, :1]),
    "atleast_1d": lambda L, x: L.atleast_1d(x[0, 0]),
    "atleast_2d_many": lambda L, x: L.atleast_2d(x[0], x[0, 0], x),
    "atleast_3d": lambda L, x: L.atleast_3d([x, x[0], x[0, 0]]),
    "column_stack": lambda L, x: L.column_stack([x[0], x[1], x[2]]),
    "column_stack_2d": lambda L, x: L.column_stack([x, x[:, 0]]),
    "dstack": lambda L, x: L.dstack([x, x * 2]),
    "rot90": lambda L, x: L.rot90(x),
    "rot90_2": lambda L, x: L.rot90(x, 2),
    "rot90_-1_dims": lambda L, x: L.rot90(x.reshape(3, 2, 2), -1, (2, 0)),
    "rot90_3": lambda L, x: L.rot90(x, 3, [1, 0]),
    "tensor_split_sections": lambda L, x: L.tensor_split(x, 3, dim=1),
    "tensor_split_indices": lambda L, x: x.tensor_split([1, 5], dim=1),
    "tensor_split_flat": lambda L, x: L.tensor_split(x.reshape(-1), 5),
    "unflatten": lambda L, x: x.unflatten(1, (2, -1)),
    "unflatten_top": lambda L, x: L.unflatten(x, 0, (3, 1)),
    "rot90_method": lambda L, x: x.rot90(1, (1, 0)),
    "hsplit": lambda L, x: L.hsplit(x, 2),
    "vsplit": lambda L, x: x.vsplit([1]),
    "dsplit": lambda L, x: L.dsplit(x.reshape(3, 2, 2), 2),
    "hsplit_1d": lambda L, x: x.reshape(-1).hsplit(4),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_match_pytorch(name):
    results = []
    for lib in (minigan, torch):
        x = lib.tensor(X, requires_grad=True)
        out = CASES[name](lib, x)
        outs = out if isinstance(out, tuple) else (out,)
        total = sum(((o * lib.tensor(np.arange(o.numel(), dtype=np.float64).reshape(tuple(o.shape)))).sum()
                     for o in outs if o.numel()), start=x.sum() * 0)
        total.backward()
        results.append(([o.detach().numpy() for o in outs], x.grad.detach().numpy()))
    assert len(results[0][0]) == len(results[1][0])
    for u, t in zip(results[0][0], results[1][0]):
        assert u.shape == t.shape
        np.testing.assert_array_equal(u, t)
    np.testing.assert_array_equal(results[0][1], results[1][1])


def test_repeat_interleave_of_counts_alone_and_bad_arguments():
    for lib in (minigan, torch):
        np.testing.assert_array_equal(lib.repeat_interleave(lib.tensor([2, 0, 1])).detach().numpy(), [0, 0, 2])
    with pytest.raises(ValueError, match="repeats must be >= 0"):
        minigan.repeat_interleave(minigan.tensor(X), -1)
    with pytest.raises(ValueError, match="two different axes"):
        minigan.rot90(minigan.tensor(X), 1, (0, 0))
    with pytest.raises(ValueError, match="sections must be >= 1"):
        minigan.tensor_split(minigan.tensor(X), 0)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular", "constant"])
@pytest.mark.parametrize("pad", [(1, 2), (1, 2, 3, 0), (0, 0, 2, 2), (3, 1, 1, 3)])
def test_pad_modes_match_pytorch(mode, pad):
    x0 = np.arange(2 * 2 * 4 * 5, dtype=np.float64).reshape(2, 2, 4, 5)
    if len(pad) == 2:  # PyTorch pads a (N, C, L) input with two numbers in these modes
        x0 = x0[:, :, 0]
    results = []
    for lib in (minigan, torch):
        x = lib.tensor(x0, requires_grad=True)
        out = lib.nn.functional.pad(x, pad, mode=mode)
        (out * lib.tensor(np.arange(out.numel(), dtype=np.float64).reshape(tuple(out.shape)))).sum().backward()
        results.append((out.detach().numpy(), x.grad.detach().numpy()))
    for u, t in zip(*results):
        np.testing.assert_array_equal(u, t)


@pytest.mark.parametrize("name", ["ReflectionPad2d", "ReplicationPad2d", "CircularPad2d", "ReflectionPad1d",
                                  "ReplicationPad1d", "CircularPad1d"])
def test_padding_layers_match_pytorch(name):
    x0 = np.arange(2 * 3 * 4 * 5, dtype=np.float64).reshape(2, 3, 4, 5)
    x0 = x0[:, :, 0] if name.endswith("1d") else x0
    for padding in (2, (1, 2) if name.endswith("1d") else (1, 2, 3, 0)):
        ours, theirs = getattr(minigan.nn, name)(padding), getattr(torch.nn, name)(padding)
        assert repr(ours) == repr(theirs)
        np.testing.assert_array_equal(ours(minigan.tensor(x0)).detach().numpy(),
                                      theirs(torch.tensor(x0)).detach().numpy())
    with pytest.raises(ValueError, match="reflect padding"):
        minigan.nn.functional.pad(minigan.ones(1, 1, 3), (3, 0), mode="reflect")
    with pytest.raises(ValueError, match="value is for mode='constant' only"):
        minigan.nn.functional.pad(minigan.ones(1, 1, 3), (1, 0), mode="replicate", value=1.0)
