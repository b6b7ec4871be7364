"""Every field of a tensor is declared in ``Tensor._setup``; ``Tensor._make``, which makes every op's result, sets the
same fields itself (a call of ``_setup`` showed in the op_overhead benchmark).  This keeps the two lists one list."""

import ast
import inspect
import textwrap

import minigan
from minigan.engine.tensor import Tensor


def _assigned(function, name):
    """The attributes of ``name`` that ``function`` assigns, in order, before its first ``if`` after them."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    fields = []
    for node in tree.body[0].body:
        if isinstance(node, ast.If) and fields:
            break
        for target in getattr(node, "targets", []):
            for t in target.elts if isinstance(target, ast.Tuple) else [target]:
                if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == name:
                    fields.append(t.attr)
    return fields


def test_an_ops_result_gets_every_field_setup_declares_in_its_order():
    declared = _assigned(Tensor._setup, "self")
    assert declared == _assigned(Tensor._make, "t")
    assert set(declared) | {"__weakref__"} == set(Tensor.__slots__)


def test_a_result_and_a_made_tensor_hold_the_same_defaults():
    x = minigan.ones(3, requires_grad=True)
    made, result = Tensor._make(x.array), x.detach() + 1.0
    for field in _assigned(Tensor._setup, "self"):
        if field != "array":
            assert getattr(made, field) == getattr(result, field), field
