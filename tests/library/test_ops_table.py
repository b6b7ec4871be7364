"""docs/pytorch.md's op table is minigan/surface/ops.py's rows, as ``ops.markdown()`` writes them."""

import importlib
import pkgutil
import re
from pathlib import Path

import minigan

DOC = Path(__file__).resolve().parents[2] / "docs" / "pytorch.md"


def test_the_op_table_in_the_docs_is_the_rows():
    minigan.tensor  # noqa: B018  (the surface, and with it the table)
    from minigan.surface import ops
    found = re.search(r"<!-- op table:[^\n]*-->\n(.*?)<!-- end of op table -->", DOC.read_text(), re.S)
    assert found, "docs/pytorch.md has no op table between its markers"
    assert found.group(1) == ops.markdown(), "regenerate docs/pytorch.md's op table from minigan.surface.ops.markdown()"


def test_every_row_is_in_the_table():
    from minigan.surface import ops
    table = ops.markdown()
    assert all(f".{r.node.__name__}` |" in table for r in ops.ROWS) and table.count("\n") == len(ops.ROWS) + 2


# The rows without calls: nodes that only other ops record, inside their forward or their backward (or, ToDevice,
# only between two devices), each with where it comes from
RECORDED_BY_OTHER_OPS = {
    "RefusingClampBy": "clamp with two tensor bounds whose gradient PyTorch's formula cannot compute",
    "SigmoidBackward": "sigmoid's backward, under create_graph",
    "Softplus": "F.mish's backward, under create_graph (x.softplus() too, a method PyTorch's Tensor has not)",
    "Step": "relu's and the pieces' backward, under create_graph",
    "Select": "the backward of ops that pass a gradient where a mask says, under create_graph",
    "Prod": "factors.Prod: surface/reductions.py's Prod, which prod() records, keeps its backward",
    "IndexAdd": "x[i]'s backward, under create_graph",
    "ExpandedCopySlices": "an in-place write into an expanded view",
    "ToDevice": "x.to(device) between two devices",
    "Conv2dWeight": "the convolutions' backward, under create_graph",
    "Unpool2d": "the pools' backward, under create_graph",
    "_SoftplusBackward": "F.softplus's backward, under create_graph",
    "_GELUSlope": "F.gelu's backward, under create_graph",
    "_GELUTanhSlope": "F.gelu(approximate='tanh')'s backward, under create_graph",
    "_LogSigmoidBackward": "F.logsigmoid's backward, under create_graph",
    "_PReLUGradInput": "F.prelu's backward (the input's gradient), under create_graph",
    "_PReLUGradWeight": "F.prelu's backward (the weight's gradient), under create_graph",
    "ELUBackward": "the elu family's backward, under create_graph",
    "SvdU": "the SVD's backward (matrix_norm 'nuc', 2, -2), under create_graph",
    "SvdVh": "the SVD's backward (matrix_norm 'nuc', 2, -2), under create_graph",
    "_BCEGrad": "binary_cross_entropy's backward, under create_graph",
    "_HuberBackward": "huber_loss's and smooth_l1_loss's backward, under create_graph",
    "_SoftMarginBackward": "soft_margin_loss's backward, under create_graph",
}


def _probe_space():
    """Small float64 tensors that require grad and are not leaves (so in-place calls run): the names of ``calls``."""
    def made(*shape):
        return ((minigan.rand(*shape, dtype=minigan.float64) + 0.5).requires_grad_() * 1)
    return {"minigan": minigan, "F": minigan.nn.functional, "x": made(2, 3), "y": made(2, 3), "v": made(3),
            "w": made(3, 2), "img": made(2, 2, 4, 4), "k": made(2, 2, 3, 3),
            "p": minigan.rand(2, 3, dtype=minigan.float64), "i": minigan.tensor([1, 0])}


def _recorded(call: str) -> set:
    """The node classes ``call`` records: those reachable from what it returns (or, for an assignment, from x
    after it), less those that were there before."""
    space = _probe_space()
    before = {id(t._ctx) for t in space.values() if isinstance(t, minigan.Tensor) and t._ctx is not None}
    if "=" in call.replace("==", "").replace("<=", "").replace(">=", "").replace("!=", "").split("(")[0]:
        exec(call, space)  # (x += y, x[0] = v: a statement, whose effect is on x)
        out = space["x"]
    else:
        out = eval(call, space)
    found, stack, seen = set(), [out._ctx], set()
    while stack:
        node = stack.pop()
        if node is None or not hasattr(node, "edges") or id(node) in seen or id(node) in before:
            continue
        seen.add(id(node))
        found.add(type(node))
        stack.extend(e for e in node.edges if e is not None and hasattr(e, "edges"))
    return found


def _key(node) -> tuple:
    """A node class's module and name: a row's node, or ops.Above's name of one defined above the surface."""
    return node.__module__, node.__name__


def test_each_rows_calls_record_its_node():
    from minigan.surface import ops
    wrong = {(r.node.__name__, call): sorted(t.__name__ for t in _recorded(call))
             for r in ops.ROWS for call in r.calls if _key(r.node) not in map(_key, _recorded(call))}
    assert not wrong, f"these calls do not record their row's node (what they record instead): {wrong}"


def test_each_rows_calls_show_its_name():
    """A call whose result is the row's node shows the row's name (grad_fn, by_call or the class name + Backward0;
    none of these where only its doors name it), or one of the names its doors give (``shown``): no door names a
    row's node otherwise."""
    from minigan.surface import node_view, ops
    wrong = {}
    for r in ops.ROWS:
        for call in r.calls:
            out = eval(call, _probe_space()) if "=" not in call.split("(")[0] else None
            node = getattr(out, "grad_fn", None)
            if node is None or _key(type(node)) != _key(r.node):
                continue
            own = r.by_call(node) if r.by_call else r.grad_fn(node) if callable(r.grad_fn) else r.grad_fn
            names = set(r.shown) | ({own or f"{r.node.__name__}Backward0"} if own or not r.shown else set())
            if node_view.name(node) not in names:
                wrong[call] = (node_view.name(node), sorted(names))
    assert not wrong, f"these calls show another name than their row's (shown, the row's): {wrong}"


def test_a_row_without_calls_is_a_node_other_ops_record():
    from minigan.surface import ops
    without = {r.node.__name__ for r in ops.ROWS if not r.calls}
    assert without == set(RECORDED_BY_OTHER_OPS), (sorted(without - set(RECORDED_BY_OTHER_OPS)),
                                                   sorted(set(RECORDED_BY_OTHER_OPS) - without))


# The Node subclasses that are no op of their own, so have no row: the graph's bookkeeping, autograd.Function's nodes,
# refusals and bases, each with what it is
NOT_OPS = {
    "AccumulateGrad": "node_view: a leaf's entry in next_functions (the walk keeps the leaf itself as the edge)",
    "TBackward": "node_view: the W.t() entry next_functions shows under a 2-d linear, recorded by nothing",
    "FunctionNode": "autograd.Function: the base of its nodes",
    "BackwardFunction": "autograd.Function: the node of a user's Function, named after it",
    "OutputNode": "autograd.Function: one output of a Function with several, handing its gradient to the Function's",
    "_FusedDerivative": "functional/activation.py: the base of the GELU, SiLU and Mish nodes, recorded as those",
    "_Factor": "surface/svd.py: the base of SvdU, SvdVals and SvdVh, recorded as those",
    "NoDerivative": "surface/no_derivative.py: the result of an op with no derivative, named by that op",
    "OnceDifferentiable": "surface/no_derivative.py: after an op PyTorch differentiates once, named by that op",
    "InMemoryOrder": "surface/layout.py: an op's result copied into PyTorch's layout, named by that op",
    "_ReadBy": "surface/reading.py: a step PyTorch's graph has not, which next_functions sees through",
    "_ReadFrom": "surface/reading.py: a gradient as read from what PyTorch's backward formula reads too (a step of "
                 "a backward under create_graph that PyTorch's graph has not)",
    "RefusedAtBackward": "functional/loss_doors.py: a refusal, the identity on a loss whose backward PyTorch refuses",
    "RefusedAtSecondOrder": "functional/loss_doors.py: a refusal, the identity whose second order PyTorch refuses",
    "_NoInPlaceBackward": "functional/activation.py: a refusal, an in-place elu_/celu_/leaky_relu_ with a negative "
                          "slope, which has no backward",
}


def _every_node_class() -> set:
    """Every Node subclass minigan defines, in any of its modules (each imported first)."""
    from minigan.engine.graph import Node
    for module in pkgutil.walk_packages(minigan.__path__, "minigan."):
        importlib.import_module(module.name)
    found, stack = set(), [Node]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub.__module__.startswith("minigan.") and sub not in found:  # (not the tests' own nodes)
                found.add(sub)
                stack.append(sub)
    return found


def test_every_node_minigan_defines_is_a_row_or_declared_no_op():
    from minigan.surface import ops
    rows = {_key(r.node) for r in ops.ROWS}
    classes = {c for c in _every_node_class() if _key(c) not in rows}
    loose = sorted(f"{c.__module__}.{c.__name__}" for c in classes if c.__name__ not in NOT_OPS)
    assert not loose, (f"{len(loose)} Node classes have no row: give each a row in minigan/surface/ops.py (its calls, "
                       f"its grad_fn name), or, if it is no op (bookkeeping, a refusal, a base), add it to NOT_OPS in "
                       f"tests/library/test_ops_table.py with what it is: {loose}")
    stale = sorted(set(NOT_OPS) - {c.__name__ for c in classes})
    assert not stale, f"NOT_OPS names classes that are rows or no longer exist: {stale}"
    ghosts = sorted(rows - {_key(c) for c in _every_node_class()})
    assert not ghosts, f"rows of classes minigan does not define (ops.Above's module and name): {ghosts}"
