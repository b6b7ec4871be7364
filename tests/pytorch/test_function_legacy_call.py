"""An autograd.Function called as an instance (``MyFunction()(x)``, the style of old tutorials) raises PyTorch's
RuntimeError naming apply, whether forward is static or not and whatever the arguments; apply still runs."""

import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402


def _functions(lib):
    class Static(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    class Legacy(lib.autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, g):
            return g * 2

    return {"static": Static, "legacy": Legacy}


CALLS = {"none": lambda lib: (), "tensor": lambda lib: (lib.tensor([1.0]),),
         "requires_grad": lambda lib: (lib.tensor([1.0, 2.0], requires_grad=True),), "number": lambda lib: (3.0,)}


def _outcome(lib, kind, call):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (PyTorch warns that a Function should not be instantiated)
        try:
            return _functions(lib)[kind]()(*CALLS[call](lib))
        except Exception as e:  # noqa: BLE001 - the exception is the outcome
            return e


@pytest.mark.parametrize("call", sorted(CALLS))
@pytest.mark.parametrize("kind", ["static", "legacy"])
def test_an_instance_called_raises_as_pytorch(kind, call):
    theirs, ours = _outcome(torch, kind, call), _outcome(minigan, kind, call)
    assert isinstance(theirs, RuntimeError)
    assert isinstance(ours, type(theirs)), f"PyTorch raised {theirs!r}, minigan {ours!r}"
    assert ".apply(" in str(ours) and "\n" not in str(ours)


@pytest.mark.parametrize("kind", ["static", "legacy"])
def test_apply_still_runs(kind):
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    _functions(minigan)[kind].apply(x).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
