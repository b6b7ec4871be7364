import sys

import numpy as np
from idioms_harness import main, seed_params, snippet


@snippet
def stale_graph_after_step(torch, nn, optim):
    D = seed_params(torch, nn.Linear(2, 1))
    G = seed_params(torch, nn.Linear(2, 2), 1)
    oD = optim.SGD(D.parameters(), lr=0.1)
    fake = G(torch.ones(3, 2))
    out = D(fake)
    lossD = out.mean()
    lossD.backward(retain_graph=True)
    oD.step()
    lossG = -out.mean()
    try:
        lossG.backward()
        return ("no error", G.weight.grad)
    except RuntimeError:
        return "RuntimeError"


@snippet
def int_requires_grad(torch):
    try:
        torch.tensor([1, 2], requires_grad=True)
        return "no error"
    except RuntimeError:
        return "RuntimeError"


@snippet
def scalar_backward_gradient(torch):
    x = torch.tensor(2.0, requires_grad=True)
    y = x ** 2
    y.backward(torch.tensor(3.0))
    return x.grad


@snippet
def nonzero_as_tuple(torch):
    x = torch.tensor([[0, 1], [2, 0]])
    r, c = torch.nonzero(x, as_tuple=True)
    return dict(r=r, c=c, nz=x.nonzero(), sq=torch.tensor([0, 3, 0]).nonzero().squeeze(), isn=torch.isnan(torch.tensor([1.0, float("nan")])).any())


@snippet
def sort_2d_topk_dim(torch):
    x = torch.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]])
    v, i = torch.topk(x, 2, dim=1)
    v2, i2 = x.sort(dim=1, descending=True)
    return dict(v=v, i=i, v2=v2, i2=i2, a=torch.argsort(x, dim=0, descending=True), lg=torch.topk(x, 1, largest=False).indices)


@snippet
def enable_grad_inside_no_grad(torch):
    x = torch.tensor([1.0], requires_grad=True)
    with torch.no_grad():
        with torch.enable_grad():
            y = x * 2
        z = x * 2
    y.backward()
    return dict(g=x.grad, z=z.requires_grad)


@snippet
def grad_none_param_optimizer(torch, nn, optim):
    a = seed_params(torch, nn.Linear(2, 1))
    b = seed_params(torch, nn.Linear(2, 1), 1)
    opt = optim.Adam(list(a.parameters()) + list(b.parameters()), lr=0.1)
    a(torch.ones(1, 2)).sum().backward()
    opt.step()
    return dict(a=a.weight, b=b.weight)


@snippet
def scheduler_state_dict(torch, nn, optim):
    opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
    s = optim.lr_scheduler.StepLR(opt, 2, 0.5)
    for _ in range(3):
        opt.step(); s.step()
    sd = s.state_dict()
    opt2 = optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
    s2 = optim.lr_scheduler.StepLR(opt2, 2, 0.5)
    s2.load_state_dict(sd)
    opt2.step(); s2.step()
    return dict(le=sd["last_epoch"], lr=s2.get_last_lr(), lr2=opt2.param_groups[0]["lr"])


@snippet
def sgd_maximize_weight_decay(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 1))
    opt = optim.SGD(m.parameters(), lr=0.1, maximize=True, weight_decay=0.01, momentum=0.5, dampening=0.1)
    for _ in range(2):
        opt.zero_grad(); m(torch.ones(1, 2)).sum().backward(); opt.step()
    return m.weight


@snippet
def adam_foreach_fused_kwargs(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 1))
    opt = optim.Adam(m.parameters(), lr=0.1, foreach=False, capturable=False, differentiable=False, fused=None)
    m(torch.ones(1, 2)).sum().backward(); opt.step()
    return m.weight


@snippet
def print_loss_tensor(torch, nn):
    loss = nn.MSELoss()(torch.tensor([1.0, 2.0]), torch.tensor([0.0, 0.0]))
    return [str(loss), f"{loss}", "{:.4f}".format(loss.item()), str(loss.item())]


@snippet
def inference_mode_decorator(torch, nn):
    m = seed_params(torch, nn.Linear(2, 1))
    @torch.inference_mode()
    def pred(x):
        return m(x)
    y = pred(torch.ones(1, 2))
    return dict(y=y, r=y.requires_grad)


@snippet
def no_grad_bare_decorator(torch, nn):
    @torch.no_grad
    def f(x):
        return x * 2
    x = torch.ones(1, requires_grad=True)
    return f(x).requires_grad


@snippet
def clip_grad_norm_error_if_nonfinite(torch, nn):
    m = seed_params(torch, nn.Linear(2, 1))
    m(torch.ones(1, 2)).sum().backward()
    n = nn.utils.clip_grad_norm_(m.parameters(), 0.5, norm_type=2.0, error_if_nonfinite=True)
    n2 = nn.utils.clip_grad_norm_(m.parameters(), 0.5, norm_type="inf")
    return dict(n=n, n2=n2, g=m.weight.grad)


@snippet
def hooks_grad_clamp_params(torch, nn):
    m = seed_params(torch, nn.Linear(2, 1))
    for p in m.parameters():
        p.register_hook(lambda g: torch.clamp(g, -0.1, 0.1))
    m(torch.ones(1, 2) * 5).sum().backward()
    return dict(w=m.weight.grad, b=m.bias.grad)


@snippet
def tensor_to_module_device_eq(torch):
    x = torch.ones(1)
    return dict(a=x.device.type if hasattr(x.device, "type") else "notype", b=str(x.device) == "cpu", c=x.device == torch.device("cpu"), d=x.is_cuda)


@snippet
def full_int_labels_to_ce(torch, F):
    logits = torch.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]])
    labels = torch.full((2,), 1)
    return F.cross_entropy(logits, labels)


@snippet
def cat_float_and_long(torch, nn):
    z = torch.ones(2, 3)
    y = torch.tensor([[1], [0]])
    h = torch.cat([z, y], dim=1)
    lin = seed_params(torch, nn.Linear(4, 1))
    return dict(dt=h.dtype, out=lin(h))


@snippet
def tensor_legacy_np_float(torch, nn):
    data = np.linspace(0, 1, 6).reshape(3, 2)
    x = torch.Tensor(data)
    lin = seed_params(torch, nn.Linear(2, 1))
    return dict(dt=x.dtype, out=lin(x))


@snippet
def image_to_uint8_save(torch):
    img = torch.tensor(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 2, 2))
    arr = ((img + 1) / 2 * 255).clamp(0, 255).byte().permute(1, 2, 0).numpy()
    return arr


@snippet
def random_flip_augment(torch):
    x = torch.arange(8.0).reshape(1, 1, 2, 4)
    return dict(a=torch.flip(x, dims=[3]), b=x.flip(dims=(2, 3)))


@snippet
def bernoulli_label_noise(torch):
    torch.manual_seed(0)
    labels = torch.ones(8)
    flip = torch.empty(8).bernoulli_(0.0)
    flip2 = torch.bernoulli(torch.full((8,), 1.0))
    return dict(l=torch.where(flip.bool(), 1 - labels, labels), f2=flip2)


if __name__ == "__main__":
    main(sys.argv[1:])
