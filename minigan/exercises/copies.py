"""Copies wherever they sit: the functions an exercise's code reaches in a workspace, and their normal forms.

The copy check (``gradebook.copied_reference``, ``gradebook.similar_pairs``) compares functions once what never
changes behaviour is taken out (``gradebook._normal_form``: names, docstrings, ``pass``, annotations, layout, the
order of independent assignments).  A body moved elsewhere must not hide it: from an exercise's function this
module follows every call to a function the workspace itself defines (in the same file, or imported from any
module of the workspace's ``minigan/``, at the top of the file or inside the function, absolute or relative, by
name or through a module's name), to ``DEPTH`` calls deep.  ``reach`` gives the forms of every function reached,
and the form of the exercise's function with its helpers inlined and, when what is left is a delegate (``return
f(...)`` after imports), the form of the function it delegates to.  A helper whose body is one ``return EXPR`` is
inlined as that expression; one of several statements (plain parameters, no early return) where it is a statement
(``helper(...)``, ``x = helper(...)``, ``return helper(...)``): its body with its names made fresh, each parameter
bound to its argument, the value it returns assigned, and then the assignments that only carry a value in or out
taken out, so that a body cut into helpers comes back to the body it was cut from.  ``gradebook`` compares that
with the library's function inlined the same way (its own helpers, ``_adam_step`` say, are inlined too).

Everything here is read, never run; files are opened without following links, as the grader's copy is.
"""

from __future__ import annotations

import ast
import copy
import hashlib
from pathlib import Path

from minigan.exercises import source, workspace

DEPTH = 4  # calls followed from an exercise's function
MOST = 40  # functions reached at most (a workspace full of helpers costs the check no more than this)
FILE_LIMIT = 1 << 20  # bytes of one source read
FORMS_KEPT = 1 << 15  # normal forms kept (by the file's hash and the function's name)
_FORMS = {}


def _module_path(root: Path, module: str):
    """The workspace file of ``module`` ("minigan.engine.ops._mine"), relative to ``root``, or None."""
    if module != "minigan" and not module.startswith("minigan."):
        return None
    parts = module.split(".")
    for rel in ("/".join(parts) + ".py", "/".join(parts) + "/__init__.py"):
        if (root / rel).is_file() and not (root / rel).is_symlink():
            return rel
    return None


def _absolute(path: str, node: ast.ImportFrom):
    """The absolute module name of ``from ... import`` in the file ``path`` (minigan/x/y.py)."""
    if not node.level:
        return node.module or ""
    package = path[:-3].split("/")
    package = package[:-1] if package[-1] != "__init__" else package[:-1]
    package = package[: len(package) - (node.level - 1)] if node.level > 1 else package
    return ".".join(package + ([node.module] if node.module else []))


class _Read:
    """The workspace's files, each parsed once (a file that does not parse reaches nothing)."""

    def __init__(self, root: Path):
        self.root, self.trees, self.hashes, self.bound, self.modules = Path(root), {}, {}, {}, {}

    def module_path(self, module: str):
        if module not in self.modules:
            self.modules[module] = _module_path(self.root, module)
        return self.modules[module]

    def tree(self, path: str):
        if path not in self.trees:
            try:
                data = workspace.read_nofollow(self.root / path, FILE_LIMIT)
                self.trees[path] = source.parse(data.decode("utf-8"))
                self.hashes[path] = hashlib.sha256(data).digest()
            except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError):
                self.trees[path] = None
        return self.trees[path]

    def form(self, path: str, qualname: str, node, form):
        """``form(node)`` of the function ``qualname`` of ``path``, kept by the file's hash: a file many
        workspaces share (or many exercises reach) is normalised once."""
        key = (self.hashes.get(path), qualname, form)
        if key[0] is None:
            return form(node)
        if key not in _FORMS:
            if len(_FORMS) >= FORMS_KEPT:
                _FORMS.clear()
            _FORMS[key] = form(node)
        return _FORMS[key]

    def names(self, path: str, body) -> dict:
        """{name: (path, qualname) or ("module", path)} that ``body``'s imports and defs bind."""
        whole = self.tree(path) is not None and body is self.tree(path).body
        if whole and path in self.bound:
            return self.bound[path]
        bound = self._names(path, body)
        if whole:
            self.bound[path] = bound
        return bound

    def _names(self, path: str, body) -> dict:
        bound = {}
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and body is self.tree(path).body:
                bound[node.name] = (path, node.name)
            elif isinstance(node, ast.ImportFrom):
                module = _absolute(path, node)
                for alias in node.names:
                    sub = self.module_path(f"{module}.{alias.name}")
                    target = ("module", sub) if sub else (self.module_path(module), alias.name)
                    if target[0] is not None:
                        bound[alias.asname or alias.name] = target
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    sub = self.module_path(alias.name)
                    if sub and alias.asname:
                        bound[alias.asname] = ("module", sub)
        return bound


def _callees(read: _Read, path: str, fn) -> list:
    """The workspace functions ``fn`` (in ``path``) calls: [(path, qualname)]."""
    tree = read.tree(path)
    bound = dict(read.names(path, tree.body))
    bound.update(read.names(path, [n for n in ast.walk(fn) if isinstance(n, (ast.Import, ast.ImportFrom))]))
    found = []
    for node in ast.walk(fn):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Name) and f.id in bound and bound[f.id][0] != "module":
            found.append(_resolve(read, bound[f.id]))
        elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and bound.get(f.value.id, ("",))[0] \
                == "module":
            found.append(_resolve(read, (bound[f.value.id][1], f.attr)))
    return found


def _function(read: _Read, path: str, qualname: str):
    tree = read.tree(path)
    return source.find_function(tree, qualname) if tree is not None else None


def _resolve(read: _Read, callee, hops=4):
    """``callee`` (path, name) where the function is defined: a name a module imports from another is followed
    there (re-exports: ``from .elementwise import value``)."""
    for _ in range(hops):
        path, name = callee
        if path is None or read.tree(path) is None or _function(read, path, name) is not None or "." in name:
            return callee
        bound = read.names(path, read.tree(path).body).get(name)
        if bound is None or bound[0] == "module" or bound == callee:
            return callee
        callee = bound
    return callee


def _one_expression(fn):
    """The expression ``fn`` returns when its whole body is ``return EXPR`` with plain positional arguments."""
    body = source.body_statements(fn)
    args = fn.args
    if len(body) == 1 and isinstance(body[0], ast.Return) and body[0].value is not None and not (
            args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs or args.defaults):
        return [a.arg for a in args.args], body[0].value
    return None


class _Inline(ast.NodeTransformer):
    """Replace calls to one-expression helpers by their expression, arguments put in for parameters."""

    def __init__(self, helpers):
        self.helpers, self.changed = helpers, False

    def visit_Call(self, node):
        self.generic_visit(node)
        name = node.func.id if isinstance(node.func, ast.Name) else \
            node.func.attr if isinstance(node.func, ast.Attribute) else None
        helper = self.helpers.get(name)
        if helper is None or node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            return node
        params, expression = helper
        if len(params) != len(node.args):
            return node
        given = dict(zip(params, node.args))

        class Put(ast.NodeTransformer):
            def visit_Name(self, n):
                return copy.deepcopy(given[n.id]) if n.id in given and isinstance(n.ctx, ast.Load) else n

        self.changed = True
        return Put().visit(copy.deepcopy(expression))


FRESH = "_inlined_"  # the prefix of a helper's names once inlined (no name of the student's own starts so)


def _statements_helper(fn):
    """(parameters, body without its final return, the value returned or None) when ``fn`` can be inlined as
    statements: plain positional parameters, no early return, no yield, no global or nonlocal; else None."""
    args = fn.args
    if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs or args.defaults:
        return None
    body = list(source.body_statements(fn))
    last = body[-1].value if body and isinstance(body[-1], ast.Return) else None
    if body and isinstance(body[-1], ast.Return):
        body = body[:-1]
    for node in ast.walk(ast.Module(body=body, type_ignores=[])):
        if isinstance(node, (ast.Return, ast.Yield, ast.YieldFrom, ast.Await, ast.Global, ast.Nonlocal,
                             ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return None
    return [a.arg for a in args.args], body, last


class _Rename(ast.NodeTransformer):
    def __init__(self, names):
        self.names = names

    def visit_Name(self, node):
        node.id = self.names.get(node.id, node.id)
        return node


class _InlineStatements(ast.NodeTransformer):
    """Replace ``helper(...)``, ``x = helper(...)`` and ``return helper(...)`` statements by the helper's body:
    its parameters bound to the arguments and its names made fresh (``FRESH``), the value it returns assigned or
    returned; ``_aliases`` then takes out the assignments that only carry a value between the two."""

    def __init__(self, helpers):
        self.helpers, self.changed, self.count = helpers, False, 0  # (count: fresh names, across rounds)

    def _helper(self, call):
        if not isinstance(call, ast.Call) or call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
            return None
        name = call.func.id if isinstance(call.func, ast.Name) else \
            call.func.attr if isinstance(call.func, ast.Attribute) else None
        helper = self.helpers.get(name)
        return helper if helper is not None and len(helper[0]) == len(call.args) else None

    def _inline(self, call, helper):
        params, body, last = helper
        self.count += 1
        self.changed = True
        names = {n.id for n in ast.walk(ast.Module(body=body, type_ignores=[])) if isinstance(n, ast.Name)}
        names |= set(params) | ({n.id for n in ast.walk(last) if isinstance(n, ast.Name)} if last else set())
        fresh = {n: f"{FRESH}{self.count}_{n}" for n in names if n in params or self._local(n, body)}
        bind = [ast.Assign(targets=[ast.Name(id=fresh[p], ctx=ast.Store())], value=copy.deepcopy(a))
                for p, a in zip(params, call.args)]
        rename = _Rename(fresh)
        out = bind + [rename.visit(copy.deepcopy(s)) for s in body]
        return out, (rename.visit(copy.deepcopy(last)) if last is not None else None)

    @staticmethod
    def _local(name, body):
        return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
                   for n in ast.walk(ast.Module(body=body, type_ignores=[])))

    def _body(self, statements):
        out = []
        for s in statements:
            call = s.value if isinstance(s, (ast.Expr, ast.Return)) or (isinstance(s, ast.Assign) and
                                                                       len(s.targets) == 1) else None
            helper = self._helper(call) if call is not None else None
            if helper is None:
                out.append(s)
                continue
            inlined, value = self._inline(call, helper)
            out += inlined
            if isinstance(s, ast.Assign):
                out.append(ast.Assign(targets=s.targets, value=value or ast.Constant(None)))
            elif isinstance(s, ast.Return):
                out.append(ast.Return(value=value))
            elif value is not None and not isinstance(value, (ast.Name, ast.Constant)):
                out.append(ast.Expr(value=value))
        return out

    def generic_visit(self, node):
        super().generic_visit(node)
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                setattr(node, field, self._body(body))
        return node


def _pairs(target, value):
    """[(target name, value name)] when ``target = value`` only renames (names, or tuples of them alike)."""
    if isinstance(target, ast.Name) and isinstance(value, ast.Name):
        return [(target.id, value.id)]
    if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) and len(target.elts) == len(value.elts):
        pairs = []
        for t, v in zip(target.elts, value.elts):
            inner = _pairs(t, v)
            if inner is None:
                return None
            pairs += inner
        return pairs
    return None


def _alias(fn):
    """The first ``a = b`` (or ``a, b = c, d``) in ``fn`` where one side of each pair is a fresh name: (the body
    holding it, its index, {fresh name: the other}), or None."""
    for node in ast.walk(fn):
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            for i, s in enumerate(body if isinstance(body, list) else ()):
                pairs = _pairs(s.targets[0], s.value) if isinstance(s, ast.Assign) and len(s.targets) == 1 else None
                if pairs and all(a.startswith(FRESH) or b.startswith(FRESH) or a == b for a, b in pairs):
                    return body, i, {(b if b.startswith(FRESH) else a): (a if b.startswith(FRESH) else b)
                                     for a, b in pairs if a != b}  # (``a = a``, left by a renaming: a no-op)
    return None


def _aliases(fn):
    """Take out the assignments that only carry a value into or out of an inlined helper (a parameter bound to an
    argument, a value handed back): the fresh name becomes the other everywhere."""
    for _ in range(500):
        found = _alias(fn)
        if found is None:
            break
        body, i, names = found
        del body[i]
        _Rename(names).visit(fn)
    return fn


def _calls(fn) -> set:
    """The names ``fn`` calls (``f(...)``, ``m.f(...)``: the last name)."""
    return {n.func.id if isinstance(n.func, ast.Name) else n.func.attr for n in ast.walk(fn)
            if isinstance(n, ast.Call) and isinstance(n.func, (ast.Name, ast.Attribute))}


def _delegate(fn):
    """The call ``fn`` is a delegate to (its body: imports, then ``return CALL`` or ``CALL``), or None."""
    body = [s for s in source.body_statements(fn) if not isinstance(s, (ast.Import, ast.ImportFrom, ast.Pass))]
    if len(body) == 1 and isinstance(body[0], (ast.Return, ast.Expr)) and isinstance(body[0].value, ast.Call):
        return body[0].value
    return None


def reach(root, target: str, form, every=True) -> tuple:
    """(the effective form of ``target`` in the workspace ``root``, {the forms of every function it reaches})
    where ``form(fn_node)`` is the normal form of a ``FunctionDef``.  The effective form is the function's own
    with its helpers inlined, or, for a delegate, the effective form of the function it calls.  With ``every``
    false the set holds the effective form alone (all a comparison between students needs)."""
    read = _Read(root)
    path, qualname = source.split_target(target)
    start = _function(read, path, qualname)
    if start is None:
        return None, set()
    seen, order, todo = {(path, qualname)}, [(path, qualname, start)], [(path, start, 0)]
    while todo and len(order) < MOST:
        at, fn, depth = todo.pop(0)
        if depth >= DEPTH:
            continue
        for callee in _callees(read, at, fn):
            if callee in seen or len(order) >= MOST:
                continue
            seen.add(callee)
            node = _function(read, *callee)
            if node is not None:
                order.append((*callee, node))
                todo.append((callee[0], node, depth + 1))
    forms = {read.form(p, q, node, form) for p, q, node in order} if every else set()  # (not every: the
    # effective form alone, all a comparison between students needs)
    helpers = {name.split(".")[-1]: _one_expression(node) for _, name, node in order[1:]}
    helpers = {k: v for k, v in helpers.items() if v is not None}
    bodies = {name.split(".")[-1]: _statements_helper(node) for _, name, node in order[1:]}
    bodies = {k: v for k, v in bodies.items() if v is not None and k not in helpers}
    effective, fn, at, name = None, start, path, qualname
    for _ in range(DEPTH + 1):  # a delegate's delegate ...
        if not _calls(fn) & (set(helpers) | set(bodies)):  # nothing to inline: its own form
            effective = read.form(at, name, fn, form)
            if _delegate(fn) is None:
                forms.add(effective)
                break
        inlined, statements = copy.deepcopy(fn), _InlineStatements(bodies)
        for _ in range(DEPTH):  # helpers of several statements (a helper's helpers too), then one-expression ones
            statements.changed = False
            inlined = statements.visit(inlined)
            if not statements.changed:
                break
        inlined = _Inline(helpers).visit(_aliases(inlined))
        call = _delegate(fn)
        callees = _callees(read, at, fn) if call is not None else []
        if call is not None and len(callees) == 1 and _function(read, *callees[0]) is not None \
                and _one_expression(_function(read, *callees[0])) is None:
            (at, name), fn = callees[0], _function(read, *callees[0])
            continue
        effective = form(inlined)
        forms.add(effective)
        break
    return effective, forms
