"""The custom autograd Function lesson (as in PyTorch's tutorial on extending autograd): a Function with
@staticmethod forward(ctx, ...)/backward(ctx, ...), ctx.save_for_backward and Function.apply, used in a
small fit; prints the loss each step."""

import numpy as np
import torch


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)


x = torch.from_numpy(np.linspace(-1.0, 1.0, 200))
y = torch.sin(x * 3.14159)
a = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
b = torch.tensor(-1.0, dtype=torch.float64, requires_grad=True)
c = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
d = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
P3 = LegendrePolynomial3.apply
for t in range(20):
    y_pred = a + b * P3(c + d * x)
    loss = (y_pred - y).pow(2).sum()
    loss.backward()
    with torch.no_grad():
        for p in (a, b, c, d):
            p -= 5e-4 * p.grad
            p.grad = None
    print("step", t, "loss", loss.item())
