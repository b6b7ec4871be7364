"""Find a function in a source file by its qualified name, and replace its body by a stub.

An exercise names its function as ``path::Qualified.name`` (``minigan/engine/ops/elementwise.py::Mul.backward``).
``ast`` finds it in the real source; the stub keeps the signature, the docstring and the comment on the
``def`` line, and replaces the rest of the body with one ``raise NotImplementedError("...")``.  Nothing
in the library carries a marker, so the reference solution is the library itself.
"""

from __future__ import annotations

import ast
import functools
import gc
import threading

PARSING = threading.RLock()  # CPython 3.11's parser is not safe to run in two threads at once (see parse)
STUB_PREFIX = "exercise "  # every stub's message starts with it: "exercise mul_backward: write ..."


def split_target(target: str) -> tuple[str, str]:
    """``"minigan/engine/ops/elementwise.py::Mul.backward"`` →
    ``("minigan/engine/ops/elementwise.py", "Mul.backward")``."""
    path, sep, qualname = target.partition("::")
    if not sep or not path.endswith(".py") or not qualname:
        raise ValueError(f"exercise target {target!r} must look like 'minigan/file.py::Class.method'")
    return path, qualname


def module_name(path: str) -> str:
    """``minigan/engine/ops/elementwise.py`` → ``minigan.engine.ops.elementwise``."""
    return path[: -len(".py")].replace("/", ".").removesuffix(".__init__")


@functools.lru_cache(maxsize=256)
def parse(text: str) -> ast.Module:
    """``ast.parse(text)``, one thread at a time, cached (the tree is shared: never change it, copy what you
    change)."""
    with PARSING:
        # CPython 3.11 counts the depth of an AST's conversion in one place for the whole interpreter: a parse run
        # inside this one (a finalizer a garbage collection calls, or another thread it lets in, formatting a
        # traceback's carets) ends it in a SystemError.  Without a collection, nothing else runs until it is done.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return ast.parse(text)
        finally:
            if collecting:
                gc.enable()


def find_function(tree: ast.Module, qualname: str):
    """The ``FunctionDef`` node for ``qualname`` (classes and functions nested by dots), or None."""
    scope = tree.body
    node = None
    for part in qualname.split("."):
        node = next((n for n in scope if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                     and n.name == part), None)
        if node is None:
            return None
        scope = node.body
    return node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def body_statements(fn) -> list:
    """The statements of ``fn`` after its docstring."""
    body = fn.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return body


def body_span(text: str, qualname: str) -> tuple[int, int, int]:
    """(first line, last line, indentation) of the body of ``qualname`` after its docstring, 1-based lines."""
    fn = find_function(parse(text), qualname)
    if fn is None:
        raise LookupError(f"no function {qualname!r}")
    body = body_statements(fn)
    if not body:
        raise LookupError(f"{qualname!r} has only a docstring: nothing to turn into an exercise")
    if body[0].lineno == fn.lineno:
        raise LookupError(f"{qualname!r} is written on one line: there is no body to replace")
    return body[0].lineno, body[-1].end_lineno, body[0].col_offset


def function_lines(text: str, qualname: str) -> tuple[int, int]:
    """(first, last) line of the function ``qualname``, 1-based, decorators included."""
    fn = find_function(parse(text), qualname)
    if fn is None:
        raise LookupError(f"no function {qualname!r}")
    return min([fn.lineno] + [d.lineno for d in fn.decorator_list]), fn.end_lineno


def function_text(text: str, qualname: str) -> str:
    """The source lines of the function ``qualname`` (from its ``def`` to its last line)."""
    first, last = function_lines(text, qualname)
    return "".join(text.splitlines(keepends=True)[first - 1 : last])


def replace_function(text: str, qualname: str, new: str) -> str:
    """``text`` with the whole function ``qualname`` replaced by the source ``new``."""
    first, last = function_lines(text, qualname)
    lines = text.splitlines(keepends=True)
    return "".join(lines[: first - 1] + [new if new.endswith("\n") else new + "\n"] + lines[last:])


def stub_message(name: str, task: str) -> str:
    return f"{STUB_PREFIX}{name}: {task}"


def stub(text: str, qualname: str, message: str) -> str:
    """``text`` with the body of ``qualname`` replaced by ``raise NotImplementedError(message)``."""
    first, last, indent = body_span(text, qualname)
    lines = text.splitlines(keepends=True)
    raise_line = " " * indent + f"raise NotImplementedError({message!r})\n"
    return "".join(lines[: first - 1] + [raise_line] + lines[last:])


def is_stub(text: str, qualname: str) -> bool:
    """Is the body of ``qualname`` still the stub the workspace started with?"""
    fn = find_function(parse(text), qualname)
    body = body_statements(fn) if fn is not None else []
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or not isinstance(body[0].exc, ast.Call):
        return False
    args = body[0].exc.args
    return (isinstance(body[0].exc.func, ast.Name) and body[0].exc.func.id == "NotImplementedError" and len(args) == 1
            and isinstance(args[0], ast.Constant) and str(args[0].value).startswith(STUB_PREFIX))


def replace_in_function(text: str, qualname: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced by ``new`` inside the function ``qualname`` only (exactly one match)."""
    segment = function_text(text, qualname)
    count = segment.count(old)
    if count != 1:
        raise LookupError(f"{qualname}: expected {old!r} once in its source, found it {count} times")
    return replace_function(text, qualname, segment.replace(old, new))
