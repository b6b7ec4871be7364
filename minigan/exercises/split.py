"""The checks split in two: what the learner's process runs, and what only the grader knows.

The checks (``checks/``) are written once, as minigan's own tests run them.  The grader hands the learner's process
a build of them (``learner_build``) in which nothing is expected and nothing is judged:

* ``close(what, got, expected, hint, rtol, atol)`` becomes ``close(what, got, None, None)``: the expected value is
  never computed there (closed forms, the library's answers), nor are the tolerance and the hint handed over;
* code under ``if ROLE != "student":`` (finite differences in ``gradcheck``: expected values) is left out;
* ``check(CONDITION, message, hint)`` becomes ``observe(SITE, message, lambda o: CONDITION')`` where CONDITION' is
  the condition with every value it looks at recorded in ``o`` as data (``_rec``): the operands of each
  comparison, and what the ``and``/``or``/``not`` join; what the condition comes to there is thrown away.  A value
  that is no data (a Tensor, a node) is recorded only as the truth of what it was asked (``x is a``, ``bool(x)``);
* ``raises`` records the class names of what was raised (``base.raises``).

The grader keeps, per SITE, the condition again as a function of those recorded values (``judge``): constants in a
condition (a bound, ``np.float32``) are the grader's own, never recorded.  ``grader.decide`` takes the SITE from the
library's record at the same place, never from the learner's.  The library's own build (``reference_build``) also
names each site, for the grader's record.
"""

from __future__ import annotations

import ast
import functools

import numpy as np

from minigan.exercises import frames

ROLE_NAMES = ("ROLE", "base.ROLE")
# what judges, never in the learner's build: ``check`` (its calls become ``observe``), ``compare`` and what prints a
# difference, and the finite differences that give expected gradients
GRADER_ONLY = ("check", "compare", "_apart", "_numeric_gradient")


def _role_test(test):
    """"student" (code only the learner's build runs) or "reference" (code it never runs) or None."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and ast.unparse(test.left) in ROLE_NAMES \
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value == "student":
        return "student" if isinstance(test.ops[0], ast.Eq) else "reference" if isinstance(test.ops[0], ast.NotEq) \
            else None
    return None


def _fixed(node) -> bool:
    """Is ``node`` the same whoever runs it (constants, arithmetic on them, ``np.NAME``)?"""
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and n.id != "np":
            return False
        if isinstance(n, (ast.Call, ast.Subscript, ast.Lambda, ast.NamedExpr, ast.comprehension)):
            return False
    return True


def _call(name, *args):
    return ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=list(args), keywords=[])


def _o():
    return ast.Name(id="_o", ctx=ast.Load())


def _split(node, counter, learner):
    """The condition ``node`` rewritten: recording (``learner``) or judging from the record (the grader)."""
    if isinstance(node, ast.BoolOp):
        return ast.BoolOp(op=node.op, values=[_split(v, counter, learner) for v in node.values])
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return ast.UnaryOp(op=node.op, operand=_split(node.operand, counter, learner))
    if isinstance(node, ast.Compare):
        operands, slots = [node.left, *node.comparators], []
        for operand in operands:
            slots.append(None if _fixed(operand) else next(counter))
        whole = next(counter)
        if learner:
            parts = [o if k is None else _call("_rec", _o(), ast.Constant(k), o) for o, k in zip(operands, slots)]
            return _call("_rec", _o(), ast.Constant(whole), ast.Compare(left=parts[0], ops=node.ops,
                                                                       comparators=parts[1:]))
        parts = [o if k is None else _call("_V", _o(), ast.Constant(k)) for o, k in zip(operands, slots)]
        inner = ast.Lambda(args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]),
                           body=ast.Compare(left=parts[0], ops=node.ops, comparators=parts[1:]))
        return _call("_C", _o(), ast.Constant(whole), inner)
    if _fixed(node):
        return node
    k = next(counter)
    return _call("_rec", _o(), ast.Constant(k), node) if learner else _call("_B", _o(), ast.Constant(k))


def _counter():
    n = 0
    while True:
        yield n
        n += 1


def _lambda(body):
    return ast.Lambda(args=ast.arguments(posonlyargs=[], args=[ast.arg(arg="_o")], kwonlyargs=[], kw_defaults=[],
                                         defaults=[]), body=body)


def _is(node, name):
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name


class _Build(ast.NodeTransformer):
    def __init__(self, module, learner):
        self.module, self.learner = module, learner

    def visit_If(self, node):
        self.generic_visit(node)
        role = _role_test(node.test)
        if role is None:
            return node
        keep = node.body if (role == "student") == self.learner else node.orelse
        return keep or [ast.Pass()]

    def generic_visit(self, node):
        node = super().generic_visit(node)
        if self.learner:  # what follows a return or raise never runs: left out (the judging half of close, say)
            for field in ("body", "orelse", "finalbody"):
                body = getattr(node, field, None)
                if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                    ends = [i for i, s in enumerate(body) if isinstance(s, (ast.Return, ast.Raise))]
                    if ends:
                        setattr(node, field, body[:ends[0] + 1])
        return node

    def visit_FunctionDef(self, node):
        if self.learner and self.module == "base" and node.name in GRADER_ONLY:
            return None
        return self.generic_visit(node)

    def visit_ImportFrom(self, node):
        if self.learner and node.module == "base" and node.level == 1:
            node.names = [a for a in node.names if a.name not in GRADER_ONLY] or [ast.alias(name="ROLE")]
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        site = f"{self.module}:{node.lineno}:{node.col_offset}"
        if _is(node, "close") and self.learner and len(node.args) >= 2:
            return ast.copy_location(_call("close", node.args[0], node.args[1], ast.Constant(None),
                                           ast.Constant(None)), node)
        if _is(node, "same") and self.learner and len(node.args) >= 2:
            return ast.copy_location(_call("same", node.args[0], node.args[1], ast.Constant(None),
                                           ast.Constant(None)), node)
        if _is(node, "check") and len(node.args) >= 3:
            if not self.learner:
                return ast.copy_location(_call("check", *node.args[:3], ast.Constant(site)), node)
            condition = _split(node.args[0], _counter(), True)
            return ast.copy_location(_call("observe", ast.Constant(site), node.args[1], _lambda(condition)), node)
        return node


def _build(text, module, learner) -> ast.Module:
    tree = _Build(module, learner).visit(ast.parse(text))
    if learner and module != "base":
        at = 0
        while at < len(tree.body) and (isinstance(tree.body[at], ast.ImportFrom) and tree.body[at].module ==
                                       "__future__" or at == 0 and isinstance(tree.body[0], ast.Expr)):
            at += 1  # (after the docstring and the __future__ imports)
        tree.body.insert(at, ast.ImportFrom(module="base", names=[ast.alias(name="_rec"), ast.alias(name="observe")],
                                            level=1))
    return ast.fix_missing_locations(tree)


def learner_build(text, module) -> ast.Module:
    """The checks module ``module`` (its ``text``) as the learner's process runs it: nothing expected, nothing
    judged."""
    return _build(text, module, True)


def reference_build(text, module) -> ast.Module:
    """The checks module as the library's process runs it for the grader: each ``check`` names its site."""
    return _build(text, module, False)


# ----------------------------------------------------------------------------- the grader's side
class Opaque(Exception):
    """A recorded value that is no data: only the truth of what was asked of it counts."""


LEAF_SIZE = 64  # numbers in an array a check records at most (checks/base.py's _encode)
LEAF_DEPTH = 8  # containers nested in a recorded value at most (_encode: 4 levels of lists, tuples, sets)


def decode(value, depth=0):
    """A value as ``_encode`` (checks/base.py) recorded it, made data again; no data raises ``Opaque``.  What the
    learner's process recorded is checked before anything is made of it: a dtype is a plain number kind as NumPy
    names it (never a subarray such as ``"(100000000,)f8"``, whose one element is 800 MB, nor an object), an array
    at most ``LEAF_SIZE`` numbers, the nesting at most ``LEAF_DEPTH``."""
    if depth > LEAF_DEPTH:
        raise Opaque()
    if isinstance(value, dict):
        if "tuple" in value and isinstance(value["tuple"], list):
            return tuple(decode(v, depth + 1) for v in value["tuple"])
        if "set" in value and isinstance(value["set"], list):
            return frozenset(decode(v, depth + 1) for v in value["set"])
        if "array" in value:
            return np.array(_numbers(value["array"]), dtype=_dtype(value.get("dtype", "float64")))
        if "dtype" in value:
            return _dtype(value["dtype"])
        if "type" in value and isinstance(getattr(np, str(value["type"]), None), type):
            return getattr(np, str(value["type"]))
        raise Opaque()
    if isinstance(value, list):
        return [decode(v, depth + 1) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise Opaque()


def _dtype(name) -> np.dtype:
    dtype = frames.number_dtype(name)
    if dtype is None:
        raise Opaque()
    return dtype


def _numbers(nested):
    """``nested`` (lists of numbers) when it holds at most ``LEAF_SIZE`` numbers, nested as an array's rows are."""
    count, todo = 0, [(nested, 0)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, list) and depth < frames.AXES_LIMIT:
            todo.extend((x, depth + 1) for x in item)
        elif isinstance(item, (bool, int, float)):
            count += 1
        else:
            raise Opaque()
        if count > LEAF_SIZE or len(todo) > LEAF_SIZE + frames.AXES_LIMIT:
            raise Opaque()
    return nested


class Unseen(Exception):
    """The learner's process did not record a value the condition needs."""


def _V(o, k):
    if str(k) not in o:
        raise Unseen()
    return decode(o[str(k)])


def _B(o, k):
    try:
        return _V(o, k)
    except Opaque:
        truth = o[str(k)].get("truth") if isinstance(o[str(k)], dict) else None
        if not isinstance(truth, bool):
            raise Unseen() from None
        return truth


def _C(o, k, compare):
    try:
        return compare()
    except Opaque:
        return _B(o, k)


@functools.lru_cache(maxsize=None)
def _templates(texts) -> dict:
    """{site: the condition as a function of what was recorded} for the checks' modules ((module, text), ...)."""
    found = {}
    for module, text in texts:
        for node in ast.walk(ast.parse(text)):
            if _is(node, "check") and len(node.args) >= 3:
                site = f"{module}:{node.lineno}:{node.col_offset}"
                expression = ast.fix_missing_locations(ast.Expression(_lambda(_split(node.args[0], _counter(),
                                                                                     False))))
                found[site] = eval(compile(expression, site, "eval"),  # noqa: S307 - the checks' own text
                                   {"_V": _V, "_B": _B, "_C": _C, "np": np, "__builtins__": {}})
    return found


def judge(texts, site, recorded) -> bool:
    """Does the condition at ``site`` hold on the values the learner's process ``recorded`` ({slot: value})?"""
    template = _templates(texts).get(site)
    if template is None or not isinstance(recorded, dict):
        return False
    try:
        return bool(template(recorded))
    except Exception:  # noqa: BLE001 - values missing, of the wrong kind: the condition does not hold
        return False
