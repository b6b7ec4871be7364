"""Recurrent layers (nn.RNN, nn.LSTM, nn.GRU and their cells) on their own terms: the repr of the issue's example,
each cell's step (tanh, relu, LSTM with and without proj_size) and the modules through time against finite
differences, dropout between layers only and only while training, every backend, and one-line refusals of what is
not a tensor and of options that belong to another layer.

(Its comparisons with PyTorch: tests/pytorch/test_rnn.py.)"""

import numpy as np
import pytest

import minigan
from library.helpers_rnn import rng
from minigan import nn
from minigan.nn import rnn


def test_repr_of_the_issue_example():
    assert repr(nn.LSTM(10, 20, num_layers=2, batch_first=True)) == "LSTM(10, 20, num_layers=2, batch_first=True)"


# ----------------------------------------------------------------------------- finite differences
def _leaves(*shapes):
    return [minigan.tensor(rng.standard_normal(s) * 0.7, requires_grad=True) for s in shapes]


@pytest.mark.parametrize("step, gates", [(rnn.rnn_tanh_step, 1), (rnn.gru_step, 3)])
def test_one_step_gradients_match_finite_differences(step, gates):
    xw, h, w_hh, b_hh = _leaves((3, gates * 4), (3, 4), (gates * 4, 4), (gates * 4,))
    assert minigan.gradcheck(step, (xw, h, w_hh, b_hh))


def test_relu_step_gradients_match_finite_differences():
    xw, h, w_hh, b_hh = _leaves((3, 4), (3, 4), (4, 4), (4,))
    xw = minigan.tensor(xw.detach().numpy() + np.sign(xw.detach().numpy()) * 0.5, requires_grad=True)  # off relu's kink
    with minigan.no_grad():
        w_hh.mul_(0.1)
    assert minigan.gradcheck(rnn.rnn_relu_step, (xw, h, w_hh, b_hh))


@pytest.mark.parametrize("projected", [False, True])
def test_lstm_step_gradients_match_finite_differences(projected):
    xw, h, c, w_hh, b_hh = _leaves((3, 16), (3, 2 if projected else 4), (3, 4), (16, 2 if projected else 4), (16,))
    w_hr = _leaves((2, 4)) if projected else []

    def h_and_c(xw, h, c, w_hh, b_hh, *w_hr):
        new_h, new_c = rnn.lstm_step(xw, (h, c), w_hh, b_hh, *w_hr)
        return minigan.cat([new_h.reshape(-1), new_c.reshape(-1)])

    assert minigan.gradcheck(h_and_c, (xw, h, c, w_hh, b_hh, *w_hr))


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
def test_module_gradients_through_time_match_finite_differences(kind):
    minigan.manual_seed(1)
    module = getattr(nn, kind)(2, 2, num_layers=2, bidirectional=True).double()
    x, h = _leaves((3, 2, 2), (4, 2, 2))
    hx = (h, _leaves((4, 2, 2))[0]) if kind == "LSTM" else h

    def run(x, *states):
        out, final = module(x, states if kind == "LSTM" else states[0])
        finals = final if kind == "LSTM" else (final,)
        return minigan.cat([out.reshape(-1)] + [f.reshape(-1) for f in finals])

    assert minigan.gradcheck(run, (x, *(hx if kind == "LSTM" else (hx,))))
    weight = module.weight_hh_l0_reverse.detach().requires_grad_()  # and one weight, through the loop over time
    assert minigan.gradcheck(lambda w: _with_weight(module, "weight_hh_l0_reverse", w, x.detach()), (weight,))


def _with_weight(module, name, w, x):
    """The module's output with one parameter replaced by ``w`` (a leaf gradcheck perturbs)."""
    saved = module._parameters[name]
    module._parameters[name] = w
    try:
        out = module(x)[0]
    finally:
        module._parameters[name] = saved
    return out


# ----------------------------------------------------------------------------- dropout
def test_dropout_acts_between_layers_only_and_only_while_training():
    minigan.manual_seed(0)
    module = nn.GRU(3, 4, num_layers=3, dropout=0.5)
    x = minigan.randn(6, 2, 3)
    module.eval()
    out_eval, h_eval = module(x)
    np.testing.assert_array_equal(module(x)[0].detach().numpy(), out_eval.detach().numpy())  # eval: deterministic
    module.train()
    out_train, h_train = module(x)
    # the first layer reads the input undropped: its final state is eval's; the later layers read dropped outputs
    np.testing.assert_allclose(h_train[0].detach().numpy(), h_eval[0].detach().numpy(), rtol=1e-6)
    assert not np.allclose(h_train[1].detach().numpy(), h_eval[1].detach().numpy())
    assert not np.allclose(out_train.detach().numpy(), out_eval.detach().numpy())
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        single = nn.LSTM(3, 4, dropout=0.5)
    np.testing.assert_array_equal(single(x)[0].detach().numpy(), single.eval()(x)[0].detach().numpy())


# ----------------------------------------------------------------------------- backends and dtypes
def test_runs_on_every_backend(xp_backend):
    minigan.manual_seed(0)
    module = nn.LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True)
    x = minigan.randn(2, 5, 3, requires_grad=True)
    out, (h, c) = module(x)
    assert tuple(out.shape) == (2, 5, 8) and tuple(h.shape) == tuple(c.shape) == (4, 2, 4)
    assert out.dtype == minigan.float32
    (out.sum() + h.sum() + c.sum()).backward()
    assert x.grad is not None and module.weight_ih_l1_reverse.grad is not None


def test_what_is_not_a_tensor_is_refused_in_one_line():
    array = np.zeros((5, 2, 3), dtype=np.float32)
    for call in (lambda: nn.LSTM(3, 4)(array), lambda: nn.GRU(3, 4)(minigan.tensor(array), (minigan.zeros(1, 2, 4),)),
                 lambda: nn.LSTM(3, 4)(minigan.tensor(array), (np.zeros((1, 2, 4)), np.zeros((1, 2, 4)))),
                 lambda: nn.GRUCell(3, 4)(minigan.tensor(array[0]), np.zeros((2, 4)))):
        with pytest.raises(TypeError, match=r"^\w+: expected a Tensor, got (ndarray \(a NumPy array becomes|tuple$)"):
            call()


def test_proj_size_is_an_lstm_option_only_and_hx_of_an_lstm_is_a_pair():
    with pytest.raises(TypeError, match="input_size should be of type int, got: float"):
        nn.LSTMCell(3.0, 4)  # (PyTorch: TypeError from torch.empty)
    with pytest.raises(ValueError, match="only supported for LSTM"):
        nn.RNNBase("GRU", 3, 4, proj_size=2)
    with pytest.raises(TypeError, match=r"hx must be a tuple \(h_0, c_0\)"):
        nn.LSTM(3, 4)(minigan.randn(2, 1, 3), minigan.zeros(1, 1, 4))
    with pytest.raises(TypeError, match=r"hx must be a tuple \(h, c\)"):
        nn.LSTMCell(3, 4)(minigan.randn(2, 3), minigan.zeros(2, 4))
