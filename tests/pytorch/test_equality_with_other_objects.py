"""== and != between a tensor and an object that is no operand, against PyTorch.

PyTorch's == and != answer NotImplemented where eq and ne refuse the other operand's type (their TypeError), so
Python decides: the other object's own __eq__ if it has one (reflected), else identity (``x == object()`` is False,
``x != object()`` True).  minigan raised its TypeError.  Over objects (object(), a dict, a set, a function, a class
with its own __eq__, None, a list, a string) on either side, minigan must give PyTorch's answer.
"""

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


class Answers:
    """An object with its own equality: Python asks it when the tensor answers NotImplemented."""

    def __eq__(self, other):
        return "asked"

    def __ne__(self, other):
        return "asked not"

    __hash__ = object.__hash__


OTHERS = {"object()": object, "dict": dict, "set": set, "function": lambda: len, "Answers": Answers,
          "None": lambda: None, "list": lambda: [1.0, 2.0], "str": lambda: "ab"}


def _run(lib, other, op, reflected):
    x, o = lib.tensor([1.0, 2.0]), OTHERS[other]()
    try:
        if op == "==":
            out = (o == x) if reflected else (x == o)
        else:
            out = (o != x) if reflected else (x != o)
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return "raised", next(c for c in type(e).__mro__ if c.__module__ == "builtins").__name__
    return "ran", out.tolist() if hasattr(out, "tolist") else out


@pytest.mark.parametrize("other", list(OTHERS))
@pytest.mark.parametrize("op", ["==", "!="])
@pytest.mark.parametrize("reflected", [False, True])
def test_equality_with_an_object_that_is_no_operand_is_pythons(other, op, reflected):
    expected, got = _run(torch, other, op, reflected), _run(minigan, other, op, reflected)
    assert got[0] == expected[0] and (got[0] == "raised" or got[1] == expected[1]), (
        f"{'reflected ' if reflected else ''}{op} {other}: {got} vs PyTorch's {expected}")
