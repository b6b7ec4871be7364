"""Hints that teach (issue 99): a hint points to the rule and the shapes, never the reference code.  Written before
the hints were: ``sum_backward``'s hint was the reference line, ``node_apply``'s the whole function as pseudocode.

Held apart by token overlap: the longest run of code tokens (names, numbers, operators, brackets) a hint shares
with its exercise's reference bodies (comments and docstrings left out).  Six tokens allow a rule written as
code (``-a / b ** 2``, ``self.state[p]``) and the names of helpers; a line of the reference is longer.  The task
lines are held the same way (the stub's message and EXERCISES.md's first line: ``gan_train_step``'s was the
discriminator's loss as code), and hints and task lines also to the formulas of the reference's docstrings and
comments, in their notation (below)."""

from __future__ import annotations

import ast
import re

import pytest

from minigan.exercises import source, workspace
from minigan.exercises.catalogue import BY_NAME, EXERCISES

TOKEN = re.compile(r"[A-Za-z_]\w*|\d+(?:\.\d+)?|\*\*|//|[-+*/@%<>=!]=?|[()\[\]{},.:]")
LONGEST = 6  # tokens in a row a hint may share with the reference


def _reference_tokens(exercise) -> list:
    tokens = []
    for target in exercise.targets:
        path, qualname = source.split_target(target)
        text = workspace.library_text(path)
        fn = source.find_function(source.parse(text), qualname)
        for statement in source.body_statements(fn):
            tokens += TOKEN.findall(re.sub(r"#.*", "", ast.get_source_segment(text, statement)))
    return tokens


def _longest_shared_run(a, b) -> int:
    best, previous = 0, [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            if x == y:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.name for e in EXERCISES])
def test_no_hint_is_its_reference_code(exercise):
    run = _longest_shared_run(_reference_tokens(exercise), TOKEN.findall(exercise.hint))
    assert run <= LONGEST, f"{exercise.name}'s hint shares {run} tokens in a row with the reference: {exercise.hint}"


def test_the_measure_of_overlap_finds_a_line_of_code():
    tokens = TOKEN.findall("namespace(grad).broadcast_to(_keep(grad, self.in_shape, self.axis), self.in_shape)")
    assert _longest_shared_run(tokens, TOKEN.findall("return namespace(grad).broadcast_to(_keep(grad, x)")) == 11
    assert _longest_shared_run(tokens, TOKEN.findall("broadcast the gradient back to the input's shape")) <= 1


def _check_hints():
    """(exercise, hint) for every hint a check gives when it fails: the strings assigned to ``hint`` or passed as
    ``hint=`` in each ``check_<name>`` of minigan/exercises/checks/."""
    found = []
    for path in sorted((workspace.LIBRARY / "exercises" / "checks").glob("*.py")):
        for fn in ast.parse(path.read_text(encoding="utf-8")).body:
            name = fn.name[len("check_"):] if isinstance(fn, ast.FunctionDef) else ""
            if name not in BY_NAME:
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and "hint" in t.id
                                                        for t in node.targets):
                    value = node.value
                elif isinstance(node, ast.keyword) and node.arg == "hint":
                    value = node.value
                else:
                    continue
                text = " ".join(c.value for c in ast.walk(value) if isinstance(c, ast.Constant)
                                and isinstance(c.value, str))
                if text:
                    found.append((name, text))
    return found


CHECK_HINTS = _check_hints()


def test_the_checks_give_hints_to_hold():
    assert len(CHECK_HINTS) >= 30, len(CHECK_HINTS)  # (40 when written)


@pytest.mark.parametrize("name, hint", CHECK_HINTS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CHECK_HINTS)])
def test_no_hint_a_failing_check_gives_is_its_reference_code(name, hint):
    run = _longest_shared_run(_reference_tokens(BY_NAME[name]), TOKEN.findall(hint))
    assert run <= LONGEST, f"a hint of {name}'s checks shares {run} tokens in a row with the reference: {hint}"


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.name for e in EXERCISES])
def test_no_task_line_is_its_reference_code(exercise):
    """The task line (what the stub's NotImplementedError says, and EXERCISES.md's first line) says what to write,
    never the formula that is the answer: ``normal_log_prob``'s was the whole log density."""
    run = _longest_shared_run(_reference_tokens(exercise), TOKEN.findall(exercise.task))
    assert run <= LONGEST, f"{exercise.name}'s task shares {run} tokens in a row with the reference: {exercise.task}"


# A formula written in mathematical notation (the docstrings' and the lectures' μ, σ², −, √) is the answer as
# much as the code is: ``gaussian_kl``'s hint was the closed form, ``normal_log_prob``'s task line the log
# density, ``normal_rsample``'s hint the recipe with its derivatives.  So hints and task lines are also held to the
# formulas of the reference's docstrings and comments, token by token, after the notation is made one: − is -, · is
# *, x² is x ** 2, σ₁ and σp are σ (a subscript names which, not what), ½ is 0.5; words are never matched (a rule
# said in the docstring's words is a rule, not a formula).
MATH = str.maketrans({"−": " - ", "·": " * ", "×": " * ", "²": " ** 2 ", "½": " 0.5 ", "√": " sqrt ", "‖": " | ",
                      "∂": " ∂ "})
FORMULA_TOKEN = re.compile(r"[^\W\d]\w*|\d+(?:\.\d+)?|\*\*|//|[-+*/@%<>=!←]=?|∂")  # (brackets and commas left
# out: they name as much as they compute, ``J(θ, x, y)``, ``N(0, I)``)
FORMULA_LONGEST = 5  # formula tokens in a row (letters, numbers, operators) a hint or task line may share
MATH_WORDS = {"log", "exp", "sqrt", "mean", "sum", "KL", "N", "E"}


def _formula(text) -> list:
    """The tokens of ``text`` with its notation made one, every word and name that is not a formula's (two Latin
    letters or more, not a math function: ``the``, ``loss_d``) a token of its own that matches nothing."""
    tokens = []
    for token in FORMULA_TOKEN.findall(text.translate(MATH)):
        if token[0].isalpha() and not token.isascii():  # σ₁, σp, μ_q: the letter alone
            token = token[0]
        elif token[0].isalpha() and len(token) > 1 and token not in MATH_WORDS:
            token = object()  # (a word or a name: matches nothing)
        tokens.append(token)
    return tokens


def _reference_formulas(exercise) -> list:
    tokens = []
    for target in exercise.targets:
        path, qualname = source.split_target(target)
        text = workspace.library_text(path)
        fn = source.find_function(source.parse(text), qualname)
        said = [ast.get_docstring(fn) or ""]
        said += re.findall(r"#(.*)", "\n".join(ast.get_source_segment(text, s) for s in source.body_statements(fn)))
        for line in said:
            tokens += _formula(line) + [object()]
    return tokens


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.name for e in EXERCISES])
def test_no_hint_or_task_line_is_its_reference_formula(exercise):
    for what, text in (("hint", exercise.hint), ("task", exercise.task)):
        run = _longest_shared_run(_reference_formulas(exercise), _formula(text))
        assert run <= FORMULA_LONGEST, \
            f"{exercise.name}'s {what} shares {run} tokens of a formula with the reference: {text}"


def test_the_measure_of_formulas_sees_through_the_notation():
    said = _formula("log p(x) = −(x − μ)² / 2σ² − log σ")
    assert _longest_shared_run(said, _formula("the density −(x − μ)²/(2σ²)")) > FORMULA_LONGEST
    assert _longest_shared_run(_formula("½ (σp²/σq² + (μp − μq)²/σq²)"),
                               _formula("(σ₁² + (μ₁ − μ₂)²)/(2σ₂²)")) > FORMULA_LONGEST
    assert _longest_shared_run(said, _formula("log p of x is a sum of terms in x minus mu")) <= 2
    assert _longest_shared_run(_formula("KL(Q(z|x) ‖ N(0, I))"), _formula("the KL of Q(z|x) to N(0, I)")) <= 4


@pytest.mark.parametrize("name, hint", CHECK_HINTS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CHECK_HINTS)])
def test_no_hint_a_failing_check_gives_is_its_reference_formula(name, hint):
    run = _longest_shared_run(_reference_formulas(BY_NAME[name]), _formula(hint))
    assert run <= FORMULA_LONGEST, \
        f"a hint of {name}'s checks shares {run} tokens of a formula with the reference: {hint}"


FORMULA_IS_THE_EXERCISE = ("normal_rsample", "normal_log_prob", "gaussian_kl")


@pytest.mark.parametrize("exercise", [BY_NAME[n] for n in FORMULA_IS_THE_EXERCISE], ids=FORMULA_IS_THE_EXERCISE)
def test_the_stub_of_a_formula_exercise_does_not_hand_out_its_formula(exercise):
    """Where the formula is the exercise (the closed form of the KL, the log density, the reparameterized draw and
    its derivatives), the function a workspace hands out (its def line and docstring) does not state it: the library
    keeps it in a comment of the body, which the stub takes out (their docstrings stated it).  (The ops keep their
    derivative on the def line, the attacks and training steps their paper's algorithm in the docstring: there the
    formula is the specification and writing it as code is the exercise.)"""
    stubbed = workspace.stubbed_files()
    for target in exercise.targets:
        path, qualname = source.split_target(target)
        handed = source.function_text(stubbed[path], qualname)
        run = _longest_shared_run(_reference_formulas(exercise), _formula(handed))
        assert run <= FORMULA_LONGEST, f"{target}'s stub shares {run} tokens of its formula: {handed}"
