"""nn.Embedding's bad options (a padding_idx outside the table, ...) are refused in one line.

(Its comparisons with PyTorch: tests/pytorch/test_embedding.py.)"""

import pytest

import minigan


def test_bad_options_are_refused_in_one_line():
    with pytest.raises(ValueError, match="padding_idx=6 is outside the 6 embeddings"):
        minigan.nn.Embedding(6, 3, padding_idx=6)
    with pytest.raises(NotImplementedError, match="sparse=True is not provided"):
        minigan.nn.Embedding(6, 3, sparse=True)
    with pytest.raises(TypeError, match="padding_idx must be an int"):
        minigan.nn.functional.embedding(minigan.tensor([0]), minigan.randn(3, 2), padding_idx=1.5)
