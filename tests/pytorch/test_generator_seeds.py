"""Seeds and generators, against PyTorch: ``manual_seed(s)`` returns ``default_generator``, itself a
``Generator`` (``type(...) is Generator``); ``Generator().manual_seed(s)`` returns the generator;
``initial_seed()`` (of a generator and of the library) gives the seed back as PyTorch keeps it (a negative seed as
its 64-bit two's complement); ``seed()`` reseeds and returns the new seed; ``get_state``/``set_state`` (and the
library's ``get_rng_state``/``set_rng_state``) round trip; what each door takes or refuses, with PyTorch's class
(``manual_seed`` reads its argument with ``int()`` first; ``Generator.manual_seed`` takes integers only).  The
numbers drawn differ from PyTorch's (docs/pytorch.md), so none is compared."""

from __future__ import annotations

import subprocess
import sys

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SEEDS = [0, 1, 7, 123456789, 2**32, 2**63 - 1, 2**63, 2**64 - 1, -1, -5, -2**63, 67280421310721]
BAD = [2**64, -2**63 - 1, 2**70, 1.5, -0.5, "3", "x", None, True, False, [1], 3.0, float("nan"), float("inf")]


def _outcome(f):
    try:
        return f()
    except Exception as exc:  # noqa: BLE001 - the class is the result
        return exc


def _same(ours, theirs):
    if isinstance(theirs, Exception):
        return isinstance(ours, type(theirs)) and "\n" not in str(ours)
    return not isinstance(ours, Exception) and ours == theirs


@pytest.mark.parametrize("seed", SEEDS)
def test_manual_seed_returns_the_default_generator(seed):
    for lib in (torch, minigan):
        g = lib.manual_seed(seed)
        assert type(g) is lib.Generator and g is lib.default_generator, lib.__name__
    theirs = (torch.initial_seed(), torch.default_generator.initial_seed())
    assert (minigan.initial_seed(), minigan.default_generator.initial_seed()) == theirs


@pytest.mark.parametrize("seed", SEEDS)
def test_a_generators_manual_seed_returns_itself(seed):
    for lib in (torch, minigan):
        g = lib.Generator()
        assert g.manual_seed(seed) is g and type(g) is lib.Generator
    assert minigan.Generator().manual_seed(seed).initial_seed() == torch.Generator().manual_seed(seed).initial_seed()


@pytest.mark.parametrize("seed", BAD)
@pytest.mark.parametrize("door", ["manual_seed", "Generator.manual_seed", "default_generator.manual_seed"])
def test_a_seed_is_taken_or_refused_as_pytorchs(seed, door):
    def run(lib):
        if door == "manual_seed":
            return _outcome(lambda: (lib.manual_seed(seed), lib.initial_seed())[1])
        g = lib.Generator() if door == "Generator.manual_seed" else lib.default_generator
        return _outcome(lambda: g.manual_seed(seed).initial_seed())

    theirs, ours = run(torch), run(minigan)
    assert _same(ours, theirs), (ours, theirs)


@pytest.mark.parametrize("which", ["Generator", "default"])
def test_seed_reseeds_and_returns_the_new_seed(which):
    for lib in (torch, minigan):
        g = lib.Generator() if which == "Generator" else lib.default_generator
        s = g.seed() if which == "Generator" else lib.seed()
        assert type(s) is int and 0 <= s < 2**64
        assert g.initial_seed() == s and lib.initial_seed() == (s if which == "default" else lib.initial_seed())
        assert (g.seed() if which == "Generator" else lib.seed()) != s


@pytest.mark.parametrize("seed", SEEDS[:6])
@pytest.mark.parametrize("which", ["Generator", "default", "rng_state"])
def test_state_round_trips(seed, which):
    for lib in (torch, minigan):
        g = lib.Generator().manual_seed(seed) if which == "Generator" else lib.manual_seed(seed)
        state = lib.get_rng_state() if which == "rng_state" else g.get_state()
        assert state.dtype == lib.uint8 and state.dim() == 1
        kw = {"generator": g} if which == "Generator" else {}
        first = [lib.rand(4, **kw).tolist(), lib.randint(0, 100, (3,), **kw).tolist()]
        if which == "rng_state":
            lib.set_rng_state(state)
        else:
            assert g.set_state(state) is g
        assert [lib.rand(4, **kw).tolist(), lib.randint(0, 100, (3,), **kw).tolist()] == first
        assert g.get_state().tolist() != state.tolist()  # (the draws moved it on)


@pytest.mark.parametrize("bad", ["float tensor", "str", "short", "int list"])
@pytest.mark.parametrize("door", ["Generator.set_state", "set_rng_state"])
def test_a_state_is_refused_as_pytorchs(bad, door):
    def run(lib):
        value = {"float tensor": lambda: lib.zeros(3), "str": lambda: "x", "int list": lambda: [1, 2],
                 "short": lambda: lib.zeros(3, dtype=lib.uint8)}[bad]()
        return _outcome(lambda: lib.Generator().set_state(value) if door == "Generator.set_state"
                        else lib.set_rng_state(value))

    theirs, ours = run(torch), run(minigan)
    assert isinstance(theirs, Exception) and _same(ours, theirs), (ours, theirs)


def _unseeded_runs(lib):
    """Two fresh processes of ``lib``: the type of initial_seed(), whether it is a 64-bit seed, the seed, and whether
    manual_seed(initial_seed()) replays the draws made since."""
    code = ("import {0}, sys; s = {0}.initial_seed(); a = {0}.rand(3).tolist(); {0}.manual_seed(s); "
            "print(type(s).__name__, 0 <= s < 2**64, s, a == {0}.rand(3).tolist())").format(lib)
    return [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout.split()
            for _ in range(2)]


@pytest.mark.parametrize("lib", ["minigan", pytest.param("torch", marks=pytest.mark.parity)])
def test_an_unseeded_process_has_an_initial_seed_that_replays_it(lib):
    """PyTorch seeds its default generator from the OS at start: initial_seed() is that seed, another each process,
    and manual_seed(initial_seed()) replays the draws made since.  (PyTorch's own two fresh processes, the oracle,
    cost ~4 CPU-s of imports: under -m parity, run by CI after the default line.)"""
    runs = _unseeded_runs(lib)
    assert [r[:2] + r[3:] for r in runs] == [["int", "True", "True"]] * 2, (lib, runs)
    assert runs[0][2] != runs[1][2], lib
