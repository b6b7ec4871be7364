"""The random doors against PyTorch (tests/pytorch/sweep.py).  The numbers drawn are minigan's own generator's
(docs/pytorch.md), so what is compared is what a program sees besides them:

* each draw's shape and dtype, or PyTorch's class of refusal (minigan's in one line): normal_, uniform_,
  nn.init.normal_ and normal's four forms, into every dtype, with entries or none, by means and stds ordinary, NaN,
  ±∞, negative, past float32 or NumPy scalars (an empty tensor takes normal_ of any mean: nothing is drawn or
  converted; ``normal(mean, std_tensor)`` fills std's dtype with the mean first, so a mean it cannot hold is
  refused; ``normal`` of two tensors draws in mean's dtype and refuses a std of another kind); which dtypes a kernel
  takes (a uniform draw checks first), which bounds fit randint's dtype, which n fits randperm's, how many samples
  multinomial gives; multinomial's, bernoulli's and normal's bad arguments (minigan's a ValueError too);
* bernoulli's p read as PyTorch's argument parser reads a number (a bool, a 0-d tensor that does not require grad;
  one that does, or of more entries, a TypeError); a draw from p that requires grad is recorded, whatever the
  tensor's dtype (an integer one then refuses what is computed from it), its gradient zero, an empty draw recorded
  without looking at p's shape; histogram refuses a weight of another dtype; round(decimals=) keeps a permuted
  input's layout;
* seeds and generators: manual_seed returns default_generator, a Generator's its own; initial_seed as PyTorch keeps
  it (a negative seed as its 64-bit two's complement); what each door takes or refuses; seed() reseeds; the state a
  1-D uint8 copy of PyTorch's bytes that replays the stream, a bad one refused with PyTorch's class; an unseeded
  process's initial_seed replays it;
* WeightedRandomSampler's frequencies, its draws without replacement, a seeded generator's epoch, a DataLoader's
  sampler, its refusals; var_mean, std_mean, nan_to_num, diff and roll (values and gradients, float64); gumbel_softmax
  (torch-free tests: tests/library/test_sampling.py).
"""

from __future__ import annotations

import itertools
import math
import subprocess
import sys

import numpy as np
import pytest
from library.helpers_sampling import N

import minigan
from pytorch.sweep import close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _one_line(ours, theirs):
    if isinstance(ours, Exception) and "\n" in str(ours):
        return f"a refusal of more than one line: {ours!r}"


def _refused(ours, theirs):
    """PyTorch refuses (the case is one of its refusals), minigan in one line."""
    return "PyTorch runs" if not isinstance(theirs, Exception) else _one_line(ours, theirs)


def _seen(t):
    return tuple(t.shape), str(t.dtype).split(".")[-1]


# ------------------------------------------------------------------------------------- the draws' shapes and dtypes
NUMBERS = [0.0, 1.0, 2, -1.0, 300, 1e40, math.nan, math.inf, -math.inf, np.float32(0.5)]
DTYPES = ["bool", "uint8", "int8", "int64", "float16", "float32", "float64"]
NORMAL_DOORS = {
    "Tensor.normal_": lambda L, x, mean, std, dt: x.normal_(mean, std),
    "Tensor.uniform_": lambda L, x, mean, std, dt: x.uniform_(mean, std),
    "nn.init.normal_": lambda L, x, mean, std, dt: L.nn.init.normal_(x, mean, std),
    "normal(numbers, size)": lambda L, x, mean, std, dt: L.normal(mean, std, size=tuple(x.shape), dtype=dt),
    "normal(tensor, number)": lambda L, x, mean, std, dt: L.normal(x, std),
    "normal(number, tensor)": lambda L, x, mean, std, dt: L.normal(mean, x),
    "normal(tensor, tensor)": lambda L, x, mean, std, dt: L.normal(x, x.abs()),
}


def _normal(L, door, dtype, shape, mean, std):
    dt = getattr(L, dtype)
    return _seen(NORMAL_DOORS[door](L, L.ones(shape, dtype=dt), mean, std, dt))


test_normal_takes_the_numbers_pytorchs_takes = sweep(_normal, [
    (door, dtype, shape, mean, std) for door, dtype, shape in itertools.product(sorted(NORMAL_DOORS), DTYPES,
                                                                                [(2, 3), (0, 3)])
    for mean, std in itertools.product(NUMBERS, NUMBERS)], also=_one_line,
    group=lambda door, dtype, shape, *_: f"{door}-{dtype}-{shape}",
    cover=[lambda door, dtype, shape, *_: door, lambda door, dtype, shape, *_: dtype])
DRAWS = {
    "randn(n)": lambda L, dt, n: L.randn(n, dtype=dt), "rand(n)": lambda L, dt, n: L.rand(n, dtype=dt),
    "randn_like": lambda L, dt, n: L.randn_like(L.zeros(n, dtype=dt)),
    "rand_like": lambda L, dt, n: L.rand_like(L.zeros(n, dtype=dt)),
    "normal(0., 1., (n,))": lambda L, dt, n: L.normal(0.0, 1.0, (n,), dtype=dt),
    "normal(zeros, 1.)": lambda L, dt, n: L.normal(L.zeros(n, dtype=dt), 1.0),
    "normal(1.25, ones)": lambda L, dt, n: L.normal(1.25, L.ones(n, dtype=dt)),
    "normal_()": lambda L, dt, n: L.zeros(n, dtype=dt).normal_(),
    "normal_(0, -1)": lambda L, dt, n: L.zeros(n, dtype=dt).normal_(0, -1),
    "uniform_()": lambda L, dt, n: L.zeros(n, dtype=dt).uniform_(),
    "uniform_(1000., 1.)": lambda L, dt, n: L.zeros(n, dtype=dt).uniform_(1000.0, 1.0),
    "uniform_(0., inf)": lambda L, dt, n: L.zeros(n, dtype=dt).uniform_(0.0, float("inf")),
    "randperm": lambda L, dt, n: L.randperm(n, dtype=dt),
}
DRAW_DTYPES = ["float32", "float64", "int64", "int32", "uint8", "int8", "bool", "float16"]
test_a_draws_dtype_and_size_as_pytorchs = sweep(
    lambda L, draw, dtype, n: _seen(DRAWS[draw](L, getattr(L, dtype), n)),
    [(d, t, n) for d in DRAWS for t in DRAW_DTYPES for n in ([0, 3, 255, 300, 2049, 3000, -1] if d == "randperm"
                                                             else [0, 3])], group=lambda draw, dtype, n: draw)
test_randint_bounds_must_fit_the_dtype = sweep(
    lambda L, low, high, dtype, n: _seen(L.randint(low, high, (n,), dtype=getattr(L, dtype))),
    [(low, high, d, n) for low, high in [(0, 2), (2, 3), (-1, 1), (0, 3), (0, 300), (-1, 2), (-200, 5), (0, 2**40),
                                         (0, 2**30), (0, 2**24 + 1), (0, 2**53 + 1), (5, 5)]
     for d in DRAW_DTYPES for n in (0, 4)], group=lambda low, high, *_: (low, high))
test_multinomial_num_samples_is_pytorchs = sweep(
    lambda L, shape, k, r: _seen(L.multinomial(L.ones(shape), k, replacement=r)),
    list(itertools.product([(3,), (2, 3)], [0, -1, 1, 3, 4, 1.5], [False, True])), group=lambda *_: "all")


def _normal_of_tensors(L, md, sd, shapes, rg):
    """Drawn in mean's dtype: a std of another kind (float into int64, int64 into bool) refused, even with no
    entries; float64 std and float32 mean: float32."""
    mean = L.zeros(*shapes[0], dtype=getattr(L, md)).requires_grad_(rg and md.startswith("float"))
    return _seen(L.normal(mean, L.ones(*shapes[1], dtype=getattr(L, sd))))


test_normal_of_tensors_has_means_dtype = sweep(_normal_of_tensors, list(itertools.product(
    ["float32", "float64", "int64", "bool"], ["float32", "float64", "int64"], [((2,), (2,)), ((0, 3), (0, 3)),
                                                                            ((1, 3), (0, 3))], [False, True])),
    group=lambda *case: case[-1])
SAMPLERS = {
    "multinomial of more than there are": lambda L: L.multinomial(L.tensor([0.5, 0.5]), 3),
    "multinomial of a negative": lambda L: L.multinomial(L.tensor([0.5, -0.1]), 1),
    "multinomial of zeros": lambda L: L.multinomial(L.tensor([0.0, 0.0]), 1),
    "multinomial 3-d": lambda L: L.multinomial(L.tensor([[[0.5]]]), 1),
    "bernoulli past 1": lambda L: L.bernoulli(L.tensor([0.5, 1.5])),
    "normal of a negative std": lambda L: L.normal(L.zeros(2), L.tensor([1.0, -1.0])),
    "multinomial with replacement": lambda L: L.multinomial(L.tensor([0.2, 0.8]), 5, replacement=True),
    "multinomial 2-d": lambda L: L.multinomial(L.tensor([[0.2, 0.8], [1.0, 1.0]]), 2),
    "bernoulli float64": lambda L: L.bernoulli(L.full((2, 3), 0.5, dtype=L.float64)),
    "normal broadcast": lambda L: L.normal(L.zeros(3, 1), L.ones(4)),
    "normal(0, 1, size=)": lambda L: L.normal(0.0, 1.0, size=(2, 5)),
}
test_samplers_shapes_dtypes_and_refusals = sweep(
    lambda L, call: _seen(SAMPLERS[call](L)), list(SAMPLERS),
    also=lambda ours, theirs: isinstance(ours, Exception) and not isinstance(ours, ValueError) and "not a ValueError")


# ----------------------------------------------------------------------- bernoulli's p, histogram's weight, round
P = {"True": lambda L: True, "0-d 1.0": lambda L: L.tensor(1.0), "0-d False": lambda L: L.tensor(False),
     "0-d requiring grad": lambda L: L.tensor(1.0, requires_grad=True), "1-d": lambda L: L.tensor([1.0]),
     "0-d 2.5": lambda L: L.tensor(2.5)}
BERNOULLI = {"bernoulli(x, p)": lambda L, x, p: L.bernoulli(x, p),
             "bernoulli(x, p=p)": lambda L, x, p: L.bernoulli(x, p=p),
             "x.bernoulli(p)": lambda L, x, p: x.bernoulli(p), "x.bernoulli(p=p)": lambda L, x, p: x.bernoulli(p=p)}
test_bernoulli_reads_p_as_pytorchs_parser_does = sweep(  # (p of 0 or 1: the draw is certain)
    lambda L, call, p, dtype: BERNOULLI[call](L, L.zeros(3, dtype=getattr(L, dtype)), P[p](L)),
    list(itertools.product(BERNOULLI, P, ["float64", "int64"])))
test_histogram_refuses_a_weight_of_another_dtype = sweep(
    lambda L, weight: L.histogram(L.tensor([0.5, 1.0, 2.0], dtype=L.float64), 2,
                                  weight=L.ones(3, dtype=getattr(L, weight)))[0],
    ["bool", "float32", "int64", "float64"])


@pytest.mark.parametrize("decimals", [0, 1, -1])
def test_round_lays_out_its_result_as_its_input(decimals):
    x = np.linspace(-3.0, 3.0, 24).reshape(2, 3, 4)
    for L in (minigan, torch):
        y = L.round(L.tensor(x).permute(2, 0, 1), decimals=decimals)
        flat = y.flatten()
        shares = np.shares_memory(y.numpy(), flat.numpy()) if L is minigan else \
            y.untyped_storage().data_ptr() == flat.untyped_storage().data_ptr()
        assert not shares, f"{L.__name__}: the result of a permuted view is laid out as the view (flatten copies)"


def _bernoulli_into(L, dtype, shape, use):
    """x.bernoulli_(p) with p requiring grad, then a use of x (PyTorch records it as fill_ of such a value:
    BernoulliBackward1; what is computed from an integer x then refuses, "Autograd not support dtype")."""
    x, p = L.zeros(shape, dtype=getattr(L, dtype)), L.tensor([0.5], dtype=L.float64, requires_grad=True)
    x.bernoulli_(p)
    return {"requires_grad": lambda: x.requires_grad, "sum": lambda: x.sum().requires_grad,
            "float": lambda: x.double().requires_grad,
            "backward through float": lambda: L.autograd.grad(x.double().sum(), p, allow_unused=True)[0]}[use]()


test_bernoulli_records_a_draw_from_p_into_any_dtype = sweep(_bernoulli_into, list(itertools.product(
    ["float64", "float32", "int64", "int32", "uint8", "bool"], [(0, 3), (3,), (2, 3)],
    ["requires_grad", "sum", "float", "backward through float"])))


def _recorded(L, shape, p_shape, how, p_grad, self_grad):
    """What a draw records: requires_grad, a grad_fn or none and the shape, of the result and of x; the gradients of
    its sum (zeros: a draw has no derivative)."""
    if how == "bernoulli(p)" and 0 in shape:
        shape = p_shape = (0, 3)
    p = L.full(p_shape, 0.5, dtype=L.float64, requires_grad=p_grad)
    base = L.zeros(shape, dtype=L.float64, requires_grad=self_grad)
    x = base.clone() if self_grad else base
    out = {"tensor p": lambda: x.bernoulli_(p), "keyword p": lambda: x.bernoulli_(p=p),
           "number p": lambda: x.bernoulli_(0.5),
           "bernoulli(p)": lambda: L.bernoulli(p.expand(shape) if shape != p_shape and 0 not in shape else p)}[how]()
    seen = [(t.requires_grad, t.grad_fn is None, tuple(t.shape)) for t in (out, x)]
    leaves = [t for t in (p, base) if t.requires_grad]
    return seen, out.requires_grad and L.autograd.grad(out.sum(), leaves, allow_unused=True)


test_a_draws_requires_grad_and_gradients_are_pytorchs = sweep(_recorded, [
    (shape, p_shape, how, p_grad, self_grad)
    for shape, p_shape in [((0, 3), (3, 1)), ((0, 3), (4,)), ((0,), ()), ((2, 3), (3,)), ((2, 3), (2, 3)), ((3,), ())]
    for how in ["tensor p", "keyword p", "number p", "bernoulli(p)"]
    for p_grad, self_grad in [(True, False), (False, True), (True, True), (False, False)]])


# ---------------------------------------------------------------------------------------- seeds and generators
SEEDS = [0, 1, 7, 123456789, 2**32, 2**63 - 1, 2**63, 2**64 - 1, -1, -5, -2**63, 67280421310721]
BAD_SEEDS = [2**64, -2**63 - 1, 2**70, 1.5, -0.5, "3", "x", None, True, False, [1], 3.0, float("nan"), float("inf")]


def _seeded(L, door, seed):
    """What a seeding door returns and keeps (manual_seed reads its argument with int() first; a Generator's takes
    integers only)."""
    if door == "manual_seed":
        g = L.manual_seed(seed)
        return type(g) is L.Generator, g is L.default_generator, L.initial_seed(), g.initial_seed()
    g = L.Generator() if door == "Generator.manual_seed" else L.default_generator
    return g.manual_seed(seed) is g, type(g) is L.Generator, g.initial_seed()


test_a_seed_is_taken_or_refused_as_pytorchs = sweep(_seeded, list(itertools.product(
    ["manual_seed", "Generator.manual_seed", "default_generator.manual_seed"], SEEDS + BAD_SEEDS)), also=_one_line)


def _reseeded(L, which):
    g = L.Generator() if which == "Generator" else L.default_generator
    s = g.seed() if which == "Generator" else L.seed()
    seen = [type(s) is int, 0 <= s < 2**64, g.initial_seed() == s, which == "Generator" or L.initial_seed() == s]
    return [*seen, (g.seed() if which == "Generator" else L.seed()) != s]


test_seed_reseeds_and_returns_the_new_seed = sweep(_reseeded, ["Generator", "default"])
GENERATORS = {"own": lambda L: L.Generator().manual_seed(11), "default": lambda L: L.manual_seed(11)}


def _round_trip(L, seed, which):
    g = L.Generator().manual_seed(seed) if which == "Generator" else L.manual_seed(seed)
    state = L.get_rng_state() if which == "rng_state" else g.get_state()
    kw = {"generator": g} if which == "Generator" else {}
    first = [L.rand(4, **kw).tolist(), L.randint(0, 100, (3,), **kw).tolist()]
    back = L.set_rng_state(state) if which == "rng_state" else g.set_state(state) is g
    again = [L.rand(4, **kw).tolist(), L.randint(0, 100, (3,), **kw).tolist()] == first
    return _seen(state), state.dim(), back, again, g.get_state().tolist() != state.tolist()  # (draws moved it)


test_state_round_trips = sweep(_round_trip, list(itertools.product(SEEDS[:6], ["Generator", "default", "rng_state"])))


def _copied(L, which):
    """The state is a 1-D uint8 copy (PyTorch's ByteTensor, 5056 bytes): writing it leaves the generator alone."""
    g = GENERATORS[which](L)
    state, again = g.get_state(), g.get_state()
    seen = [isinstance(state, L.Tensor), _seen(state), state.requires_grad, state.is_leaf, again is not state,
            L.equal(again, state)]
    state.zero_()
    return [*seen, L.equal(g.get_state(), again)]


test_the_state_is_a_byte_tensor_copy = sweep(_copied, ["own", "default"])


def _pytorchs_bytes(L, which, odd):
    g = GENERATORS[which](L)
    if odd:  # (a normal kept for the next draw, after three doubles by pairs)
        L.randn(3, dtype=L.float64, generator=g if which == "own" else None)
    L.rand(5, generator=g if which == "own" else None)
    return g.get_state()


test_the_state_is_pytorchs_bytes = sweep(_pytorchs_bytes, list(itertools.product(["own", "default"], [False, True])))
REPLAYED = {"randn": lambda L, g, n: L.randn(n, generator=g),
            "rand": lambda L, g, n: L.rand(n, dtype=L.float64, generator=g),
            "randint": lambda L, g, n: L.randint(0, 1000, (n,), generator=g),
            "randperm": lambda L, g, n: L.randperm(n + 3, generator=g)}


@pytest.mark.parametrize("which, odd, draw", list(itertools.product(["own", "default"], [False, True],
                                                                    sorted(REPLAYED))))
def test_set_state_replays_the_stream(which, odd, draw):
    g = GENERATORS[which](minigan)
    gen = g if which == "own" else None
    if odd:
        minigan.randn(3, dtype=minigan.float64, generator=gen)
    state = g.get_state()
    first = [REPLAYED[draw](minigan, gen, n) for n in (1, 5, 2)]
    assert g.set_state(state) is g
    assert all(minigan.equal(a, b) for a, b in zip(first, [REPLAYED[draw](minigan, gen, n) for n in (1, 5, 2)]))


def _bad_state(L, bad, door):
    good = L.Generator().get_state()
    value = {"dict": lambda: {"state": 1}, "list": lambda: [1, 2, 3], "none": lambda: None,
             "float": lambda: good.float(), "int64": lambda: good.long(), "short": lambda: good[:5].clone(),
             "long": lambda: L.cat([good, good]), "float tensor": lambda: L.zeros(3), "str": lambda: "x",
             "short uint8": lambda: L.zeros(3, dtype=L.uint8)}[bad]()
    return {"own": lambda: GENERATORS["own"](L).set_state(value),
            "default": lambda: GENERATORS["default"](L).set_state(value),
            "set_rng_state": lambda: L.set_rng_state(value)}[door]()


test_a_bad_state_raises_pytorchs_class = sweep(_bad_state, [
    *itertools.product(["dict", "list", "none", "float", "int64", "short", "long"], ["own", "default"]),
    *itertools.product(["float tensor", "str", "short uint8", "list"], ["own", "set_rng_state"])], also=_refused)


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
    cost ~4 CPU-s of imports: under -m parity.)"""
    runs = _unseeded_runs(lib)
    assert [r[:2] + r[3:] for r in runs] == [["int", "True", "True"]] * 2, (lib, runs)
    assert runs[0][2] != runs[1][2], lib


# ------------------------------------------------------------------------------------------ WeightedRandomSampler
@pytest.mark.parametrize("weights", [[1.0, 2.0, 3.0, 4.0], [0.0, 5.0, 0.0, 1.0, 4.0], [0.1] * 3 + [0.7]])
def test_weighted_sampler_frequencies_follow_the_weights(weights):
    n, p = 20_000, np.asarray(weights) / np.sum(weights)
    for L in (minigan, torch):
        L.manual_seed(0)
        counts = np.bincount(list(L.utils.data.WeightedRandomSampler(weights, n)), minlength=len(weights))
        assert counts[p == 0].sum() == 0
        # 5 standard deviations of a binomial count: a wrong distribution (uniform, or a shifted index) fails
        assert np.all(np.abs(counts - n * p) <= 5 * np.sqrt(n * p * (1 - p)) + 1e-9), (L.__name__, counts, n * p)


def test_weighted_sampler_without_replacement_with_a_generator_and_in_a_dataloader():
    from minigan.utils.data import DataLoader, TensorDataset, WeightedRandomSampler
    weights = minigan.tensor([1.0, 1.0, 5.0, 0.5, 2.0], dtype=minigan.float32)
    for _ in range(20):
        assert sorted(WeightedRandomSampler(weights, 5, replacement=False)) == [0, 1, 2, 3, 4]
    s = WeightedRandomSampler(weights, 7, generator=minigan.Generator().manual_seed(3))
    again = WeightedRandomSampler(weights, 7, generator=minigan.Generator().manual_seed(3))
    assert list(s) == list(again) and len(s) == 7 and s.weights.dtype == minigan.float64
    loader = DataLoader(TensorDataset(minigan.arange(6.0)), batch_size=4,
                        sampler=WeightedRandomSampler([0, 0, 1, 0, 0, 0], 8))
    assert [b[0].tolist() for b in loader] == [[2.0] * 4, [2.0] * 4]


test_weighted_sampler_refuses_as_pytorch = sweep(
    lambda L, *args: list(L.utils.data.WeightedRandomSampler(*args)),
    [([[1.0, 2.0]], 3), ([1.0, 2.0], 0), ([1.0, 2.0], True), ([1.0, 2.0], 2.0), ([1.0, 2.0], 3, 1), ([1.0, -1.0], 2),
     ([0.0, 0.0], 2), ([1.0, 2.0], 3, False)], ids=lambda *args: repr(args), also=_refused)


# ------------------------------------------------------------------------------------------- small compositions
X = np.array([[1.0, np.nan, np.inf, 2.0], [-np.inf, 2.0, 3.0, -1.5], [0.5, 4.0, -2.0, 1.0]])
COMPOSITIONS = {
    "nan_to_num": lambda L, x: L.nan_to_num(x),
    "nan_to_num_args": lambda L, x: x.nan_to_num(0.5, posinf=9.0, neginf=-9.0),
    "nan_to_num_": lambda L, x: (x * 1.0).nan_to_num_(1.5),
    "diff": lambda L, x: L.diff(L.nan_to_num(x)), "diff_n2_dim0": lambda L, x: L.nan_to_num(x).diff(n=2, dim=0),
    "roll": lambda L, x: L.roll(L.nan_to_num(x), 1, 1), "roll_many": lambda L, x: L.nan_to_num(x).roll((2, -1), (0, 1)),
    "roll_flat": lambda L, x: L.roll(L.nan_to_num(x), 5),
    "var_mean": lambda L, x: L.var_mean(L.nan_to_num(x, 0.0, 1.0, -1.0), 1),
    "std_mean": lambda L, x: L.std_mean(L.nan_to_num(x, 0.0, 1.0, -1.0), dim=0, correction=0),
}


def _composed(L, name):
    """The values and x's gradient of Σ w·out (the largest float64 times a weight: ∞, in both)."""
    x = L.tensor(X, requires_grad=True)
    out = COMPOSITIONS[name](L, x)
    outs = out if isinstance(out, tuple) else (out,)
    sum((o * L.tensor(np.arange(o.numel(), dtype=np.float64).reshape(tuple(o.shape)))).sum() for o in outs).backward()
    return [close(o.detach(), 1e-12, 1e-12) for o in outs], close(x.grad, 1e-12, 1e-12)


test_compositions_match_pytorch = sweep(_composed, list(COMPOSITIONS))


def test_gumbel_softmax_samples_the_categorical_and_passes_the_soft_gradient():
    """Hard samples are one-hot at the frequencies softmax(logits) gives; their gradient is the soft sample's (the
    straight-through estimator, as PyTorch's): checked by replaying the soft sample with the same noise."""
    F = minigan.nn.functional
    probabilities = np.array([0.1, 0.6, 0.3])
    minigan.manual_seed(3)
    logits = minigan.tensor(np.log(np.tile(probabilities, (N, 1))), dtype=minigan.float32, requires_grad=True)
    hard = F.gumbel_softmax(logits, tau=0.5, hard=True)
    assert set(np.unique(hard.detach().numpy())) == {0.0, 1.0} and (hard.detach().numpy().sum(axis=1) == 1).all()
    np.testing.assert_allclose(hard.detach().numpy().mean(axis=0), probabilities, atol=4 * np.sqrt(0.25 / N))
    weights = minigan.tensor([1.0, 2.0, 3.0])
    (hard * weights).sum().backward()
    minigan.manual_seed(3)
    again = minigan.tensor(logits.detach().numpy(), requires_grad=True)
    (F.gumbel_softmax(again, tau=0.5) * weights).sum().backward()  # the same noise: the soft sample's gradient
    np.testing.assert_allclose(logits.grad.detach().numpy(), again.grad.detach().numpy(), rtol=1e-6)
    soft = F.gumbel_softmax(minigan.tensor([[0.0, 1.0, 2.0]]), tau=2.0)
    assert 0 < float(soft.min()) and float(soft.sum()) == pytest.approx(1.0)
    shape = tuple(torch.nn.functional.gumbel_softmax(torch.zeros(4, 3), dim=0).shape)
    assert tuple(F.gumbel_softmax(minigan.zeros(4, 3), dim=0).shape) == shape
    zero_tau = (torch.nn.functional.gumbel_softmax(torch.zeros(2), tau=0), F.gumbel_softmax(minigan.zeros(2), tau=0))
    assert [np.isnan(t.numpy()).tolist() for t in zero_tau] == [[True, True]] * 2  # (no check on tau, as PyTorch's)
