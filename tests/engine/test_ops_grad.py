"""Random expression graphs (hypothesis: shapes with broadcasting and size-1 axes, nodes reused so gradients
accumulate, values away from kinks) against central finite differences (minigan.gradcheck, float64), on each backend.

(Its comparisons with PyTorch: tests/pytorch/test_ops_grad.py.)"""

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

import minigan
import minigan.functional as F
from engine.helpers_ops_grad import leaves, values

# ----------------------------------------------------------------------------- random compositions
UNARY_SAFE = ["neg", "exp_small", "tanh", "sigmoid", "square", "softplus", "log_pos", "sqrt_pos", "sum_keep"]


def _apply(name, t):
    return {
        "neg": lambda: -t,
        "exp_small": lambda: (t * 0.3).exp(),
        "tanh": lambda: t.tanh(),
        "sigmoid": lambda: t.sigmoid(),
        "square": lambda: t * t,
        "softplus": lambda: F.softplus(t),
        "log_pos": lambda: (t * t + 1.0).log(),
        "sqrt_pos": lambda: (t * t + 0.5).sqrt(),
        "sum_keep": lambda: t.sum(axis=-1, keepdims=True) + t if t.ndim else t,
    }[name]()


def _binary(op, a, b):
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    return a / (b * b + 1.0)  # a denominator that never reaches zero


@settings(max_examples=60)
@given(data=st.data(), shape=array_shapes(min_dims=1, max_dims=2, max_side=3))
def test_random_expression_graphs(xp_backend, data, shape):
    """Small random DAGs: nodes reuse earlier nodes (so gradients must accumulate), mixing
    unary ops with broadcasting binary ops, all checked against finite differences."""
    n_inputs = data.draw(st.integers(1, 3))
    arrs = [data.draw(values(shape, -1.5, 1.5)) for _ in range(n_inputs)]
    program = []
    for step in range(data.draw(st.integers(1, 7))):
        if data.draw(st.booleans()):
            node = data.draw(st.integers(0, n_inputs + step - 1))
            program.append(("u", data.draw(st.sampled_from(UNARY_SAFE)), node))
        else:
            op = data.draw(st.sampled_from(["+", "-", "*", "/"]))
            program.append(("b", op, data.draw(st.integers(0, n_inputs + step - 1)),
                            data.draw(st.integers(0, n_inputs + step - 1))))

    def fn(*ts):
        nodes = list(ts)
        for instr in program:
            if instr[0] == "u":
                nodes.append(_apply(instr[1], nodes[instr[2]]))
            else:
                nodes.append(_binary(instr[1], nodes[instr[2]], nodes[instr[3]]))
        return nodes[-1]

    inputs = leaves(*arrs)
    assert minigan.gradcheck(fn, inputs, atol=1e-5, rtol=1e-3)
