"""The tutorial's Function the torch-free tests of test_custom_function.py use (its comparison with PyTorch,
tests/pytorch/test_custom_function.py, writes the same one once for both libraries)."""

import minigan


class Legendre3(minigan.autograd.Function):
    """P₃(x) = ½(5x³ − 3x), the polynomial of the classic tutorial."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * (5 * x ** 3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):  # P₃'(x) = 1.5(5x² − 1)
        (x,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * x ** 2 - 1)
