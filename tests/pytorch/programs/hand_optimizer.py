"""A small network trained by optimizers written by hand in PyTorch's own in-place style: Adam with the moments
updated by lerp_ and addcmul_ and the step by addcdiv_ (Kingma & Ba 2015, Algorithm 1), and SGD with momentum
by mul_/add_; the forward pass uses in-place activations on non-leaves (relu_, sigmoid_) and masked_fill_.
Prints the loss as it falls."""

import numpy as np
import torch

rng = np.random.default_rng(0)
X = torch.from_numpy(rng.normal(size=(64, 4)).astype(np.float32))
y = torch.from_numpy((rng.normal(size=(64, 1)) > 0).astype(np.float32))
w1 = torch.from_numpy((rng.normal(size=(4, 16)) * 0.5).astype(np.float32)).requires_grad_(True)
b1 = torch.zeros(16, requires_grad=True)
w2 = torch.from_numpy((rng.normal(size=(16, 1)) * 0.5).astype(np.float32)).requires_grad_(True)
params = [w1, b1, w2]


def forward(x, drop):
    h = x @ w1 + b1
    h.masked_fill_(drop, 0.0)  # a fixed "dropout" mask (after relu_, it would change the output relu saved)
    h.relu_()  # recorded on h's history: its gradient is relu's
    p = h @ w2
    return p.sigmoid_()


def bce(p, t):
    return -(t * p.clamp(1e-6, 1 - 1e-6).log() + (1 - t) * (1 - p).clamp(1e-6, 1.0).log()).mean()


drop = torch.from_numpy(rng.random((64, 16)) < 0.1)
m = [torch.zeros_like(p) for p in params]
v = [torch.zeros_like(p) for p in params]
beta1, beta2, lr, eps, decay = 0.9, 0.999, 0.05, 1e-8, 1e-3
for t in range(1, 31):
    loss = bce(forward(X, drop), y)
    for p in params:
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p, m_t, v_t in zip(params, m, v):
            g = p.grad.add(p, alpha=decay)
            m_t.lerp_(g, 1 - beta1)  # m = beta1·m + (1 − beta1)·g
            v_t.mul_(beta2).addcmul_(g, g, value=1 - beta2)  # v = beta2·v + (1 − beta2)·g²
            denom = (v_t / (1 - beta2 ** t)).sqrt_().add_(eps)
            p.addcdiv_(m_t, denom, value=-lr / (1 - beta1 ** t))
    if t % 10 == 0:
        print(f"adam step {t} loss {loss.item():.6f}")

momentum = [torch.zeros_like(p) for p in params]
for t in range(1, 21):
    loss = bce(forward(X, drop), y)
    for p in params:
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p, buf in zip(params, momentum):
            buf.mul_(0.9).add_(p.grad)
            p.sub_(buf, alpha=0.1)
            p.clamp_(-3.0, 3.0)
    if t % 10 == 0:
        print(f"sgd step {t} loss {loss.item():.6f}")
print("w2 norm", w2.norm().item(), "hidden zeros", (forward(X, drop) == 0).sum().item())
