"""Idioms of adversarial-attack and data code: integer tensors from lists, indexed assignment under no_grad
(x[mask] = 0, x[:, :2] *= 0.5), a bool-tensor where, and an f-string of a one-element loss; prints them."""

import numpy as np
import torch

labels = torch.tensor([2, 0, 1, 2])
print("labels dtype is int64", labels.dtype == torch.int64)
x = torch.from_numpy(np.linspace(-1.0, 1.0, 12).reshape(4, 3).astype(np.float32)).requires_grad_(True)
loss = (x * x).sum()
loss.backward()
with torch.no_grad():
    delta = x.grad.clone()
    delta[delta.abs() < 0.3] = 0.0
    delta[:, :2] *= 0.5
    x_adv = torch.where(torch.tensor([True, False, True, False]).unsqueeze(1), x + delta, x)
print("delta", delta.sum().item(), "x_adv", x_adv.sum().item())
print(f"loss {loss:.4f}")
