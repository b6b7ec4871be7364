"""The survey's programs on the official tutorials' first programs: tensors, autograd, a first network
(tests/pytorch/survey/idioms_harness.py runs them; ``python idioms_tutorials.py [name ...]`` prints their
comparison)."""

import math
import sys

import numpy as np
from idioms_harness import X, main, seed_params, snippet


@snippet
def tutorial_tensor_ops(torch):
    tensor = torch.ones(4, 4)
    tensor[:, 1] = 0
    first_row, first_col, last_col = tensor[0], tensor[:, 0], tensor[..., -1]
    t1 = torch.cat([tensor, tensor, tensor], dim=1)
    y1 = tensor @ tensor.T
    y2 = tensor.matmul(tensor.T)
    y3 = torch.matmul(tensor, tensor.T)
    z1 = tensor * tensor
    z3 = torch.mul(tensor, tensor)
    agg = tensor.sum()
    agg_item = agg.item()
    tensor.add_(5)
    return dict(fr=first_row, fc=first_col, lc=last_col, t1=t1.shape, y1=y1, y2=y2, y3=y3, z1=z1, z3=z3,
                agg_item=agg_item, t=tensor)


@snippet
def out_kwarg_matmul_mul(torch):
    tensor = torch.ones(4, 4)
    tensor[:, 1] = 0
    y3 = torch.zeros_like(tensor)
    torch.matmul(tensor, tensor.T, out=y3)
    z3 = torch.zeros_like(tensor)
    torch.mul(tensor, tensor, out=z3)
    s = torch.zeros(4)
    torch.add(tensor[0], tensor[1], out=s)
    return dict(y3=y3, z3=z3, s=s)


@snippet
def tutorial_numpy_bridge(torch):
    t = torch.ones(5)
    n = t.numpy()
    t.add_(1)
    n2 = np.ones(5)
    t2 = torch.from_numpy(n2)
    np.add(n2, 1, out=n2)
    return dict(n=n.copy(), t2=t2, d=t2.dtype)


@snippet
def tutorial_eye_jacobian_product(torch):
    inp = torch.eye(4, 5, requires_grad=True)
    out = (inp + 1).pow(2).t()
    out.backward(torch.ones_like(out), retain_graph=True)
    first = inp.grad.clone()
    out.backward(torch.ones_like(out))
    second = inp.grad.clone()
    inp.grad.zero_()
    out = (inp + 1).pow(2).t()
    out.backward(torch.ones_like(out))
    return dict(first=first, second=second, third=inp.grad, shape=out.shape)


@snippet
def tutorial_polynomial_autograd(torch):
    dtype = torch.float
    x = torch.linspace(-math.pi, math.pi, 200, dtype=dtype)
    y = torch.sin(x)
    a = torch.tensor(0.1, dtype=dtype, requires_grad=True)
    b = torch.tensor(-0.2, dtype=dtype, requires_grad=True)
    c = torch.tensor(0.05, dtype=dtype, requires_grad=True)
    d = torch.tensor(0.3, dtype=dtype, requires_grad=True)
    learning_rate = 1e-6
    losses = []
    for t in range(20):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    return dict(losses=losses, coef=[a.item(), b.item(), c.item(), d.item()], leaf=a.is_leaf, g=a.grad is None)


@snippet
def tutorial_legendre_function(torch):
    class LegendrePolynomial3(torch.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input ** 3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            input, = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input ** 2 - 1)

    dtype = torch.float
    x = torch.linspace(-math.pi, math.pi, 100, dtype=dtype)
    y = torch.sin(x)
    a = torch.full((), 0.0, dtype=dtype, requires_grad=True)
    b = torch.full((), -1.0, dtype=dtype, requires_grad=True)
    c = torch.full((), 0.0, dtype=dtype, requires_grad=True)
    d = torch.full((), 0.3, dtype=dtype, requires_grad=True)
    learning_rate = 5e-6
    losses = []
    for t in range(10):
        P3 = LegendrePolynomial3.apply
        y_pred = a + b * P3(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            for p in (a, b, c, d):
                p -= learning_rate * p.grad
                p.grad = None
    return dict(losses=losses, d=d, shape=a.shape)


@snippet
def tutorial_polynomial_nn_flatten(torch, nn):
    x = torch.linspace(-math.pi, math.pi, 50)
    y = torch.sin(x)
    p = torch.tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)
    model = seed_params(torch, nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1)), scale=0.1)
    loss_fn = nn.MSELoss(reduction="sum")
    learning_rate = 1e-5
    losses = []
    for t in range(5):
        y_pred = model(xx)
        loss = loss_fn(y_pred, y)
        losses.append(loss.item())
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for param in model.parameters():
                param -= learning_rate * param.grad
    linear_layer = model[0]
    return dict(xx=(xx.shape, xx.dtype), yp=y_pred.shape, losses=losses, b=linear_layer.bias.item(),
                w=[linear_layer.weight[:, 0].item(), linear_layer.weight[:, 1].item()])


@snippet
def tutorial_dynamic_net(torch, nn, optim):
    class DynamicNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Parameter(torch.tensor(0.1))
            self.b = nn.Parameter(torch.tensor(-0.2))
            self.c = nn.Parameter(torch.tensor(0.05))
            self.d = nn.Parameter(torch.tensor(0.3))
            self.e = nn.Parameter(torch.tensor(0.01))

        def forward(self, x, n):
            y = self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3
            for exp in range(4, n):
                y = y + self.e * x ** exp
            return y

        def string(self):
            return f"y = {self.a.item():.4f} + {self.b.item():.4f} x + {self.c.item():.4f} x^2"

    x = torch.linspace(-math.pi, math.pi, 40)
    y = torch.sin(x)
    model = DynamicNet()
    criterion = nn.MSELoss(reduction="sum")
    optimizer = optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
    losses = []
    for n in [4, 5, 6, 5, 4]:
        y_pred = model(x, n)
        loss = criterion(y_pred, y)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return dict(losses=losses, e=model.e, s=model.string(), names=[n for n, _ in model.named_parameters()])


@snippet
def quickstart_train_test(torch, nn, optim, data):
    class NeuralNetwork(nn.Module):
        def __init__(self):
            super().__init__()
            self.flatten = nn.Flatten()
            self.linear_relu_stack = nn.Sequential(nn.Linear(16, 12), nn.ReLU(), nn.Linear(12, 12), nn.ReLU(),
                                                   nn.Linear(12, 3))

        def forward(self, x):
            x = self.flatten(x)
            return self.linear_relu_stack(x)

    ds = data.TensorDataset(torch.tensor(X((10, 4, 4))), torch.tensor([i % 3 for i in range(10)]))
    dataloader = data.DataLoader(ds, batch_size=4)
    model = seed_params(torch, NeuralNetwork())
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=1e-1)

    def train(dataloader, model, loss_fn, optimizer):
        size = len(dataloader.dataset)
        model.train()
        logs = []
        for batch, (xb, yb) in enumerate(dataloader):
            pred = model(xb)
            loss = loss_fn(pred, yb)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            loss, current = loss.item(), (batch + 1) * len(xb)
            logs.append((loss, current, size))
        return logs

    def test(dataloader, model, loss_fn):
        size = len(dataloader.dataset)
        num_batches = len(dataloader)
        model.eval()
        test_loss, correct = 0, 0
        with torch.no_grad():
            for xb, yb in dataloader:
                pred = model(xb)
                test_loss += loss_fn(pred, yb).item()
                correct += (pred.argmax(1) == yb).type(torch.float).sum().item()
        test_loss /= num_batches
        correct /= size
        return f"Accuracy: {(100 * correct):>0.1f}%", test_loss

    out = []
    for t in range(2):
        out.append(train(dataloader, model, loss_fn, optimizer))
        out.append(test(dataloader, model, loss_fn))
    return out


@snippet
def quickstart_predict_class_name(torch, nn):
    classes = ["T-shirt", "Trouser", "Pullover"]
    model = seed_params(torch, nn.Sequential(nn.Flatten(), nn.Linear(4, 3)))
    model.eval()
    x = torch.tensor(X((1, 2, 2)))
    with torch.no_grad():
        pred = model(x)
        predicted = classes[pred[0].argmax(0)]
        actual = classes[torch.tensor(1)]
    return dict(p=predicted, a=actual, r=list(range(torch.tensor(3))))


@snippet
def tutorial_target_transform_scatter(torch, data):
    class Tiny(data.Dataset):
        def __init__(self, transform=None, target_transform=None):
            self.x = X((5, 3))
            self.y = [0, 2, 1, 9, 4]
            self.transform, self.target_transform = transform, target_transform

        def __len__(self):
            return len(self.y)

        def __getitem__(self, idx):
            img, label = self.x[idx], self.y[idx]
            if self.transform:
                img = self.transform(img)
            if self.target_transform:
                label = self.target_transform(label)
            return img, label

    ds = Tiny(transform=lambda a: torch.from_numpy(a) * 2,
              target_transform=lambda y: torch.zeros(10, dtype=torch.float).scatter_(0, torch.tensor(y), value=1))
    xb, yb = next(iter(data.DataLoader(ds, batch_size=5)))
    return dict(x=xb, y=yb, first=ds[3][1])


if __name__ == "__main__":
    main(sys.argv[1:])
