"""Recurrent layers, as PyTorch's ``nn.RNN``, ``nn.LSTM``, ``nn.GRU`` and their cells: the same parameters (names,
shapes, gate order, initialisation), arguments, layouts and results.  They are written from minigan's ops, so
they need no backward of their own: the gradient through time is the ops' gradients, chained by the engine.

One step of each cell, as PyTorch's documentation writes it (x the input, h the hidden state, c the cell state;
each W_i· x + b_i· + W_h· h + b_h· is one row block of ``weight_ih``, ``bias_ih``, ``weight_hh``, ``bias_hh``,
stacked in the order the gates are listed here):

    RNN (Elman 1990)              h' = tanh(W_ih x + b_ih + W_hh h + b_hh)          (or relu)

    LSTM (Hochreiter & Schmidhuber 1997, "Long short-term memory", with the forget gate of Gers, Schmidhuber
    & Cummins 2000, "Learning to forget"):
                                  i  = σ(W_ii x + b_ii + W_hi h + b_hi)             input gate
                                  f  = σ(W_if x + b_if + W_hf h + b_hf)             forget gate
                                  g  = tanh(W_ig x + b_ig + W_hg h + b_hg)          candidate cell
                                  o  = σ(W_io x + b_io + W_ho h + b_ho)             output gate
                                  c' = f ⊙ c + i ⊙ g
                                  h' = o ⊙ tanh(c')                  (with proj_size: h' = W_hr (o ⊙ tanh(c')))

    GRU (Cho et al. 2014, "Learning phrase representations using RNN encoder-decoder", eqs. 5 to 8):
                                  r  = σ(W_ir x + b_ir + W_hr h + b_hr)             reset gate
                                  z  = σ(W_iz x + b_iz + W_hz h + b_hz)             update gate
                                  n  = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))    candidate state
                                  h' = (1 − z) ⊙ n + z ⊙ h
    (PyTorch's and cuDNN's GRU reset the candidate's *product* W_hn h + b_hn; the paper resets h before it,
    W (r ⊙ h).  minigan follows PyTorch, so that weights copy across.)

A sequence is (T, N, input_size), or (N, T, input_size) with ``batch_first``, or (T, input_size) unbatched.  Each
layer runs over a list of T steps, each (N, width): the loop over time is the recurrence itself, as each step needs
the state the step before made.  The input's share of the gates, W_ih x_t + b_ih, does not depend on the state and
could be one matrix product for all T steps; but its gradient would then come back through T slices of that
product, and this engine's backward of a slice is a zero array of the whole (T, N, G) with the slice's gradient in
it: T such arrays, T² work.  One small product per step does the same arithmetic and keeps the backward linear in
T (docs/performance.md, "Recurrent layers", has both measured).  Layer l > 0 reads layer l − 1's outputs (both
directions side by side when bidirectional), with ``dropout`` between layers while training, never after the
last: one mask for the whole (T, N, width) output, drawn as PyTorch draws it.
"""

from __future__ import annotations

import math
import warnings

from minigan import functional as F
from minigan.engine import backend, checks
from minigan.engine.errors import ShapeError
from minigan.nn import init
from minigan.nn.layers import _empty, _settings_repr
from minigan.nn.module import Module
from minigan.nn.parameter import Parameter
from minigan.surface.tensor import Tensor

GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}  # how many row blocks W_ih and W_hh stack


# ----------------------------------------------------------------------------- one step of each cell
# xw is the input's share of the gates, W_ih x + b_ih (the caller's product: it needs no state)
def rnn_tanh_step(xw, h, w_hh, b_hh):
    """Elman: h' = tanh(W_ih x + b_ih + W_hh h + b_hh)."""
    return F.tanh(xw + F.linear(h, w_hh, b_hh))


def rnn_relu_step(xw, h, w_hh, b_hh):
    """Elman with ReLU: h' = relu(W_ih x + b_ih + W_hh h + b_hh)."""
    return F.relu(xw + F.linear(h, w_hh, b_hh))


def lstm_step(xw, state, w_hh, b_hh, w_hr=None):
    """LSTM with a forget gate: (h, c) → (h', c'), the equations of the module docstring line by line."""
    h, c = state
    gi, gf, gg, go = (xw + F.linear(h, w_hh, b_hh)).chunk(4, 1)  # the four gates' pre-activations, PyTorch's order
    i = F.sigmoid(gi)          # i  = σ(W_ii x + b_ii + W_hi h + b_hi)
    f = F.sigmoid(gf)          # f  = σ(W_if x + b_if + W_hf h + b_hf)
    g = F.tanh(gg)             # g  = tanh(W_ig x + b_ig + W_hg h + b_hg)
    o = F.sigmoid(go)          # o  = σ(W_io x + b_io + W_ho h + b_ho)
    c = f * c + i * g          # c' = f ⊙ c + i ⊙ g
    h = o * F.tanh(c)          # h' = o ⊙ tanh(c')
    if w_hr is not None:
        h = F.linear(h, w_hr)  # h' = W_hr h'  (proj_size: a smaller state carried to the next step)
    return h, c


def gru_step(xw, h, w_hh, b_hh):
    """GRU: h → h', the equations of the module docstring line by line."""
    xr, xz, xn = xw.chunk(3, 1)                         # W_i· x + b_i·
    hr, hz, hn = F.linear(h, w_hh, b_hh).chunk(3, 1)    # W_h· h + b_h·
    r = F.sigmoid(xr + hr)                              # r  = σ(W_ir x + b_ir + W_hr h + b_hr)
    z = F.sigmoid(xz + hz)                              # z  = σ(W_iz x + b_iz + W_hz h + b_hz)
    n = F.tanh(xn + r * hn)                             # n  = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
    return (1 - z) * n + z * h                          # h' = (1 − z) ⊙ n + z ⊙ h


STEPS = {"RNN_TANH": rnn_tanh_step, "RNN_RELU": rnn_relu_step, "LSTM": lstm_step, "GRU": gru_step}


# ----------------------------------------------------------------------------- argument checks
def _size(value, name):
    """PyTorch's checks of input_size and hidden_size: an int (TypeError), above zero (ValueError)."""
    if not checks.is_integer(value):
        raise TypeError(f"{name} should be of type int, got: {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name} must be greater than zero")
    return int(value)


def _flag(value, name):
    if not isinstance(value, bool):
        raise TypeError(f"{name} should be of type bool, got: {type(value).__name__}")
    return value


def _check_tensor(value, layer):
    if not isinstance(value, Tensor):
        hint = " (a NumPy array becomes one with minigan.from_numpy(a))" if hasattr(value, "__array__") else ""
        raise TypeError(f"{layer}: expected a Tensor, got {type(value).__name__}{hint}")


def _uniform_init(module):
    """PyTorch's initialisation of every recurrent weight and bias: U(−1/√hidden_size, 1/√hidden_size), drawn in
    the order the parameters were registered (so a shared random stream gives PyTorch's numbers)."""
    bound = 1.0 / math.sqrt(module.hidden_size)
    for weight in module.parameters():
        init.uniform_(weight, -bound, bound)


# ----------------------------------------------------------------------------- the multi-layer modules
class RNNBase(Module):
    """What RNN, LSTM and GRU share: PyTorch's ``nn.RNNBase(mode, input_size, hidden_size, num_layers, bias,
    batch_first, dropout, bidirectional, proj_size)``, with ``mode`` one of 'RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'.

    Parameters per layer l and direction (``_reverse`` for the backward one), registered in PyTorch's order:
    ``weight_ih_l{l}`` (G·H, input width), ``weight_hh_l{l}`` (G·H, H), ``bias_ih_l{l}``, ``bias_hh_l{l}`` (G·H,)
    and, for an LSTM with proj_size P, ``weight_hr_l{l}`` (P, H); G is the number of gates (1, 4 or 3).
    """

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__()
        if mode not in GATES:
            raise ValueError(f"Unrecognized RNN mode: {mode!r} (expected one of {', '.join(GATES)})")
        if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout <= 1:
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an "
                             f"element being zeroed, got {dropout!r}")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                          f"expects num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}",
                          stacklevel=3)
        self.mode = mode
        self.bias = _flag(bias, "bias")
        self.batch_first = _flag(batch_first, "batch_first")
        self.bidirectional = bidirectional
        self.input_size = _size(input_size, "input_size")
        self.hidden_size = _size(hidden_size, "hidden_size")
        if not checks.is_integer(num_layers) or num_layers <= 0:
            raise ValueError(f"num_layers must be greater than zero, got {num_layers!r}")
        if not checks.is_integer(proj_size) or isinstance(proj_size, bool):  # (PyTorch's TypeError, from its sizes)
            raise TypeError(f"proj_size must be an int (0 disables projections), got {proj_size!r}")
        if proj_size < 0:
            raise ValueError(f"proj_size should be a positive integer or zero to disable projections, got "
                             f"{proj_size!r}")
        if proj_size >= hidden_size:
            raise ValueError(f"proj_size has to be smaller than hidden_size, got proj_size={proj_size} and "
                             f"hidden_size={hidden_size}")
        if proj_size and mode != "LSTM":
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        self.num_layers, self.proj_size, self.dropout = int(num_layers), int(proj_size), float(dropout)

        gates = GATES[mode] * self.hidden_size
        carried = self.proj_size or self.hidden_size  # the width of h, the state passed from step to step
        self._flat_weights_names, self._all_weights = [], []
        for layer in range(self.num_layers):
            for suffix in self._suffixes():
                width = self.input_size if layer == 0 else carried * len(self._suffixes())
                shapes = {f"weight_ih_l{layer}{suffix}": (gates, width),
                          f"weight_hh_l{layer}{suffix}": (gates, carried)}
                if bias:
                    shapes.update({f"bias_ih_l{layer}{suffix}": (gates,), f"bias_hh_l{layer}{suffix}": (gates,)})
                if self.proj_size:
                    shapes[f"weight_hr_l{layer}{suffix}"] = (self.proj_size, self.hidden_size)
                for name, shape in shapes.items():
                    self.register_parameter(name, Parameter(_empty(*shape)))
                self._flat_weights_names.extend(shapes)
                self._all_weights.append(list(shapes))
        self.reset_parameters()
        self.to(device=device, dtype=dtype)

    def _suffixes(self):
        return ("", "_reverse") if self.bidirectional else ("",)

    def reset_parameters(self):
        """Draw every weight and bias again from U(−1/√hidden_size, 1/√hidden_size), as PyTorch."""
        _uniform_init(self)

    def flatten_parameters(self):
        """PyTorch packs the weights into one cuDNN buffer here; minigan's weights need no packing: nothing to do."""

    @property
    def all_weights(self):
        """The parameters per layer and direction: [[weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0], ...]."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def extra_repr(self):
        return _settings_repr(self, f"{self.input_size}, {self.hidden_size}",
                              {"proj_size": 0, "num_layers": 1, "bias": True, "batch_first": False, "dropout": 0,
                               "bidirectional": False})

    # ------------------------------------------------------------------ the forward pass
    def forward(self, input, hx=None):
        """(output, h_n), or for an LSTM (output, (h_n, c_n)): output holds the last layer's h at every step
        (both directions side by side), h_n (and c_n) every layer's and direction's state after the last step,
        (num_layers · directions, N, H)."""
        x, batched = self._sequence_first(input)
        states = self._initial_states(x, hx, batched)  # one per layer and direction: h, or (h, c)
        directions = len(self._suffixes())
        steps = list(x.unbind(0))  # the layer's input at each step, (N, width)
        finals = []
        for layer in range(self.num_layers):
            outputs = []  # per direction, the list of its h_t
            for d, suffix in enumerate(self._suffixes()):
                hs, final = self._run_direction(steps, states[layer * directions + d], layer, suffix)
                outputs.append(hs)
                finals.append(final)
            steps = outputs[0] if directions == 1 else [F.cat(both, dim=1) for both in zip(*outputs)]
            if self.training and self.dropout > 0 and layer < self.num_layers - 1:  # between layers only
                mask = F.dropout(x.new_ones((len(steps), *steps[0].shape)), self.dropout)  # 0 or 1/(1 − p)
                steps = [s * m for s, m in zip(steps, mask.unbind(0))]
        output = F.stack(steps)
        if self.mode == "LSTM":
            hidden = (F.stack([h for h, _ in finals]), F.stack([c for _, c in finals]))
        else:
            hidden = F.stack(finals)
        if not batched:
            return output.squeeze(1), (tuple(s.squeeze(1) for s in hidden) if self.mode == "LSTM" else
                                       hidden.squeeze(1))
        return (output.transpose(0, 1) if self.batch_first else output), hidden

    def _run_direction(self, steps, state, layer, suffix):
        """One layer in one direction over the T steps (each (N, width)): (its h at each step, its final state)."""
        w_ih, w_hh = getattr(self, f"weight_ih_l{layer}{suffix}"), getattr(self, f"weight_hh_l{layer}{suffix}")
        b_ih = getattr(self, f"bias_ih_l{layer}{suffix}") if self.bias else None
        b_hh = getattr(self, f"bias_hh_l{layer}{suffix}") if self.bias else None
        recurrent = (w_hh, b_hh, getattr(self, f"weight_hr_l{layer}{suffix}")) if self.proj_size else (w_hh, b_hh)
        step = STEPS[self.mode]
        hs = [None] * len(steps)
        for t in (reversed(range(len(steps))) if suffix == "_reverse" else range(len(steps))):
            state = step(F.linear(steps[t], w_ih, b_ih), state, *recurrent)  # xw = W_ih x_t + b_ih
            hs[t] = state[0] if self.mode == "LSTM" else state
        return hs, state

    def _sequence_first(self, input):
        """The input as (T, N, input_size), checked as PyTorch checks it, and whether it had a batch axis."""
        name = type(self).__name__
        _check_tensor(input, name)
        if input.ndim not in (2, 3):
            raise ShapeError(f"{name}: Expected input to be 2D or 3D, got {input.ndim}D tensor instead")
        weight = self.weight_ih_l0
        if input.dtype != weight.dtype:
            given, wanted = backend.np.dtype(input.dtype).name, backend.np.dtype(weight.dtype).name
            raise ValueError(f"{name} input dtype ({given}) does not match weight dtype ({wanted}). Convert input: "
                             f"input.to(minigan.{wanted}), or convert model: model.to(minigan.{given})")
        if input.shape[-1] != self.input_size:
            raise ShapeError(f"{name}: input.size(-1) must be equal to input_size. Expected {self.input_size}, got "
                             f"{input.shape[-1]}")
        if input.shape[1 if self.batch_first and input.ndim == 3 else 0] == 0:
            raise ShapeError(f"{name}: Expected sequence length to be larger than 0 in RNN, got input of shape "
                             f"{tuple(input.shape)}")
        if input.ndim == 2:
            return input.unsqueeze(1), False
        return (input.transpose(0, 1) if self.batch_first else input), True

    def _initial_states(self, x, hx, batched):
        """The states each layer and direction starts from: hx split along its first axis, or zeros."""
        name, n = type(self).__name__, x.shape[1]
        layers = self.num_layers * len(self._suffixes())
        expected_h, expected_c = (layers, n, self.proj_size or self.hidden_size), (layers, n, self.hidden_size)
        dims, kind = (3, "batched 3-D") if batched else (2, "unbatched 2-D")
        if self.mode != "LSTM":
            if hx is None:
                return list(x.new_zeros(expected_h).unbind(0))
            _check_tensor(hx, name)
            if hx.ndim != dims:
                raise ShapeError(f"{name}: For {kind} input, hx should also be {dims}-D but got {hx.ndim}-D tensor")
            return list(self._check_size(hx if batched else hx.unsqueeze(1), expected_h, "hidden").unbind(0))
        if hx is None:
            h, c = x.new_zeros(expected_h), x.new_zeros(expected_c)
        elif not isinstance(hx, (tuple, list)) or len(hx) != 2:
            raise TypeError(f"{name}: hx must be a tuple (h_0, c_0), got {type(hx).__name__}")
        else:
            h, c = hx
            _check_tensor(h, name)
            _check_tensor(c, name)
            if h.ndim != dims or c.ndim != dims:
                raise ShapeError(f"{name}: For {kind} input, hx and cx should also be {dims}-D but got "
                                 f"({h.ndim}-D, {c.ndim}-D) tensors")
            h, c = (h, c) if batched else (h.unsqueeze(1), c.unsqueeze(1))
            h, c = self._check_size(h, expected_h, "hidden[0]"), self._check_size(c, expected_c, "hidden[1]")
        return list(zip(h.unbind(0), c.unbind(0)))

    def _check_size(self, state, expected, which):
        if tuple(state.shape) != expected:
            raise ShapeError(f"{type(self).__name__}: Expected {which} size {expected}, got {list(state.shape)}")
        return state


class RNN(RNNBase):
    """PyTorch's ``nn.RNN``: an Elman network, h_t = tanh(W_ih x_t + b_ih + W_hh h_(t−1) + b_hh), or relu."""

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, device=None, dtype=None, *, proj_size=None):
        _no_projection(proj_size)
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size, hidden_size, num_layers,
                         bias, batch_first, dropout, bidirectional, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity


class LSTM(RNNBase):
    """PyTorch's ``nn.LSTM``; ``forward(input, (h_0, c_0))`` returns ``(output, (h_n, c_n))``."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size, device, dtype)


class GRU(RNNBase):
    """PyTorch's ``nn.GRU``; ``forward(input, h_0)`` returns ``(output, h_n)``."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, device=None, dtype=None, *, proj_size=None):
        _no_projection(proj_size)
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         device=device, dtype=dtype)


def _no_projection(proj_size) -> None:
    """PyTorch's RNN and GRU refuse the keyword itself, even proj_size=0."""
    if proj_size is not None:
        raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU (leave it out)")


# ----------------------------------------------------------------------------- the cells: one step, by hand
class RNNCellBase(Module):
    """What the cells share: ``weight_ih`` (G·H, input_size), ``weight_hh`` (G·H, H), ``bias_ih``, ``bias_hh``
    (G·H,) (None with bias=False), all drawn from U(−1/√H, 1/√H) as PyTorch."""

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size = _size(input_size, "input_size")
        self.hidden_size = _size(hidden_size, "hidden_size")
        self.bias = _flag(bias, "bias")
        self.weight_ih = Parameter(_empty(num_chunks * self.hidden_size, self.input_size))
        self.weight_hh = Parameter(_empty(num_chunks * self.hidden_size, self.hidden_size))
        self.bias_ih = Parameter(_empty(num_chunks * self.hidden_size)) if bias else None
        self.bias_hh = Parameter(_empty(num_chunks * self.hidden_size)) if bias else None
        self.reset_parameters()
        self.to(device=device, dtype=dtype)

    def reset_parameters(self):
        """Draw every weight and bias again from U(−1/√hidden_size, 1/√hidden_size), as PyTorch."""
        _uniform_init(self)

    def extra_repr(self):
        return _settings_repr(self, f"{self.input_size}, {self.hidden_size}", {"bias": True, "nonlinearity": "tanh"})

    def _batch(self, input, states):
        """input and states as (N, ·), checked as PyTorch checks them, and whether the input had a batch axis;
        missing states are zeros."""
        name = type(self).__name__
        for t in (input, *(states or ())):
            _check_tensor(t, name)
        if input.ndim not in (1, 2):
            raise ShapeError(f"{name}: Expected input to be 1D or 2D, got {input.ndim}D instead")
        if input.shape[-1] != self.input_size:
            raise ShapeError(f"{name}: input has inconsistent input_size: got {input.shape[-1]} expected "
                             f"{self.input_size}")
        batched = input.ndim == 2
        input = input if batched else input.unsqueeze(0)
        if states is None:
            return input, [input.new_zeros((input.shape[0], self.hidden_size))], batched
        checked = []
        for i, state in enumerate(states):
            which = "hidden" if len(states) == 1 else f"hx[{i}]"
            if state.ndim not in (1, 2):
                raise ShapeError(f"{name}: Expected {which} to be 1D or 2D, got {state.ndim}D instead")
            state = state if batched else state.unsqueeze(0)
            if state.shape[-1] != self.hidden_size:
                raise ShapeError(f"{name}: hidden{i} has inconsistent hidden_size: got {state.shape[-1]}, expected "
                                 f"{self.hidden_size}")
            if state.shape[0] != input.shape[0]:
                raise ShapeError(f"{name}: Input batch size {input.shape[0]} doesn't match hidden{i} batch size "
                                 f"{state.shape[0]}")
            checked.append(state)
        return input, checked, batched


class RNNCell(RNNCellBase):
    """PyTorch's ``nn.RNNCell``: h' = tanh(W_ih x + b_ih + W_hh h + b_hh) (or relu), one step."""

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity: {nonlinearity!r}. Select from 'tanh' or 'relu'.")
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        x, (h,), batched = self._batch(input, None if hx is None else (hx,))
        step = rnn_tanh_step if self.nonlinearity == "tanh" else rnn_relu_step
        h = step(F.linear(x, self.weight_ih, self.bias_ih), h, self.weight_hh, self.bias_hh)
        return h if batched else h.squeeze(0)


class LSTMCell(RNNCellBase):
    """PyTorch's ``nn.LSTMCell``: ``cell(x, (h, c))`` returns ``(h', c')``, one step."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input, hx=None):
        if hx is not None and (not isinstance(hx, (tuple, list)) or len(hx) != 2):
            raise TypeError(f"LSTMCell: hx must be a tuple (h, c), got {type(hx).__name__}")
        x, states, batched = self._batch(input, hx)
        state = (states[0], states[0]) if hx is None else tuple(states)
        h, c = lstm_step(F.linear(x, self.weight_ih, self.bias_ih), state, self.weight_hh, self.bias_hh)
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """PyTorch's ``nn.GRUCell``: h' = (1 − z) ⊙ n + z ⊙ h, one step."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input, hx=None):
        x, (h,), batched = self._batch(input, None if hx is None else (hx,))
        h = gru_step(F.linear(x, self.weight_ih, self.bias_ih), h, self.weight_hh, self.bias_hh)
        return h if batched else h.squeeze(0)
