"""A regression loop with the training utilities of current scripts: AdamW, a LinearLR warm-up chained with
CosineAnnealingLR, gradient clipping by the global norm, zero_grad(set_to_none=True), and a learning rate
the loop lowers by hand half-way (the schedulers continue from it); prints loss, gradient norm and rate."""

import numpy as np
import torch
import torch.nn as nn
from torch.nn.utils import clip_grad_norm_
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR

rng = np.random.default_rng(0)
X = torch.from_numpy(rng.normal(size=(64, 5)).astype(np.float32))
w_true = torch.from_numpy(rng.normal(size=(5, 1)).astype(np.float32))
y = X @ w_true + 0.1 * torch.from_numpy(rng.normal(size=(64, 1)).astype(np.float32))

model = nn.Sequential(nn.Linear(5, 16), nn.SiLU(), nn.LayerNorm(16), nn.Linear(16, 1))
gen = np.random.default_rng(1)
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.from_numpy(gen.normal(0.0, 0.4, size=tuple(p.shape)).astype(np.float32)))

optimizer = torch.optim.AdamW(model.parameters(), lr=0.05, weight_decay=0.01)
warmup = LinearLR(optimizer, start_factor=0.2, total_iters=3)
cosine = CosineAnnealingLR(optimizer, T_max=10, eta_min=1e-3)
loss_fn = nn.SmoothL1Loss(beta=0.5)

for it in range(10):
    optimizer.zero_grad(set_to_none=True)
    loss = loss_fn(model(X), y)
    loss.backward()
    total_norm = clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()
    warmup.step()
    cosine.step()
    if it == 5:
        for group in optimizer.param_groups:
            group["lr"] = group["lr"] * 0.5
    print("iter", it, "loss", loss.item(), "grad_norm", float(total_norm), "lr", optimizer.param_groups[0]["lr"])
