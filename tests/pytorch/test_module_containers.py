"""Module registration and the containers (Sequential, ModuleList) against PyTorch: named layers, add_module and
its name rules, list operations, re-assignment keeping order, non-persistent buffers, dotted-path lookups, the
walking methods' keyword forms, state_dict's keyword forms, half() and requires_grad_()."""

from collections import OrderedDict

import numpy as np
import pytest

import minigan
from minigan import nn
from pytorch.oracle import NORM_BIAS

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def raised(fn):
    """The type of the exception ``fn()`` raises (None if it returns)."""
    try:
        fn()
    except Exception as error:  # noqa: BLE001 (the point is to see which one)
        return type(error)
    return None


def copy_weights(ours, theirs):
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})


def names(pairs):
    return [name for name, _ in pairs]


# ----------------------------------------------------------------------------- named layers, add_module
def test_sequential_from_an_ordered_dict_has_pytorchs_names_repr_and_outputs():
    def build(lib):
        return lib.nn.Sequential(OrderedDict([("fc", lib.nn.Linear(2, 1)), ("act", lib.nn.Sigmoid())])).double()

    ours, theirs = build(minigan), build(torch)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["fc.weight", "fc.bias"]
    assert names(ours.named_modules()) == names(theirs.named_modules())
    assert isinstance(ours.fc, nn.Linear) and ours[0] is ours.fc and ours[-1] is ours.act
    copy_weights(ours, theirs)
    x = np.random.default_rng(0).standard_normal((4, 2))
    np.testing.assert_allclose(ours(minigan.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-12)
    with pytest.raises(TypeError, match="named layers come in an OrderedDict"):  # PyTorch: a TypeError too
        nn.Sequential({"fc": nn.Linear(2, 1)})
    assert raised(lambda: torch.nn.Sequential({"fc": torch.nn.Linear(2, 1)})) is TypeError


def test_add_module_and_register_module_keep_pytorchs_order():
    def build(lib):
        net = lib.nn.Module()
        net.add_module("conv-1", lib.nn.Linear(2, 3))  # not an identifier: what add_module is for
        net.register_module("0", lib.nn.ReLU())
        net.head = lib.nn.Linear(3, 1)
        net.add_module("conv-1", lib.nn.Linear(2, 4))  # replaced in place, not moved to the end
        return net

    ours, theirs = build(minigan), build(torch)
    assert names(ours.named_children()) == names(theirs.named_children()) == ["conv-1", "0", "head"]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    assert getattr(ours, "conv-1").out_features == 4


@pytest.mark.parametrize("call", [
    lambda lib, m: m.add_module("a.b", lib.nn.ReLU()),
    lambda lib, m: m.add_module("", lib.nn.ReLU()),
    lambda lib, m: m.add_module("forward", lib.nn.ReLU()),  # an existing attribute (a method)
    lambda lib, m: m.add_module("weight", lib.nn.ReLU()),  # an existing parameter
    lambda lib, m: m.add_module(3, lib.nn.ReLU()),
    lambda lib, m: m.add_module("x", 3),
    lambda lib, m: m.register_module("a.b", lib.nn.ReLU()),
    lambda lib, m: m.register_buffer("a.b", lib.zeros(2)),
    lambda lib, m: m.register_buffer("", lib.zeros(2)),
    lambda lib, m: m.register_buffer("weight", lib.zeros(2)),
    lambda lib, m: m.register_parameter("a.b", None),
    lambda lib, m: m.register_parameter("", None),
    lambda lib, m: m.register_parameter("train", None),
    lambda lib, m: m.register_parameter("w", lib.zeros(2)),
])
def test_bad_names_raise_pytorchs_exception_types_in_one_line(call):
    expected = raised(lambda: call(torch, torch.nn.Linear(2, 2)))
    assert expected in (KeyError, TypeError)
    with pytest.raises(expected) as info:
        call(minigan, nn.Linear(2, 2))
    assert "\n" not in str(info.value)


# ----------------------------------------------------------------------------- list operations
def sequential_story(lib):
    """The same edits on a Sequential, and its repr after each (reprs of distinct Linears tell layers apart)."""
    L = lib.nn.Linear
    seq = lib.nn.Sequential(L(1, 1), L(1, 2), L(1, 3), L(1, 4))
    seen = [repr(seq[1:3]), repr(seq[::-2]), repr(seq[-1])]
    seq[2] = L(2, 2)
    seq[-1] = L(2, 3)
    seen.append(repr(seq))
    del seq[1]
    seen.append(repr(seq))
    seq.append(L(3, 3)).append(L(3, 4))
    seq.insert(1, L(4, 4))
    seq.insert(-1, L(4, 5))
    seq.insert(len(seq), L(4, 6))
    seen.append(repr(seq))
    del seq[1:5:2]
    seen.append(repr(seq))
    seq.extend([L(5, 5), L(5, 6)])
    seen += [repr(seq.pop(0)), repr(seq.pop(-1)), repr(seq.pop(slice(1, 3))), repr(seq), str(len(seq))]
    seen.append(repr(seq + lib.nn.Sequential(L(6, 6))))
    seq += lib.nn.Sequential(L(6, 7))
    seen.append(repr(seq))
    seen.append(str([m.out_features for m in seq]))
    named = lib.nn.Sequential(OrderedDict([("a", L(7, 1)), ("b", L(7, 2)), ("c", L(7, 3))]))
    seen.append(repr(named[1:]))  # a slice keeps the names
    named[-1] = L(7, 4)
    seen.append(repr(named))
    del named[0]  # the names left become 0, 1, ...
    seen.append(repr(named))
    return seen


def test_sequential_list_operations_match_pytorch():
    assert sequential_story(minigan) == sequential_story(torch)
    seq = nn.Sequential(nn.Linear(1, 1), nn.ReLU())
    assert type(seq[1:]) is nn.Sequential and not isinstance(seq, nn.ModuleList)  # (nor is PyTorch's)
    for lib in (minigan, torch):
        with pytest.raises(IndexError, match="index -3 is out of range"):
            lib.nn.Sequential(lib.nn.ReLU(), lib.nn.Tanh())[-3]
        with pytest.raises(IndexError):
            lib.nn.Sequential(lib.nn.ReLU()).insert(3, lib.nn.Tanh())
        with pytest.raises(ValueError):  # only a Sequential adds to a Sequential
            lib.nn.Sequential(lib.nn.ReLU()) + [lib.nn.Tanh()]
        with pytest.raises(TypeError):  # a layer must be a Module
            lib.nn.Sequential(lib.nn.ReLU())[0] = 3


def module_list_story(lib):
    L = lib.nn.Linear
    layers = lib.nn.ModuleList([L(1, 1) for _ in range(3)] + [L(1, 2), L(1, 2), lib.nn.ReLU()])
    seen = [repr(layers), repr(layers[1:4]), repr(layers[-2]), repr(lib.nn.ModuleList())]  # runs print once
    layers[0] = L(2, 2)
    layers[-1] = L(2, 3)
    seen.append(repr(layers))
    del layers[1]
    del layers[::2]
    seen.append(repr(layers))
    layers.extend([L(3, 3), L(3, 4)])
    layers.insert(0, L(4, 4))
    layers.insert(2, L(4, 5))
    layers.append(L(4, 6))
    seen.append(repr(layers))
    seen += [repr(layers.pop(1)), repr(layers.pop(-1)), repr(layers)]
    seen.append(repr(layers + [L(5, 5)]))
    layers += [L(5, 6)]
    seen += [repr(layers), str(len(layers)), str([type(m).__name__ for m in layers])]
    seen.append(str(list(layers.state_dict())))
    return seen


def test_module_list_operations_match_pytorch():
    assert module_list_story(minigan) == module_list_story(torch)
    for lib in (minigan, torch):
        with pytest.raises(IndexError, match="index 2 is out of range"):
            lib.nn.ModuleList([lib.nn.ReLU(), lib.nn.Tanh()])[2]
        with pytest.raises(TypeError):
            lib.nn.ModuleList().extend(3)
    with pytest.raises(ValueError, match="ModuleList: index 2 is out of range for 2 layers"):  # minigan's own too
        nn.ModuleList([nn.ReLU(), nn.Tanh()])[2]


# ----------------------------------------------------------------------------- re-assignment keeps its place
def _reassigned(lib):
    net = lib.nn.Module()
    net.fc1, net.bn, net.fc2 = lib.nn.Linear(4, 3), lib.nn.BatchNorm1d(3), lib.nn.Linear(3, 1)
    net.fc1 = lib.nn.Linear(4, 3)  # PyTorch replaces in place: still first
    net.fc1.weight = lib.nn.Parameter(lib.zeros(3, 4))  # still before bias
    net.bn.running_mean = lib.ones(3)  # still the first buffer
    return net


def test_reassigning_a_submodule_parameter_or_buffer_keeps_its_place():
    ours, theirs = _reassigned(minigan), _reassigned(torch)
    assert names(ours.named_children()) == names(theirs.named_children()) == ["fc1", "bn", "fc2"]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert list(ours.state_dict())[:2] == ["fc1.weight", "fc1.bias"]
    assert names(ours.named_buffers()) == names(theirs.named_buffers())


@NORM_BIAS
def test_a_reassigned_module_prints_as_pytorchs():
    assert repr(_reassigned(minigan)) == repr(_reassigned(torch))


def test_a_name_that_changes_kind_moves_and_lives_in_one_place():
    def build(lib):
        net = lib.nn.Module()
        net.a, net.b = lib.nn.Linear(2, 2), lib.nn.Linear(2, 2)
        net.w = lib.nn.Parameter(lib.zeros(2))
        net.register_buffer("s", lib.zeros(1))
        net.a = lib.nn.Parameter(lib.ones(2))  # the submodule goes; the parameter comes after w
        net.s = lib.nn.ReLU()  # the buffer goes; the submodule comes after b
        net.t = 5
        net.t = lib.nn.Tanh()  # a plain attribute becomes a submodule
        return net

    ours, theirs = build(minigan), build(torch)
    assert names(ours.named_parameters()) == names(theirs.named_parameters()) == ["w", "a", "b.weight", "b.bias"]
    assert names(ours.named_children()) == names(theirs.named_children()) == ["b", "s", "t"]
    assert list(ours.state_dict()) == list(theirs.state_dict()) and list(ours.buffers()) == []
    assert "t" not in vars(ours) and repr(ours) == repr(theirs)
    for lib in (minigan, torch):
        layer = lib.nn.Linear(2, 2)
        with pytest.raises(TypeError):  # a parameter's name takes a Parameter or None
            layer.weight = lib.nn.ReLU()
        with pytest.raises(TypeError):  # a plain tensor is not a Parameter
            layer.weight = lib.zeros(2, 2)
        with pytest.raises(TypeError):
            lib.nn.Sequential(lib.nn.ReLU()).__setattr__("0", 3)
        layer.bias = None  # but None is (no bias)
        assert [n for n, _ in layer.named_parameters()] == ["weight"]


# ----------------------------------------------------------------------------- non-persistent buffers
def test_non_persistent_buffers_move_but_stay_out_of_the_state_dict():
    def build(lib):
        net = lib.nn.Linear(2, 2)
        net.register_buffer("cache", lib.zeros(2), persistent=False)
        net.register_buffer("kept", lib.ones(2))
        return net

    ours, theirs = build(minigan), build(torch)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight", "bias", "kept"]
    assert names(ours.named_buffers()) == names(theirs.named_buffers()) == ["cache", "kept"]
    assert ours.double().cache.dtype == minigan.float64  # moved and cast as any buffer
    ours.load_state_dict(ours.state_dict())  # strict: the cache is not expected
    extra = {**ours.state_dict(), "cache": np.zeros(2)}
    result = ours.load_state_dict(extra, strict=False)
    expected = theirs.load_state_dict({**theirs.state_dict(), "cache": torch.zeros(2)}, strict=False)
    assert (result.missing_keys, result.unexpected_keys) == (expected.missing_keys, expected.unexpected_keys)
    with pytest.raises(ValueError, match="first unexpected key 'cache'"):
        ours.load_state_dict(extra)
    ours.register_buffer("cache", minigan.zeros(2))  # registered again as persistent: saved again
    assert list(ours.state_dict()) == ["weight", "bias", "cache", "kept"]
    ours.cache = nn.Parameter(minigan.zeros(2))  # a parameter now: no longer a (non-persistent) buffer
    del ours.cache
    ours.register_buffer("cache", minigan.zeros(2))
    assert "cache" in ours.state_dict()


# ----------------------------------------------------------------------------- lookups and walks
def build_tree(lib):
    shared = lib.nn.Linear(3, 3)
    net = lib.nn.Module()
    net.features = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.BatchNorm1d(3), shared)
    net.head = shared
    net.register_buffer("scale", lib.ones(1))
    return net


def test_get_submodule_parameter_and_buffer_follow_dotted_paths():
    ours, theirs = build_tree(minigan), build_tree(torch)
    assert ours.get_submodule("") is ours
    assert ours.get_submodule("features.2") is ours.head
    assert type(ours.get_submodule("features.1")).__name__ == type(theirs.get_submodule("features.1")).__name__
    assert ours.get_parameter("features.0.bias") is ours.features[0].bias
    assert ours.get_buffer("features.1.running_var") is ours.features[1].running_var
    assert ours.get_buffer("scale") is ours.scale
    for target, getter in [("features.7", "get_submodule"), ("features.0.weight", "get_submodule"),
                           ("nothing.0", "get_submodule"), ("features.1.running_mean", "get_parameter"),
                           ("features.0.weight", "get_buffer"), ("features.0.gain", "get_parameter")]:
        assert raised(lambda getter=getter, target=target: getattr(theirs, getter)(target)) is AttributeError
        with pytest.raises(AttributeError, match=getter):
            getattr(ours, getter)(target)


def test_walking_methods_take_pytorchs_keywords():
    ours, theirs = build_tree(minigan), build_tree(torch)
    calls = [
        lambda m: names(m.named_parameters()),
        lambda m: names(m.named_parameters(prefix="net", recurse=True, remove_duplicate=False)),
        lambda m: names(m.named_parameters(recurse=False)),
        lambda m: names(m.features.named_parameters(recurse=False)),
        lambda m: len(list(m.parameters(recurse=False))) + 10 * len(list(m.features[0].parameters(recurse=False))),
        lambda m: names(m.named_buffers(prefix="p", remove_duplicate=False)),
        lambda m: names(m.named_buffers(recurse=False)),
        lambda m: len(list(m.buffers(recurse=False))),
        lambda m: names(m.named_modules()),
        lambda m: names(m.named_modules(prefix="root", remove_duplicate=False)),
        lambda m: names(m.named_modules(memo={m.head})),  # the shared layer counts as seen already
        lambda m: len(list(m.modules(remove_duplicate=False))),
        lambda m: names(m.named_children()),
        lambda m: [type(c).__name__ for c in m.features.children()],
        lambda m: list(m.state_dict()),
        lambda m: list(m.state_dict(prefix="model.")),
    ]
    for call in calls:
        assert call(ours) == call(theirs)
    shared = nn.Linear(2, 2)
    twice = nn.Sequential(shared, nn.ReLU(), shared)
    assert names(twice.named_children()) == ["0", "1"]  # one module, listed once (PyTorch's)
    assert list(twice.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]  # but saved under both names


def test_state_dict_keyword_forms():
    ours, theirs = build_tree(minigan), build_tree(torch)
    kept = ours.state_dict(keep_vars=True)
    assert kept["features.0.weight"] is ours.features[0].weight and isinstance(kept["scale"], minigan.Tensor)
    value = ours.state_dict()["features.0.weight"]  # by default a Tensor sharing the weight's memory, as PyTorch's
    assert type(value) is minigan.Tensor and value.data_ptr() == ours.features[0].weight.data_ptr()
    destination = {"step": 3}
    assert ours.state_dict(destination=destination, prefix="G.") is destination
    assert list(destination) == ["step"] + list(theirs.state_dict(prefix="G."))
    with pytest.warns(FutureWarning, match="Positional args are being deprecated"):  # PyTorch's deprecated form
        assert list(ours.state_dict({}, "G.")) == list(theirs.state_dict(prefix="G."))
    copy_weights(ours, theirs)  # a PyTorch state dict with a shared layer under two names loads strictly
    np.testing.assert_array_equal(ours.head.weight.detach().numpy(), theirs.head.weight.detach().numpy())


# ----------------------------------------------------------------------------- dtypes and freezing
def test_half_casts_floating_tensors_only_and_requires_grad_takes_its_keyword():
    ours, theirs = build_tree(minigan).half(), build_tree(torch).half()
    ours_dtypes = [str(t.dtype) for t in ours.state_dict(keep_vars=True).values()]
    theirs_dtypes = [str(t.dtype).replace("torch.", "minigan.") for t in theirs.state_dict().values()]
    assert ours_dtypes == theirs_dtypes and "minigan.int64" in ours_dtypes and "minigan.float16" in ours_dtypes
    frozen = ours.requires_grad_(requires_grad=False)
    assert frozen is ours and not any(p.requires_grad for p in ours.parameters())
    assert all(p.requires_grad for p in ours.requires_grad_().parameters())
