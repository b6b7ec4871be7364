"""Programs run unchanged under PyTorch and under minigan (tests/pytorch/corpus.py, test_corpus.py): whole training
steps: GANs (conditional, hinge, WGAN-GP, spectral norm), attacks (FGSM, PGD), gradient clipping, accumulation, losses
written by hand, whole workflows."""

import io

import numpy as np

from pytorch.corpus import _gan, _generator_discriminator, caught, data, fill_, registry, same

PROGRAMS, program = registry()


@program
def clip_grad_norm_total(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Linear(3, 1)))
    (net(data(torch, 4, 3)) * 20).sum().backward()
    total = torch.nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0)
    after = torch.sqrt(sum((p.grad ** 2).sum() for p in net.parameters()))
    return total, after, net[0].weight.grad


@program
def clip_grad_norm_inf_and_value(torch):
    w = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    (w * torch.tensor([4.0, -5.0, 0.5])).sum().backward()
    total = torch.nn.utils.clip_grad_norm_([w], max_norm=2.0, norm_type=float("inf"))
    g1 = w.grad.clone()
    w.grad = torch.tensor([4.0, -5.0, 0.5])
    torch.nn.utils.clip_grad_value_([w], clip_value=1.0)
    return total, g1, w.grad


@program
def clip_grad_norm_single_tensor_and_none(torch):
    a = torch.tensor([3.0, 4.0], requires_grad=True)
    b = torch.tensor([1.0], requires_grad=True)  # never used: grad None
    (a * 2).sum().backward()
    total = torch.nn.utils.clip_grad_norm_([a, b], 1.0, norm_type=2)
    total2 = torch.nn.utils.clip_grad_norm_(a, 10.0)
    return total, total2, a.grad, b.grad


@program
def tiny_gan_step(torch):
    G, D = _gan(torch)
    opt_g = torch.optim.Adam(G.parameters(), lr=1e-2, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=1e-2, betas=(0.5, 0.999))
    bce = torch.nn.BCEWithLogitsLoss()
    real = data(torch, 6, 2)
    z = data(torch, 6, 2, offset=0.5)
    out = []
    for _ in range(2):
        fake = G(z)
        opt_d.zero_grad()
        d_loss = bce(D(real), torch.ones(6, 1)) + bce(D(fake.detach()), torch.zeros(6, 1))
        d_loss.backward()
        opt_d.step()
        opt_g.zero_grad()
        g_loss = bce(D(fake), torch.ones(6, 1))
        g_loss.backward()
        opt_g.step()
        out.append((d_loss.item(), g_loss.item()))
    return out, G[0].weight, D[2].weight, fake.requires_grad


@program
def gan_step_without_detach_leaves_g_grads(torch):
    G, D = _gan(torch)
    fake = G(data(torch, 3, 2))
    d_loss = torch.nn.functional.softplus(D(fake)).mean()
    d_loss.backward()
    return G[0].weight.grad, D[0].weight.grad


@program
def wgan_gp_penalty(torch):
    G, D = _gan(torch)
    real = data(torch, 5, 2)
    fake = G(data(torch, 5, 2, offset=2.0)).detach()
    alpha = torch.linspace(0, 1, 5).unsqueeze(1)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    scores = D(mixed)
    (grads,) = torch.autograd.grad(scores, mixed, grad_outputs=torch.ones_like(scores), create_graph=True,
                                   retain_graph=True)
    penalty = ((grads.norm(2, dim=1) - 1) ** 2).mean()
    loss = D(fake).mean() - D(real).mean() + 10 * penalty
    loss.backward()
    return penalty, grads.requires_grad, D[0].weight.grad, D[2].bias.grad, mixed.grad


@program
def wgan_weight_clipping(torch):
    _, D = _gan(torch)
    opt = torch.optim.RMSprop(D.parameters(), lr=0.05)
    for _ in range(2):
        opt.zero_grad()
        (D(data(torch, 4, 2, offset=1.0)).mean() - D(data(torch, 4, 2)).mean()).backward()
        opt.step()
        for p in D.parameters():
            p.data.clamp_(-0.2, 0.2)
    return [p.clone() for p in D.parameters()]


@program
def r1_penalty_real_only(torch):
    _, D = _gan(torch)
    real = data(torch, 4, 2).requires_grad_()
    out = D(real).sum()
    (g,) = torch.autograd.grad(out, real, create_graph=True)
    r1 = g.pow(2).sum(dim=1).mean()
    r1.backward()
    return r1, D[0].weight.grad, real.grad


@program
def clip_grad_norm_nonfinite(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    w.grad = torch.tensor([float("inf"), 1.0])
    err = caught(torch.nn.utils.clip_grad_norm_, [w], 1.0, error_if_nonfinite=True)
    total = torch.nn.utils.clip_grad_norm_([w], 1.0)
    return err, total, w.grad


@program
def clip_grad_norm_one_norm_and_empty(torch):
    a = torch.tensor([1.0, -2.0], requires_grad=True)
    a.grad = torch.tensor([3.0, -4.0])
    total = torch.nn.utils.clip_grad_norm_([a], 1.0, norm_type=1.0)
    empty = torch.nn.utils.clip_grad_norm_([], 1.0)
    return total, a.grad, empty


@program
def gan_with_label_smoothing_and_frozen_d(torch):
    G, D = _gan(torch)
    bce = torch.nn.BCEWithLogitsLoss()
    real, z = data(torch, 4, 2), data(torch, 4, 2, offset=3.0)
    d_loss = bce(D(real), torch.full((4, 1), 0.9)) + bce(D(G(z).detach()), torch.zeros(4, 1))
    d_loss.backward()
    d_grad = D[0].weight.grad.clone()
    D.zero_grad()
    D.requires_grad_(False)
    g_loss = torch.nn.functional.softplus(-D(G(z))).mean()
    g_loss.backward()
    D.requires_grad_(True)
    return d_loss, d_grad, g_loss, D[0].weight.grad, G[0].weight.grad


@program
def cgan_embedding_concat(torch):
    emb = fill_(torch, torch.nn.Embedding(3, 2))
    G = fill_(torch, torch.nn.Linear(4, 2))
    z = data(torch, 5, 2)
    labels = torch.tensor([0, 1, 2, 1, 0])
    out = G(torch.cat([z, emb(labels)], dim=1))
    out.pow(2).sum().backward()
    return out, emb.weight.grad


@program
def hinge_gan_losses(torch):
    _, D = _gan(torch)
    real, fake = data(torch, 4, 2), data(torch, 4, 2, offset=1.0)
    d_loss = torch.relu(1 - D(real)).mean() + torch.relu(1 + D(fake)).mean()
    d_loss.backward()
    return d_loss, D[2].weight.grad


@program
def clip_grad_norm_float64_and_zero_max(torch):
    w = torch.tensor([3.0, 4.0], dtype=torch.float64, requires_grad=True)
    w.grad = torch.tensor([3.0, 4.0], dtype=torch.float64)
    total = torch.nn.utils.clip_grad_norm_([w], max_norm=0.0)
    v = torch.tensor([1.0], requires_grad=True)
    v.grad = torch.tensor([-5.0])
    torch.nn.utils.clip_grad_value_(v, 2.0)
    return total, w.grad, v.grad


@program
def clip_grad_norm_foreach_and_sequence_of_grads(torch):
    params = [torch.ones(2, requires_grad=True), torch.ones(3, requires_grad=True)]
    for i, p in enumerate(params):
        p.grad = torch.full(p.shape, float(i + 1))
    total = torch.nn.utils.clip_grad_norm_(params, 1.0, foreach=True)
    return total, [p.grad for p in params]


@program
def mixed_precision_manual_loss_scaling(torch):
    net = fill_(torch, torch.nn.Linear(2, 1))
    x = data(torch, 4, 2)
    loss = net(x).pow(2).mean()
    (loss * 1024.0).backward()
    for p in net.parameters():
        p.grad.div_(1024.0)
    finite = all(bool(torch.isfinite(p.grad).all()) for p in net.parameters())
    return loss, net.weight.grad, finite


@program
def clip_norm_type_string_and_int(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    w.grad = torch.tensor([3.0, -4.0])
    total_inf = torch.nn.utils.clip_grad_norm_([w], 100.0, norm_type="inf")
    total_int = torch.nn.utils.clip_grad_norm_([w], 100.0, norm_type=1)
    return total_inf, total_int, total_inf.dtype


@program
def gradient_penalty_on_images(torch):
    D = fill_(torch, torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(8, 4), torch.nn.Tanh(),
                                         torch.nn.Linear(4, 1)))
    real = data(torch, 3, 2, 2, 2)
    fake = data(torch, 3, 2, 2, 2, offset=1.0)
    eps = torch.tensor([0.2, 0.5, 0.9]).view(3, 1, 1, 1)
    mix = (eps * real + (1 - eps) * fake).requires_grad_()
    (g,) = torch.autograd.grad(D(mix).sum(), mix, create_graph=True)
    gp = ((g.flatten(1).norm(dim=1) - 1) ** 2).mean()
    gp.backward()
    return gp, D[1].weight.grad, D[3].weight.grad


@program
def wgan_critic_iterations_with_frozen_generator(torch):
    G, D = _gan(torch)
    opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.0, 0.9))
    for p in G.parameters():
        p.requires_grad_(False)
    z = data(torch, 4, 2, offset=0.5)
    for _ in range(3):
        opt_d.zero_grad()
        loss = D(G(z)).mean() - D(data(torch, 4, 2)).mean()
        loss.backward()
        opt_d.step()
    return loss, D[0].weight, G[0].weight.grad is None


@program
def clip_grad_norm_mixed_dtypes(torch):
    a = torch.tensor([3.0, 4.0], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([12.0], requires_grad=True)
    a.grad = torch.tensor([3.0, 4.0], dtype=torch.float64)
    b.grad = torch.tensor([12.0])
    total = torch.nn.utils.clip_grad_norm_([a, b], 1.0)
    return total, a.grad, b.grad


@program
def vae_reparameterisation_and_kl(torch):
    enc = fill_(torch, torch.nn.Linear(4, 4)).double()
    dec = fill_(torch, torch.nn.Linear(2, 4), scale=0.5).double()
    x = data(torch, 3, 4, dtype=torch.float64)
    h = enc(x)
    mu, logvar = h.chunk(2, dim=1)
    eps = data(torch, 3, 2, dtype=torch.float64, offset=0.7)  # fixed noise: the draw itself differs by library
    z = mu + eps * torch.exp(0.5 * logvar)
    recon = torch.sigmoid(dec(z))
    bce = torch.nn.functional.binary_cross_entropy(recon, (x > 0).double(), reduction="sum")
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    (bce + kl).backward()
    return bce, kl, enc.weight.grad, dec.bias.grad


@program
def focal_loss_with_gather(torch):
    logits = data(torch, 5, 3, dtype=torch.float64).requires_grad_()
    target = torch.tensor([0, 2, 1, 1, 0])
    logp = torch.log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    p = logp.exp()
    alpha = torch.tensor([0.25, 0.5, 0.25], dtype=torch.float64)[target]
    loss = (-alpha * (1 - p) ** 2 * logp).mean()
    loss.backward()
    return loss, logits.grad


@program
def label_smoothing_by_hand_matches_builtin(torch):
    F = torch.nn.functional
    logits = data(torch, 4, 5, dtype=torch.float64).requires_grad_()
    target = torch.tensor([1, 0, 4, 2])
    eps = 0.1
    logp = F.log_softmax(logits, dim=-1)
    smooth = torch.full_like(logp, eps / 5).scatter_(1, target[:, None], 1 - eps + eps / 5)
    by_hand = -(smooth * logp).sum(dim=1).mean()
    builtin = F.cross_entropy(logits, target, label_smoothing=eps)
    by_hand.backward()
    return by_hand, builtin, torch.allclose(by_hand, builtin), logits.grad


@program
def info_nce_contrastive_loss(torch):
    F = torch.nn.functional
    a = F.normalize(data(torch, 4, 3, dtype=torch.float64), dim=1).requires_grad_()
    b = F.normalize(data(torch, 4, 3, dtype=torch.float64, offset=0.2), dim=1)
    logits = a @ b.T / 0.1
    labels = torch.arange(4)
    loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2
    loss.backward()
    return loss, a.grad, logits.diag(), (logits.argmax(1) == labels).float().mean()


@program
def mixup_with_a_fixed_permutation(torch):
    F = torch.nn.functional
    net = fill_(torch, torch.nn.Linear(3, 2)).double()
    x = data(torch, 4, 3, dtype=torch.float64)
    y = torch.tensor([0, 1, 1, 0])
    perm = torch.tensor([2, 0, 3, 1])
    lam = 0.7
    mixed = lam * x + (1 - lam) * x[perm]
    out = net(mixed)
    loss = lam * F.cross_entropy(out, y) + (1 - lam) * F.cross_entropy(out, y[perm])
    loss.backward()
    return loss, net.weight.grad


@program
def char_rnn_step_flattened_targets(torch):
    nn = torch.nn
    emb = fill_(torch, nn.Embedding(6, 3)).double()
    gru = fill_(torch, nn.GRU(3, 4, batch_first=True)).double()
    head = fill_(torch, nn.Linear(4, 6)).double()
    tokens = torch.tensor([[1, 2, 3, 4], [5, 0, 1, 2]])
    inp, tgt = tokens[:, :-1], tokens[:, 1:]
    out, h = gru(emb(inp))
    logits = head(out)
    loss = nn.functional.cross_entropy(logits.reshape(-1, 6), tgt.reshape(-1))
    loss2 = nn.functional.cross_entropy(logits.transpose(1, 2), tgt)
    loss.backward()
    return loss, loss2, h.shape, emb.weight.grad, gru.bias_hh_l0.grad


@program
def freeze_batchnorm_statistics_while_training(torch):
    nn = torch.nn
    net = fill_(torch, nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1))).double()
    net.train()
    for m in net.modules():
        if isinstance(m, nn.BatchNorm1d):
            m.eval()
            m.weight.requires_grad_(False)
    before = net[1].running_mean.clone()
    x = data(torch, 5, 3, dtype=torch.float64)
    net(x).sum().backward()
    return (torch.equal(before, net[1].running_mean), net[1].training, net.training, net[0].training,
            net[1].weight.grad, net[0].weight.grad, net[1].num_batches_tracked)


@program
def early_stopping_restores_the_best_weights(torch):
    import copy
    net = fill_(torch, torch.nn.Linear(2, 1)).double()
    opt = torch.optim.SGD(net.parameters(), lr=0.5)
    x = data(torch, 6, 2, dtype=torch.float64)
    y = x.sum(1, keepdim=True)
    best, best_state, history = float("inf"), None, []
    for epoch in range(6):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(net(x), y)
        loss.backward()
        opt.step()
        val = torch.nn.functional.mse_loss(net(x + 0.3 * (epoch % 2)), y).item()
        history.append(round(val, 8))
        if val < best:
            best, best_state = val, copy.deepcopy(net.state_dict())
    net.load_state_dict(best_state)
    return history, best, net.weight, net.bias, best_state["weight"] is not net.weight


@program
def k_fold_indices_with_subsets(torch):
    tud = torch.utils.data  # (an import would name PyTorch itself)
    DataLoader, Subset, TensorDataset = tud.DataLoader, tud.Subset, tud.TensorDataset
    ds = TensorDataset(torch.arange(10.0)[:, None], torch.arange(10) % 2)
    folds = torch.arange(10).chunk(3)
    out = []
    for k, val_idx in enumerate(folds):
        train_idx = torch.cat([f for j, f in enumerate(folds) if j != k])
        train = Subset(ds, train_idx.tolist())
        val = Subset(ds, val_idx.tolist())
        xs = torch.cat([xb for xb, _ in DataLoader(train, batch_size=4)])
        out.append((len(train), len(val), xs.squeeze(1), val[0][0], val[len(val) - 1][1]))
    return out


@program
def gan_loop_bce_with_logits_one_sided_smoothing(torch):
    G, D = _generator_discriminator(torch)
    opt_g = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
    criterion = torch.nn.BCEWithLogitsLoss()
    real = data(torch, 6, 3, dtype=torch.float64)
    z = data(torch, 6, 2, dtype=torch.float64, offset=0.4)
    history = []
    for _ in range(3):
        fake = G(z)
        opt_d.zero_grad()
        d_real, d_fake = D(real), D(fake.detach())
        loss_d = criterion(d_real, torch.full_like(d_real, 0.9)) + criterion(d_fake, torch.zeros_like(d_fake))
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        loss_g = criterion(D(fake), torch.ones(6, 1, dtype=torch.float64))
        loss_g.backward()
        opt_g.step()
        history.append((loss_d.item(), loss_g.item()))
    return history, G[0].weight, D[2].bias, opt_d.state[D[0].weight]["step"]


@program
def gan_spectral_norm_discriminator(torch):
    G, D = _generator_discriminator(torch, sn=True)
    names = sorted(n for n, _ in D.named_parameters())
    buffers = sorted(n for n, _ in D.named_buffers())
    opt_d = torch.optim.SGD(D.parameters(), lr=0.05)
    x = data(torch, 4, 3, dtype=torch.float64)
    outs = []
    for _ in range(3):
        opt_d.zero_grad()
        out = D(x)
        out.mean().backward()
        opt_d.step()
        outs.append(out.detach())
    D.eval()
    frozen = D(x)
    sigma = torch.linalg.matrix_norm(D[0].weight.detach(), ord=2) if hasattr(torch, "linalg") else None
    return names, buffers, outs, frozen, D[0].weight_u, sigma, sorted(D.state_dict())


@program
def wgan_gp_on_interpolates_by_hand(torch):
    _, D = _generator_discriminator(torch)
    real = data(torch, 5, 3, dtype=torch.float64)
    fake = data(torch, 5, 3, dtype=torch.float64, offset=2.0)
    alpha = torch.linspace(0, 1, 5, dtype=torch.float64).view(-1, 1)
    interp = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    out = D(interp)
    grads = torch.autograd.grad(outputs=out, inputs=interp, grad_outputs=torch.ones_like(out),
                                create_graph=True, retain_graph=True, only_inputs=True)[0]
    gp = ((grads.view(grads.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()
    loss = D(fake).mean() - D(real).mean() + 10 * gp
    loss.backward()
    return gp, loss, grads.requires_grad, D[0].weight.grad, D[2].weight.grad, interp.grad is None


@program
def fgsm_by_hand(torch):
    F = torch.nn.functional
    model = fill_(torch, torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 3))).double()
    x = data(torch, 5, 4, dtype=torch.float64).clamp(0, 1)
    y = torch.tensor([0, 1, 2, 1, 0])
    x_adv = x.clone().detach().requires_grad_(True)
    loss = F.cross_entropy(model(x_adv), y)
    model.zero_grad()
    loss.backward()
    eps = 0.1
    perturbed = (x_adv + eps * x_adv.grad.sign()).clamp(0, 1).detach()
    with torch.no_grad():
        before = model(x).argmax(1)
        after = model(perturbed).argmax(1)
    return perturbed, (perturbed - x).abs().max(), before, after, F.cross_entropy(model(perturbed), y) > loss


@program
def pgd_linf_by_hand_with_random_start(torch):
    F = torch.nn.functional
    model = fill_(torch, torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.ReLU(), torch.nn.Linear(6, 3))).double()
    x = data(torch, 5, 4, dtype=torch.float64).clamp(0, 1)
    y = torch.tensor([2, 1, 0, 1, 2])
    eps, alpha = 0.2, 0.05
    start = same(torch, np.sin(np.arange(20.0)).reshape(5, 4) * eps)  # the "random" start, the same in both
    delta = start.clone().requires_grad_()
    losses = []
    for _ in range(5):
        loss = F.cross_entropy(model(x + delta), y)
        loss.backward()
        with torch.no_grad():
            delta += alpha * delta.grad.sign()
            delta.clamp_(-eps, eps)
            delta.copy_((x + delta).clamp(0, 1) - x)
        delta.grad.zero_()
        losses.append(loss.item())
    return delta, losses, delta.abs().max() <= eps + 1e-12, delta.requires_grad


@program
def adversarial_training_step_mixed_batch(torch):
    F = torch.nn.functional
    model = fill_(torch, torch.nn.Linear(4, 3)).double()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x = data(torch, 6, 4, dtype=torch.float64)
    y = torch.tensor([0, 1, 2, 0, 1, 2])
    for _ in range(2):
        model.eval()
        xa = x.detach().clone().requires_grad_(True)
        grad, = torch.autograd.grad(F.cross_entropy(model(xa), y), xa)
        x_adv = (x + 0.05 * grad.sign()).detach()
        model.train()
        opt.zero_grad()
        loss = 0.5 * F.cross_entropy(model(x), y) + 0.5 * F.cross_entropy(model(x_adv), y)
        loss.backward()
        opt.step()
    return model.weight, model.bias, loss


@program
def gradient_penalty_helper_matches_the_hand_written_one(torch):
    """minigan's WGAN-GP penalty (where the library has one) against the usual hand-written penalty, the same ε."""
    critic = fill_(torch, torch.nn.Sequential(torch.nn.Linear(3, 6), torch.nn.Tanh(), torch.nn.Linear(6, 1))).double()
    real = data(torch, 4, 3, dtype=torch.float64)
    fake = data(torch, 4, 3, dtype=torch.float64, offset=1.5).requires_grad_()
    eps = torch.tensor([0.1, 0.4, 0.7, 1.0], dtype=torch.float64)

    def by_hand():
        e = eps.view(-1, 1)
        x_hat = (e * real + (1 - e) * fake.detach()).requires_grad_(True)
        grad, = torch.autograd.grad(critic(x_hat), x_hat, torch.ones(4, 1, dtype=torch.float64), create_graph=True)
        return 10.0 * ((grad.norm(2, dim=1) - 1) ** 2).mean()

    gans = getattr(torch, "gans", None)
    hand = by_hand()
    lib = gans.wgan_gp.gradient_penalty(critic, real, fake, lam=10.0, eps=eps) if gans else by_hand()
    hand.backward()
    grads_hand = [None if p.grad is None else p.grad.clone() for p in critic.parameters()]  # (the last bias: None)
    critic.zero_grad()
    lib.backward()
    return hand, lib, grads_hand, [p.grad for p in critic.parameters()], fake.grad


@program
def resume_mid_schedule_from_a_bytesio_checkpoint(torch):
    def build():
        net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))).double()
        opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-3)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=6, eta_min=1e-3)
        return net, opt, sched

    x = data(torch, 8, 3, dtype=torch.float64)
    y = data(torch, 8, 1, dtype=torch.float64, offset=0.3)

    def epoch(net, opt, sched):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(net(x), y)
        loss.backward()
        opt.step()
        sched.step()
        return loss.item()

    net, opt, sched = build()
    straight = [epoch(net, opt, sched) for _ in range(6)]
    net, opt, sched = build()
    first = [epoch(net, opt, sched) for _ in range(3)]
    buf = io.BytesIO()
    torch.save({"model": net.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "epoch": 3}, buf)
    buf.seek(0)
    ckpt = torch.load(buf)
    net2, opt2, sched2 = build()
    net2.load_state_dict(ckpt["model"])
    opt2.load_state_dict(ckpt["opt"])
    sched2.load_state_dict(ckpt["sched"])
    rest = [epoch(net2, opt2, sched2) for _ in range(ckpt["epoch"], 6)]
    return straight, first + rest, sched2.get_last_lr(), sched2.last_epoch, net2[2].weight


@program
def ema_generator_copy_and_eval_sampling(torch):
    import copy as copy_
    G = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.BatchNorm1d(4), torch.nn.ReLU(),
                                         torch.nn.Linear(4, 2))).double()
    ema = copy_.deepcopy(G).eval().requires_grad_(False)
    opt = torch.optim.Adam(G.parameters(), lr=0.01, betas=(0.0, 0.99))
    z = data(torch, 6, 2, dtype=torch.float64)
    for _ in range(3):
        opt.zero_grad()
        G(z).pow(2).mean().backward()
        opt.step()
        with torch.no_grad():
            for p_ema, p in zip(ema.parameters(), G.parameters()):
                p_ema.mul_(0.9).add_(p, alpha=0.1)
            for b_ema, b in zip(ema.buffers(), G.buffers()):
                b_ema.copy_(b)
    with torch.no_grad():
        samples = ema(z)
    return samples, ema[1].running_mean, ema[1].num_batches_tracked, [p.requires_grad for p in ema.parameters()], \
        ema.training, G.training, ema[0].weight


@program
def classifier_metrics_confusion_matrix_and_early_stopping(torch):
    logits = data(torch, 12, 3, dtype=torch.float64)
    target = torch.tensor([0, 1, 2, 2, 1, 0, 0, 1, 2, 1, 1, 0])
    pred = logits.argmax(dim=1)
    cm = torch.bincount(target * 3 + pred, minlength=9).reshape(3, 3)
    tp = cm.diag()
    precision = tp / cm.sum(0).clamp(min=1)
    recall = tp / cm.sum(1)
    f1 = 2 * precision * recall / (precision + recall).clamp(min=1e-12)
    accuracy = (pred == target).float().mean()
    top2 = (logits.topk(2, dim=1).indices == target[:, None]).any(dim=1).float().mean()
    history, best, patience, waited, stopped = [0.9, 0.7, 0.72, 0.71, 0.69, 0.74, 0.75], float("inf"), 2, 0, None
    for i, val in enumerate(history):
        if val < best - 1e-3:
            best, waited = val, 0
        else:
            waited += 1
            if waited > patience:
                stopped = i
                break
    return cm, precision, recall, f1, accuracy, top2, stopped, best, cm.dtype, precision.dtype


@program
def channel_statistics_over_a_loader_and_normalise(torch):
    images = data(torch, 10, 3, 4, 4, dtype=torch.float64) * 0.5 + 0.5
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(images), batch_size=4)
    total, total_sq, count = torch.zeros(3, dtype=torch.float64), torch.zeros(3, dtype=torch.float64), 0
    for (batch,) in loader:
        total += batch.sum(dim=(0, 2, 3))
        total_sq += (batch ** 2).sum(dim=(0, 2, 3))
        count += batch.numel() // batch.size(1)
    mean = total / count
    std = (total_sq / count - mean ** 2).sqrt()
    normed = (images - mean[None, :, None, None]) / std.view(1, 3, 1, 1)
    return mean, std, normed.mean(dim=(0, 2, 3)), normed.std(dim=(0, 2, 3), unbiased=False), count, \
        torch.allclose(mean, images.mean(dim=(0, 2, 3)))


@program
def augmentation_by_hand_with_fixed_draws(torch):
    images = torch.arange(2 * 1 * 4 * 4, dtype=torch.float64).reshape(2, 1, 4, 4)
    flip = torch.tensor([True, False])
    flipped = torch.where(flip[:, None, None, None], images.flip(-1), images)
    padded = torch.nn.functional.pad(images, (1, 1, 1, 1), mode="reflect")
    tops, lefts = torch.tensor([0, 2]), torch.tensor([1, 0])
    rows = tops[:, None] + torch.arange(4)[None]
    cols = lefts[:, None] + torch.arange(4)[None]
    crops = padded[torch.arange(2)[:, None, None], 0, rows[:, :, None], cols[:, None, :]].unsqueeze(1)
    noise = torch.linspace(-0.1, 0.1, 16, dtype=torch.float64).reshape(1, 1, 4, 4)
    jittered = (images / 31 + noise).clamp(0, 1)
    cutout = images.clone()
    cutout[:, :, 1:3, 1:3] = 0
    return flipped, crops, crops.shape, jittered, cutout.sum(dim=(1, 2, 3))


@program
def extra_state_and_buffer_listing_flags(torch):
    nn = torch.nn

    class Tokenizer(nn.Module):
        def __init__(self):
            super().__init__()
            self.vocab = {"a": 0}
            self.register_buffer("counts", torch.zeros(2))
            self.inner = nn.BatchNorm1d(2)

        def get_extra_state(self):
            return {"vocab": dict(self.vocab)}

        def set_extra_state(self, state):
            self.vocab = dict(state["vocab"])

    t = Tokenizer()
    t.vocab["b"] = 1
    sd = t.state_dict()
    fresh = Tokenizer()
    result = fresh.load_state_dict(sd)
    return (list(sd), sd["_extra_state"], fresh.vocab, tuple(result.missing_keys),
            [n for n, _ in t.named_buffers(recurse=False)], [n for n, _ in t.named_buffers(prefix="tok")],
            len(list(t.buffers(recurse=False))), t.get_buffer("inner.running_var"), caught(t.get_buffer, "inner.nope"),
            caught(t.get_buffer, "inner.weight"))


@program
def statistics_of_a_batch_of_one_warn(torch):
    import warnings as warnings_
    x = data(torch, 1, 3, dtype=torch.float64)
    with warnings_.catch_warnings(record=True) as seen:
        warnings_.simplefilter("always")
        std = x.std(dim=0)
        var, mean = torch.var_mean(x, dim=0)
        fine = x.std(dim=1)
        biased = x.var(dim=0, unbiased=False)
    told = [w for w in seen if issubclass(w.category, UserWarning) and "degrees of freedom" in str(w.message)]
    return std, var, mean, fine, biased, len(told)


@program
def copy_constructing_tensors_warns(torch):
    import warnings as warnings_
    x = data(torch, 3, dtype=torch.float64).requires_grad_()
    with warnings_.catch_warnings(record=True) as seen:
        warnings_.simplefilter("always")
        a = torch.tensor(x)
        b = x.new_tensor(x)
        c = x.detach().clone()
        d = x.new_tensor([1.0, 2.0])
    told = [w for w in seen if issubclass(w.category, UserWarning) and "copy construct" in str(w.message)]
    return a, b, c, d, a.requires_grad, b.requires_grad, len(told)
