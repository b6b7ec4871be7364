"""torch.func and torch.vmap are PyTorch's function transforms, not its compilers: what minigan says instead of
them names the transforms and points to the derivatives minigan has (each of which exists)."""

import pytest

import minigan
import minigan.autograd.functional

POINTED_TO = ("jacobian", "hessian", "vjp", "jvp", "hvp")


@pytest.mark.parametrize("name", ["func", "vmap"])
def test_function_transforms_have_their_own_advice(name):
    with pytest.raises(AttributeError) as caught:
        getattr(minigan, name)
    message = str(caught.value)
    assert "compiler" not in message, message
    assert "vmap" in message and "minigan.autograd.functional" in message, message
    assert all(f in message for f in POINTED_TO), message
    assert all(callable(getattr(minigan.autograd.functional, f)) for f in POINTED_TO)
