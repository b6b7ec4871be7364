"""A module's extra state, as PyTorch's: Module has get_extra_state and set_extra_state, which raise a
RuntimeError unless overridden; a module that overrides get_extra_state has its value in state_dict under
``<prefix>_extra_state`` (after its parameters and buffers, before its children's), and load_state_dict hands it
to set_extra_state: a missing one is a missing key (strict), one for a module without set_extra_state an
unexpected key.  Compared with torch.nn in float64."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _classes(lib):
    class Counter(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = lib.nn.Linear(2, 2, dtype=lib.float64)
            self.calls = 0

        def get_extra_state(self):
            return {"calls": self.calls}

        def set_extra_state(self, state):
            self.calls = state["calls"]

    class Outer(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("seen", lib.zeros(1, dtype=lib.float64))
            self.inner = Counter()
            self.plain = lib.nn.Linear(1, 1, dtype=lib.float64)

    return Counter, Outer


def _outcome(fn):
    try:
        return fn()
    except Exception as e:  # noqa: BLE001  (the class is what is compared)
        return type(e)


def _same(ours, theirs):
    """Equal outcomes, or minigan's exception a subclass of PyTorch's built-in class."""
    if isinstance(ours, type) and isinstance(theirs, type):
        return issubclass(ours, [c for c in theirs.__mro__ if c.__module__ == "builtins"][0])
    return ours == theirs


def test_state_dict_keys_and_round_trip_are_pytorchs():
    def run(lib):
        Counter, Outer = _classes(lib)
        m = Outer()
        m.inner.calls = 7
        sd = m.state_dict()
        fresh = Outer()
        result = fresh.load_state_dict(sd)
        return list(sd), sd["inner._extra_state"], fresh.inner.calls, (list(result.missing_keys),
                                                                       list(result.unexpected_keys))
    assert run(minigan) == run(torch)


def test_missing_and_unexpected_extra_state_are_pytorchs():
    def run(lib, strict, drop, add):
        Counter, Outer = _classes(lib)
        sd = Outer().state_dict()
        if drop:
            del sd["inner._extra_state"]
        if add:
            sd["plain._extra_state"] = 3
        def load():
            r = Outer().load_state_dict(sd, strict=strict)
            return sorted(r.missing_keys), sorted(r.unexpected_keys)
        return _outcome(load)
    for strict in (True, False):
        for drop, add in ((True, False), (False, True)):
            assert _same(run(minigan, strict, drop, add), run(torch, strict, drop, add)), (strict, drop, add)


def test_the_base_methods_exist_and_refuse_as_pytorchs():
    for lib in (minigan, torch):
        m = lib.nn.Linear(2, 2)
        assert hasattr(m, "get_extra_state") and hasattr(m, "set_extra_state")
        assert "_extra_state" not in "".join(m.state_dict())
    assert _outcome(torch.nn.Linear(2, 2).get_extra_state) is RuntimeError
    assert _same(_outcome(minigan.nn.Linear(2, 2).get_extra_state), RuntimeError)
    assert _same(_outcome(lambda: minigan.nn.Linear(2, 2).set_extra_state({})), RuntimeError)


def test_keep_vars_and_prefix_with_extra_state_are_pytorchs():
    def run(lib):
        Counter, _ = _classes(lib)
        m = Counter()
        m.calls = 2
        sd = m.state_dict(prefix="net.", keep_vars=True)
        return list(sd), sd["net._extra_state"]
    assert run(minigan) == run(torch)
    np.testing.assert_equal(run(minigan)[1], {"calls": 2})
