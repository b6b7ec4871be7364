"""Small classes of differences from PyTorch, each checked over its family against PyTorch float64: numbers written
into tensors of every dtype (the fills and the writes that convert one number), the arithmetic operators and
functions over bool, integer and floating operands, ..."""

import itertools
import warnings

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _outcome(fn, *args):
    """fn(*args)'s result as (dtype name, values), or the exception it raised."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            r = fn(*args)
        return str(r.dtype).split(".")[-1], np.asarray(r.tolist(), dtype=float)
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return e


def _agree(theirs, ours):
    """minigan's outcome is PyTorch's: the same dtype and values, or an exception of PyTorch's class."""
    if isinstance(theirs, Exception):
        return isinstance(ours, type(theirs))
    return not isinstance(ours, Exception) and theirs[0] == ours[0] and np.array_equal(theirs[1], ours[1],
                                                                                       equal_nan=True)


# ----------------------------------------------------------------------------- a number written into a tensor
# PyTorch converts the number with a check: a Python int beyond 64 bits is an OverflowError; NaN, ±inf or a number
# out of an integer dtype's range, and a finite number past float32's or float16's largest, are RuntimeErrors
# (uint8 takes −255 to 255 and wraps); setitem, where and scalar_tensor make a float16 past its range ±inf.
FILL_VALUES = [float("nan"), float("inf"), -float("inf"), 300, -1, -129, 2**40, 2**63, 2**64, -2**63 - 1, 1e30, 1e39,
               1.5, -0.5, True, np.float64("nan"), np.int64(300), np.float32(1e10), 2**31, 127, 128, 255, 256]
FILL_DTYPES = ["int64", "int32", "int16", "int8", "uint8", "bool", "float16", "float32", "float64"]


def _set(t, v):
    t[0] = v
    return t


FILLS = {
    "fill_": lambda lib, t, m, v: t.fill_(v),
    "fill_ 0-d": lambda lib, t, m, v: t.fill_(lib.tensor(v.item() if isinstance(v, np.generic) else v)),
    "full": lambda lib, t, m, v: lib.full((3,), v, dtype=t.dtype),
    "full_like": lambda lib, t, m, v: lib.full_like(t, v),
    "new_full": lambda lib, t, m, v: t.new_full((3,), v),
    "masked_fill": lambda lib, t, m, v: t.masked_fill(m, v),
    "masked_fill_": lambda lib, t, m, v: t.masked_fill_(m, v),
    "index_fill": lambda lib, t, m, v: t.index_fill(0, lib.tensor([0, 2]), v),
    "index_fill_": lambda lib, t, m, v: t.index_fill_(0, lib.tensor([0, 2]), v),
    "constant_": lambda lib, t, m, v: lib.nn.init.constant_(t, v),
    "setitem": lambda lib, t, m, v: _set(t, v),
    "where": lambda lib, t, m, v: lib.where(m, t, v),
    "where number first": lambda lib, t, m, v: lib.where(m, v, t),
}


@pytest.mark.parametrize("door", list(FILLS))
def test_a_number_written_into_any_dtype_is_converted_or_refused_as_pytorchs(door):
    differ = []
    for dtype, value in itertools.product(FILL_DTYPES, FILL_VALUES):
        theirs, ours = (_outcome(FILLS[door], lib, lib.zeros(3, dtype=getattr(lib, dtype)),
                                 lib.tensor([True, False, True]), value) for lib in (torch, minigan))
        if not _agree(theirs, ours):
            differ.append((dtype, value, theirs, ours))
    assert not differ, f"{len(differ)} differ, e.g. {differ[:3]}"


# ----------------------------------------------------------------------------- a parameter given twice to an optimizer
# PyTorch reads each parameter's state before a step updates any (SGD's momentum buffers: a parameter given twice
# starts a buffer at each appearance on its first step, the last kept), and then updates it at each appearance.
TWICE = [("SGD", dict(lr=0.05, momentum=0.9)), ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
         ("SGD", dict(lr=0.05, momentum=0.5, dampening=0.3, weight_decay=0.1)),
         ("SGD", dict(lr=0.05, momentum=0.9, maximize=True)), ("SGD", dict(lr=0.05)),
         ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.1)), ("AdamW", dict(lr=0.01, amsgrad=True)),
         ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)), ("RMSprop", dict(lr=0.01, momentum=0.5)),
         ("Adagrad", dict(lr=0.1, lr_decay=0.1, initial_accumulator_value=0.2)), ("Adadelta", dict(weight_decay=0.1)),
         ("Adamax", dict(weight_decay=0.1)), ("NAdam", dict(weight_decay=0.1, decoupled_weight_decay=True)),
         ("RAdam", dict(weight_decay=0.1, decoupled_weight_decay=True))]


@pytest.mark.parametrize("name, options", TWICE, ids=[f"{n}-{'-'.join(o)}" for n, o in TWICE])
def test_a_parameter_given_twice_steps_as_pytorchs_with_any_options(name, options):
    def run(lib):
        p = lib.tensor(np.linspace(-1.0, 1.0, 4), requires_grad=True)
        q = lib.tensor(np.linspace(0.5, 2.0, 3), requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (the duplicate parameters warning: test_optim_group_values)
            opt = getattr(lib.optim, name)([p, q, p], **options)
        out = []
        for k in range(3):
            p.grad, q.grad = lib.tensor(np.cos(np.arange(4.0) + k)), lib.tensor(np.sin(np.arange(3.0) + k))
            opt.step()
            out.append(np.concatenate([p.detach().numpy(), q.detach().numpy()]))
        return np.array(out)

    np.testing.assert_allclose(run(minigan), run(torch), rtol=1e-6, atol=1e-9)  # (NAdam's Π μ is float32 in PyTorch)


# ----------------------------------------------------------------------------- a state dict lacking a buffer
# PyTorch's state_dict() carries each module's version (sd._metadata); BatchNorm's is 2.  A BatchNorm count missing
# from a state dict of version 2 is a missing key; from one of no version (a plain dict, an older checkpoint) the
# module keeps its count.  Any other buffer or parameter missing is a missing key.
def _dropped(lib, sd, key):
    del sd[key]
    return sd


def _plain(lib, sd, key):
    return {k: v for k, v in sd.items() if k != key}


def _old_version(lib, sd, key):
    sd._metadata[key.rpartition(".")[0]]["version"] = 1
    return _dropped(lib, sd, key)


STATE_EDITS = {"del from state_dict()": _dropped, "a plain dict without it": _plain, "version 1": _old_version}


@pytest.mark.parametrize("edit", list(STATE_EDITS))
@pytest.mark.parametrize("key", ["1.num_batches_tracked", "1.running_mean", "1.running_var", "1.weight", "0.bias"])
@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("made_by", ["the same library", "PyTorch"])
def test_a_state_dict_without_a_buffer_loads_as_pytorchs(edit, key, strict, made_by):
    def run(lib):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            source = (torch if made_by == "PyTorch" else lib).nn.Sequential(
                (torch if made_by == "PyTorch" else lib).nn.Linear(2, 3),
                (torch if made_by == "PyTorch" else lib).nn.BatchNorm1d(3))
            net = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.BatchNorm1d(3))
            with lib.no_grad():
                net[0].weight.copy_(lib.tensor(np.linspace(-1.0, 1.0, 6).reshape(3, 2)))
                net[0].bias.copy_(lib.tensor([0.5, -0.25, 0.0]))
            net(lib.tensor(np.arange(8.0).reshape(4, 2), dtype=lib.float32))  # (a count of 1 to keep or lose)
            sd = STATE_EDITS[edit](lib, source.state_dict(), key)
            try:
                result = net.load_state_dict(sd, strict=strict)
            except Exception as e:  # noqa: BLE001 - the class is what is compared
                return RuntimeError if isinstance(e, RuntimeError) else type(e)
            return (list(result.missing_keys), list(result.unexpected_keys), int(net[1].num_batches_tracked),
                    np.round(net[1].running_mean.tolist(), 5).tolist())  # (float32's last bits aside)

    assert run(minigan) == run(torch)


def test_a_state_dict_carries_each_modules_version_as_pytorchs():
    def versions(lib):
        net = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.BatchNorm1d(3), lib.nn.Sequential(lib.nn.BatchNorm2d(3)),
                                lib.nn.InstanceNorm1d(3), lib.nn.LayerNorm(3))
        return dict(net.state_dict()._metadata), dict(net.state_dict(prefix="net.")._metadata)

    assert versions(minigan) == versions(torch)


# ----------------------------------------------------------------------------- tensors and arrays inside a list
# tensor(data, dtype=...) reads a tensor inside a list element by element, each checked as a number is (300 into
# uint8 refused, -1 wraps); a floating tensor is not read into an integer or bool dtype (TypeError), nor is a 0-d
# array at all (TypeError: PyTorch takes it for a sequence); a floating array's dtype is the tensor's.  A tensor or
# array given alone is cast, as before.
LEAVES = {
    "int 0-d 300": lambda lib: lib.tensor(300), "int 0-d -1": lambda lib: lib.tensor(-1),
    "int 0-d -200": lambda lib: lib.tensor(-200), "int 0-d -300": lambda lib: lib.tensor(-300),
    "int 0-d 2**40": lambda lib: lib.tensor(2**40), "bool 0-d": lambda lib: lib.tensor(True),
    "float 0-d 2.0": lambda lib: lib.tensor(2.0), "float 0-d nan": lambda lib: lib.tensor(float("nan")),
    "float64 0-d 1e39": lambda lib: lib.tensor(1e39, dtype=lib.float64),
    "int 1-d [1, 300]": lambda lib: lib.tensor([1, 300]),
    "float 1-d": lambda lib: lib.tensor([1.5, 2.0]), "empty float": lambda lib: lib.tensor([]),
    "np.int64(300)": lambda lib: np.int64(300), "np.uint8(200)": lambda lib: np.uint8(200),
    "np.float64(nan)": lambda lib: np.float64("nan"), "0-d array 3": lambda lib: np.array(3),
    "0-d array 3.0": lambda lib: np.array(3.0), "1-d array [300]": lambda lib: np.array([300]),
    "1-d array [1.5, 2.5]": lambda lib: np.array([1.5, 2.5]), "1-d array [nan]": lambda lib: np.array([np.nan]),
    "int32 array": lambda lib: np.array([1, 2], np.int32), "float32 array": lambda lib: np.array([0.5], np.float32),
    "bool array": lambda lib: np.array([True]), "float16 0-d array": lambda lib: np.array(1.5, dtype=np.float16),
    "np.float32(1.5)": lambda lib: np.float32(1.5), "np.float16(2)": lambda lib: np.float16(2),
    "np.True_": lambda lib: np.True_, "np.int32(-1)": lambda lib: np.int32(-1),
}
LEAF_DTYPES = [None, "uint8", "int8", "int32", "int64", "bool", "float16", "float32", "float64"]
NESTINGS = {"[leaf]": lambda v: [v], "(leaf,)": lambda v: (v,), "[[1, leaf]]": lambda v: [[1, v]] if not hasattr(
    v, "shape") or not v.shape else [[v, v]], "[2, leaf]": lambda v: [2, v] if not hasattr(v, "shape") or not v.shape
    else [v, v]}
MAKERS = {"tensor": lambda lib, data, dtype: lib.tensor(data, dtype=dtype),
          "new_tensor": lambda lib, data, dtype: lib.zeros(1, dtype=lib.int16).new_tensor(data, dtype=dtype)}


@pytest.mark.parametrize("maker", list(MAKERS))
@pytest.mark.parametrize("nesting", list(NESTINGS))
def test_tensors_and_arrays_inside_a_list_are_read_as_pytorchs(maker, nesting):
    differ = []
    for leaf, dtype in itertools.product(LEAVES, LEAF_DTYPES):
        theirs, ours = (_outcome(MAKERS[maker], lib, NESTINGS[nesting](LEAVES[leaf](lib)),
                                 dtype and getattr(lib, dtype)) for lib in (torch, minigan))
        if not _agree(theirs, ours):
            differ.append((leaf, dtype, theirs, ours))
    assert not differ, f"{len(differ)} differ, e.g. {differ[:3]}"


# ----------------------------------------------------------------------------- advice on the classes themselves
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


# ----------------------------------------------------------------------------- an optimizer's state_dict
# PyTorch's holds "state" and "param_groups" only; another optimizer's state loads, groups and all (its next step
# then goes on, or misses a hyperparameter of its own: KeyError), as PyTorch's.
# (Still open: Adam's state into SGD, whose next step PyTorch refuses (KeyError: its loaded groups have no momentum),
# runs on minigan, whose loaded groups keep a hyperparameter the state dict lacks.)
@pytest.mark.parametrize("first, then", [("SGD", "Adam"), ("Adam", "Adam"), ("RMSprop", "Adagrad"), ("SGD", "SGD")])
def test_an_optimizer_state_dict_has_pytorchs_keys_and_loads_into_any_optimizer(first, then):
    options = {"SGD": dict(lr=0.1, momentum=0.9), "Adam": dict(lr=0.1), "RMSprop": dict(lr=0.01, momentum=0.5),
               "Adagrad": dict(lr=0.1)}

    def run(lib):
        w = lib.tensor(np.linspace(-1.0, 1.0, 3), requires_grad=True)
        opt = getattr(lib.optim, first)([w], **options[first])
        for k in range(2):
            w.grad = lib.tensor(np.cos(np.arange(3.0) + k))
            opt.step()
        sd = opt.state_dict()
        other = getattr(lib.optim, then)([w], **options[then])
        other.load_state_dict(sd)
        for k in range(2):
            w.grad = lib.tensor(np.sin(np.arange(3.0) + k))
            other.step()
        return sorted(sd), sorted(other.state_dict()["state"][0]), w.detach().numpy()

    theirs, ours = outcome(run, torch), outcome(run, minigan)
    if isinstance(theirs, Exception):
        assert isinstance(ours, type(theirs)), (theirs, ours)
        return
    assert not isinstance(ours, Exception), ours
    assert ours[:2] == theirs[:2]
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-12)
