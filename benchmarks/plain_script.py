"""A learner's own script, written with PyTorch habits and no thread settings.

An MLP GAN on 8 Gaussians (a ring of radius 2, std 0.02), batch 256, Adam, BCE with logits.
It is timed from outside, whole process, against the same script with one BLAS thread:

    python benchmarks/plain_script.py                 # minigan's default thread policy
    OPENBLAS_NUM_THREADS=1 python benchmarks/plain_script.py   # one BLAS thread for the whole process
    python benchmarks/plain_script.py --set-num-threads-1      # what the lessons do: set_num_threads(1)

docs/performance.md ("Threads") gives the measured ratio.  ``--steps N`` (default 1000).
"""

import math
import sys

import minigan
import minigan.nn as nn

steps = int(sys.argv[sys.argv.index("--steps") + 1]) if "--steps" in sys.argv else 1000
if "--set-num-threads-1" in sys.argv:
    minigan.set_num_threads(1)
minigan.manual_seed(0)

G = nn.Sequential(nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 2))
D = nn.Sequential(nn.Linear(2, 128), nn.LeakyReLU(0.2), nn.Linear(128, 128), nn.LeakyReLU(0.2), nn.Linear(128, 1))
opt_g = minigan.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
opt_d = minigan.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
criterion = nn.BCEWithLogitsLoss()
centers = minigan.tensor([[2 * math.cos(2 * math.pi * k / 8), 2 * math.sin(2 * math.pi * k / 8)] for k in range(8)])

for step in range(steps):
    real = centers[minigan.randint(0, 8, (256,))] + 0.02 * minigan.randn(256, 2)
    z = minigan.randn(256, 2)
    fake = G(z)
    loss_d = criterion(D(real), minigan.ones(256, 1)) + criterion(D(fake.detach()), minigan.zeros(256, 1))
    opt_d.zero_grad()
    loss_d.backward()
    opt_d.step()
    loss_g = criterion(D(fake), minigan.ones(256, 1))
    opt_g.zero_grad()
    loss_g.backward()
    opt_g.step()
    if step % 200 == 0:
        print(f"step {step}: loss_d {loss_d.item():.3f} loss_g {loss_g.item():.3f}")
