"""A VAE on binary 8x8 images, built the way pytorch/examples' vae/main.py builds its VAE (an MLP encoder with two
heads, mu and logvar, an MLP decoder, Adam at 1e-3, the loss summed over the batch and averaged per example per
epoch), with its prior, posterior and likelihood written as torch.distributions objects as many course notebooks do.

After: https://github.com/pytorch/examples/blob/main/vae/main.py (BSD-3-Clause), written anew for minigan's
comparison with PyTorch; the data are synthetic (random binary images), so it runs in seconds.
"""
import torch
import torch.nn.functional as F
from torch import nn, optim
from torch.distributions import Bernoulli, Independent, Normal, kl_divergence

torch.manual_seed(1)
images = (torch.rand(256, 64) > 0.6).float()


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 32)
        self.fc21 = nn.Linear(32, 4)
        self.fc22 = nn.Linear(32, 4)
        self.fc3 = nn.Linear(4, 32)
        self.fc4 = nn.Linear(32, 64)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def decode(self, z):
        return self.fc4(F.relu(self.fc3(z)))

    def forward(self, x):
        mu, logvar = self.encode(x)
        posterior = Independent(Normal(mu, torch.exp(0.5 * logvar)), 1)
        z = posterior.rsample()
        likelihood = Independent(Bernoulli(logits=self.decode(z)), 1)
        prior = Independent(Normal(torch.zeros_like(mu), torch.ones_like(mu)), 1)
        return likelihood.log_prob(x), kl_divergence(posterior, prior)


model = VAE()
optimizer = optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(1, 6):
    model.train()
    train_loss = 0.0
    perm = torch.randperm(images.size(0))
    for i in range(0, images.size(0), 32):
        data = images[perm[i:i + 32]]
        optimizer.zero_grad()
        log_px, kl = model(data)
        loss = -(log_px - kl).sum()
        loss.backward()
        train_loss += loss.item()
        optimizer.step()
    print(f"====> Epoch: {epoch} Average loss: {train_loss / images.size(0):.4f}")

model.eval()
with torch.no_grad():
    mu, logvar = model.encode(images[:8])
    print("posterior std:", torch.exp(0.5 * logvar).mean().item())
    sample = torch.sigmoid(model.decode(torch.randn(4, 4)))
    print("sample pixel sums:", [round(v, 3) for v in sample.sum(dim=1).tolist()])
    print("Bernoulli entropy of a sample:", Bernoulli(probs=sample).entropy().sum(dim=1).tolist())
