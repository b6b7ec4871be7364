"""What the torch-free tests of test_function_styles.py share with its comparisons with PyTorch
(tests/pytorch/test_function_styles.py)."""


VALUES = [0.5, -1.0, 2.0]


def cube_and_slope(lib):
    """Separate style, two outputs, one of them saved: (x³, 3x²), as in PyTorch's docs on setup_context."""
    class CubeAndSlope(lib.autograd.Function):
        @staticmethod
        def forward(x):
            return x ** 3, 3 * x ** 2

        @staticmethod
        def setup_context(ctx, inputs, output):
            (x,), (_, dx) = inputs, output
            ctx.save_for_backward(x, dx)

        @staticmethod
        def backward(ctx, g, g_dx):  # d(x³)/dx = 3x² (saved), d(3x²)/dx = 6x
            x, dx = ctx.saved_tensors
            return g * dx + g_dx * 6 * x
    return CubeAndSlope


def powers(lib, calls, materialize=True):
    """Combined style, outputs (x², x³, a string, 2·x·w) and a non-Tensor argument; backward in differentiable ops."""
    class Powers(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, label, w):
            ctx.set_materialize_grads(materialize)
            ctx.save_for_backward(x, w)
            return x ** 2, x ** 3, label, 2 * x * w

        @staticmethod
        def backward(ctx, g2, g3, g_label, g_xw):
            calls.append((g2, g3, g_label, g_xw))
            x, w = ctx.saved_tensors
            gx, gw = 0 * x, None
            if g2 is not None:
                gx = gx + g2 * 2 * x
            if g3 is not None:
                gx = gx + g3 * 3 * x ** 2
            if g_xw is not None:
                gx, gw = gx + g_xw * 2 * w, (g_xw * 2 * x).sum(0) if ctx.needs_input_grad[2] else None
            return gx, None, gw
    return Powers
