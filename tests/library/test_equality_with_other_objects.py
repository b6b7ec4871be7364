"""== and != with an object that is no operand, without PyTorch: the tensor answers NotImplemented (as PyTorch's
operators do where their function refuses the type), so Python asks the other object, else compares identities.

(Its comparison with PyTorch: tests/pytorch/test_python_protocols.py.)"""

import minigan


class Answers:
    def __eq__(self, other):
        return "asked"

    __hash__ = object.__hash__


def test_an_object_that_is_no_operand_is_compared_by_python():
    x = minigan.tensor([1.0, 2.0])
    for other in (object(), {}, set(), len):
        assert (x == other) is False and (other == x) is False
        assert (x != other) is True and (other != x) is True
    assert (x == Answers()) == "asked" and (Answers() == x) == "asked"
    assert {x: 1}[x] == 1  # (a tensor still hashes by identity)
