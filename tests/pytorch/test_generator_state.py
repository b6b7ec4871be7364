"""Generator.get_state() and set_state(), against PyTorch's: the state is a 1-D uint8 Tensor (PyTorch's ByteTensor,
its 5056 bytes, the same bytes as PyTorch's for the same draws), a copy that set_state takes back to replay the
stream, for a Generator of one's own and for default_generator; what is not such a state raises PyTorch's class."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402


def _generators(lib):
    return {"own": lambda: lib.Generator().manual_seed(11), "default": lambda: lib.manual_seed(11)}


@pytest.mark.parametrize("which", ["own", "default"])
@pytest.mark.parametrize("lib", [torch, minigan], ids=["torch", "minigan"])
def test_the_state_is_a_byte_tensor_copy(lib, which):
    g = _generators(lib)[which]()
    state = g.get_state()
    assert isinstance(state, lib.Tensor) and state.dtype == lib.uint8 and state.dim() == 1
    assert not state.requires_grad and state.is_leaf
    again = g.get_state()
    assert again is not state and lib.equal(again, state)
    state.zero_()  # a copy: writing it leaves the generator alone
    assert lib.equal(g.get_state(), again)


# draws from a state with a normal kept for the next draw (after three doubles by pairs), and from one without
DRAWS = {"randn": lambda lib, g, n: lib.randn(n, generator=g),
         "rand": lambda lib, g, n: lib.rand(n, dtype=lib.float64, generator=g),
         "randint": lambda lib, g, n: lib.randint(0, 1000, (n,), generator=g),
         "randperm": lambda lib, g, n: lib.randperm(n + 3, generator=g)}


@pytest.mark.parametrize("which", ["own", "default"])
@pytest.mark.parametrize("odd", [False, True])
@pytest.mark.parametrize("draw", sorted(DRAWS))
def test_set_state_replays_the_stream(which, odd, draw):
    g = _generators(minigan)[which]()
    if odd:
        minigan.randn(3, dtype=minigan.float64, generator=g if which == "own" else None)
    state = g.get_state()
    first = [DRAWS[draw](minigan, g if which == "own" else None, n) for n in (1, 5, 2)]
    assert g.set_state(state) is g
    again = [DRAWS[draw](minigan, g if which == "own" else None, n) for n in (1, 5, 2)]
    assert all(minigan.equal(a, b) for a, b in zip(first, again))


def _bad_states(lib):
    good = lib.Generator().get_state()
    return {"dict": {"state": 1}, "list": [1, 2, 3], "none": None, "float": good.float(),
            "int64": good.long(), "short": good[:5].clone(), "long": lib.cat([good, good])}


@pytest.mark.parametrize("which", ["own", "default"])
@pytest.mark.parametrize("bad", sorted(_bad_states(torch)))
def test_a_bad_state_raises_pytorchs_class(which, bad):
    def outcome(lib):
        try:
            _generators(lib)[which]().set_state(_bad_states(lib)[bad])
        except Exception as e:  # noqa: BLE001 - the exception is the outcome
            return e
        return None

    theirs, ours = outcome(torch), outcome(minigan)
    assert theirs is not None
    assert isinstance(ours, type(theirs)), f"PyTorch raised {theirs!r}, minigan {ours!r}"
    assert "\n" not in str(ours)


@pytest.mark.parametrize("which", ["own", "default"])
@pytest.mark.parametrize("odd", [False, True])
def test_the_state_is_pytorchs_bytes(which, odd):
    def state(lib):
        g = _generators(lib)[which]()
        if odd:
            lib.randn(3, dtype=lib.float64, generator=g if which == "own" else None)
        lib.rand(5, generator=g if which == "own" else None)
        return g.get_state().numpy()
    assert np.array_equal(state(torch), state(minigan))
