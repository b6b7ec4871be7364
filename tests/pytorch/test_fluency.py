"""PyTorch programs run on minigan after one rename: `torch` → `minigan`.

Each program below is written the way PyTorch tutorials write GANs and adversarial examples (an MLP GAN,
WGAN with weight clipping, WGAN-GP, a conditional GAN, DCGAN, BEGAN, the FGSM loop), some in the legacy
idiom (`Variable`, `FloatTensor(np.random.normal(...))`, `.data`), some in the modern one. The test runs the
program text as minigan code; when PyTorch is installed it runs the same text on PyTorch as well, from the
same initial weights (`share_weights`, the only helper the harness provides besides the data arrays), and
compares every logged number.  Noise comes from NumPy (`np.random`), so both frameworks see the same.
"""

from __future__ import annotations

import numpy as np
import pytest

import minigan
from minigan.data.digits import load_digits

try:
    import torch

    # On a GPU PyTorch's convolutions and matrix products may run in TF32 (a 10-bit mantissa): the
    # comparison below is with minigan's float32, so PyTorch computes in float32 too.
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
except ImportError:  # the programs still run on minigan; the comparison skips
    torch = None

# ----------------------------------------------------------------------------- the programs
MLP_GAN = """
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

np.random.seed(0)
torch.manual_seed(0)
dataset = TensorDataset(torch.from_numpy(IMAGES), torch.from_numpy(LABELS))
loader = DataLoader(dataset, batch_size=32, shuffle=False, drop_last=True)
latent_dim = 16
G = nn.Sequential(nn.Linear(latent_dim, 64), nn.LeakyReLU(0.2, inplace=True), nn.Linear(64, 64), nn.Tanh())
D = nn.Sequential(nn.Linear(64, 64), nn.LeakyReLU(0.2, inplace=True), nn.Linear(64, 1), nn.Sigmoid())
share_weights(G, D)
adversarial_loss = nn.BCELoss()
optimizer_G = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
optimizer_D = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
for epoch in range(2):
    for i, (imgs, _) in enumerate(loader):
        real = imgs.view(imgs.size(0), -1)
        valid = torch.ones(imgs.size(0), 1)
        fake = torch.zeros(imgs.size(0), 1)
        z = torch.from_numpy(np.random.normal(0, 1, (imgs.shape[0], latent_dim)).astype(np.float32))
        optimizer_G.zero_grad()
        gen_imgs = G(z)
        g_loss = adversarial_loss(D(gen_imgs), valid)
        g_loss.backward()
        optimizer_G.step()
        optimizer_D.zero_grad()
        real_loss = adversarial_loss(D(real), valid)
        fake_loss = adversarial_loss(D(gen_imgs.detach()), fake)
        d_loss = (real_loss + fake_loss) / 2
        d_loss.backward()
        optimizer_D.step()
        LOG.append([d_loss.item(), g_loss.item()])
"""

# The legacy idiom: Variable, typed constructors from NumPy noise, .data, RMSprop and weight clipping.
WGAN_CLIPPING = """
import numpy as np
import torch
import torch.nn as nn
from torch.autograd import Variable

np.random.seed(1)
cuda = True if torch.cuda.is_available() else False
Tensor = torch.cuda.FloatTensor if cuda else torch.FloatTensor
generator = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.Tanh())
discriminator = nn.Sequential(nn.Linear(64, 64), nn.LeakyReLU(0.2), nn.Linear(64, 1))
share_weights(generator, discriminator)
optimizer_G = torch.optim.RMSprop(generator.parameters(), lr=5e-5)
optimizer_D = torch.optim.RMSprop(discriminator.parameters(), lr=5e-5)
batches = [IMAGES[i:i + 32] for i in range(0, 256, 32)]
for i, imgs in enumerate(batches):
    real_imgs = Variable(Tensor(imgs)).view(32, -1)
    optimizer_D.zero_grad()
    z = Variable(Tensor(np.random.normal(0, 1, (imgs.shape[0], 16))))
    fake_imgs = generator(z).detach()
    loss_D = -torch.mean(discriminator(real_imgs)) + torch.mean(discriminator(fake_imgs))
    loss_D.backward()
    optimizer_D.step()
    for p in discriminator.parameters():
        p.data.clamp_(-0.01, 0.01)
    if i % 2 == 0:
        optimizer_G.zero_grad()
        gen_imgs = generator(z)
        loss_G = -torch.mean(discriminator(gen_imgs))
        loss_G.backward()
        optimizer_G.step()
        LOG.append([loss_D.item(), loss_G.item()])
    W = discriminator[0].weight
    LOG.append([W.data.abs().max().item(), float(W.data.max(1)[1][0])])
"""

WGAN_GP = """
import numpy as np
import torch
import torch.nn as nn
import torch.autograd as autograd

np.random.seed(2)
G = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.Tanh())
D = nn.Sequential(nn.Linear(64, 64), nn.LeakyReLU(0.2), nn.Linear(64, 1))
share_weights(G, D)
lambda_gp = 10
opt_G = torch.optim.Adam(G.parameters(), lr=1e-4, betas=(0.0, 0.9))
opt_D = torch.optim.Adam(D.parameters(), lr=1e-4, betas=(0.0, 0.9))

def compute_gradient_penalty(D, real_samples, fake_samples):
    alpha = torch.from_numpy(np.random.random((real_samples.size(0), 1)).astype(np.float32))
    interpolates = (alpha * real_samples + ((1 - alpha) * fake_samples)).requires_grad_(True)
    d_interpolates = D(interpolates)
    fake = torch.ones(real_samples.shape[0], 1)
    gradients = autograd.grad(outputs=d_interpolates, inputs=interpolates, grad_outputs=fake,
                              create_graph=True, retain_graph=True, only_inputs=True)[0]
    gradients = gradients.view(gradients.size(0), -1)
    return ((gradients.norm(2, dim=1) - 1) ** 2).mean()

for i in range(0, 256, 32):
    real = torch.tensor(IMAGES[i:i + 32]).reshape(32, -1)
    z = torch.tensor(np.random.normal(0, 1, (32, 16)), dtype=torch.float32)
    opt_D.zero_grad()
    fake = G(z)
    gp = compute_gradient_penalty(D, real.data, fake.data)
    d_loss = -torch.mean(D(real)) + torch.mean(D(fake.detach())) + lambda_gp * gp
    d_loss.backward()
    opt_D.step()
    opt_G.zero_grad()
    g_loss = -torch.mean(D(G(z)))
    g_loss.backward()
    opt_G.step()
    LOG.append([d_loss.item(), gp.item(), g_loss.item()])
"""

# The classic conditional GAN: an embedding of the label concatenated to the noise, LongTensor labels.
CGAN = """
import numpy as np
import torch
import torch.nn as nn
from torch.autograd import Variable

np.random.seed(3)
FloatTensor, LongTensor = torch.FloatTensor, torch.LongTensor
n_classes, latent_dim = 10, 16

class Generator(nn.Module):
    def __init__(self):
        super(Generator, self).__init__()
        self.label_emb = nn.Embedding(n_classes, n_classes)
        self.model = nn.Sequential(nn.Linear(latent_dim + n_classes, 64), nn.LeakyReLU(0.2, inplace=True),
                                   nn.Linear(64, 64), nn.Tanh())

    def forward(self, noise, labels):
        gen_input = torch.cat((self.label_emb(labels), noise), -1)
        img = self.model(gen_input)
        return img.view(img.size(0), 1, 8, 8)

class Discriminator(nn.Module):
    def __init__(self):
        super(Discriminator, self).__init__()
        self.label_embedding = nn.Embedding(n_classes, n_classes)
        self.model = nn.Sequential(nn.Linear(n_classes + 64, 64), nn.LeakyReLU(0.2, inplace=True),
                                   nn.Linear(64, 1))

    def forward(self, img, labels):
        d_in = torch.cat((img.view(img.size(0), -1), self.label_embedding(labels)), -1)
        return self.model(d_in)

generator, discriminator = Generator(), Discriminator()
share_weights(generator, discriminator)
adversarial_loss = torch.nn.MSELoss()
optimizer_G = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
optimizer_D = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
for i in range(0, 256, 32):
    imgs, labels = IMAGES[i:i + 32], LABELS[i:i + 32]
    batch_size = imgs.shape[0]
    valid = Variable(FloatTensor(batch_size, 1).fill_(1.0), requires_grad=False)
    fake = Variable(FloatTensor(batch_size, 1).fill_(0.0), requires_grad=False)
    real_imgs = Variable(FloatTensor(imgs))
    labels = Variable(LongTensor(labels))
    optimizer_G.zero_grad()
    z = Variable(FloatTensor(np.random.normal(0, 1, (batch_size, latent_dim))))
    gen_labels = Variable(LongTensor(np.random.randint(0, n_classes, batch_size)))
    gen_imgs = generator(z, gen_labels)
    g_loss = adversarial_loss(discriminator(gen_imgs, gen_labels), valid)
    g_loss.backward()
    optimizer_G.step()
    optimizer_D.zero_grad()
    d_real_loss = adversarial_loss(discriminator(real_imgs, labels), valid)
    d_fake_loss = adversarial_loss(discriminator(gen_imgs.detach(), gen_labels), fake)
    d_loss = (d_real_loss + d_fake_loss) / 2
    d_loss.backward()
    optimizer_D.step()
    LOG.append([d_loss.item(), g_loss.item()])
"""

# DCGAN as the official example writes it: weights_init through Module.apply, BatchNorm, torch.full labels.
DCGAN = """
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

np.random.seed(4)
nz, ngf, ndf = 16, 16, 16
device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")

def weights_init(m):
    classname = m.__class__.__name__
    if classname.find('Conv') != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find('BatchNorm') != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)

class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, 1, 4, 2, 1, bias=False), nn.Tanh())

    def forward(self, input):
        return self.main(input)

class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(1, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 3, 1, 1, bias=False), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, 1, 4, 1, 0, bias=False), nn.Sigmoid())

    def forward(self, input):
        return self.main(input).view(-1, 1).squeeze(1)

netG = Generator().to(device)
netG.apply(weights_init)
netD = Discriminator().to(device)
netD.apply(weights_init)
share_weights(netG, netD)
criterion = nn.BCELoss()
real_label, fake_label = 1., 0.
optimizerD = optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
optimizerG = optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))
scheduler = optim.lr_scheduler.StepLR(optimizerG, step_size=4, gamma=0.5)
for i in range(0, 256, 32):
    netD.zero_grad()
    real_cpu = torch.from_numpy(IMAGES[i:i + 32]).to(device)
    b_size = real_cpu.size(0)
    label = torch.full((b_size,), real_label, dtype=torch.float, device=device)
    output = netD(real_cpu).view(-1)
    errD_real = criterion(output, label)
    errD_real.backward()
    D_x = output.mean().item()
    noise = torch.from_numpy(np.random.randn(b_size, nz, 1, 1).astype(np.float32)).to(device)
    fake = netG(noise)
    label.fill_(fake_label)
    output = netD(fake.detach()).view(-1)
    errD_fake = criterion(output, label)
    errD_fake.backward()
    errD = errD_real + errD_fake
    optimizerD.step()
    netG.zero_grad()
    label.fill_(real_label)
    output = netD(fake).view(-1)
    errG = criterion(output, label)
    errG.backward()
    optimizerG.step()
    scheduler.step()
    LOG.append([errD.item(), errG.item(), D_x, optimizerG.param_groups[0]["lr"]])
netG.eval()
with torch.no_grad():
    LOG.append(netG(noise).flatten()[:8].tolist())
"""

# BEGAN: an auto-encoder discriminator, L1 reconstruction losses, the equilibrium variable k.
BEGAN = """
import numpy as np
import torch
import torch.nn as nn

np.random.seed(5)

class AutoEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.down = nn.Sequential(nn.Conv2d(1, 8, 3, 1, 1), nn.ELU(), nn.AvgPool2d(2))
        self.fc = nn.Sequential(nn.Linear(8 * 4 * 4, 16), nn.Linear(16, 8 * 4 * 4))
        self.up = nn.Sequential(nn.Upsample(scale_factor=2), nn.Conv2d(8, 1, 3, 1, 1))

    def forward(self, img):
        out = self.down(img)
        out = self.fc(out.view(out.size(0), -1))
        return self.up(out.view(out.size(0), 8, 4, 4))

generator = nn.Sequential(nn.Linear(16, 64), nn.ELU(), nn.Linear(64, 64), nn.Tanh())
discriminator = AutoEncoder()
share_weights(generator, discriminator)
optimizer_G = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
optimizer_D = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
gamma, lambda_k, k = 0.75, 0.001, 0.0
for i in range(0, 256, 32):
    real_imgs = torch.from_numpy(IMAGES[i:i + 32])
    z = torch.from_numpy(np.random.uniform(-1, 1, (32, 16)).astype(np.float32))
    optimizer_G.zero_grad()
    gen_imgs = generator(z).view(32, 1, 8, 8)
    g_loss = torch.mean(torch.abs(discriminator(gen_imgs) - gen_imgs))
    g_loss.backward()
    optimizer_G.step()
    optimizer_D.zero_grad()
    d_real = discriminator(real_imgs)
    d_fake = discriminator(gen_imgs.detach())
    d_loss_real = torch.mean(torch.abs(d_real - real_imgs))
    d_loss_fake = torch.mean(torch.abs(d_fake - gen_imgs.detach()))
    d_loss = d_loss_real - k * d_loss_fake
    d_loss.backward()
    optimizer_D.step()
    diff = torch.mean(gamma * d_loss_real - d_loss_fake)
    k = k + lambda_k * diff.item()
    k = min(max(k, 0), 1)
    M = (d_loss_real + torch.abs(diff)).item()
    LOG.append([d_loss.item(), g_loss.item(), M, k])
"""

# The FGSM tutorial's loop: one example at a time, max(1, keepdim=True)[1], data.grad.data.sign().
FGSM = """
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 8, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, kernel_size=3, padding=1)
        self.conv2_drop = nn.Dropout2d()
        self.fc1 = nn.Linear(16 * 2 * 2, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = x.view(-1, 16 * 2 * 2)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, training=self.training)
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)

model = Net()
share_weights(model)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.5)
images01, targets = torch.from_numpy((IMAGES + 1) / 2), torch.from_numpy(LABELS)
model.eval()  # no dropout, so that both frameworks train the same network
for epoch in range(3):
    for i in range(0, 192, 32):
        optimizer.zero_grad()
        loss = F.nll_loss(model(images01[i:i + 32]), targets[i:i + 32])
        loss.backward()
        optimizer.step()
    LOG.append([loss.item()])

def fgsm_attack(image, epsilon, data_grad):
    sign_data_grad = data_grad.sign()
    perturbed_image = image + epsilon * sign_data_grad
    return torch.clamp(perturbed_image, 0, 1)

for epsilon in [0, 0.1, 0.3]:
    correct = 0
    for n in range(192, 256):
        data, target = images01[n:n + 1], targets[n:n + 1]
        data.requires_grad = True
        output = model(data)
        init_pred = output.max(1, keepdim=True)[1]
        if init_pred.item() != target.item():
            continue
        loss = F.nll_loss(output, target)
        model.zero_grad()
        loss.backward()
        data_grad = data.grad.data
        perturbed_data = fgsm_attack(data, epsilon, data_grad)
        output = model(perturbed_data)
        final_pred = output.max(1, keepdim=True)[1]
        if final_pred.item() == target.item():
            correct += 1
    LOG.append([epsilon, correct / 64])
"""

PROGRAMS = {"mlp-gan": MLP_GAN, "wgan-clipping": WGAN_CLIPPING, "wgan-gp": WGAN_GP, "cgan": CGAN, "dcgan": DCGAN,
            "began": BEGAN, "fgsm": FGSM}


# ----------------------------------------------------------------------------- the harness
def _data():
    images, labels = load_digits("train", scale="pm1")
    return np.ascontiguousarray(images[:256], dtype=np.float32), np.ascontiguousarray(labels[:256], dtype=np.int64)


def _as_numpy(v):
    return v.detach().cpu().detach().numpy() if hasattr(v, "detach") and hasattr(v, "cpu") else np.asarray(v)


class SharedWeights:
    """``share_weights(*models)``: the first framework's initial states, recorded, then loaded into the second's."""

    def __init__(self):
        self.states = None

    def recorder(self):
        self.states = []

        def share_weights(*models):
            self.states.extend({k: _as_numpy(v).copy() for k, v in m.state_dict().items()} for m in models)
        return share_weights

    def loader(self, framework):
        def share_weights(*models):
            for m, state in zip(models, self.states):
                m.load_state_dict({k: framework.from_numpy(v.copy()) for k, v in state.items()})
        return share_weights


def run(name, framework, share_weights):
    images, labels = _data()
    text = PROGRAMS[name]
    if framework != "torch":
        text = text.replace("torch", "minigan")  # the rename, and nothing else
    namespace = {"IMAGES": images, "LABELS": labels, "LOG": [], "share_weights": share_weights, "__name__": name}
    exec(compile(text, f"<{name} on {framework}>", "exec"), namespace)
    return namespace["LOG"]


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_pytorch_program_runs_on_minigan_after_the_rename(name):
    shared = SharedWeights()
    if name == "wgan-clipping" and minigan.cuda.is_available():
        # its batches go to the GPU (torch.cuda.FloatTensor) and its models never do: both frameworks refuse
        with pytest.raises(minigan.BackendError, match=r"^linear: inputs on cuda, cpu, cpu: cannot mix"):
            run(name, "minigan", shared.recorder())
        if torch is not None and torch.cuda.is_available():
            with pytest.raises(RuntimeError, match="same device"):
                run(name, "torch", SharedWeights().recorder())
        return
    log = run(name, "minigan", shared.recorder())
    assert log and np.isfinite(np.array([v for row in log for v in row], dtype=np.float64)).all()
    if torch is None:
        pytest.skip("PyTorch is not installed: the program ran on minigan; no numbers to compare")
    expected = run(name, "torch", shared.loader(torch))
    assert len(expected) == len(log)
    for step, (mine, theirs) in enumerate(zip(log, expected)):
        np.testing.assert_allclose(mine, theirs, rtol=2e-4, atol=2e-5, err_msg=f"{name}: step {step}")
