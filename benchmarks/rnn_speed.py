"""Recurrent layers beside PyTorch's on the CPU: one forward and backward of the same network, the same weights and
the same batch in both, interleaved repeats, medians and the median of paired ratios.

PyTorch's nn.LSTM runs its loop over time in C++; minigan's is a Python loop over engine ops.  So the LSTM is also
timed as PyTorch running minigan's very loop (the cell's equations with torch ops, ``torch_loop_lstm``): the
ratio to that one is the engine's, op for op.

    env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=1 python benchmarks/rnn_speed.py [--repeats 30] [--kind LSTM GRU RNN]

Default: LSTM(32, 64, num_layers=2), batch 32, 20 steps (sequence-first), float32, sum of the output as the loss.
"""

import argparse
import statistics
import time

import numpy as np
import torch

import minigan


def build(kind, input_size, hidden, layers):
    theirs = getattr(torch.nn, kind)(input_size, hidden, layers)
    ours = getattr(minigan.nn, kind)(input_size, hidden, layers)
    ours.load_state_dict({k: minigan.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    return ours, theirs


def torch_loop_lstm(module, x):
    """minigan's LSTM forward (minigan/nn/rnn.py) written with torch ops: per step one product for the input's
    share and one for the state's, the four gates, c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c')."""
    F, steps = torch.nn.functional, list(x.unbind(0))
    for layer in range(module.num_layers):
        w_ih, w_hh = getattr(module, f"weight_ih_l{layer}"), getattr(module, f"weight_hh_l{layer}")
        b_ih, b_hh = getattr(module, f"bias_ih_l{layer}"), getattr(module, f"bias_hh_l{layer}")
        h = c = x.new_zeros(x.shape[1], module.hidden_size)
        outputs = []
        for x_t in steps:
            gi, gf, gg, go = (F.linear(x_t, w_ih, b_ih) + F.linear(h, w_hh, b_hh)).chunk(4, 1)
            i, f, g, o = torch.sigmoid(gi), torch.sigmoid(gf), torch.tanh(gg), torch.sigmoid(go)
            c = f * c + i * g
            h = o * torch.tanh(c)
            outputs.append(h)
        steps = outputs
    return torch.stack(steps), None


class TorchLoop(torch.nn.Module):
    def __init__(self, lstm):
        super().__init__()
        self.lstm = lstm

    def forward(self, x):
        return torch_loop_lstm(self.lstm, x)


def step(module, x, lib):
    module.zero_grad()
    out, _ = module(x)
    out.sum().backward()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", nargs="+", default=["LSTM"])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--input", type=int, default=32)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--layers", type=int, default=2)
    args = parser.parse_args()
    minigan.set_num_threads(1)
    torch.set_num_threads(1)
    x = np.random.default_rng(0).standard_normal((args.steps, args.batch, args.input)).astype(np.float32)
    for kind in args.kind:
        ours, theirs = build(kind, args.input, args.hidden, args.layers)
        mx, tx = minigan.tensor(x), torch.tensor(x)
        for _ in range(3):  # warm-up
            step(ours, mx, minigan)
            step(theirs, tx, torch)
        loop = TorchLoop(theirs) if kind == "LSTM" else None
        if loop is not None:
            np.testing.assert_allclose(loop(tx)[0].detach().numpy(), theirs(tx)[0].detach().numpy(), atol=1e-5)
        mine, pytorch, pytorch_loop = [], [], []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            step(ours, mx, minigan)
            t1 = time.perf_counter()
            step(theirs, tx, torch)
            t2 = time.perf_counter()
            if loop is not None:
                step(loop, tx, torch)
            t3 = time.perf_counter()
            mine.append(t1 - t0)
            pytorch.append(t2 - t1)
            pytorch_loop.append(t3 - t2)
        ratio = statistics.median(a / b for a, b in zip(mine, pytorch))
        print(f"{kind}({args.input}, {args.hidden}, num_layers={args.layers}) batch {args.batch}, {args.steps} steps, "
              f"forward+backward: minigan {1e3 * statistics.median(mine):.2f} ms, PyTorch "
              f"{1e3 * statistics.median(pytorch):.2f} ms, minigan / PyTorch {ratio:.2f} (median of {args.repeats} "
              "paired ratios)")
        if loop is not None:
            ratio = statistics.median(a / b for a, b in zip(mine, pytorch_loop))
            print(f"    PyTorch running minigan's Python loop: {1e3 * statistics.median(pytorch_loop):.2f} ms, "
                  f"minigan / that {ratio:.2f}")

if __name__ == "__main__":
    main()
