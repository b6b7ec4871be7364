"""Finding an exercise's target: the function a workspace holds for ``path::Qualified.name``, and the library's code
of it in a compiled module.

Two processes that may not import the library use these (only the standard library is imported here): the
grader's runner (``runner.py``), which the grader hands this file compiled in its job, since the learner's process
may not open the library's files; and the learner's worker (``worker.py``), which reads it by its path, since the
name ``minigan`` there is the workspace's copy.
"""

from __future__ import annotations

import importlib
import inspect
import types


def code_in(code, qualname, outer=""):
    """The code object named ``qualname`` inside a compiled module (searched through nested code).  Its qualified
    name is built on the way down, as Python builds ``__qualname__`` (3.10's code objects have no co_qualname): a
    class body names its methods ``Class.name``, a function or lambda what it holds ``function.<locals>.name``, a
    comprehension (``<genexpr>``, ``<listcomp>``) what it holds ``<genexpr>.name``."""
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            name = outer + const.co_name
            if name == qualname:
                return const
            own_locals = const.co_flags & inspect.CO_NEWLOCALS  # a function, lambda or comprehension: no class body
            function = own_locals and (const.co_name == "<lambda>" or not const.co_name.startswith("<"))
            found = code_in(const, qualname, name + (".<locals>." if function else "."))
            if found is not None:
                return found
    return None


def function_of(target):
    """The workspace's function object for ``path::Qualified.name`` (unwrapping decorators and descriptors)."""
    path, qualname = target.split("::")
    obj = importlib.import_module(path[:-3].replace("/", ".").removesuffix(".__init__"))
    for part in qualname.split("."):
        obj = vars(obj)[part]  # its own: a class's inherited method is not the target (KeyError when absent)
        if isinstance(obj, (staticmethod, classmethod)):
            obj = obj.__func__
        elif isinstance(obj, property):
            obj = obj.fget
    return inspect.unwrap(obj)
