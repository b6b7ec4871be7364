"""The differentiable operations, one small ``Node`` subclass each (minigan.engine.graph).

elementwise  add sub mul div neg pow exp log abs sqrt clamp cast clone fill where
activation   sigmoid tanh relu leaky_relu softplus
reduce       sum mean max logsumexp softmax log_softmax cumsum
shape        reshape transpose getitem cat pad to-device broadcast_to index_add
linalg       matmul, linear, einsum
loss         binary_cross_entropy_with_logits, binary_cross_entropy, cross_entropy, mse_loss
conv         conv2d, conv_transpose2d, conv2d_weight (im2col + one GEMM; each is the others' backward)
norm         batch_norm (one fused op)
pool         max_pool2d avg_pool2d upsample_nearest2d

namespace.py holds the NumPy-named functions (exp, where, ...) a backward calls on Tensors.
"""
