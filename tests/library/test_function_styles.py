"""``autograd.Function`` with several outputs, without PyTorch: a retained output, a hook and a second backward behave
as for any op, and an output changed in place after being saved is refused at backward.

(Its comparisons with PyTorch: tests/pytorch/test_function_styles.py.)"""

import pytest

import minigan
from library.helpers_function_styles import VALUES, cube_and_slope, powers
from minigan.engine.errors import GraphError


def test_a_retained_output_hook_and_a_second_backward_behave_as_for_any_op():
    x = minigan.tensor(VALUES, dtype="float64", requires_grad=True)
    a, b, _, c = powers(minigan, []).apply(x, "label", minigan.tensor(1.5, dtype="float64"))
    a.retain_grad()
    seen = []
    b.register_hook(lambda g: seen.append(g.tolist()))
    (a * 3).sum().backward(retain_graph=True)
    assert a.grad.tolist() == [3.0, 3.0, 3.0] and seen == []
    b.sum().backward()  # the graph is freed now: the other output cannot go through it again
    assert seen == [[1.0, 1.0, 1.0]]
    with pytest.raises(GraphError, match="second time"):
        c.sum().backward()


def test_an_output_changed_in_place_after_being_saved_is_refused():
    x = minigan.tensor(VALUES, dtype="float64", requires_grad=True)
    y, dy = cube_and_slope(minigan).apply(x)
    with minigan.no_grad():
        dy.mul_(2)
    with pytest.raises(GraphError, match="saved its output"):
        y.sum().backward()
