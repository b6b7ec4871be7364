"""What the torch-free tests of test_storage.py share with its comparisons with PyTorch
(tests/pytorch/test_storage_and_pickling.py)."""

import warnings


def quiet(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn()
