"""``save(model, path)`` of a whole module, as PyTorch: the module is pickled (its tensors beside the pickle), and
``load`` gives it back only when told ``weights_only=False`` (PyTorch's default since 2.6 refuses a pickle with
``pickle.UnpicklingError``, since unpickling runs code).  Each property is checked under PyTorch and minigan alike.

(Its torch-free tests: tests/library/test_save_whole_module.py.)"""

import io
import pickle

import numpy as np
import pytest

import minigan
from pytorch.oracle import HAVE_TORCH

LIBS = [minigan] + ([__import__("torch")] if HAVE_TORCH else [])


def ids(lib):
    return lib.__name__


class Net:
    """A model class a program defines (pickle stores it by its module and name, as torch.save does)."""

    @staticmethod
    def make(lib):
        class_ = NET_CLASSES.get(lib.__name__)
        if class_ is None:
            class Body(lib.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.fc1 = lib.nn.Linear(3, 4)
                    self.fc2 = lib.nn.Linear(4, 2)
                    self.register_buffer("scale", lib.tensor([2.0, 0.5]))
                    self.steps = 7  # a plain attribute is kept too

                def forward(self, x):
                    return self.fc2(lib.relu(self.fc1(x))) * self.scale

            Body.__qualname__ = Body.__name__ = f"Body_{lib.__name__}"
            globals()[Body.__name__] = Body  # (found by name at load, as a program's own class is)
            class_ = NET_CLASSES[lib.__name__] = Body
        lib.manual_seed(0)
        return class_()


NET_CLASSES = {}


def _x(lib):
    return lib.tensor(np.linspace(-1, 1, 6).reshape(2, 3), dtype=lib.float32)


@pytest.mark.parametrize("lib", LIBS, ids=ids)
@pytest.mark.parametrize("kind", ["sequential", "own class"])
def test_a_whole_module_saves_and_loads_only_with_weights_only_false(lib, kind, tmp_path):
    model = (lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.Tanh(), lib.nn.Linear(4, 2)) if kind == "sequential"
             else Net.make(lib))
    path = tmp_path / "model.pt"
    lib.save(model, path)
    for flag in ({}, {"weights_only": True}):  # PyTorch >= 2.6's default, and asked for
        with pytest.raises(pickle.UnpicklingError) as refused:
            lib.load(path, **flag)
        if lib is minigan:  # one line, saying what to write
            message = str(refused.value)
            assert "\n" not in message and "weights_only=False" in message and "state_dict()" in message
    loaded = lib.load(path, weights_only=False)
    assert type(loaded) is type(model) and loaded is not model
    assert list(loaded.state_dict()) == list(model.state_dict())
    for (name, p), (_, q) in zip(model.named_parameters(), loaded.named_parameters()):
        assert type(q) is type(p) and q.requires_grad and q.dtype == p.dtype, name
        assert np.array_equal(p.detach().numpy(), q.detach().numpy()), name
    assert np.array_equal(model(_x(lib)).detach().numpy(), loaded(_x(lib)).detach().numpy())
    if kind == "own class":
        assert loaded.steps == 7 and type(loaded.scale) is type(model.scale) and not loaded.scale.requires_grad
    loaded(_x(lib)).sum().backward()  # it trains on: its parameters are leaves of a new graph
    assert all(q.grad is not None for q in loaded.parameters())
    assert all(p.grad is None for p in model.parameters())  # (and the saved model is untouched)


@pytest.mark.parametrize("lib", LIBS, ids=ids)
def test_tied_weights_stay_tied_and_a_checkpoint_dict_with_a_model_and_its_optimizer_loads(lib):
    lib.manual_seed(0)
    a, b = lib.nn.Linear(2, 2), lib.nn.Linear(2, 2)
    b.weight = a.weight  # one Parameter in two modules
    model = lib.nn.Sequential(a, b)
    opt = lib.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(lib.ones(1, 2)).sum().backward()
    opt.step()
    buffer = io.BytesIO()
    lib.save({"model": model, "optimizer": opt, "epoch": 3}, buffer)
    buffer.seek(0)
    with pytest.raises(pickle.UnpicklingError):
        lib.load(buffer)
    buffer.seek(0)
    state = lib.load(buffer, weights_only=False)
    new = state["model"]
    assert state["epoch"] == 3 and new[0].weight is new[1].weight
    assert np.array_equal(new[0].weight.detach().numpy(), model[0].weight.detach().numpy())
    assert len(state["optimizer"].state_dict()["state"]) == len(opt.state_dict()["state"]) == 3
