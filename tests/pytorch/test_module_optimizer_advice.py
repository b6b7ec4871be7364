"""Every public name of PyTorch's ``nn.Module`` and ``optim.Optimizer`` is in minigan's class, or reading it answers
with minigan's one-line advice (a ``NotInMinigan``, an AttributeError), as the names of the namespaces do: on an
instance of a subclass of the user's (``Net``) and of minigan's own layers and optimizers.  Before,
``model.register_state_dict_pre_hook`` and ``opt.register_step_post_hook`` raised Python's bare "Linear has no
attribute ..." with no advice.  A name that is in neither (a typo, an attribute the user never set) still gets
Python's plain AttributeError, naming the class."""
import itertools

import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402
from minigan.surface import missing  # noqa: E402

SPACES = {"torch.nn.Module": (torch.nn.Module, minigan.nn.Module),
          "torch.optim.Optimizer": (torch.optim.Optimizer, minigan.optim.Optimizer)}


def _instances(space):
    if space == "torch.nn.Module":
        class Net(minigan.nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = minigan.nn.Linear(2, 1)

        return [Net(), minigan.nn.Linear(2, 2), minigan.nn.Sequential(minigan.nn.ReLU())]
    p = [minigan.nn.Parameter(minigan.zeros(2))]
    return [minigan.optim.SGD(p, lr=0.1), minigan.optim.Adam(p)]


def _names(space):
    theirs, ours = SPACES[space]
    return [n for n in dir(theirs) if not n.startswith("_") and not hasattr(ours, n)]


@pytest.mark.parametrize("space", SPACES)
def test_each_name_minigan_lacks_answers_with_advice(space):
    lacking = _names(space)
    assert lacking, "nothing lacking: the test reads nothing"
    unadvised = []
    for name in lacking:
        for obj in _instances(space):
            try:
                getattr(obj, name)
                unadvised.append(f"{type(obj).__name__}.{name}: read without error")
            except minigan.NotInMinigan as e:
                text = str(e)
                if not text.startswith(f"{missing.PLACES[space]}.{name}: ") or len(text.splitlines()) != 1:
                    unadvised.append(f"{type(obj).__name__}.{name}: {text}")
            except AttributeError as e:
                unadvised.append(f"{type(obj).__name__}.{name}: no advice ({e})")
    assert not unadvised, f"{len(unadvised)} without advice:\n" + "\n".join(unadvised[:20])


@pytest.mark.parametrize("space", SPACES)
def test_a_name_in_neither_is_pythons_plain_error(space):
    for obj in _instances(space):
        with pytest.raises(AttributeError) as caught:
            obj.no_such_thing_here  # noqa: B018
        assert not isinstance(caught.value, minigan.NotInMinigan)
        assert type(obj).__name__ in str(caught.value) and "no_such_thing_here" in str(caught.value)


def test_what_the_advice_points_to_exists():
    assert callable(minigan.nn.Module.register_full_backward_hook) and callable(minigan.nn.Module.to)
    assert callable(minigan.nn.Module.get_submodule) and callable(minigan.nn.Module.half)


# A name of PyTorch's Module or Optimizer that minigan lacks gives its advice when read on the class too
# (nn.Module.compile, nn.Linear.register_state_dict_pre_hook, optim.SGD.register_step_pre_hook), as on an instance:
# a NotInMinigan (an AttributeError: hasattr is False), where PyTorch's class has it.
def _lacking(space):
    from minigan.surface.missing import TABLE

    return sorted(name for _, names in TABLE[space] for name in names)


CLASS_SPACES = {"torch.nn.Module": ["Module", "Linear", "Sequential", "BatchNorm2d", "MultiheadAttention"],
                "torch.optim.Optimizer": ["Optimizer", "SGD", "Adam", "RMSprop"]}


@pytest.mark.parametrize("space", list(CLASS_SPACES))
def test_a_name_minigan_lacks_gives_its_advice_on_the_class_as_on_an_instance(space):
    from minigan.surface.missing import NotInMinigan, advice

    place = minigan.nn if space == "torch.nn.Module" else minigan.optim
    theirs = torch.nn if space == "torch.nn.Module" else torch.optim
    silent = []
    for name, cls in itertools.product(_lacking(space), CLASS_SPACES[space]):
        assert hasattr(getattr(theirs, cls), name), (cls, name)  # (PyTorch's class has it)
        try:
            getattr(getattr(place, cls), name)
            silent.append((cls, name, "read"))
        except NotInMinigan as e:
            assert str(e).endswith(advice(space, name)), (cls, name, str(e))
        except AttributeError:
            silent.append((cls, name, "no advice"))
    assert not silent, f"{len(silent)} without advice, e.g. {silent[:4]}"


def test_a_submodule_or_attribute_under_such_a_name_is_still_read():
    net = minigan.nn.Module()
    net.compile = minigan.nn.Linear(2, 2)  # (a submodule named as a Module method minigan lacks)
    net.type = "a plain attribute"
    assert isinstance(net.compile, minigan.nn.Linear) and net.type == "a plain attribute"
    assert not hasattr(minigan.nn.Linear(2, 2), "compile") and not hasattr(minigan.nn.Module, "share_memory")
