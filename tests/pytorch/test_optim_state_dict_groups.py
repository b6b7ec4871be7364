"""An optimizer's state_dict() hands back its groups' hyperparameters as the group holds them, as PyTorch's does.

``betas`` is a tuple in the group, so it is a tuple in ``state_dict()["param_groups"]``, in a checkpoint saved and
loaded, and in the group of an optimizer that loaded it (minigan's state_dict turned tuples into lists). The
Python type of every hyperparameter at each of the three places, for every optimizer both libraries have.
"""

import io

import pytest

import minigan

torch = pytest.importorskip("torch")

OPTIMIZERS = ("SGD", "Adam", "AdamW", "NAdam", "RAdam", "Adamax", "Adadelta", "Adagrad", "RMSprop")


def program(lib, name):
    p = lib.nn.Parameter(lib.ones(2, dtype=lib.float64))
    make = getattr(lib.optim, name)
    opt = make([p], lr=0.1)
    p.grad = lib.ones(2, dtype=lib.float64)
    opt.step()
    saved = opt.state_dict()
    buffer = io.BytesIO()
    lib.save(saved, buffer)
    buffer.seek(0)
    loaded = lib.load(buffer)
    again = make([p])
    again.load_state_dict(loaded)

    def types(group):
        return {k: (type(v).__name__, v) for k, v in group.items() if k != "params"}

    return dict(state_dict=types(saved["param_groups"][0]), loaded=types(loaded["param_groups"][0]),
                group=types(again.param_groups[0]), resaved=types(again.state_dict()["param_groups"][0]))


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_group_values_keep_their_python_types(name):
    want, got = program(torch, name), program(minigan, name)
    for where in want:
        shared = want[where].keys() & got[where].keys()
        wrong = {k: (got[where][k], want[where][k]) for k in shared if got[where][k] != want[where][k]}
        assert not wrong, f"{where}: minigan's (type, value) against PyTorch's: {wrong}"
