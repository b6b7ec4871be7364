"""PyTorch's signatures against minigan's: for every public function, method and functional name minigan shares with
``torch``, ``torch.Tensor``, ``torch.nn.functional``, ``torch.linalg``, ``torch.nn.init``, ``torch.nn.utils`` and
``torch.autograd``, each of PyTorch's signatures (overloads
included) must bind to minigan's callable, its arguments given by position and by name.  So must the constructor of
every class minigan shares with ``torch``, ``torch.nn``, ``torch.optim`` (and its ``lr_scheduler``),
``torch.utils.data`` and ``torch.autograd``, and each public method of it written in Python (``forward(input)``,
``state_dict``, ``load_state_dict``, ``step``, ``zero_grad(set_to_none)``, ...).

PyTorch's signatures come from ``inspect.signature`` for functions written in Python; for those written in C, from
the overloads its argument parser lists when none fits (what ``torch.normal(zzz=0)`` prints: the exact names,
positions and keyword-only arguments it accepts, ``requires_grad`` too), and where it has one overload only (it
lists none then), from the documented ones, the signature lines of the docstring (``abs(input, *, out=None) ->
Tensor``), each checked against the parser (a name it does not know is left out, arguments past the most it takes by
position are keyword-only: docstrings are loose there).  Named-tensor overloads (``Dimname``) are
left out: minigan has no named tensors.

A keyword minigan cannot honour still belongs in its signature: given a value other than PyTorch's default, it
raises one line that names it (``pin_memory=True``, ``layout=torch.sparse_coo``); binding is what this checks.

    python tests/pytorch/signature_survey.py            # the count, and every failure, one a line
    python tests/pytorch/signature_survey.py --count    # the count only
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "docs"))

import make_coverage  # noqa: E402

SPACES = ("torch", "torch.Tensor", "torch.nn.functional", "torch.linalg", "torch.nn.init", "torch.nn.utils",
          "torch.autograd")
P = inspect.Parameter


class _Probe:
    """An argument no PyTorch overload accepts: the parser answers with the list of its overloads."""


def _split(text: str) -> list:
    """Top-level comma split of a parameter list (defaults may hold brackets and commas)."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def _overload(params: list, method: bool) -> tuple | None:
    """(positional names, keyword-only names, varargs?) of one overload written as text parameters."""
    pos, kwonly, star, varargs = [], [], False, False
    for p in params:
        p = p.replace("\\", "")
        if p in ("*", ""):
            star = True
            continue
        if p.startswith("**"):
            continue
        if p.startswith("*"):
            varargs, star = True, True
            continue
        head = p.split("=")[0].strip()  # "Tensor input = None" (the parser), "input: Tensor" or "input=None" (docs)
        name = head.split(":")[0].strip() if ":" in head else (head.split() or [""])[-1]
        if not name.isidentifier() or "Dimname" in p or name in ("names", "self") or name.startswith("_"):
            if "Dimname" in p or name == "names":
                return None  # a named-tensor overload
            continue
        (kwonly if star else pos).append(name)
    return tuple(pos), tuple(kwonly), varargs


def _parser_overloads(obj, name: str, method: bool) -> list:
    """The overloads PyTorch's argument parser lists when no overload fits (it lists them only when it has more
    than one: a function with one is read from its docstring)."""
    target = getattr(_torch_tensor(), name) if method else obj
    out = []
    for probe in ((), (_Probe(),) * 14):
        try:
            target(*probe, zzz_probe=_Probe())
        except TypeError as e:
            text = str(e)
        except Exception:  # noqa: BLE001 - any other refusal lists nothing
            continue
        else:
            continue
        for line in text.splitlines():
            m = re.match(r"\s*\* \((.*)\)\s*$", line)
            if m:
                ov = _overload(_split(m.group(1)), method)
                if ov and ov not in out:
                    out.append(ov)
    return out


def _doc_overloads(obj, name: str, method: bool) -> list:
    out = []
    for line in (getattr(obj, "__doc__", None) or "").splitlines():
        line = line.split(" -> ")[0].split(" → ")[0]
        m = re.match(rf"\s*(?:\.\. \w+:: )?(?:torch\.|Tensor\.|linalg\.)?{re.escape(name)}\((.*)\)\s*$", line)
        if m:
            ov = _overload(_split(m.group(1)), method)
            if ov and ov[0] != ("args",):
                out.append(ov)
    return out


def _refusal(target, *args, **kwargs) -> str:
    """What PyTorch's parser says to these arguments ('' when it says nothing: a refusal of another kind)."""
    try:
        target(*args, **kwargs)
    except TypeError as e:
        return str(e)
    except Exception:  # noqa: BLE001 - refused for another reason than the arguments' names and count
        return ""
    return ""


def _checked(obj, name: str, method: bool, ov: tuple) -> tuple:
    """A documented overload as PyTorch's parser takes it: docstrings are loose (``Tensor.mul(value)`` where the
    parser calls it ``other``, ``cumsum(dim, dtype)`` where dtype is keyword-only), so each name is kept only if the
    parser knows it, and arguments past the most it takes by position become keyword-only."""
    target = getattr(_torch_tensor(), name) if method else obj
    pos, kwonly, varargs = ov
    missing = re.search(r"missing \d+ required positional arguments?: (.*)", _refusal(target))
    required = tuple(re.findall(r'"(\w+)"', missing.group(1))) if missing else ()
    pos = required + pos[len(required):]  # the parser's names for the required ones
    given = [_Probe()] * len(required)
    unknown = ("unexpected keyword argument", "takes no keyword arguments", "takes no arguments")
    known = list(required) + [n for n in pos[len(required):] + kwonly
                              if not any(u in _refusal(target, *given, **{n: _Probe()}) for u in unknown)]
    most = re.search(r"takes (?:from \d+ to )?(\d+|no) (?:positional )?argument", _refusal(target, *[_Probe()] * 20))
    if most and not varargs:
        n = 0 if most.group(1) == "no" else int(most.group(1))
        kwonly, pos = pos[n:] + kwonly, pos[:n]
    return tuple(n for n in pos if n in known), tuple(n for n in kwonly if n in known), varargs


def _python_overload(sig: inspect.Signature, method: bool) -> tuple:
    """(positional names, keyword-only names, varargs?, how many of the first are positional-only)."""
    pos, kwonly, varargs, posonly = [], [], False, 0
    params = list(sig.parameters.values())
    if method and params and params[0].name == "self":
        params = params[1:]
    private = False  # after a private argument (F.softmax's _stacklevel) the rest are given by name only
    for p in params:
        if p.name.startswith("_"):
            private = True
            continue
        if p.kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD) and not private:
            pos.append(p.name)
            posonly += p.kind == P.POSITIONAL_ONLY
        elif p.kind in (P.KEYWORD_ONLY, P.POSITIONAL_OR_KEYWORD):
            kwonly.append(p.name)
        elif p.kind == P.VAR_POSITIONAL:
            varargs = True
    return tuple(pos), tuple(kwonly), varargs, posonly


def _torch_tensor():
    """A fresh tensor to probe a method with (a probe the parser does not refuse may run, in place too)."""
    import torch

    return torch.ones(2, 2)


def pytorch_overloads(obj, name: str, method: bool) -> list:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        sig = None
    if sig is not None and not (method and name in ("__call__",)):
        ov = _python_overload(sig, method)
        if ov[0] == ("args", "kwargs") or (ov[2] and not ov[0] and not ov[1]):
            return _doc_overloads(obj, name, method)
        return [ov]
    return _parser_overloads(obj, name, method) or [_checked(obj, name, method, ov)
                                                    for ov in _doc_overloads(obj, name, method)]


def minigan_signature(fn, method: bool) -> inspect.Signature | None:
    """minigan's signature; a wrapper that adds keywords (``out=``) to a wrapped function counts both."""
    try:
        sig = inspect.signature(fn)
        outer = inspect.signature(fn, follow_wrapped=False)
    except (TypeError, ValueError):
        return None
    if outer != sig:
        extra = [p for p in outer.parameters.values() if p.kind == P.KEYWORD_ONLY and p.name not in sig.parameters]
        params = list(sig.parameters.values())
        keep = [p for p in params if p.kind != P.VAR_KEYWORD]
        var_kw = [p for p in params if p.kind == P.VAR_KEYWORD]
        sig = sig.replace(parameters=keep + extra + var_kw)
    if method:
        params = list(sig.parameters.values())
        if params and params[0].kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD):
            sig = sig.replace(parameters=params[1:])
    return sig


def check(sig: inspect.Signature, ov: tuple, method: bool) -> list:
    """The problems binding PyTorch's overload ``ov`` to minigan's ``sig``: [] when it binds both ways."""
    pos, kwonly, varargs = ov[:3]
    posonly = ov[3] if len(ov) > 3 else 0  # (PyTorch's own positional-only ones are never given by name)
    problems = []
    npos = len(pos) + (2 if varargs and not pos else 0)
    kws = {k: 0 for k in kwonly}
    try:
        sig.bind(*range(npos), **kws)
    except TypeError:  # which argument: add them one at a time
        for i in range(npos + 1):
            try:
                sig.bind(*range(i))
            except TypeError as e:
                if "missing" not in str(e):
                    problems.append(f"positional {pos[i - 1] if i - 1 < len(pos) else '*size'!s} "
                                    f"(argument {i})")
                    break
        for k in kwonly:
            try:
                sig.bind_partial(**{k: 0})
            except TypeError:
                problems.append(f"keyword {k}=")
    for i, k in enumerate(pos):  # the positional ones by name too, as PyTorch allows
        if i < posonly:
            continue
        try:
            sig.bind_partial(*range(i), **{k: 0})
        except TypeError:
            if not varargs:
                problems.append(f"keyword {k}=")
    return sorted(set(problems))


def pairs():
    """(space, name, PyTorch's object, minigan's callable, is it a method) for each shared callable name."""
    import torch  # noqa: F401

    names = make_coverage.pytorch_names()
    for space in SPACES:
        t_obj, m_obj = make_coverage._resolve(space), make_coverage._resolve(make_coverage.PLACES[space])
        for name in names[space]:
            t = getattr(t_obj, name, None)
            try:
                m = getattr(m_obj, name)
            except AttributeError:
                continue
            if not callable(t) or not callable(m) or inspect.isclass(t) or inspect.isclass(m):
                continue
            yield space, name, t, m, space == "torch.Tensor"


# Where PyTorch's classes live that minigan has too: their constructors and their methods written in Python
CLASS_SPACES = ("torch", "torch.nn", "torch.optim", "torch.optim.lr_scheduler", "torch.utils.data", "torch.autograd",
                "torch.nn.utils")


def _method(cls, name):
    """(the function to read a signature from, is it called on an instance) for a method of a class, or None: a
    static or class method is read as called (``Embedding.from_pretrained(embeddings)``, no ``cls``)."""
    raw = inspect.getattr_static(cls, name, None)
    if isinstance(raw, (staticmethod, classmethod)):
        return getattr(cls, name), False
    if inspect.isfunction(raw):
        return raw, True
    return None


def class_pairs():
    """(label, PyTorch's function, minigan's callable, is it a method) for the constructor of each class minigan shares
    with PyTorch and each public method of it (``forward``, ``state_dict``, ``step``, ``pop``, ...) where PyTorch's is
    written in Python; a method both inherit unchanged is checked once."""
    import torch

    names, seen = make_coverage.pytorch_names(), set()
    for space in CLASS_SPACES:
        t_obj, m_obj = make_coverage._resolve(space), make_coverage._resolve(make_coverage.PLACES[space])
        for name in names[space]:
            t, m = getattr(t_obj, name, None), getattr(m_obj, name, None)
            if not (inspect.isclass(t) and inspect.isclass(m)) or t is torch.Tensor:
                continue
            yield f"{space}.{name}", t, m, False
            for meth in dir(t):
                if meth.startswith("_") and meth != "__call__":
                    continue
                theirs, ours = _method(t, meth), _method(m, meth)
                if theirs is None or ours is None or (theirs[0], ours[0]) in seen:
                    continue
                seen.add((theirs[0], ours[0]))
                yield f"{space}.{name}.{meth}", theirs[0], ours[0], theirs[1]


def python_overload(fn, method: bool) -> tuple | None:
    """PyTorch's one overload of a function written in Python; None where it has no signature worth reading
    (``*args, **kwargs``, or C)."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    ov = _python_overload(sig, method)
    if ov[0] == ("args", "kwargs") or (ov[2] and not ov[0] and not ov[1]):
        return None
    return ov


def survey() -> tuple:
    """(overloads checked, failures as 'space.name(overload): problem' lines, names checked)."""
    checked, failures, names = 0, [], 0
    for label, t, m, method in class_pairs():
        ov, sig = python_overload(t, method), minigan_signature(m, method)
        if ov is None or sig is None:
            continue
        names, checked = names + 1, checked + 1
        problems = check(sig, ov, method)
        if problems:
            failures.append(f"{label}({', '.join(list(ov[0]) + (['*'] if ov[1] else []) + list(ov[1]))}): "
                            + "; ".join(problems))
    for space, name, t, m, method in pairs():
        sig = minigan_signature(m, method)
        overloads = pytorch_overloads(t, name, method)
        if sig is None or not overloads:
            continue
        names += 1
        for ov in overloads:
            checked += 1
            problems = check(sig, ov, method)
            if problems:
                shown = ", ".join(list(ov[0]) + (["*"] if ov[1] else []) + list(ov[1]))
                failures.append(f"{space}.{name}({shown}): " + "; ".join(problems))
    return checked, failures, names


def main(argv) -> int:
    checked, failures, names = survey()
    failed_names = {f.split("(")[0] for f in failures}
    print(f"{names} names, {checked} PyTorch signatures: {len(failures)} do not bind ({len(failed_names)} names)")
    if "--count" not in argv:
        print("\n".join(failures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
