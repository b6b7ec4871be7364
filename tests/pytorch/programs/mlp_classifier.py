"""A beginner-tutorial classifier: a small MLP on a synthetic 3-class problem, DataLoader, CrossEntropyLoss,
SGD with momentum and a StepLR schedule; prints the loss and accuracy of each epoch."""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

rng = np.random.default_rng(0)
centers = rng.normal(size=(3, 2)) * 3
labels = rng.integers(0, 3, size=300)
points = (centers[labels] + rng.normal(size=(300, 2))).astype(np.float32)

X = torch.from_numpy(points)
y = torch.from_numpy(labels.astype(np.int64))
loader = DataLoader(TensorDataset(X, y), batch_size=30, shuffle=False)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(2, 32)
        self.fc2 = nn.Linear(32, 32)
        self.fc3 = nn.Linear(32, 3)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = torch.tanh(self.fc2(x))
        return self.fc3(x)


def init_from_numpy(model, seed):
    gen = np.random.default_rng(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(gen.uniform(-0.5, 0.5, size=tuple(p.shape)).astype(np.float32)))


device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = Net()
init_from_numpy(model, 1)
model = model.to("cpu")
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)

for epoch in range(5):
    model.train()
    running_loss = 0.0
    for inputs, targets in loader:
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, targets)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    scheduler.step()
    model.eval()
    with torch.no_grad():
        predicted = model(X).argmax(dim=1)
        accuracy = (predicted == y).float().mean().item()
    print("epoch", epoch, "loss", running_loss / len(loader), "accuracy", accuracy, "lr", scheduler.get_last_lr()[0])
