"""The parity sweeps' harness (tests/pytorch/sweep.py) tells a difference from agreement: a refusal of another
built-in class, a run where PyTorch refuses, a dtype, a shape, a value, a sign of zero, a tolerance overstepped."""

import numpy as np
import pytest

import minigan
from pytorch.sweep import bits, check, close, near, outcome, same, sweep, to_second_order

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def t(lib, values, dtype="float64"):
    return lib.tensor(values, dtype=getattr(lib, dtype))


def test_agreement_is_none():
    assert same(t(minigan, [1.0, np.nan, -0.0]), t(torch, [1.0, np.nan, 0.0])) is None
    assert same([t(minigan, [1.0]), "Mul", None], [t(torch, [1.0]), "Mul", None]) is None
    assert same(ValueError("x"), ValueError("y")) is None
    assert same(close(t(minigan, [1.0 + 1e-9]), 1e-6), close(t(torch, [1.0]), 1e-6)) is None
    assert same(bits(t(minigan, [-0.0, np.nan])), bits(t(torch, [-0.0, -np.nan]))) is None
    exact = t(torch, [1.0, 2.0])  # (PyTorch's 1e-3 off; minigan's 1.5e-3: nearer than twice)
    ours, theirs = t(minigan, [1.0015, 2.0 - 1.5e-3]), t(torch, [1.001, 2.0 + 1e-3])
    assert same(near(ours, exact, 1e-6), near(theirs, exact, 1e-6)) is None
    assert same(near(t(minigan, [1.0]), lambda: 1 / 0, 1e-6), near(t(torch, [1.0]), exact, 1e-6)) is None  # (lazily)


@pytest.mark.parametrize("ours, theirs", [
    (lambda L: t(L, [1.0], "float32"), lambda L: t(L, [1.0])),  # a dtype
    (lambda L: t(L, [[1.0]]), lambda L: t(L, [1.0])),  # a shape
    (lambda L: t(L, [1.0 + 1e-12]), lambda L: t(L, [1.0])),  # a value, compared exactly
    (lambda L: t(L, [np.nan]), lambda L: t(L, [1.0])),  # a NaN where PyTorch's is a number
    (lambda L: close(t(L, [1.1]), 1e-3), lambda L: close(t(L, [1.0]), 1e-3)),  # past the tolerance
    (lambda L: bits(t(L, [0.0])), lambda L: bits(t(L, [-0.0]))),  # a zero's sign
    (lambda L: near(t(L, [1.003]), t(torch, [1.0]), 1e-6), lambda L: near(t(L, [1.001]), t(torch, [1.0]), 1e-6)),
    # (farther from the exact answer than twice PyTorch's distance)
    (lambda L: near(t(L, [1.0], "float32"), t(torch, [1.0]), 1e-6), lambda L: near(t(L, [1.0]), t(torch, [1.0]),
                                                                                   1e-6)),  # a dtype, near or not
    (lambda L: TypeError("x"), lambda L: ValueError("x")),  # another built-in class
    (lambda L: t(L, [1.0]), lambda L: RuntimeError("x")),  # a run where PyTorch refuses
    (lambda L: RuntimeError("x"), lambda L: t(L, [1.0])),  # a refusal where PyTorch runs
    (lambda L: [t(L, [1.0]), None], lambda L: [t(L, [1.0]), t(L, [0.0])]),  # a gradient missing
    (lambda L: "Add", lambda L: "Mul"),  # anything else, by ==
])
def test_a_difference_is_named(ours, theirs):
    assert same(ours(minigan), theirs(torch), where="here").startswith("here")


def test_outcome_gives_the_exception():
    assert isinstance(outcome(lambda: minigan.tensor([1.0]).view(5)), RuntimeError)
    assert outcome(lambda x: x + 1, 1) == 2


def test_a_sweeps_own_check_is_run_after_the_comparison():
    def call(lib, x):
        return lib.tensor([x])
    check(call, [(1.0,), (2.0,)], also=lambda ours, theirs: None)
    with pytest.raises(AssertionError, match="2 of 2 differ"):
        check(call, [(1.0,), (2.0,)], also=lambda ours, theirs: "a message of the sweep's own")
    with pytest.raises(AssertionError, match="1 of 1 differ"):
        check(lambda lib: lib.tensor([1.0], dtype=lib.float32 if lib is minigan else lib.float64), [()])


def test_a_call_that_fails_before_reaching_minigan_is_no_agreement():
    def written_wrong(lib, x):
        return lib.tensor([x]).reshape(*undefined)  # noqa: F821  (the sweep's own mistake, alike in both)
    with pytest.raises(AssertionError, match="fails before it reaches minigan"):
        check(written_wrong, [(1.0,)])
    check(lambda lib: lib.tensor([1.0]).view(5), [()])  # (a refusal of minigan's own: agrees with PyTorch's)


def test_a_group_keeps_its_cases_marks():
    test = sweep(lambda L, x: L.tensor([x]), [pytest.param(1.0, marks=pytest.mark.xfail), 2.0, 3.0],
                 group=lambda x: "first" if x == 1.0 else "rest")
    marks = {p.id: [m.name for m in p.marks] for p in test.pytestmark[0].args[1]}
    assert marks == {"first": ["xfail"], "rest": []}, marks


def test_bits_where_an_intermediate_agrees():
    s_ours, s_theirs = t(minigan, [0.5, 0.25, 0.75]), t(torch, [0.5, 0.25, 0.7500001])  # (the last: rounded apart)
    assert same(bits(t(minigan, [1.0, 2.0, 9.0]), s_ours), bits(t(torch, [1.0, 2.0, 3.0]), s_theirs)) is None
    assert same(bits(t(minigan, [1.0, 2.5, 9.0]), s_ours), bits(t(torch, [1.0, 2.0, 3.0]), s_theirs), "here")
    assert "only 33%" in same(bits(t(minigan, [1.0, 2.0, 3.0]), t(minigan, [0.5, 0.2, 0.7])),
                              bits(t(torch, [1.0, 2.0, 3.0]), s_theirs), "here")


def test_to_second_order_compares_values_gradients_and_one_line_refusals():
    check(lambda L: to_second_order(L, lambda L, x: (x * x).sin(), [np.array([1.0, 2.0])], ["float64"]), [()])
    with pytest.raises(AssertionError, match="1 of 1 differ"):  # (a second derivative that differs)
        check(lambda L: to_second_order(L, lambda L, x: x ** 3 if L is minigan else x ** 3 + x * x * 1e-3,
                                        [np.array([1.0, 2.0])], ["float64"]), [()])
    with pytest.raises(RuntimeError):  # (a refusal is raised on, for check to compare by class)
        to_second_order(minigan, lambda L, x: L.tensor([1.0]).view(5), [np.ones(2)], ["float64"])
    multi_line = to_second_order(minigan, lambda L, x: (_ for _ in ()).throw(ValueError("two\nlines")),
                                 [np.ones(2)], ["float64"])
    assert multi_line.startswith("a refusal of more than one line"), multi_line
