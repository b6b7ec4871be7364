"""Ordinary PyTorch idioms on their own terms: a float layer takes a concatenation with integer labels, saved tensors
load as tensors, no_grad and inference_mode decorate without parentheses, and index_put refuses bad indices in one
line.

(Its comparisons with PyTorch: tests/pytorch/test_pytorch_idioms.py.)"""

import pytest

import minigan


def test_a_float_layer_takes_a_concatenation_with_integer_labels():
    h = minigan.cat([minigan.ones(2, 3), minigan.tensor([[1], [0]])], 1)
    assert h.dtype == minigan.float32 and minigan.nn.Linear(4, 1)(h).shape == (2, 1)


def test_saved_tensors_load_as_tensors(tmp_path):
    minigan.save({"w": minigan.ones(2, requires_grad=True), "n": [minigan.arange(3)]}, tmp_path / "t.pt")
    state = minigan.load(tmp_path / "t.pt")
    assert isinstance(state["w"], minigan.Tensor) and state["w"].requires_grad
    assert isinstance(state["n"][0], minigan.Tensor) and state["n"][0].tolist() == [0, 1, 2]


def test_no_grad_and_inference_mode_decorate_without_parentheses():
    @minigan.no_grad
    def doubled(x):
        return x * 2

    @minigan.inference_mode
    def tripled(x):
        return x * 3

    x = minigan.ones(2, requires_grad=True)
    assert not doubled(x).requires_grad and not tripled(x).requires_grad and doubled.__name__ == "doubled"
    with minigan.inference_mode(False):
        assert (x * 2).requires_grad


def test_index_put_refuses_bad_indices_in_one_line():
    x = minigan.zeros(3, 4)
    with pytest.raises(IndexError, match="index 5 is out of range"):
        x.index_put_((minigan.tensor([5]),), minigan.tensor(1.0))
    with pytest.raises(IndexError, match="must be integer or bool tensors"):  # PyTorch's IndexError
        x.index_put((minigan.tensor([0.5]),), minigan.tensor(1.0))
