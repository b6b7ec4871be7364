"""The layout of a matrix product's result, against PyTorch.

PyTorch's matrix products (matmul and @, mm, bmm, matrix_power, the addmm family, mv, F.linear) allocate their result
row-major whatever their operands' layouts: a permuted batch, a transposed matrix, an expanded or a strided operand.
NumPy's matmul keeps a permuted batch's order in its result instead, which a later ``view`` or ``flatten`` (a copy
where PyTorch's is a view) tells.  Over the doors and the operands' layouts, minigan must give the same values and
the same strides (where a dimension has more than one entry).
"""

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

RNG = np.random.default_rng(0)
A4 = RNG.standard_normal((3, 4, 2, 2))  # (batch, batch, n, n): permuted over the two batch dims
M3 = RNG.standard_normal((4, 3, 2))


def _layouts(lib, base):
    """The same values of shape (4, 3, 2, 2) (or (3, 4, 2) for M3) in several layouts."""
    t = lib.tensor(base, dtype=lib.float64)
    if base.ndim == 4:
        return {"contiguous": t.permute(1, 0, 2, 3).contiguous(), "permuted batch": t.permute(1, 0, 2, 3),
                "transposed matrices": t.permute(1, 0, 3, 2),
                "expanded": t[:1, :1].expand(4, 3, 2, 2), "strided": lib.cat([t, t], 3)[..., ::2].permute(1, 0, 2, 3)}
    return {"contiguous": t.permute(1, 0, 2).contiguous(), "permuted batch": t.permute(1, 0, 2),
            "transposed": t.permute(1, 2, 0).transpose(1, 2), "expanded": t[:1].permute(1, 0, 2).expand(3, 4, 2)}


def _doors(lib):
    F = lib.nn.functional
    return {
        "matmul": lambda x, y: lib.matmul(x, y), "@": lambda x, y: x @ y, "Tensor.matmul": lambda x, y: x.matmul(y),
        "linalg.matmul": lambda x, y: lib.linalg.matmul(x, y),
        "matmul batch @ matrix": lambda x, y: x @ y[0, 0], "matmul matrix @ batch": lambda x, y: x[0, 0] @ y,
        "matmul batch @ vector": lambda x, y: x @ y[0, 0, 0], "matmul vector @ batch": lambda x, y: x[0, 0, 0] @ y,
        "matmul batch @ batch (broadcast)": lambda x, y: x @ y[:1],
        "bmm": lambda x, y: lib.bmm(x[:, 0], y[:, 1]), "Tensor.bmm": lambda x, y: x[:, 0].bmm(y[:, 1]),
        "bmm (permuted)": lambda x, y: lib.bmm(x.flatten(0, 1).unflatten(0, (4, 3))[0], y[0]),
        "baddbmm": lambda x, y: lib.baddbmm(x[:, 0], x[:, 0], y[:, 1]),
        "matrix_power 0": lambda x, y: lib.matrix_power(x, 0), "matrix_power 1": lambda x, y: lib.matrix_power(x, 1),
        "matrix_power 2": lambda x, y: lib.matrix_power(x, 2), "matrix_power 3": lambda x, y: lib.matrix_power(x, 3),
        "matrix_power 4": lambda x, y: lib.linalg.matrix_power(x, 4),
        "matrix_power 7": lambda x, y: x.matrix_power(7),
        "mm": lambda x, y: lib.mm(x[0, 0], y[1, 2]), "addmm": lambda x, y: lib.addmm(x[0, 0], x[0, 0], y[1, 2]),
        "mv": lambda x, y: lib.mv(x[0, 0], y[0, 0, 0]), "F.linear": lambda x, y: F.linear(x, y[0, 0]),
        "F.linear (bias)": lambda x, y: F.linear(x, y[0, 0], y[0, 0, 0]),
    }


def _doors3(lib):
    F = lib.nn.functional
    return {"bmm": lambda x, y: lib.bmm(x, y.transpose(1, 2)), "@": lambda x, y: x @ y.transpose(1, 2),
            "batch @ matrix": lambda x, y: x @ y[0].t(), "matrix @ batch": lambda x, y: y[0] @ x.transpose(1, 2),
            "baddbmm": lambda x, y: lib.baddbmm(x[:, :1, :1], x, y.transpose(1, 2)),
            "addbmm": lambda x, y: lib.addbmm((x[0] @ x[1].t()).t(), x, y.transpose(1, 2)),
            "addmm": lambda x, y: lib.addmm((x[0] @ x[1].t()).t(), x[1], y[0].t()),
            "addr": lambda x, y: lib.addr((x[0] @ x[1].t()).t(), x[0, :, 0], y[0, :, 0]),
            "F.linear": lambda x, y: F.linear(x, y[0])}


def _run(lib, doors, base, layout_x, layout_y, door):
    x, y = _layouts(lib, base)[layout_x], _layouts(lib, base)[layout_y]
    out = doors(lib)[door](x, y)
    return out.numpy(), tuple(out.shape), tuple(s for s, n in zip(out.stride(), out.shape) if n > 1)


CASES4 = list(itertools.product(["contiguous", "permuted batch", "transposed matrices", "expanded", "strided"],
                                ["contiguous", "permuted batch", "transposed matrices"], list(_doors(torch))))
CASES3 = list(itertools.product(["contiguous", "permuted batch", "transposed", "expanded"],
                                ["contiguous", "permuted batch", "transposed"], list(_doors3(torch))))


@pytest.mark.parametrize("layout_x,layout_y,door", CASES4)
def test_a_batched_product_is_row_major_as_pytorchs(layout_x, layout_y, door):
    expected, got = _run(torch, _doors, A4, layout_x, layout_y, door), _run(minigan, _doors, A4, layout_x, layout_y,
                                                                          door)
    where = f"{door} over {layout_x} and {layout_y} operands"
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-12, atol=1e-12, err_msg=where)
    assert got[1:] == expected[1:], f"{where}: shape and strides {got[1:]} vs PyTorch's {expected[1:]}"


@pytest.mark.parametrize("layout_x,layout_y,door", CASES3)
def test_a_product_of_three_dimensional_operands_is_row_major_as_pytorchs(layout_x, layout_y, door):
    expected, got = _run(torch, _doors3, M3, layout_x, layout_y, door), _run(minigan, _doors3, M3, layout_x, layout_y,
                                                                           door)
    where = f"{door} over {layout_x} and {layout_y} operands"
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-12, atol=1e-12, err_msg=where)
    assert got[1:] == expected[1:], f"{where}: shape and strides {got[1:]} vs PyTorch's {expected[1:]}"


@pytest.mark.parametrize("door", ["matmul", "matrix_power 3"])
def test_a_view_of_the_product_of_a_permuted_batch_writes_through(door):
    """What the strides mean to a learner: PyTorch's result is row-major, so ``view(-1)`` runs and is a view."""
    for lib in (torch, minigan):
        x = lib.tensor(A4, dtype=lib.float64).permute(1, 0, 2, 3)
        out = _doors(lib)[door](x, x)
        flat = out.view(-1)
        flat[0] = 100.0
        assert out[0, 0, 0, 0].item() == 100.0, f"{lib.__name__}: {door}'s view(-1) does not write through"
