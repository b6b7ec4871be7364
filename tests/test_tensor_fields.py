"""Every field of a tensor is declared in ``Tensor._setup``, and only there: ``Tensor._result``, which makes every op's
result, makes it with ``_make`` and so with ``_setup``."""

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


def test_setup_declares_every_field_and_an_ops_result_sets_none_by_hand():
    declared = _assigned(Tensor._setup, "self")
    assert set(declared) | {"__weakref__"} == set(Tensor.__slots__)
    assert _assigned(Tensor._result, "t") == []


def test_a_result_and_a_made_tensor_hold_the_same_defaults():
    x = minigan.ones(3, requires_grad=True)
    made, result = Tensor._make(x.array), x.detach() + 1.0
    for field in _assigned(Tensor._setup, "self"):
        if field != "array":
            assert getattr(made, field) == getattr(result, field), field
