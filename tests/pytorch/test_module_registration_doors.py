"""What a Module takes before and through its registration doors, against PyTorch: attributes set before
``super().__init__()`` (a plain value or a Tensor is kept, a Parameter or a Module refused with AttributeError),
and ``register_buffer`` given something that is not a Tensor (TypeError), over the kinds a user passes."""

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _outcome(fn):
    value = outcome(lambda: fn())
    if isinstance(value, Exception):
        return next(c for c in type(value).__mro__ if c.__module__ == "builtins")
    return ("ok", value)


def _early(lib, make):
    """A module that sets ``self.x = make(lib)`` before calling super().__init__(), then reads it back."""

    class Early(lib.nn.Module):
        def __init__(self):
            self.x = make(lib)
            super().__init__()
            self.lin = lib.nn.Linear(2, 2)

    def build():
        m = Early()
        return type(m.x).__name__ if not isinstance(m.x, (int, float, str)) else m.x
    return build


EARLY = {
    "int": lambda lib: 3, "str": lambda lib: "tanh", "list": lambda lib: [1, 2], "None": lambda lib: None,
    "tensor": lambda lib: lib.ones(2), "parameter": lambda lib: lib.nn.Parameter(lib.ones(2)),
    "module": lambda lib: lib.nn.ReLU(), "function": lambda lib: lib.tanh,
}


@pytest.mark.parametrize("kind", sorted(EARLY))
def test_attributes_before_super_init(kind):
    ours = _outcome(_early(minigan, EARLY[kind]))
    theirs = _outcome(_early(torch, EARLY[kind]))
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple), f"PyTorch keeps {kind} set before super().__init__(), minigan raised {ours}"
        assert kind == "function" or ours[1] == theirs[1]  # (a function's class name differs: C and Python)
    else:
        assert not isinstance(ours, tuple), f"PyTorch refuses {kind} before super().__init__() ({theirs.__name__})"
        assert issubclass(ours, theirs), (ours, theirs)


BUFFERS = {
    "list": lambda lib: [1.0, 2.0], "int": lambda lib: 3, "float": lambda lib: 0.5, "str": lambda lib: "a",
    "ndarray": lambda lib: np.ones(2), "tensor": lambda lib: lib.ones(2), "None": lambda lib: None,
    "parameter": lambda lib: lib.nn.Parameter(lib.ones(2)), "tuple": lambda lib: (1, 2),
}


@pytest.mark.parametrize("kind", sorted(BUFFERS))
def test_register_buffer_takes_a_tensor_or_none(kind):
    def run(lib):
        m = lib.nn.Linear(2, 2)
        m.register_buffer("extra", BUFFERS[kind](lib))
        return [n for n, _ in m.named_buffers()]
    ours, theirs = _outcome(lambda: run(minigan)), _outcome(lambda: run(torch))
    if isinstance(theirs, tuple):
        assert ours == theirs
    else:
        assert not isinstance(ours, tuple), f"PyTorch refuses a {kind} buffer ({theirs.__name__}); minigan kept it"
        assert issubclass(ours, theirs), (ours, theirs)


@pytest.mark.parametrize("loss", ["BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "NLLLoss"])
def test_loss_weight_is_a_buffer_door(loss):
    """A loss's ``weight`` becomes a buffer: a list is refused as PyTorch refuses it, a Tensor kept."""
    for make in (lambda lib: [1.0, 2.0], lambda lib: lib.tensor([1.0, 2.0])):
        ours = _outcome(lambda make=make: getattr(minigan.nn, loss)(weight=make(minigan)).weight.tolist())
        theirs = _outcome(lambda make=make: getattr(torch.nn, loss)(weight=make(torch)).weight.tolist())
        assert ours == theirs or (not isinstance(ours, tuple) and not isinstance(theirs, tuple)
                                  and issubclass(ours, theirs)), (ours, theirs)
