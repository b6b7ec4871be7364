import math
import sys
from collections import deque

import numpy as np
from idioms_harness import U, X, main, seed_params, snippet
from idioms_harness import catch as _catch

# ---------------------------------------------------------------- tutorials: tensors and autograd


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


# ---------------------------------------------------------------- adversarial examples


@snippet
def pgd_linf_delta_data(torch, nn):
    model = seed_params(torch, nn.Sequential(nn.Flatten(), nn.Linear(12, 8), nn.ReLU(), nn.Linear(8, 3)))
    model.eval()
    x = torch.tensor(U((4, 3, 2, 2)))
    y = torch.tensor([0, 1, 2, 1])
    epsilon, alpha = 0.1, 0.03
    delta = torch.zeros_like(x, requires_grad=True)
    losses = []
    for t in range(5):
        loss = nn.CrossEntropyLoss()(model(x + delta), y)
        losses.append(loss.item())
        loss.backward()
        delta.data = (delta + alpha * delta.grad.detach().sign()).clamp(-epsilon, epsilon)
        delta.grad.zero_()
    adv = (x + delta.detach()).clamp(0, 1)
    return dict(losses=losses, delta=delta, adv=adv, pred=model(adv).argmax(1), leaf=delta.is_leaf)


@snippet
def pgd_autograd_grad_project(torch, nn, F):
    model = seed_params(torch, nn.Sequential(nn.Flatten(), nn.Linear(12, 8), nn.Tanh(), nn.Linear(8, 3)), 2)
    x = torch.tensor(U((4, 3, 2, 2), 3))
    y = torch.tensor([2, 0, 1, 1])
    eps, alpha = 8 / 255, 2 / 255
    x_adv = x.clone().detach() + torch.tensor(np.random.default_rng(4).uniform(-eps, eps, (4, 3, 2, 2)).astype(np.float32))
    x_adv = torch.clamp(x_adv, 0.0, 1.0)
    for _ in range(4):
        x_adv.requires_grad_(True)
        loss = F.cross_entropy(model(x_adv), y)
        grad = torch.autograd.grad(loss, [x_adv])[0]
        x_adv = x_adv.detach() + alpha * torch.sign(grad.detach())
        x_adv = torch.min(torch.max(x_adv, x - eps), x + eps)
        x_adv = torch.clamp(x_adv, 0.0, 1.0)
    return dict(adv=x_adv, linf=(x_adv - x).abs().max().item(), req=x_adv.requires_grad)


@snippet
def fgsm_tutorial_eps_sweep(torch, nn, F, data):
    model = seed_params(torch, nn.Sequential(nn.Flatten(), nn.Linear(4, 3)))
    model.eval()
    xs = torch.tensor(U((6, 1, 2, 2), 5))
    ys = torch.tensor([0, 1, 2, 0, 1, 2])
    test_loader = data.DataLoader(data.TensorDataset(xs, ys), batch_size=1, shuffle=False)

    def fgsm_attack(image, epsilon, data_grad):
        sign_data_grad = data_grad.sign()
        perturbed_image = image + epsilon * sign_data_grad
        return torch.clamp(perturbed_image, 0, 1)

    def test(model, test_loader, epsilon):
        correct = 0
        adv_examples = []
        for d, target in test_loader:
            d.requires_grad = True
            output = model(d)
            init_pred = output.max(1, keepdim=True)[1]
            if init_pred.item() != target.item():
                continue
            loss = F.nll_loss(F.log_softmax(output, dim=1), target)
            model.zero_grad()
            loss.backward()
            data_grad = d.grad.data
            perturbed_data = fgsm_attack(d, epsilon, data_grad)
            output = model(perturbed_data)
            final_pred = output.max(1, keepdim=True)[1]
            if final_pred.item() == target.item():
                correct += 1
            else:
                adv_ex = perturbed_data.squeeze().detach().cpu().numpy()
                adv_examples.append((init_pred.item(), final_pred.item(), adv_ex))
        final_acc = correct / float(len(test_loader))
        return final_acc, adv_examples

    return [test(model, test_loader, eps) for eps in [0, 0.1, 0.3]]


@snippet
def saliency_map_input_grad(torch, nn):
    model = seed_params(torch, nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                                             nn.Flatten(), nn.Linear(4, 3)))
    model.eval()
    for p in model.parameters():
        p.requires_grad = False
    x = torch.tensor(U((2, 3, 4, 4)))
    x.requires_grad_()
    scores = model(x)
    score_max_index = scores.argmax(1)
    score_max = scores.gather(1, score_max_index.view(-1, 1)).squeeze()
    score_max.backward(torch.ones_like(score_max))
    saliency, _ = torch.max(x.grad.data.abs(), dim=1)
    return dict(s=saliency, idx=score_max_index, pg=[p.grad is None for p in model.parameters()])


@snippet
def grad_cam_hooks(torch, nn, F):
    model = seed_params(torch, nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 5, 3, padding=1),
                                             nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(5, 3)))
    acts, grads = {}, {}
    target_layer = model[2]

    def fwd_hook(module, inp, out):
        acts["v"] = out.detach()

    def bwd_hook(module, grad_in, grad_out):
        grads["v"] = grad_out[0].detach()

    h1 = target_layer.register_forward_hook(fwd_hook)
    h2 = target_layer.register_full_backward_hook(bwd_hook)
    x = torch.tensor(U((1, 3, 5, 5)))
    out = model(x)
    cls = out.argmax(dim=1).item()
    model.zero_grad()
    out[0, cls].backward()
    weights = grads["v"].mean(dim=(2, 3), keepdim=True)
    cam = F.relu((weights * acts["v"]).sum(dim=1)).squeeze(0)
    cam = (cam - cam.min()) / (cam.max() - cam.min() + 1e-8)
    cam_up = F.interpolate(cam[None, None], size=(10, 10), mode="bilinear", align_corners=False)
    h1.remove()
    h2.remove()
    return dict(cls=cls, cam=cam, up=cam_up, w=weights.flatten())


# ---------------------------------------------------------------- GANs


@snippet
def wgan_gp_conv_critic_only_inputs(torch, nn):
    critic = seed_params(torch, nn.Sequential(nn.Conv2d(1, 4, 4, 2, 1), nn.LeakyReLU(0.2),
                                              nn.Conv2d(4, 1, 4, 1, 0)), scale=0.2)
    real = torch.tensor(X((3, 1, 8, 8)))
    fake = torch.tensor(X((3, 1, 8, 8), 2))
    alpha = torch.tensor(U((3, 1, 1, 1)))
    interpolates = (alpha * real + ((1 - alpha) * fake)).requires_grad_(True)
    d_interpolates = critic(interpolates)
    fake_out = torch.autograd.Variable(torch.FloatTensor(real.shape[0], 1, 1, 1).fill_(1.0), requires_grad=False)
    gradients = torch.autograd.grad(outputs=d_interpolates, inputs=interpolates, grad_outputs=fake_out,
                                    create_graph=True, retain_graph=True, only_inputs=True)[0]
    gradients = gradients.view(gradients.size(0), -1)
    gradient_penalty = ((gradients.norm(2, dim=1) - 1) ** 2).mean()
    critic.zero_grad()
    loss = -torch.mean(critic(real)) + torch.mean(critic(fake)) + 10 * gradient_penalty
    loss.backward()
    return dict(gp=gradient_penalty, loss=loss, g=critic[0].weight.grad, d=d_interpolates.shape)


@snippet
def r1_penalty(torch, nn, F):
    D = seed_params(torch, nn.Sequential(nn.Linear(6, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1)))
    real_img = torch.tensor(X((4, 6)))
    real_img.requires_grad = True
    real_pred = D(real_img)
    grad_real, = torch.autograd.grad(outputs=real_pred.sum(), inputs=real_img, create_graph=True)
    grad_penalty = grad_real.pow(2).reshape(grad_real.shape[0], -1).sum(1).mean()
    loss = F.softplus(-real_pred).mean() + 10 / 2 * grad_penalty
    D.zero_grad()
    loss.backward()
    return dict(gp=grad_penalty, g=[p.grad for p in D.parameters()], xg=real_img.grad)


@snippet
def cgan_pytorch_gan_style(torch, nn):
    n_classes, latent_dim, img_shape = 3, 4, (1, 2, 2)
    FloatTensor, LongTensor, Variable = torch.FloatTensor, torch.LongTensor, torch.autograd.Variable

    class Generator(nn.Module):
        def __init__(self):
            super().__init__()
            self.label_emb = nn.Embedding(n_classes, n_classes)

            def block(in_feat, out_feat, normalize=True):
                layers = [nn.Linear(in_feat, out_feat)]
                if normalize:
                    layers.append(nn.BatchNorm1d(out_feat, 0.8))
                layers.append(nn.LeakyReLU(0.2, inplace=True))
                return layers

            self.model = nn.Sequential(*block(latent_dim + n_classes, 8, normalize=False), *block(8, 16),
                                       nn.Linear(16, int(np.prod(img_shape))), nn.Tanh())

        def forward(self, noise, labels):
            gen_input = torch.cat((self.label_emb(labels), noise), -1)
            img = self.model(gen_input)
            return img.view(img.size(0), *img_shape)

    class Discriminator(nn.Module):
        def __init__(self):
            super().__init__()
            self.label_embedding = nn.Embedding(n_classes, n_classes)
            self.model = nn.Sequential(nn.Linear(n_classes + int(np.prod(img_shape)), 8), nn.LeakyReLU(0.2, inplace=True),
                                       nn.Linear(8, 8), nn.Dropout(0.0), nn.LeakyReLU(0.2, inplace=True), nn.Linear(8, 1))

        def forward(self, img, labels):
            d_in = torch.cat((img.view(img.size(0), -1), self.label_embedding(labels)), -1)
            return self.model(d_in)

    generator, discriminator = seed_params(torch, Generator()), seed_params(torch, Discriminator(), 1)
    adversarial_loss = nn.MSELoss()
    optimizer_G = torch.optim.Adam(generator.parameters(), lr=2e-3, betas=(0.5, 0.999))
    optimizer_D = torch.optim.Adam(discriminator.parameters(), lr=2e-3, betas=(0.5, 0.999))
    rng = np.random.default_rng(0)
    imgs = torch.tensor(X((5, 1, 2, 2), 3))
    labels = torch.tensor([0, 1, 2, 0, 1])
    logs = []
    for i in range(2):
        batch_size = imgs.shape[0]
        valid = Variable(FloatTensor(batch_size, 1).fill_(1.0), requires_grad=False)
        fake = Variable(FloatTensor(batch_size, 1).fill_(0.0), requires_grad=False)
        real_imgs = Variable(imgs.type(FloatTensor))
        labels_v = Variable(labels.type(LongTensor))
        optimizer_G.zero_grad()
        z = Variable(FloatTensor(rng.normal(0, 1, (batch_size, latent_dim))))
        gen_labels = Variable(LongTensor(rng.integers(0, n_classes, batch_size)))
        gen_imgs = generator(z, gen_labels)
        validity = discriminator(gen_imgs, gen_labels)
        g_loss = adversarial_loss(validity, valid)
        g_loss.backward()
        optimizer_G.step()
        optimizer_D.zero_grad()
        validity_real = discriminator(real_imgs, labels_v)
        d_real_loss = adversarial_loss(validity_real, valid)
        validity_fake = discriminator(gen_imgs.detach(), gen_labels)
        d_fake_loss = adversarial_loss(validity_fake, fake)
        d_loss = (d_real_loss + d_fake_loss) / 2
        d_loss.backward()
        optimizer_D.step()
        logs.append("[D loss: %f] [G loss: %f]" % (round(d_loss.item(), 4), round(g_loss.item(), 4)))
    return dict(logs=logs, z=z.dtype, gl=gen_labels.dtype, bn=generator.model[3].running_var,
                eps=generator.model[3].eps, mom=generator.model[3].momentum)


@snippet
def acgan_aux_accuracy(torch, nn):
    class Discriminator(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Sequential(nn.Conv2d(1, 4, 3, 2, 1), nn.LeakyReLU(0.2, inplace=True), nn.Dropout2d(0.0))
            self.adv_layer = nn.Sequential(nn.Linear(4 * 2 * 2, 1), nn.Sigmoid())
            self.aux_layer = nn.Sequential(nn.Linear(4 * 2 * 2, 3), nn.Softmax(dim=1))

        def forward(self, img):
            out = self.conv(img)
            out = out.view(out.shape[0], -1)
            return self.adv_layer(out), self.aux_layer(out)

    D = seed_params(torch, Discriminator())
    adversarial_loss, auxiliary_loss = nn.BCELoss(), nn.CrossEntropyLoss()
    real = torch.tensor(X((4, 1, 4, 4)))
    fake = torch.tensor(X((4, 1, 4, 4), 2))
    labels = torch.tensor([0, 1, 2, 1])
    gen_labels = torch.tensor([2, 2, 0, 1])
    valid, fk = torch.ones(4, 1), torch.zeros(4, 1)
    real_pred, real_aux = D(real)
    d_real_loss = (adversarial_loss(real_pred, valid) + auxiliary_loss(real_aux, labels)) / 2
    fake_pred, fake_aux = D(fake)
    d_fake_loss = (adversarial_loss(fake_pred, fk) + auxiliary_loss(fake_aux, gen_labels)) / 2
    d_loss = (d_real_loss + d_fake_loss) / 2
    pred = np.concatenate([real_aux.data.cpu().numpy(), fake_aux.data.cpu().numpy()], axis=0)
    gt = np.concatenate([labels.data.cpu().numpy(), gen_labels.data.cpu().numpy()], axis=0)
    d_acc = np.mean(np.argmax(pred, axis=1) == gt)
    d_loss.backward()
    return dict(d_loss=d_loss, acc=float(d_acc), gt=gt, g=D.aux_layer[0].weight.grad)


@snippet
def relativistic_average_gan(torch, nn, F):
    D = seed_params(torch, nn.Sequential(nn.Linear(3, 6), nn.LeakyReLU(0.2), nn.Linear(6, 1)))
    G = seed_params(torch, nn.Sequential(nn.Linear(2, 6), nn.ReLU(), nn.Linear(6, 3)), 1)
    real = torch.tensor(X((5, 3)))
    z = torch.tensor(X((5, 2), 2))
    valid = torch.ones(5, 1)
    fake_lbl = torch.zeros(5, 1)
    fake = G(z)
    real_pred = D(real).detach()
    fake_pred = D(fake)
    loss_G = F.binary_cross_entropy_with_logits(fake_pred - real_pred.mean(0, keepdim=True), valid)
    loss_G.backward()
    gG = [p.grad.clone() for p in G.parameters()]
    D.zero_grad()
    real_pred = D(real)
    fake_pred = D(fake.detach())
    loss_D = (F.binary_cross_entropy_with_logits(real_pred - fake_pred.mean(0, keepdim=True), valid)
              + F.binary_cross_entropy_with_logits(fake_pred - real_pred.mean(0, keepdim=True), fake_lbl)) / 2
    loss_D.backward()
    return dict(lg=loss_G, ld=loss_D, gG=gG, gD=[p.grad for p in D.parameters()])


@snippet
def progan_pixelnorm_minibatch_std(torch, nn):
    class PixelNorm(nn.Module):
        def forward(self, x):
            return x / torch.sqrt(torch.mean(x ** 2, dim=1, keepdim=True) + 1e-8)

    def minibatch_std(x):
        batch_statistics = torch.std(x, dim=0, unbiased=False).mean().repeat(x.shape[0], 1, x.shape[2], x.shape[3])
        return torch.cat([x, batch_statistics], dim=1)

    class WSConv2d(nn.Module):
        def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, padding=1, gain=2):
            super().__init__()
            self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding)
            self.scale = (gain / (in_channels * (kernel_size ** 2))) ** 0.5
            self.bias = self.conv.bias
            self.conv.bias = None
            nn.init.normal_(self.conv.weight)
            nn.init.zeros_(self.bias)

        def forward(self, x):
            return self.conv(x * self.scale) + self.bias.view(1, self.bias.shape[0], 1, 1)

    x = torch.tensor(X((4, 3, 3, 3)), requires_grad=True)
    conv = WSConv2d(4, 2)
    seed_params(torch, conv)
    y = conv(minibatch_std(PixelNorm()(x)))
    y.square().mean().backward()
    return dict(y=y, g=x.grad, names=[n for n, _ in conv.named_parameters()], nb=conv.conv.bias is None)


@snippet
def cdcgan_label_feature_maps(torch, nn, F):
    D = seed_params(torch, nn.Sequential(nn.Conv2d(1 + 3, 4, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
                                         nn.Conv2d(4, 1, 4, 1, 0, bias=False), nn.Sigmoid()))
    imgs = torch.tensor(np.tanh(X((4, 1, 8, 8))))
    labels = torch.tensor([0, 2, 1, 2])
    onehot = torch.zeros(3, 3)
    onehot = onehot.scatter_(1, torch.LongTensor([0, 1, 2]).view(3, 1), 1).view(3, 3, 1, 1)
    fill = torch.zeros([3, 3, 8, 8])
    for i in range(3):
        fill[i, i, :, :] = 1
    y_fill = fill[labels]
    y_fill2 = F.one_hot(labels, 3).float()[:, :, None, None].expand(-1, -1, 8, 8)
    out = D(torch.cat([imgs, y_fill], 1)).squeeze()
    loss = F.binary_cross_entropy(out, torch.ones(4))
    loss.backward()
    return dict(out=out, same=torch.equal(y_fill, y_fill2), oh=onehot[labels].squeeze(), g=D[0].weight.grad)


@snippet
def latent_interpolation_slerp(torch):
    z1 = torch.tensor(X((2, 5)))
    z2 = torch.tensor(X((2, 5), 2))
    steps = torch.linspace(0, 1, 4)
    lerps = torch.stack([torch.lerp(z1, z2, w.item()) for w in steps])
    w = steps.view(-1, 1, 1)
    lerps2 = z1.unsqueeze(0) * (1 - w) + z2.unsqueeze(0) * w

    def slerp(val, low, high):
        low_norm = low / torch.norm(low, dim=1, keepdim=True)
        high_norm = high / torch.norm(high, dim=1, keepdim=True)
        omega = torch.acos((low_norm * high_norm).sum(1).clamp(-1, 1))
        so = torch.sin(omega)
        return (torch.sin((1.0 - val) * omega) / so).unsqueeze(1) * low + (torch.sin(val * omega) / so).unsqueeze(1) * high

    sl = torch.stack([slerp(v, z1, z2) for v in [0.0, 0.3, 1.0]])
    trunc = torch.where(z1.abs() > 1.0, torch.fmod(z1, 1.0), z1)
    return dict(l=lerps, l2=lerps2, sl=sl, t=trunc)


# ---------------------------------------------------------------- losses and metrics


@snippet
def topk_accuracy_meter(torch):
    class AverageMeter:
        def __init__(self):
            self.val = self.avg = self.sum = self.count = 0

        def update(self, val, n=1):
            self.val = val
            self.sum += val * n
            self.count += n
            self.avg = self.sum / self.count

    def accuracy(output, target, topk=(1,)):
        with torch.no_grad():
            maxk = max(topk)
            batch_size = target.size(0)
            _, pred = output.topk(maxk, 1, True, True)
            pred = pred.t()
            correct = pred.eq(target.view(1, -1).expand_as(pred))
            res = []
            for k in topk:
                correct_k = correct[:k].reshape(-1).float().sum(0, keepdim=True)
                res.append(correct_k.mul_(100.0 / batch_size))
            return res

    top1, top3 = AverageMeter(), AverageMeter()
    for s in range(2):
        output = torch.tensor(X((6, 5), s))
        target = torch.tensor([0, 1, 2, 3, 4, 0])
        acc1, acc3 = accuracy(output, target, topk=(1, 3))
        top1.update(acc1[0], output.size(0))
        top3.update(acc3[0].item(), output.size(0))
    return dict(a1=top1.avg, a3=top3.avg, t=type(top1.avg).__name__, last=acc1)


@snippet
def confusion_matrix_and_iou(torch):
    targets = torch.tensor([0, 1, 2, 2, 1, 0, 2, 1, 1])
    preds = torch.tensor([0, 2, 2, 2, 1, 1, 0, 1, 1])
    n = 3
    k = (targets >= 0) & (targets < n)
    cm = torch.bincount(n * targets[k] + preds[k], minlength=n ** 2).reshape(n, n)
    iou = torch.diag(cm) / (cm.sum(0) + cm.sum(1) - torch.diag(cm))
    acc = torch.diag(cm).sum().item() / cm.sum().item()
    per_class = cm.diag().float() / cm.sum(1).clamp(min=1)
    cm2 = torch.zeros(n, n, dtype=torch.long)
    for t, p in zip(targets.view(-1), preds.view(-1)):
        cm2[t.long(), p.long()] += 1
    return dict(cm=cm, iou=iou, acc=acc, pc=per_class, cm2=cm2, miou=iou.mean().item())


@snippet
def one_hot_scatter_label_smoothing(torch, F):
    logits = torch.tensor(X((4, 3)), requires_grad=True)
    y = torch.tensor([0, 2, 1, 2])
    one_hot = torch.zeros(4, 3).scatter_(1, y.unsqueeze(1), 1)
    one_hot2 = torch.zeros(4, 3)
    one_hot2[torch.arange(4), y] = 1
    smooth = one_hot * (1 - 0.1) + 0.1 / 3
    logp = F.log_softmax(logits, dim=-1)
    loss = torch.sum(-smooth * logp, dim=-1).mean()
    ref = F.cross_entropy(logits, y, label_smoothing=0.1)
    loss.backward()
    return dict(oh=one_hot, same=torch.equal(one_hot, one_hot2), loss=loss, ref=ref, g=logits.grad,
                oh3=F.one_hot(y).shape)


@snippet
def focal_and_dice_losses(torch, F):
    logits = torch.tensor(X((5, 3)), requires_grad=True)
    y = torch.tensor([0, 2, 1, 2, 0])
    ce = F.cross_entropy(logits, y, reduction="none")
    pt = torch.exp(-ce)
    focal = (0.25 * (1 - pt) ** 2 * ce).mean()
    x = torch.tensor(X((6,), 2), requires_grad=True)
    t = torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0, 0.0])
    p = torch.sigmoid(x)
    ce_b = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    p_t = p * t + (1 - p) * (1 - t)
    alpha_t = 0.25 * t + 0.75 * (1 - t)
    bfocal = (alpha_t * ce_b * ((1 - p_t) ** 2)).sum()
    seg = torch.tensor(X((2, 1, 3, 3), 3), requires_grad=True)
    mask = torch.tensor((U((2, 1, 3, 3), 4) > 0.5).astype(np.float32))
    probs = torch.sigmoid(seg)
    inter = (probs * mask).sum(dim=(2, 3))
    union = probs.sum(dim=(2, 3)) + mask.sum(dim=(2, 3))
    dice = 1 - ((2 * inter + 1) / (union + 1)).mean()
    (focal + bfocal + dice).backward()
    return dict(f=focal, bf=bfocal, d=dice, g1=logits.grad, g2=x.grad, g3=seg.grad)


@snippet
def knowledge_distillation(torch, nn, F):
    teacher_logits = torch.tensor(X((4, 5)))
    student = seed_params(torch, nn.Linear(3, 5))
    inp = torch.tensor(X((4, 3), 2))
    labels = torch.tensor([1, 0, 4, 2])
    T = 4.0
    student_logits = student(inp)
    soft_targets = F.softmax(teacher_logits / T, dim=-1)
    soft_prob = F.log_softmax(student_logits / T, dim=-1)
    soft_targets_loss = torch.sum(soft_targets * (soft_targets.log() - soft_prob)) / soft_prob.size()[0] * (T ** 2)
    kd = nn.KLDivLoss(reduction="batchmean")(soft_prob, soft_targets) * T * T
    kd_log = F.kl_div(soft_prob, soft_targets.log(), reduction="batchmean", log_target=True) * T * T
    label_loss = nn.CrossEntropyLoss()(student_logits, labels)
    loss = 0.25 * soft_targets_loss + 0.75 * label_loss
    loss.backward()
    return dict(s=soft_targets_loss, kd=kd, kdl=kd_log, loss=loss, g=student.weight.grad)


@snippet
def bce_log_clamp_edges(torch, nn, F):
    p = torch.tensor([0.0, 1.0, 0.5, 1.0, 0.0], requires_grad=True)
    t = torch.tensor([1.0, 0.0, 0.5, 1.0, 0.0])
    none = F.binary_cross_entropy(p, t, reduction="none")
    mean = nn.BCELoss()(p, t)
    mean.backward()
    logits = torch.tensor([100.0, -100.0, 30.0, -30.0])
    tl = torch.tensor([0.0, 1.0, 1.0, 0.0])
    bl = F.binary_cross_entropy_with_logits(logits, tl, reduction="none")
    return dict(none=none, mean=mean, g=p.grad, bl=bl)


@snippet
def ce_ignore_index_segmentation(torch, F):
    logits = torch.tensor(X((2, 3, 2, 2)), requires_grad=True)
    y = torch.tensor([[[0, 255], [2, 1]], [[255, 255], [0, 2]]])
    a = F.cross_entropy(logits, y, ignore_index=255)
    allign = F.cross_entropy(logits[:1, :, :1, 1:], y[:1, :1, 1:], ignore_index=255)
    s = F.cross_entropy(logits[:1, :, :1, 1:], y[:1, :1, 1:], ignore_index=255, reduction="sum")
    a.backward()
    return dict(a=a, allign=allign, s=s, g=logits.grad)


@snippet
def nll_weighted_mean(torch, F):
    logp = F.log_softmax(torch.tensor(X((5, 3))), dim=1)
    y = torch.tensor([0, 1, 2, 2, 1])
    w = torch.tensor([0.2, 1.0, 3.0])
    manual = -(w[y] * logp[torch.arange(5), y]).sum() / w[y].sum()
    return dict(m=manual, f=F.nll_loss(logp, y, weight=w), n=F.nll_loss(logp, y, weight=w, reduction="none"),
                i=F.nll_loss(logp, torch.tensor([0, -100, 2, 2, 1]), weight=w),
                s=F.cross_entropy(logp, y, weight=w, reduction="sum"))


@snippet
def contrastive_losses_siamese(torch, nn, F):
    a = torch.tensor(X((3, 4)), requires_grad=True)
    p = torch.tensor(X((3, 4), 2))
    n = torch.tensor(X((3, 4), 3))
    tl = nn.TripletMarginLoss(margin=1.0, p=2)(a, p, n)
    dist = F.pairwise_distance(a, p)
    label = torch.tensor([1.0, 0.0, 1.0])
    contrastive = torch.mean((1 - label) * torch.pow(dist, 2) + label * torch.pow(torch.clamp(2.0 - dist, min=0.0), 2))
    cos = F.cosine_similarity(a, p, dim=1)
    cel = nn.CosineEmbeddingLoss(margin=0.2)(a, p, torch.tensor([1, -1, 1]))
    (tl + contrastive + cel).backward()
    return dict(tl=tl, c=contrastive, cos=cos, cel=cel, g=a.grad, d=dist)


@snippet
def simclr_nt_xent(torch, F):
    h = torch.tensor(X((8, 4)), requires_grad=True)
    N = 4
    z = F.normalize(h, dim=1)
    sim = z @ z.T / 0.5
    mask = torch.eye(2 * N, dtype=torch.bool)
    sim = sim.masked_fill(mask, float("-inf"))
    labels = torch.cat([torch.arange(N) + N, torch.arange(N)])
    loss = F.cross_entropy(sim, labels)
    loss.backward()
    return dict(loss=loss, g=h.grad, lab=labels)


# ---------------------------------------------------------------- RL and attention


@snippet
def dqn_tutorial_optimize(torch, nn, optim):
    class DQN(nn.Module):
        def __init__(self, n_observations, n_actions):
            super().__init__()
            self.layer1 = nn.Linear(n_observations, 8)
            self.layer2 = nn.Linear(8, 8)
            self.layer3 = nn.Linear(8, n_actions)

        def forward(self, x):
            x = nn.functional.relu(self.layer1(x))
            x = nn.functional.relu(self.layer2(x))
            return self.layer3(x)

    GAMMA, TAU = 0.99, 0.005
    policy_net = seed_params(torch, DQN(4, 2))
    target_net = DQN(4, 2)
    target_net.load_state_dict(policy_net.state_dict())
    optimizer = optim.AdamW(policy_net.parameters(), lr=1e-3, amsgrad=True)
    states = [torch.tensor(X((1, 4), s)) for s in range(5)]
    next_states = [torch.tensor(X((1, 4), s + 10)) if s != 2 else None for s in range(5)]
    state = states[0]
    with torch.no_grad():
        action = policy_net(state).max(1).indices.view(1, 1)
    non_final_mask = torch.tensor(tuple(map(lambda s: s is not None, next_states)), dtype=torch.bool)
    non_final_next_states = torch.cat([s for s in next_states if s is not None])
    state_batch = torch.cat(states)
    action_batch = torch.cat([torch.tensor([[a]]) for a in [0, 1, 1, 0, 1]])
    reward_batch = torch.cat([torch.tensor([r]) for r in [1.0, 0.0, 1.0, 1.0, 0.0]])
    state_action_values = policy_net(state_batch).gather(1, action_batch)
    next_state_values = torch.zeros(5)
    with torch.no_grad():
        next_state_values[non_final_mask] = target_net(non_final_next_states).max(1).values
    expected_state_action_values = (next_state_values * GAMMA) + reward_batch
    criterion = nn.SmoothL1Loss()
    loss = criterion(state_action_values, expected_state_action_values.unsqueeze(1))
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_value_(policy_net.parameters(), 100)
    optimizer.step()
    target_net_state_dict = target_net.state_dict()
    policy_net_state_dict = policy_net.state_dict()
    for key in policy_net_state_dict:
        target_net_state_dict[key] = policy_net_state_dict[key] * TAU + target_net_state_dict[key] * (1 - TAU)
    target_net.load_state_dict(target_net_state_dict)
    return dict(a=action, ab=action_batch.dtype, m=non_final_mask, loss=loss, w=target_net.layer3.weight,
                sav=state_action_values)


@snippet
def reinforce_returns(torch, nn, F):
    policy = seed_params(torch, nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 2)))
    states = torch.tensor(X((4, 4)))
    actions = torch.tensor([0, 1, 1, 0])
    rewards = [1.0, 0.0, 1.0, 1.0]
    gamma = 0.99
    eps = np.finfo(np.float32).eps.item()
    R = 0
    returns = deque()
    for r in rewards[::-1]:
        R = r + gamma * R
        returns.appendleft(R)
    returns = torch.tensor(returns)
    returns = (returns - returns.mean()) / (returns.std() + eps)
    log_probs = F.log_softmax(policy(states), -1).gather(1, actions[:, None]).squeeze(1)
    policy_loss = []
    for log_prob, R in zip(log_probs, returns):
        policy_loss.append((-log_prob * R).unsqueeze(0))
    loss = torch.cat(policy_loss).sum()
    loss.backward()
    return dict(ret=returns, loss=loss, g=policy[0].weight.grad)


@snippet
def nanogpt_head_and_generate(torch, nn, F):
    block_size, vocab_size, n_embd, head_size = 4, 6, 8, 4

    class Head(nn.Module):
        def __init__(self):
            super().__init__()
            self.key = nn.Linear(n_embd, head_size, bias=False)
            self.query = nn.Linear(n_embd, head_size, bias=False)
            self.value = nn.Linear(n_embd, head_size, bias=False)
            self.register_buffer("tril", torch.tril(torch.ones(block_size, block_size)))
            self.dropout = nn.Dropout(0.0)

        def forward(self, x):
            B, T, C = x.shape
            k = self.key(x)
            q = self.query(x)
            wei = q @ k.transpose(-2, -1) * k.shape[-1] ** -0.5
            wei = wei.masked_fill(self.tril[:T, :T] == 0, float("-inf"))
            wei = F.softmax(wei, dim=-1)
            wei = self.dropout(wei)
            return wei @ self.value(x)

    class LM(nn.Module):
        def __init__(self):
            super().__init__()
            self.token_embedding_table = nn.Embedding(vocab_size, n_embd)
            self.position_embedding_table = nn.Embedding(block_size, n_embd)
            self.sa = Head()
            self.ln_f = nn.LayerNorm(head_size)
            self.lm_head = nn.Linear(head_size, vocab_size)

        def forward(self, idx, targets=None):
            B, T = idx.shape
            tok_emb = self.token_embedding_table(idx)
            pos_emb = self.position_embedding_table(torch.arange(T))
            x = self.sa(tok_emb + pos_emb)
            logits = self.lm_head(self.ln_f(x))
            if targets is None:
                loss = None
            else:
                B, T, C = logits.shape
                logits = logits.view(B * T, C)
                targets = targets.view(B * T)
                loss = F.cross_entropy(logits, targets)
            return logits, loss

        def generate(self, idx, max_new_tokens):
            for _ in range(max_new_tokens):
                idx_cond = idx[:, -block_size:]
                logits, loss = self(idx_cond)
                logits = logits[:, -1, :]
                probs = F.softmax(logits, dim=-1)
                idx_next = torch.argmax(probs, dim=-1, keepdim=True)
                idx = torch.cat((idx, idx_next), dim=1)
            return idx

    m = seed_params(torch, LM())
    xb = torch.tensor([[1, 2, 3, 4], [0, 5, 1, 1]])
    yb = torch.tensor([[2, 3, 4, 0], [5, 1, 1, 2]])
    logits, loss = m(xb, yb)
    optimizer = torch.optim.AdamW(m.parameters(), lr=1e-2)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    gen = m.generate(torch.zeros((1, 1), dtype=torch.long), max_new_tokens=6)
    return dict(logits=logits.shape, loss=loss, gen=gen[0].tolist(), keys=list(m.state_dict().keys()))


@snippet
def attention_manual_vs_sdpa(torch, F):
    q = torch.tensor(X((2, 2, 3, 4)), requires_grad=True)
    k = torch.tensor(X((2, 2, 3, 4), 2))
    v = torch.tensor(X((2, 2, 3, 4), 3))
    att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
    bias = torch.tril(torch.ones(3, 3)).view(1, 1, 3, 3)
    att = att.masked_fill(bias[:, :, :3, :3] == 0, float("-inf"))
    att = F.softmax(att, dim=-1)
    y = att @ v
    y2 = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    y.sum().backward()
    y = y.transpose(1, 2).contiguous().view(2, 3, 8)
    return dict(y=y, same=torch.allclose(y2.transpose(1, 2).reshape(2, 3, 8), y, atol=1e-6), g=q.grad)


# ---------------------------------------------------------------- tensors, indexing, dtypes


@snippet
def indexing_mixed_advanced(torch):
    x = torch.arange(24).view(2, 3, 4)
    return dict(a=x[[0, 1], :, [1, 3]], b=x[:, [0, 2]][..., [1]],
                c=x[torch.tensor([[0], [1]]), torch.tensor([[0, 2]])], e=x[None, 0, ..., 1:], f=x[x > 20], g=x[:, torch.tensor([True, False, True])],
                h=x[0, [2, 0]], i=x[torch.tensor(1)], j=x[:, 1, [0, 1]])


@snippet
def indexing_int_slice_list_separated(torch):
    x = torch.arange(24).view(2, 3, 4)
    sel = x[1, :, [0, 3]]
    sel_t = x[0, :, torch.tensor([0, 3])]
    y = torch.zeros(2, 3, 4)
    y[1, :, [0, 3]] = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    return dict(sel=sel, sel_t=sel_t, y=y[1])


@snippet
def setitem_advanced_accumulate(torch):
    x = torch.zeros(3, 4)
    x[[0, 2], [1, 3]] = torch.tensor([5.0, 6.0])
    x[:, 0] += torch.tensor([1.0, 2.0, 3.0])
    x[torch.tensor([0, 0]), torch.tensor([2, 2])] += 1
    idx = torch.tensor([2, 0])
    x[idx, 1:3] = torch.tensor([[7.0, 8.0], [9.0, 10.0]])
    x[x == 0] = -1
    x[1] = 4
    y = torch.arange(6)
    y[y % 2 == 0] *= 10
    return dict(x=x, y=y)


@snippet
def masked_mean_pooling_lengths(torch):
    x = torch.tensor(X((3, 4, 2)))
    lengths = torch.tensor([4, 2, 1])
    mask = torch.arange(4)[None, :] < lengths[:, None]
    masked = x * mask.unsqueeze(-1)
    mean = masked.sum(1) / mask.sum(1, keepdim=True)
    mx = x.masked_fill(~mask.unsqueeze(-1), float("-inf")).max(dim=1).values
    last = x[torch.arange(3), lengths - 1]
    return dict(mean=mean, mx=mx, last=last, md=mask.dtype, sd=mask.sum(1).dtype, maskd=masked.dtype)


@snippet
def int_division_rounding(torch):
    a = torch.tensor([7, -7, 6])
    f = torch.tensor([0.5, 1.5, 2.5, -0.5, -1.5, 1.7, -1.7])
    return dict(div=a / 2, fl=a // 2, fdiv=torch.div(a, 2, rounding_mode="floor"),
                tdiv=torch.div(a, 2, rounding_mode="trunc"), rnd=torch.round(f), lng=f.long(), it=f.int(),
                mod=a % 4, fmod=torch.fmod(a, 4), flr=torch.floor_divide(a, 4), dd=(a / a).dtype,
                tt=torch.true_divide(a, 2), ft=(f // 1))


@snippet
def reductions_dtype_kwargs(torch):
    x = torch.tensor(X((3, 4)))
    m = x > 0
    i = torch.tensor([[1, 2], [3, 4]])
    return dict(s=x.sum(dtype=torch.float64), ms=m.sum(), mc=m.cumsum(0), ip=i.prod(), ipd=i.prod(1).dtype,
                mm=m.float().mean(), imax=i.max(), am=x.argmax(), cn=torch.count_nonzero(m, dim=1),
                std=x.std(unbiased=False), var=x.var(0, keepdim=True), vm=torch.var_mean(x, 1),
                im=torch.mean(i.float()), ims=i.sum(0, keepdim=True), ss=x.sum((0, 1)), am1=x.amax(dim=(0, 1)))


@snippet
def new_tensor_and_full_dtypes(torch):
    x = torch.ones(2, dtype=torch.float32)
    lbl = torch.tensor([1, 2])
    return dict(nt=x.new_tensor([1, 2]), nz=x.new_zeros(2, 3), no=x.new_ones((2,)), nf=x.new_full((2,), 3),
                lf=lbl.new_full((2,), 3), ne=x.new_empty(3).shape, zl=torch.zeros_like(lbl, dtype=torch.float),
                fi=torch.full((2,), 7), ff=torch.full((2,), 7.0), dl=x.new_tensor(np.array([1.5, 2.5])),
                od=torch.ones_like(x, dtype=torch.long))


@snippet
def arange_float_steps(torch):
    return dict(a=torch.arange(0, 1, 0.1), b=torch.arange(1, 2.5, 0.5), c=torch.arange(5.0), d=torch.arange(0, 0.3, 0.1),
                e=torch.arange(-1, 1, 0.25), f=torch.arange(10, 0, -3), g=torch.arange(0, 5, 2, dtype=torch.float32),
                h=torch.linspace(0, 1, steps=5), i=torch.linspace(-1, 1, 1))


@snippet
def python_scalar_interop(torch):
    t = torch.tensor(2.25)
    i = torch.tensor(3)
    lst = [10, 20, 30, 40]
    return dict(f=float(t), i=int(i), b=bool(torch.tensor(0.0)), sq=math.sqrt(t), ex=math.exp(t),
                idx=lst[i], sl=lst[torch.tensor(1):i], r=list(range(i)), rnd=round(t.item(), 1), mx=max(torch.tensor([3, 9, 2])),
                s=sum(torch.tensor([1.0, 2.0])), hx=hex(torch.tensor(255)), fmt=f"{t:.1f}", npf=np.float32(t) * 2)


@snippet
def cdist_pairwise_broadcast(torch):
    a = torch.tensor(X((4, 3)), requires_grad=True)
    b = torch.tensor(X((5, 3), 2))
    d1 = torch.cdist(a, b)
    d2 = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1).sqrt()
    d3 = torch.cdist(a, b, p=1)
    nn_idx = d1.argmin(dim=1)
    (d1.sum() + d3.sum()).backward()
    return dict(d1=d1, d2=d2, d3=d3, nn=nn_idx, g=a.grad)


@snippet
def sort_rank_quantile(torch):
    x = torch.tensor(X((3, 5)))
    ranks = x.argsort(dim=1).argsort(dim=1)
    s = torch.sort(x, dim=0, descending=True)
    kv = x.kthvalue(2, dim=1)
    q = torch.quantile(x, 0.5, dim=1)
    q2 = torch.quantile(x, torch.tensor([0.25, 0.75]), dim=1, keepdim=True)
    med = x.median(dim=1)
    return dict(r=ranks, sv=s.values, si=s.indices, kv=(kv.values, kv.indices), q=q, q2=q2, med=tuple(med))


@snippet
def cumsum_discounted_rewards(torch):
    r = torch.tensor([1.0, 0.0, 0.5, 1.0])
    gamma = 0.9
    disc = gamma ** torch.arange(4).float()
    ret = torch.flip(torch.cumsum(torch.flip(r * disc, [0]), 0), [0]) / disc
    cp = torch.cumprod(torch.tensor([1.0, 2.0, 3.0]), dim=0)
    lse = torch.logcumsumexp(torch.tensor([0.0, 1.0, 2.0]), dim=0)
    cm = torch.cummax(torch.tensor([1, 3, 2, 5]), dim=0)
    return dict(ret=ret, cp=cp, lse=lse, cmv=cm.values, cmi=cm.indices, d=disc.dtype)


@snippet
def shape_ops_view_permute_flatten(torch, nn):
    x = torch.tensor(X((2, 3, 4, 5)))
    a = x.permute(0, 2, 3, 1).contiguous().view(-1, 3)
    b = x.view(x.size(0), -1)
    c = x.view(-1, *x.shape[2:])
    d = nn.Unflatten(1, (3, 1))(b[:, :3])
    e = nn.Flatten(1, 2)(x).shape
    f = x.flatten(-2).shape
    g = x.movedim(1, -1).shape
    h = torch.tensor(5.0).view(-1).shape
    i = x.squeeze().unsqueeze(-1).shape
    j = x[:, :1].squeeze((1,)).shape
    k = x.transpose(1, 2).reshape(2, 4, -1).shape
    return dict(a=a, b=b.shape, c=c.shape, d=d.shape, e=e, f=f, g=g, h=h, i=i, j=j, k=k)


@snippet
def view_reshape_errors(torch):
    x = torch.arange(12)
    return dict(a=_catch(lambda: x.view(5, -1), RuntimeError), b=_catch(lambda: x.view(-1, -1), RuntimeError),
                c=_catch(lambda: x.reshape(5, 3), RuntimeError), d=_catch(lambda: x.view(3, 4) @ x.view(3, 4), RuntimeError),
                e=_catch(lambda: torch.cat([x, x.view(3, 4)]), RuntimeError),
                f=_catch(lambda: torch.stack([x, x[:5]]), RuntimeError), g=_catch(lambda: x[12], IndexError),
                h=_catch(lambda: x.view(3, 4)[:, 4], IndexError))


@snippet
def expand_clone_and_inplace_saved(torch):
    base = torch.zeros(1, 3)
    c = base.expand(2, 3).clone().add_(1)
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.add_(1)
    b = _catch(lambda: y.sum().backward(), RuntimeError)
    z = x * 2
    z.mul_(3)
    z.sum().backward()
    return dict(b=b, c=c, g=x.grad)


@snippet
def expand_view_inplace_error(torch):
    base = torch.zeros(1, 3)
    return dict(a=_catch(lambda: base.expand(2, 3).add_(1), RuntimeError),
                b=_catch(lambda: torch.ones(3)[None].expand(4, 3).mul_(2), RuntimeError))


@snippet
def inplace_on_views_backward(torch):
    x = torch.tensor(X((3, 3)), requires_grad=True)
    y = x * 2
    y[:, 0] = 0
    y[1] *= 3
    z = x.clone()
    z[0].mul_(2)
    z[:, 1].add_(1)
    w = x * 3
    w2 = w[0]
    w2.zero_()
    (y.sum() + (z ** 2).sum() + (w * x).sum()).backward()
    s = torch.sigmoid(x)
    s[0].zero_()
    err = _catch(lambda: s.sum().backward(), RuntimeError)
    return dict(y=y, z=z, w=w, g=x.grad, err=err)


# ---------------------------------------------------------------- custom autograd functions


@snippet
def function_setup_context_style(torch):
    class MyCube(torch.autograd.Function):
        @staticmethod
        def forward(x):
            result = x ** 3
            dx = 3 * x ** 2
            return result, dx

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, = inputs
            result, dx = output
            ctx.save_for_backward(x, dx)

        @staticmethod
        def backward(ctx, grad_output, grad_dx):
            x, dx = ctx.saved_tensors
            return grad_output * dx + grad_dx * 6 * x

    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    out, dx = MyCube.apply(x)
    g, = torch.autograd.grad(out.sum(), x, create_graph=True)
    g2, = torch.autograd.grad(g.sum(), x)
    return dict(out=out, dx=dx, g=g, g2=g2)


@snippet
def function_linear_needs_input_grad(torch, nn):
    class LinearFunction(torch.autograd.Function):
        @staticmethod
        def forward(ctx, input, weight, bias=None):
            ctx.save_for_backward(input, weight, bias)
            output = input.mm(weight.t())
            if bias is not None:
                output += bias.unsqueeze(0).expand_as(output)
            return output

        @staticmethod
        def backward(ctx, grad_output):
            input, weight, bias = ctx.saved_tensors
            grad_input = grad_weight = grad_bias = None
            if ctx.needs_input_grad[0]:
                grad_input = grad_output.mm(weight)
            if ctx.needs_input_grad[1]:
                grad_weight = grad_output.t().mm(input)
            if bias is not None and ctx.needs_input_grad[2]:
                grad_bias = grad_output.sum(0)
            return grad_input, grad_weight, grad_bias

    class MyLinear(nn.Module):
        def __init__(self, input_features, output_features, bias=True):
            super().__init__()
            self.weight = nn.Parameter(torch.empty(output_features, input_features))
            if bias:
                self.bias = nn.Parameter(torch.empty(output_features))
            else:
                self.register_parameter("bias", None)
            nn.init.uniform_(self.weight, -0.1, 0.1)
            if self.bias is not None:
                nn.init.uniform_(self.bias, -0.1, 0.1)

        def forward(self, input):
            return LinearFunction.apply(input, self.weight, self.bias)

        def extra_repr(self):
            return f"input_features={self.weight.shape[1]}, output_features={self.weight.shape[0]}"

    m = seed_params(torch, MyLinear(3, 2))
    m2 = seed_params(torch, MyLinear(3, 2, bias=False))
    x = torch.tensor(X((4, 3)))
    y = m(x)
    (y ** 2).sum().backward()
    x2 = torch.tensor(X((4, 3)), requires_grad=True)
    m2(x2).sum().backward()
    return dict(y=y, gw=m.weight.grad, gb=m.bias.grad, gx=x2.grad, r=repr(m), n=len(list(m2.parameters())),
                g2=m2.weight.grad)


@snippet
def function_mark_non_differentiable_sort(torch):
    class SortFn(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            sorted_, idx = x.sort()
            ctx.mark_non_differentiable(idx)
            ctx.save_for_backward(x, idx)
            return sorted_, idx

        @staticmethod
        def backward(ctx, g1, g2):
            x, idx = ctx.saved_tensors
            grad_input = torch.zeros_like(x)
            grad_input.index_add_(0, idx, g1)
            return grad_input

    x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
    s, i = SortFn.apply(x)
    (s * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
    return dict(s=s, i=i, ir=i.requires_grad, sr=s.requires_grad, g=x.grad)


@snippet
def function_straight_through_quantize(torch, nn):
    class RoundSTE(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, levels):
            ctx.levels = levels
            return torch.round(x * levels) / levels

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output, None

    lin = seed_params(torch, nn.Linear(3, 2))
    x = torch.tensor(X((4, 3)))
    q = RoundSTE.apply(lin(x), 4)
    loss = (q - 0.1).pow(2).mean()
    loss.backward()
    return dict(q=q, g=lin.weight.grad, fn=q.grad_fn is not None)


@snippet
def autograd_grad_lists_and_backward_list(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, -1.0], requires_grad=True)
    y1 = (a * b).sum()
    y2 = (a ** 2 * b).sum()
    ga, gb = torch.autograd.grad([y1, y2], [a, b], grad_outputs=[torch.tensor(1.0), torch.tensor(2.0)], retain_graph=True)
    torch.autograd.backward([y1, y2], [torch.tensor(0.5), torch.tensor(1.0)])
    params = [a, b]
    loss = (a.tanh() * b.sin()).sum()
    grads = torch.autograd.grad(loss, params, create_graph=True)
    v = [torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])]
    gv = sum((g * vi).sum() for g, vi in zip(grads, v))
    hv = torch.autograd.grad(gv, params)
    return dict(ga=ga, gb=gb, a=a.grad, b=b.grad, hv=hv)


# ---------------------------------------------------------------- modules


@snippet
def resnet_basic_block(torch, nn):
    def conv3x3(in_planes, out_planes, stride=1):
        return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=1, bias=False)

    class BasicBlock(nn.Module):
        expansion = 1

        def __init__(self, inplanes, planes, stride=1, downsample=None):
            super().__init__()
            self.conv1 = conv3x3(inplanes, planes, stride)
            self.bn1 = nn.BatchNorm2d(planes)
            self.relu = nn.ReLU(inplace=True)
            self.conv2 = conv3x3(planes, planes)
            self.bn2 = nn.BatchNorm2d(planes)
            self.downsample = downsample
            self.stride = stride

        def forward(self, x):
            identity = x
            out = self.conv1(x)
            out = self.bn1(out)
            out = self.relu(out)
            out = self.conv2(out)
            out = self.bn2(out)
            if self.downsample is not None:
                identity = self.downsample(x)
            out += identity
            out = self.relu(out)
            return out

    ds = nn.Sequential(nn.Conv2d(2, 4, 1, stride=2, bias=False), nn.BatchNorm2d(4))
    net = nn.Sequential(BasicBlock(2, 4, 2, ds), BasicBlock(4, 4))
    for m in net.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
            nn.init.constant_(m.weight, 1)
            nn.init.constant_(m.bias, 0)
    seed_params(torch, net)
    for m in net.modules():
        if isinstance(m, BasicBlock):
            nn.init.constant_(m.bn2.weight, 0)
    x = torch.tensor(X((2, 2, 4, 4)), requires_grad=True)
    y = net(x)
    y.sum().backward()
    return dict(y=y, g=x.grad, rm=net[0].bn1.running_mean, nbt=net[1].bn2.num_batches_tracked,
                keys=list(net.state_dict().keys())[:8])


@snippet
def unet_up_pad_concat(torch, nn, F):
    class Up(nn.Module):
        def __init__(self, in_channels, out_channels):
            super().__init__()
            self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
            self.conv = nn.Sequential(nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False),
                                      nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True))

        def forward(self, x1, x2):
            x1 = self.up(x1)
            diffY = x2.size()[2] - x1.size()[2]
            diffX = x2.size()[3] - x1.size()[3]
            x1 = F.pad(x1, [diffX // 2, diffX - diffX // 2, diffY // 2, diffY - diffY // 2])
            x = torch.cat([x2, x1], dim=1)
            return self.conv(x)

    up = seed_params(torch, Up(4, 2))
    x1 = torch.tensor(X((1, 4, 2, 2)), requires_grad=True)
    x2 = torch.tensor(X((1, 2, 5, 5), 2))
    y = up(x1, x2)
    y.pow(2).sum().backward()
    return dict(y=y, g=x1.grad)


@snippet
def convtranspose_output_padding(torch, nn):
    inp = torch.tensor(X((1, 4, 6, 6)))
    downsample = seed_params(torch, nn.Conv2d(4, 4, 3, stride=2, padding=1))
    upsample = seed_params(torch, nn.ConvTranspose2d(4, 4, 3, stride=2, padding=1, output_padding=1), 1)
    h = downsample(inp)
    output = upsample(h)
    plain = seed_params(torch, nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1), 2)
    return dict(h=h.shape, out=output.shape, v=output, nop=plain(h).shape)


@snippet
def convtranspose_output_size_arg(torch, nn):
    inp = torch.tensor(X((1, 4, 6, 6)))
    downsample = seed_params(torch, nn.Conv2d(4, 4, 3, stride=2, padding=1))
    upsample = seed_params(torch, nn.ConvTranspose2d(4, 4, 3, stride=2, padding=1), 1)
    h = downsample(inp)
    output = upsample(h, output_size=inp.size())
    return dict(h=h.shape, out=output.shape, v=output)


@snippet
def text_cnn_kim(torch, nn, F):
    class TextCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(10, 4, padding_idx=0)
            self.convs = nn.ModuleList([nn.Conv2d(1, 3, (k, 4)) for k in (2, 3)])
            self.dropout = nn.Dropout(0.5)
            self.fc = nn.Linear(6, 2)

        def forward(self, x):
            x = self.embedding(x).unsqueeze(1)
            x = [F.relu(conv(x)).squeeze(3) for conv in self.convs]
            x = [F.max_pool1d(i, i.size(2)).squeeze(2) for i in x]
            x = torch.cat(x, 1)
            return self.fc(self.dropout(x))

    m = seed_params(torch, TextCNN())
    m.eval()
    tokens = torch.tensor([[1, 4, 2, 0, 0], [3, 3, 9, 8, 7]])
    out = m(tokens)
    conv1d = seed_params(torch, nn.Conv1d(4, 3, 2), 3)
    emb = m.embedding(tokens).permute(0, 2, 1)
    out2 = F.relu(conv1d(emb)).max(dim=2)[0]
    return dict(out=out, out2=out2)


@snippet
def lenet_blitz(torch, nn, F):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 2, 3)
            self.conv2 = nn.Conv2d(2, 4, 3)
            self.fc1 = nn.Linear(4 * 2 * 2, 6)
            self.fc2 = nn.Linear(6, 3)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = x.view(-1, self.num_flat_features(x))
            x = F.relu(self.fc1(x))
            return self.fc2(x)

        def num_flat_features(self, x):
            size = x.size()[1:]
            num_features = 1
            for s in size:
                num_features *= s
            return num_features

    net = seed_params(torch, Net())
    params = list(net.parameters())
    input = torch.tensor(X((1, 1, 14, 14)))
    out = net(input)
    net.zero_grad()
    out.backward(torch.tensor(X((1, 3), 2)))
    g0 = net.conv1.bias.grad.clone()
    output = net(input)
    target = torch.tensor(X((3,), 3)).view(1, -1)
    criterion = nn.MSELoss()
    loss = criterion(output, target)
    net.zero_grad()
    before = net.conv1.bias.grad
    loss.backward()
    learning_rate = 0.01
    for f in net.parameters():
        f.data.sub_(f.grad.data * learning_rate)
    return dict(n=len(params), s0=params[0].size(), out=out, g0=g0, before=before, after=net.conv1.bias.grad,
                loss=loss, w=net.fc2.weight)


@snippet
def vgg_adaptive_pool_upsizing(torch, nn):
    features = seed_params(torch, nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(True), nn.MaxPool2d(2, 2)))
    avgpool = nn.AdaptiveAvgPool2d((7, 7))
    x = torch.tensor(X((1, 3, 10, 10)), requires_grad=True)
    f = features(x)
    p = avgpool(f)
    mp = nn.AdaptiveMaxPool2d((3, 4))(f)
    flat = torch.flatten(p, 1)
    (flat.sum() + mp.sum()).backward()
    with torch.no_grad():
        n = features(torch.zeros(1, 3, 32, 32)).numel()
    return dict(p=p, mp=mp, flat=flat.shape, n=n, g=x.grad)


@snippet
def module_requires_grad_freeze_filter(torch, nn, optim):
    model = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)))
    r = model.requires_grad_(False)
    model[2].requires_grad_(True)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    opt = optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr=0.1)
    loss = model(torch.tensor(X((5, 3)))).pow(2).mean()
    loss.backward()
    opt.step()
    return dict(r=type(r).__name__, t=trainable, n=total, ng=[p.grad is None for p in model.parameters()],
                w=model[2].weight, npg=len(opt.param_groups[0]["params"]))


@snippet
def plain_list_not_registered(torch, nn):
    class Bad(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = [nn.Linear(2, 2), nn.Linear(2, 2)]
            self.head = nn.Linear(2, 1)

    class Good(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])
            self.scales = nn.ParameterList([nn.Parameter(torch.ones(2)) for _ in range(2)])
            self.head = nn.Linear(2, 1)

    b, g = Bad(), Good()
    return dict(nb=len(list(b.parameters())), ng=len(list(g.parameters())), kb=list(b.state_dict().keys()),
                kg=list(g.state_dict().keys()), mods=[n for n, _ in g.named_modules()])


@snippet
def module_and_optimizer_errors(torch, nn, optim):
    lin = nn.Linear(4, 2)
    out = dict(
        fwd=_catch(lambda: nn.Module()(torch.ones(1)), NotImplementedError),
        attr=_catch(lambda: lin.nonexistent, AttributeError),
        shape=_catch(lambda: lin(torch.ones(3, 5)), RuntimeError),
        conv=_catch(lambda: nn.Conv2d(3, 4, 3)(torch.ones(1, 2, 5, 5)), RuntimeError),
        empty=_catch(lambda: optim.SGD([], lr=0.1), ValueError),
        nonleaf=_catch(lambda: optim.SGD([torch.ones(2, requires_grad=True) * 2], lr=0.1), ValueError),
        module=_catch(lambda: optim.SGD(lin, lr=0.1), TypeError),
        dup=_catch(lambda: optim.SGD([{"params": lin.parameters()}, {"params": [lin.weight]}], lr=0.1), ValueError),
        drop=_catch(lambda: nn.Dropout(1.5), ValueError),
        dotname=_catch(lambda: lin.add_module("a.b", nn.ReLU()), KeyError),
        sizemm=_catch(lambda: lin.load_state_dict({"weight": torch.zeros(3, 4), "bias": torch.zeros(2)}), RuntimeError),
        bn1=_catch(lambda: nn.BatchNorm1d(3)(torch.ones(1, 3)), ValueError),
    )
    return out


@snippet
def lookup_errors_embedding_ce(torch, nn, F):
    return dict(emb=_catch(lambda: nn.Embedding(5, 2)(torch.tensor([5])), IndexError),
                embf=_catch(lambda: nn.Embedding(5, 2)(torch.tensor([1.0])), RuntimeError),
                ce=_catch(lambda: nn.CrossEntropyLoss()(torch.ones(2, 3), torch.tensor([0, 3])), IndexError),
                nll=_catch(lambda: F.nll_loss(torch.ones(2, 3), torch.tensor([0, 3])), IndexError),
                lin=_catch(lambda: nn.Linear(2, 1)(torch.tensor([[1, 2]])), RuntimeError),
                bce=_catch(lambda: F.binary_cross_entropy_with_logits(torch.ones(2), torch.tensor([1, 0])), RuntimeError),
                ragged=_catch(lambda: torch.tensor([[1, 2], [3]]), ValueError))


@snippet
def embedding_padding_and_pretrained(torch, nn):
    emb = seed_params(torch, nn.Embedding(5, 3, padding_idx=0))
    idx = torch.tensor([[0, 2, 4], [1, 0, 0]])
    out = emb(idx)
    (out * torch.arange(3.0)).sum().backward()
    w = torch.tensor(X((4, 2)))
    pre = nn.Embedding.from_pretrained(w)
    pre2 = nn.Embedding.from_pretrained(w, freeze=False, padding_idx=1)
    return dict(out=out, g=emb.weight.grad, pr=pre.weight.requires_grad, pr2=pre2.weight.requires_grad,
                v=pre(torch.tensor([3, 1])), pi=pre2.padding_idx, n=pre.num_embeddings, d=pre.embedding_dim)


@snippet
def batchnorm_variants_modes(torch, nn):
    bn = seed_params(torch, nn.BatchNorm1d(3))
    x = torch.tensor(X((4, 3, 5)))
    y_train = bn(x)
    bn2 = nn.BatchNorm1d(3, momentum=None)
    for s in range(3):
        bn2(torch.tensor(X((4, 3), s)))
    rm_before = bn.running_mean.clone()
    bn.eval()
    y_eval = bn(x)
    ln = nn.LayerNorm([3, 5], elementwise_affine=False)
    ln2 = nn.LayerNorm(5, bias=False)
    return dict(yt=y_train, rm=rm_before, rv2=bn2.running_var, nbt2=bn2.num_batches_tracked, ye=y_eval,
                rma=bn.running_mean, ln=ln(x), lnp=len(list(ln.parameters())), ln2=[n for n, _ in ln2.named_parameters()])


@snippet
def reset_running_stats(torch, nn):
    bn = nn.BatchNorm1d(3)
    bn(torch.tensor(X((4, 3))))
    bn.reset_running_stats()
    return dict(rm=bn.running_mean, rv=bn.running_var, nbt=bn.num_batches_tracked)


@snippet
def reset_parameters_hasattr_loop(torch, nn):
    lin = nn.Linear(3, 2)
    conv = nn.Conv2d(1, 2, 3)
    with torch.no_grad():
        lin.weight.fill_(5.0)
        conv.weight.fill_(5.0)
    model = nn.Sequential(lin, nn.ReLU(), conv)
    reset = []
    for layer in model.children():
        if hasattr(layer, "reset_parameters"):
            layer.reset_parameters()
            reset.append(type(layer).__name__)
    return dict(reset=reset, changed=[not bool((lin.weight == 5).all()), not bool((conv.weight == 5).all())])


@snippet
def dropout_edge_probabilities(torch, nn, F):
    x = torch.tensor(X((3, 4)))
    d0 = nn.Dropout(p=0.0)
    d0.train()
    return dict(zero=d0(x), f0=F.dropout(x, p=0.0, training=True), ev=F.dropout(x, 0.5, training=False),
                d2=nn.Dropout2d(0.0)(x.view(1, 3, 2, 2)), a=F.dropout1d(x.view(1, 3, 4), 0.0),
                bad=_catch(lambda: nn.Dropout(1.5), ValueError), neg=_catch(lambda: F.dropout(x, -0.1), ValueError))


@snippet
def dropout_p_one(torch, nn, F):
    x = torch.tensor(X((3, 4)))
    d1 = nn.Dropout(p=1.0)
    d1.train()
    return dict(one=d1(x), fn=F.dropout(x, p=1.0), d2=nn.Dropout2d(1.0)(x.view(1, 3, 2, 2)))


@snippet
def unbatched_inputs(torch, nn, F):
    lin = seed_params(torch, nn.Linear(3, 2))
    conv = seed_params(torch, nn.Conv2d(2, 3, 3, padding=1), 1)
    x = torch.tensor(X((2, 4, 4)))
    c = conv(x)
    mp = nn.MaxPool2d(2)(x)
    ce = F.cross_entropy(torch.tensor([0.1, 2.0, -1.0]), torch.tensor(1))
    up = F.interpolate(x[None], scale_factor=2).shape
    return dict(l=lin(torch.ones(3)), c=c, mp=mp, ce=ce, up=up, c1=nn.Conv1d(2, 1, 2)(torch.ones(2, 5)).shape)


@snippet
def accumulate_predictions_empty_cat(torch, nn, data):
    model = seed_params(torch, nn.Linear(3, 2))
    loader = data.DataLoader(data.TensorDataset(torch.tensor(X((5, 3))), torch.tensor([0, 1, 1, 0, 1])), batch_size=2)
    all_preds = torch.tensor([])
    all_labels = torch.tensor([], dtype=torch.long)
    model.eval()
    with torch.no_grad():
        for xb, yb in loader:
            all_preds = torch.cat((all_preds, model(xb)), dim=0)
            all_labels = torch.cat((all_labels, yb), dim=0)
    return dict(p=all_preds, l=all_labels, acc=(all_preds.argmax(1) == all_labels).float().mean())


@snippet
def legacy_empty_constructors(torch):
    a = torch.Tensor()
    b = torch.FloatTensor()
    c = torch.LongTensor()
    return dict(a=a, b=b, c=c, d=torch.Tensor([]), e=torch.LongTensor([]))


@snippet
def tensor_contains_membership(torch):
    labels = torch.tensor([[0, 1], [2, 3]])
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    return dict(a=3 in labels, b=7 in labels, c=2.0 in x, d=torch.tensor([4.0]) in x, e=5 in torch.tensor([1, 5]))


@snippet
def regression_loss_int_targets(torch, F):
    pred = torch.tensor([0.5, 1.5, 2.0], requires_grad=True)
    target = torch.tensor([1, 0, 2])
    loss = F.mse_loss(pred, target) + F.l1_loss(pred, target) + F.smooth_l1_loss(pred, target)
    loss.backward()
    return dict(loss=loss, g=pred.grad)


@snippet
def requires_grad_attr_errors(torch):
    w = torch.ones(2, requires_grad=True)
    y = w * 2

    def set_nonleaf():
        y.requires_grad = False

    def set_int():
        torch.tensor([1, 2]).requires_grad = True

    return dict(nonleaf=_catch(set_nonleaf, RuntimeError), int=_catch(set_int, RuntimeError), y=y.requires_grad)


@snippet
def identity_placeholder_args(torch, nn):
    m = nn.Identity(54, unused_argument1=0.1, unused_argument2=False)
    x = torch.tensor(X((3, 2)))
    return dict(y=m(x), same=torch.equal(m(x), x))


@snippet
def size_object_numel(torch, nn):
    x = torch.zeros(2, 3, 4)
    w = nn.Linear(4, 5).weight
    return dict(n=x.size().numel(), t=type(x.size()).__name__ == type(torch.Size([1])).__name__,
                s=x.shape[1:].numel(), p=sum(p.size().numel() for p in nn.Linear(4, 5).parameters()), w=w.shape.numel())


# ---------------------------------------------------------------- optimizers and schedulers


def _opt_run(torch, nn, make, steps=4, seed=0):
    m = seed_params(torch, nn.Linear(3, 2), seed)
    opt = make(m.parameters())
    x = torch.tensor(X((5, 3), 7))
    t = torch.tensor(X((5, 2), 8))
    for _ in range(steps):
        opt.zero_grad()
        loss = ((m(x) - t) ** 2).mean()
        loss.backward()
        opt.step()
    return [m.weight.detach().clone(), m.bias.detach().clone(), loss.item()]


@snippet
def optim_sgd_nesterov_dampening(torch, nn, optim):
    return dict(nest=_opt_run(torch, nn, lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-2)),
                damp=_opt_run(torch, nn, lambda p: optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.5)),
                plain=_opt_run(torch, nn, lambda p: optim.SGD(p, 0.05)))


@snippet
def optim_adamax_nadam_radam(torch, nn, optim):
    return dict(amax=_opt_run(torch, nn, lambda p: optim.Adamax(p, lr=0.05)),
                nadam=_opt_run(torch, nn, lambda p: optim.NAdam(p, lr=0.05, weight_decay=1e-2)),
                radam=_opt_run(torch, nn, lambda p: optim.RAdam(p, lr=0.05), steps=8),
                rmsc=_opt_run(torch, nn, lambda p: optim.RMSprop(p, lr=0.01, alpha=0.9, centered=True, momentum=0.5)),
                adagrad=_opt_run(torch, nn, lambda p: optim.Adagrad(p, lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1)))


@snippet
def adamw_no_decay_groups(torch, nn, optim):
    model = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.LayerNorm(4), nn.Linear(4, 2)))
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        if len(param.shape) == 1 or name.endswith(".bias"):
            no_decay.append(param)
        else:
            decay.append(param)
    opt = optim.AdamW([{"params": no_decay, "weight_decay": 0.0}, {"params": decay, "weight_decay": 0.1}], lr=1e-2)
    x = torch.tensor(X((6, 3)))
    for _ in range(3):
        opt.zero_grad()
        model(x).pow(2).mean().backward()
        opt.step()
    return dict(n=(len(decay), len(no_decay)), w=[p.detach().clone() for p in model.parameters()],
                wd=[g["weight_decay"] for g in opt.param_groups])


@snippet
def grad_accumulation_equivalence(torch, nn, optim):
    m1 = seed_params(torch, nn.Linear(3, 1))
    m2 = seed_params(torch, nn.Linear(3, 1))
    o1 = optim.SGD(m1.parameters(), lr=0.1)
    o2 = optim.SGD(m2.parameters(), lr=0.1)
    x = torch.tensor(X((8, 3)))
    y = torch.tensor(X((8, 1), 2))
    crit = nn.MSELoss()
    accum = 2
    o1.zero_grad()
    for i, (xb, yb) in enumerate(zip(x.split(4), y.split(4))):
        loss = crit(m1(xb), yb) / accum
        loss.backward()
        if (i + 1) % accum == 0:
            o1.step()
            o1.zero_grad()
    o2.zero_grad()
    crit(m2(x), y).backward()
    o2.step()
    return dict(w1=m1.weight, w2=m2.weight, close=torch.allclose(m1.weight, m2.weight), g=m1.weight.grad)


@snippet
def clip_norm_inf_total_and_vector(torch, nn):
    model = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2)))
    unused = nn.Linear(2, 2)
    params = list(model.parameters()) + list(unused.parameters())
    model(torch.tensor(X((5, 3)))).sum().backward()
    norms = {n: p.grad.norm().item() for n, p in model.named_parameters() if p.grad is not None}
    manual = torch.stack([p.grad.detach().norm(2) for p in model.parameters()]).norm(2)
    total_inf = nn.utils.clip_grad_norm_(params, max_norm=0.5, norm_type=float("inf"))
    total2 = nn.utils.clip_grad_norm_(params, 1.0)
    vec = nn.utils.parameters_to_vector(model.parameters())
    nn.utils.vector_to_parameters(torch.arange(vec.numel()).float() / 10, model.parameters())
    return dict(norms=norms, manual=manual, inf=total_inf, t2=total2, g=model[0].weight.grad, n=vec.shape,
                b=model[1].bias)


@snippet
def sched_sequential_warmup_cosine(torch, nn, optim):
    opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1)
    warm = optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=3)
    cos = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=5, eta_min=0.001)
    sched = optim.lr_scheduler.SequentialLR(opt, schedulers=[warm, cos], milestones=[3])
    lrs = []
    for _ in range(9):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return dict(lrs=lrs, last=sched.get_last_lr())


@snippet
def sched_warm_restarts_fractional(torch, nn, optim):
    opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1)
    scheduler = optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2, eta_min=0.01)
    iters = 2
    lrs = []
    for epoch in range(5):
        for i in range(iters):
            opt.step()
            scheduler.step(epoch + i / iters)
            lrs.append(round(opt.param_groups[0]["lr"], 8))
    opt2 = optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1)
    s2 = optim.lr_scheduler.CosineAnnealingWarmRestarts(opt2, T_0=3, T_mult=2, eta_min=0.01)
    lrs2 = []
    for _ in range(10):
        opt2.step()
        s2.step()
        lrs2.append(opt2.param_groups[0]["lr"])
    return dict(lrs=lrs, lrs2=lrs2)


@snippet
def sched_onecycle_momentum(torch, nn, optim):
    opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=0.01, momentum=0.9)
    s = optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, steps_per_epoch=3, epochs=2)
    opt2 = optim.Adam(nn.Linear(1, 1).parameters(), lr=0.01)
    s2 = optim.lr_scheduler.OneCycleLR(opt2, max_lr=0.1, total_steps=6, anneal_strategy="linear", pct_start=0.5)
    rec = []
    for _ in range(6):
        opt.step(); s.step()
        opt2.step(); s2.step()
        rec.append((opt.param_groups[0]["lr"], opt.param_groups[0]["momentum"], opt2.param_groups[0]["lr"],
                    opt2.param_groups[0]["betas"][0]))
    return rec


@snippet
def sched_poly_mult_constant_chained(torch, nn, optim):
    def run(make, n=6):
        opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1)
        s = make(opt)
        out = []
        for _ in range(n):
            opt.step()
            s.step()
            out.append(opt.param_groups[0]["lr"])
        return out

    S = optim.lr_scheduler
    return dict(poly=run(lambda o: S.PolynomialLR(o, total_iters=4, power=2.0)),
                mult=run(lambda o: S.MultiplicativeLR(o, lr_lambda=lambda e: 0.9)),
                const=run(lambda o: S.ConstantLR(o, factor=0.5, total_iters=2)),
                chain=run(lambda o: S.ChainedScheduler([S.ConstantLR(o, factor=0.1, total_iters=2),
                                                        S.ExponentialLR(o, gamma=0.9)])),
                lam=run(lambda o: S.LambdaLR(o, lambda e: min(1.0, (e + 1) / 3))))


@snippet
def sched_plateau_max_cooldown(torch, nn, optim):
    opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
    s = optim.lr_scheduler.ReduceLROnPlateau(opt, mode="max", factor=0.1, patience=1, cooldown=1, threshold=0.01,
                                             min_lr=1e-3)
    opt2 = optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
    s2 = optim.lr_scheduler.ReduceLROnPlateau(opt2, threshold=0.1, threshold_mode="abs", patience=0, factor=0.5)
    lrs, lrs2 = [], []
    for acc in [0.5, 0.6, 0.605, 0.6, 0.59, 0.7, 0.7, 0.7, 0.7, 0.7]:
        s.step(acc)
        lrs.append(opt.param_groups[0]["lr"])
        s2.step(1 - acc)
        lrs2.append(opt2.param_groups[0]["lr"])
    return dict(lrs=lrs, lrs2=lrs2, last=s.get_last_lr())


@snippet
def lambda_lr_per_group(torch, nn, optim):
    m = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
    opt = optim.SGD([{"params": m[0].parameters()}, {"params": m[1].parameters(), "lr": 0.5}], lr=0.1)
    s = optim.lr_scheduler.LambdaLR(opt, lr_lambda=[lambda e: 0.5 ** e, lambda e: 1.0 / (e + 1)])
    out = []
    for _ in range(3):
        opt.step()
        s.step()
        out.append(s.get_last_lr())
    return dict(out=out, init=[g["initial_lr"] for g in opt.param_groups], le=s.last_epoch)


# ---------------------------------------------------------------- training loops and data


@snippet
def transfer_learning_phases(torch, nn, optim, data):
    model = seed_params(torch, nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3)))
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.1)
    sets = {"train": data.TensorDataset(torch.tensor(X((6, 4))), torch.tensor([0, 1, 2, 0, 1, 2])),
            "val": data.TensorDataset(torch.tensor(X((4, 4), 2)), torch.tensor([2, 1, 0, 0]))}
    dataloaders = {x: data.DataLoader(sets[x], batch_size=4) for x in ["train", "val"]}
    dataset_sizes = {x: len(sets[x]) for x in ["train", "val"]}
    hist = []
    for epoch in range(2):
        for phase in ["train", "val"]:
            if phase == "train":
                model.train()
            else:
                model.eval()
            running_loss = 0.0
            running_corrects = 0
            for inputs, labels in dataloaders[phase]:
                optimizer.zero_grad()
                with torch.set_grad_enabled(phase == "train"):
                    outputs = model(inputs)
                    _, preds = torch.max(outputs, 1)
                    loss = criterion(outputs, labels)
                    if phase == "train":
                        loss.backward()
                        optimizer.step()
                running_loss += loss.item() * inputs.size(0)
                running_corrects += torch.sum(preds == labels.data)
            if phase == "train":
                scheduler.step()
            epoch_loss = running_loss / dataset_sizes[phase]
            epoch_acc = running_corrects.double() / dataset_sizes[phase]
            hist.append((phase, epoch_loss, epoch_acc, loss.requires_grad))
    return hist


@snippet
def mixup_cutmix_batch(torch, nn):
    model = seed_params(torch, nn.Sequential(nn.Flatten(), nn.Linear(16, 3)))
    crit = nn.CrossEntropyLoss()
    x = torch.tensor(X((4, 1, 4, 4)))
    y = torch.tensor([0, 1, 2, 1])
    lam = 0.7
    index = torch.tensor([2, 0, 3, 1])
    mixed_x = lam * x + (1 - lam) * x[index, :]
    y_a, y_b = y, y[index]
    out = model(mixed_x)
    loss = lam * crit(out, y_a) + (1 - lam) * crit(out, y_b)
    xc = x.clone()
    bbx1, bby1, bbx2, bby2 = 1, 0, 3, 2
    xc[:, :, bbx1:bbx2, bby1:bby2] = xc[index, :, bbx1:bbx2, bby1:bby2]
    lam2 = 1 - ((bbx2 - bbx1) * (bby2 - bby1) / (xc.size()[-1] * xc.size()[-2]))
    loss.backward()
    return dict(loss=loss, xc=xc, lam2=lam2, g=model[1].weight.grad)


@snippet
def dataloader_drop_last_types(torch, data):
    ds = data.TensorDataset(torch.tensor(X((10, 2))), torch.arange(10))
    dl = data.DataLoader(ds, batch_size=3, drop_last=True)
    dl2 = data.DataLoader(ds, batch_size=3)
    first = next(iter(dl2))
    seen = []
    for i, (xb, yb) in enumerate(dl2, 1):
        seen.append((i, tuple(xb.shape), yb.tolist()))
    return dict(shapes=[tuple(xb.shape) for xb, _ in dl], n=len(dl), n2=len(dl2), ft=type(first).__name__,
                it=type(ds[0]).__name__, seen=seen, tl=len(ds.tensors), s=ds.tensors[0].shape)


@snippet
def padding_collate_fn(torch, data):
    class Seqs(data.Dataset):
        def __init__(self):
            self.items = [[1, 2, 3], [4], [5, 6], [7, 8, 9, 10]]
            self.labels = [0, 1, 1, 0]

        def __len__(self):
            return len(self.items)

        def __getitem__(self, i):
            return torch.tensor(self.items[i]), self.labels[i]

    def collate(batch):
        seqs, labels = zip(*batch)
        lengths = torch.tensor([len(s) for s in seqs])
        padded = torch.zeros(len(seqs), max(lengths).item(), dtype=torch.long)
        for i, s in enumerate(seqs):
            padded[i, :len(s)] = s
        return padded, lengths, torch.tensor(labels)

    out = [b for b in data.DataLoader(Seqs(), batch_size=2, collate_fn=collate)]
    det = next(iter(data.DataLoader(Seqs(), batch_size=3, collate_fn=lambda b: tuple(zip(*b)))))
    return dict(out=out, det=(type(det).__name__, len(det), [t.shape for t in det[0]], det[1]))


@snippet
def samplers_and_batch_sampler(torch, data):
    ds = data.TensorDataset(torch.arange(10) * 10)
    srs = data.SubsetRandomSampler([1, 3, 5, 7])
    seen = sorted(int(v) for (b,) in data.DataLoader(ds, batch_size=2, sampler=srs) for v in b)
    bs = data.DataLoader(ds, batch_sampler=[[0, 1], [2, 3, 4], [9]])
    seq = list(data.SequentialSampler(ds))[:4]
    cat = data.ConcatDataset([ds, data.TensorDataset(torch.arange(3))])
    return dict(n=len(srs), seen=seen, bs=[b[0].tolist() for b in bs], nbs=len(bs), seq=seq, cl=len(cat),
                c=cat[11], cs=cat.cumulative_sizes)


@snippet
def ema_params_and_buffers(torch, nn):
    import copy
    model = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 1)))
    ema = copy.deepcopy(model)
    ema.eval()
    for p in ema.parameters():
        p.requires_grad_(False)
    model(torch.tensor(X((6, 3))))
    with torch.no_grad():
        for ema_p, p in zip(ema.parameters(), model.parameters()):
            ema_p.mul_(0.99).add_(p.detach(), alpha=0.01)
        for ema_b, b in zip(ema.buffers(), model.buffers()):
            ema_b.copy_(b)
    return dict(rm=ema[1].running_mean, nbt=ema[1].num_batches_tracked, w=ema[0].weight,
                nb=[n for n, _ in ema.named_buffers()])


@snippet
def style_transfer_gram(torch, nn, F, optim):
    def gram_matrix(input):
        a, b, c, d = input.size()
        features = input.view(a * b, c * d)
        G = torch.mm(features, features.t())
        return G.div(a * b * c * d)

    class ContentLoss(nn.Module):
        def __init__(self, target):
            super().__init__()
            self.target = target.detach()

        def forward(self, input):
            self.loss = F.mse_loss(input, self.target)
            return input

    class StyleLoss(nn.Module):
        def __init__(self, target_feature):
            super().__init__()
            self.target = gram_matrix(target_feature).detach()

        def forward(self, input):
            G = gram_matrix(input)
            self.loss = F.mse_loss(G, self.target)
            return input

    class Normalization(nn.Module):
        def __init__(self, mean, std):
            super().__init__()
            self.mean = torch.tensor(mean).view(-1, 1, 1)
            self.std = torch.tensor(std).view(-1, 1, 1)

        def forward(self, img):
            return (img - self.mean) / self.std

    cnn = seed_params(torch, nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(inplace=True),
                                           nn.Conv2d(4, 4, 3, padding=1), nn.ReLU(inplace=True)))
    style_img = torch.tensor(U((1, 3, 5, 5)))
    content_img = torch.tensor(U((1, 3, 5, 5), 2))
    model = nn.Sequential(Normalization([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]))
    content_losses, style_losses = [], []
    i = 0
    for layer in cnn.children():
        if isinstance(layer, nn.Conv2d):
            i += 1
            name = f"conv_{i}"
        elif isinstance(layer, nn.ReLU):
            name = f"relu_{i}"
            layer = nn.ReLU(inplace=False)
        model.add_module(name, layer)
        if name == "conv_2":
            target = model(content_img).detach()
            content_loss = ContentLoss(target)
            model.add_module(f"content_loss_{i}", content_loss)
            content_losses.append(content_loss)
        if name in ("conv_1", "conv_2"):
            target_feature = model(style_img).detach()
            style_loss = StyleLoss(target_feature)
            model.add_module(f"style_loss_{i}", style_loss)
            style_losses.append(style_loss)
    input_img = content_img.clone()
    input_img.requires_grad_(True)
    model.eval()
    model.requires_grad_(False)
    optimizer = optim.Adam([input_img], lr=0.05)
    scores = []
    for step in range(3):
        with torch.no_grad():
            input_img.clamp_(0, 1)
        optimizer.zero_grad()
        model(input_img)
        style_score = sum(sl.loss for sl in style_losses)
        content_score = 0
        for cl in content_losses:
            content_score += cl.loss
        loss = style_score * 1e4 + content_score
        loss.backward()
        optimizer.step()
        scores.append((style_score.item(), content_score.item()))
    with torch.no_grad():
        input_img.clamp_(0, 1)
    return dict(scores=scores, img=input_img, names=[n for n, _ in model.named_children()])


if __name__ == "__main__":
    main(sys.argv[1:])
