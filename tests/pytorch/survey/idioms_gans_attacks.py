"""The survey's programs on adversarial examples (FGSM, PGD) and GAN training steps
(tests/pytorch/survey/idioms_harness.py runs them; ``python idioms_gans_attacks.py [name ...]`` prints their
comparison)."""

import sys

import numpy as np
from idioms_harness import U, X, main, seed_params, snippet


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


if __name__ == "__main__":
    main(sys.argv[1:])
