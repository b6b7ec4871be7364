"""Flags a teacher can weigh: each flag of the gradebook starts with how strong it is, and ends with why.

* ``strong evidence``: the graded code did it at run time (opened the library's files), or long functions match
  the library's own;
* ``worth a look``: a sign with an innocent reading too (a word the static scan found, code shared with a
  classmate in a few functions, a refusal at run time);
* ``weak evidence``: a hint alone (a record that claims passes the grader did not confirm);
* ``for information``: what happened, no sign of anything (a file that does not compile, a link skipped, a process
  killed from outside and graded again).

A match with the library's function is evidence only as far as the function is long: an honest student writes
``return (grad * out,)`` or ``grad * (1 - t * t)`` exactly as the library does.  ``weight`` sorts a matching
exercise by the size of the library's body (its syntax nodes: names, operators, calls, each one).
"""

from __future__ import annotations

import ast
import functools

from minigan.exercises import source, workspace
from minigan.exercises.catalogue import BY_NAME

FORMULA_NODES = 40  # below this the library's body is a formula (reshape_backward 12, tanh_backward 14, exp 18)
EVIDENCE_NODES = 100  # from this on a match is evidence (unbroadcast 107, prune 119, ... pgd 458)
STRONG_COPIES = 3  # this many matches of evidence make the flag "strong evidence"; fewer, "worth a look"

STRONG, LOOK, WEAK, INFO = "strong evidence", "worth a look", "weak evidence", "for information"

# (how a flag starts, its weight, why): the first that fits is taken; anything else is "worth a look"
KINDS = (
    ("tried to open the library's own files", STRONG, "the graded code itself tried it at run time; minigan's own "
                                                      "code never does"),
    ("tried something the grader refuses", LOOK, "the graded code tried it at run time and was refused; a "
                                                 "student's experiment can do it too"),
    ("code that may load the reference", LOOK, "words found by reading the code, which may never run"),
    ("its record claims", WEAK, "a record edited by hand, or left by an older check of code changed since"),
    ("handed in again", INFO, "the workspace changed since the journal's grade of it"),
    ("links in the workspace", INFO, "never followed; a zip tool may make them"),
    ("no workspace in this folder", INFO, "nothing handed in, or handed in elsewhere"),
    ("the grader could not grade", INFO, "the grader's own failure, not the student's"),
    ("the workspace's minigan cannot be imported", INFO, "what stopped grading"),
    ("the grading process was", INFO, "a signal from outside the student's code"),
    ("the process grading", INFO, "a signal from outside the student's code"),
    ("minigan/", INFO, "what stopped grading the exercises in that file"),
)


def weigh(flag: str) -> str:
    """``flag`` as the gradebook shows it: its weight first, then the flag, then why (a flag weighed already is
    left as it is)."""
    if flag.startswith(tuple(f"{w}: " for w in (STRONG, LOOK, WEAK, INFO))):
        return flag
    for start, weight, why in KINDS:
        if flag.startswith(start):
            return f"{weight}: {flag} ({why})"
    return f"{LOOK}: {flag} (no weight known for this kind of flag)"


@functools.lru_cache(maxsize=None)
def size(exercise: str) -> int:
    """Syntax nodes in the library's bodies of ``exercise``'s functions (docstrings left out)."""
    nodes = 0
    for target in BY_NAME[exercise].targets:
        path, qualname = source.split_target(target)
        with source.PARSING:
            fn = source.find_function(source.parse(workspace.library_text(path)), qualname)
        nodes += sum(1 for statement in source.body_statements(fn) for _ in ast.walk(statement))
    return nodes


def weight(exercise: str) -> str:
    """How much a match of ``exercise`` with the library's code says: "evidence", "short" or "a formula"."""
    nodes = size(exercise)
    return "evidence" if nodes >= EVIDENCE_NODES else "short" if nodes >= FORMULA_NODES else "a formula"


def copy_flag(matched) -> str | None:
    """The flag for the exercises ``matched`` (each passed and the library's code up to names), or None when none
    is evidence: formulas are never named, short functions only beside evidence."""
    evidence = [e for e in matched if weight(e) == "evidence"]
    if not evidence:
        return None
    short = [e for e in matched if weight(e) == "short"]
    strength = STRONG if len(evidence) >= STRONG_COPIES else LOOK
    named = ", ".join(evidence[:6]) + (" ..." if len(evidence) > 6 else "")
    also = f"; {len(short)} short ones match too ({', '.join(short[:4])})" if short else ""
    return (f"{strength}: the reference copied in {len(evidence)}: {named} (each the library's function of "
            f"{EVIDENCE_NODES} or more syntax nodes, the same up to names, order, docstrings and pass, wherever the "
            f"code sits{also}; one-line formulas every honest solution writes are not counted)")


def pair_flag(other: str, shared: int, ratio: float) -> str:
    """The flag of two students whose code is the same in ``shared`` functions (``ratio`` of what either wrote)."""
    strength = STRONG if shared >= 6 and ratio >= 0.8 else LOOK
    return (f"{strength}: the same code as {other} in {shared} functions ({ratio:.0%}) (the same up to names, order "
            "and docstrings, the starter and the library's solution set aside; a study group's shared idea can do "
            "it in a few)")
