"""register_parametrization and remove_parametrizations keep the tensor the module had, as PyTorch's do.

PyTorch stores ``original`` in the very Parameter (or buffer) the module held, setting its value to the
right inverse's where the parametrization has one, and on removal registers that same object again, holding the
parametrized value when ``leave_parametrized=True``; an optimizer made before either call so goes on updating
the module's tensor. A buffer stays a buffer. Every combination of where the tensor lives (parameter, buffer),
a parametrization with and without ``right_inverse``, and both ``leave_parametrized``, against PyTorch.
"""

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch")

CASES = list(itertools.product(("parameter", "buffer"), (False, True), (True, False)))


def program(lib, where, inverse, leave):
    nn = lib.nn
    P = nn.utils.parametrize

    class Symmetric(nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).transpose(-1, -2)

    class Double(nn.Module):  # one with a right inverse: what is stored is half the value
        def forward(self, X):
            return X * 2

        def right_inverse(self, Y):
            return Y / 2

    m = nn.Linear(2, 2).double()
    with lib.no_grad():
        m.weight.copy_(lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64))
    if where == "buffer":
        w = m.weight.detach().clone()
        del m.weight
        m.register_buffer("weight", w)
    before = m.weight
    opt = lib.optim.SGD(m.parameters(), lr=0.5)
    P.register_parametrization(m, "weight", Double() if inverse else Symmetric())
    orig = m.parametrizations.weight.original
    seen = dict(stored_in_before=orig is before, stored=orig.detach().clone(),
                params=[n for n, _ in m.named_parameters()], buffers=[n for n, _ in m.named_buffers()],
                W=m.weight.detach().clone(), W_rg=m.weight.requires_grad, keys=list(m.state_dict()))
    m(lib.ones(1, 2, dtype=lib.float64)).sum().backward()
    opt.step()  # the optimizer made before the registration trains the stored tensor
    seen["stepped"] = orig.detach().clone()
    P.remove_parametrizations(m, "weight", leave_parametrized=leave)
    seen.update(after_is_before=m.weight is before, after=m.weight.detach().clone(), rg=m.weight.requires_grad,
                is_parameter=isinstance(m.weight, nn.Parameter), params_after=[n for n, _ in m.named_parameters()],
                buffers_after=[n for n, _ in m.named_buffers()])
    opt.zero_grad()
    m(lib.ones(1, 2, dtype=lib.float64)).sum().backward()
    opt.step()  # and, after the removal, the module's tensor again
    seen["stepped_after"] = m.weight.detach().clone()
    return seen


def plain(seen):
    return {k: (np.asarray(v) if hasattr(v, "detach") else v) for k, v in seen.items()}


@pytest.mark.parametrize("where,inverse,leave", CASES)
def test_parametrization_keeps_the_module_tensor(where, inverse, leave):
    want = plain(program(torch, where, inverse, leave))
    got = plain(program(minigan, where, inverse, leave))
    assert want.keys() == got.keys()
    for key in want:
        if isinstance(want[key], np.ndarray):
            np.testing.assert_allclose(got[key], want[key], rtol=1e-12, err_msg=key)
        else:
            assert got[key] == want[key], key
