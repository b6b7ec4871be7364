"""``minigan.set_printoptions`` refuses a bad option (an unknown profile, a negative precision, a sci_mode that is not
a bool) with a clear error.

(Its comparisons with PyTorch: tests/pytorch/test_printing.py.)"""

import pytest

import minigan


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="profile"):
        minigan.set_printoptions(profile="long")
    with pytest.raises(ValueError, match="precision"):
        minigan.set_printoptions(precision=-1)
    with pytest.raises(ValueError, match="sci_mode"):
        minigan.set_printoptions(sci_mode="yes")
