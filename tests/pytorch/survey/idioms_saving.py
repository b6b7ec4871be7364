"""The survey's programs on saving and resuming training (tests/pytorch/survey/idioms_harness.py runs them; ``python
idioms_saving.py [name ...]`` prints their comparison)."""

import copy
import os
import sys
import tempfile

from idioms_harness import X, main, seed_params, snippet


def _tmp(name):
    return os.path.join(tempfile.mkdtemp(), name)


@snippet
def save_load_state_dict_model_outputs(torch, nn):
    def make():
        return nn.Sequential(nn.Conv2d(1, 3, 3, padding=1), nn.BatchNorm2d(3), nn.ReLU(), nn.Flatten(), nn.Linear(12, 2))

    net = seed_params(torch, make())
    x = torch.tensor(X((4, 1, 2, 2)))
    net(x)
    path = _tmp("model.pth")
    torch.save(net.state_dict(), path)
    other = make()
    r = other.load_state_dict(torch.load(path))
    net.eval()
    other.eval()
    return dict(eq=torch.equal(net(x), other(x)), out=other(x), rm=other[1].running_mean, nbt=other[1].num_batches_tracked,
                missing=list(r.missing_keys), exists=os.path.exists(path))


def _resume_run(torch, nn, optim, opt_name, split):
    def make():
        return seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)), seed=4)

    def make_opt(m):
        if opt_name == "adam":
            return optim.Adam(m.parameters(), lr=0.05, betas=(0.8, 0.9), weight_decay=0.01)
        return optim.SGD(m.parameters(), lr=0.1, momentum=0.9, nesterov=True)

    xs = [torch.tensor(X((5, 3), 30 + i)) for i in range(6)]
    m = make()
    opt = make_opt(m)
    sched = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    losses = []
    for i, x in enumerate(xs):
        if split and i == 3:
            path = _tmp("ckpt.pt")
            torch.save({"model": m.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "step": i}, path)
            ck = torch.load(path)
            m = make()
            with torch.no_grad():
                for p in m.parameters():
                    p.mul_(0)
            m.load_state_dict(ck["model"])
            opt = make_opt(m)
            opt.load_state_dict(ck["opt"])
            sched = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
            sched.load_state_dict(ck["sched"])
        opt.zero_grad()
        loss = (m(x) ** 2).mean()
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
    return losses, [p.detach().clone() for p in m.parameters()], opt.param_groups[0]["lr"]


@snippet
def resume_training_adam_equals_continuous(torch, nn, optim):
    a = _resume_run(torch, nn, optim, "adam", False)
    b = _resume_run(torch, nn, optim, "adam", True)
    return dict(cont=a, resumed=b, same=all(torch.allclose(p, q) for p, q in zip(a[1], b[1])))


@snippet
def resume_training_sgd_nesterov_equals_continuous(torch, nn, optim):
    a = _resume_run(torch, nn, optim, "sgd", False)
    b = _resume_run(torch, nn, optim, "sgd", True)
    return dict(cont=a, resumed=b, same=all(torch.allclose(p, q) for p, q in zip(a[1], b[1])))


@snippet
def save_load_python_values(torch):
    path = _tmp("meta.pt")
    obj = {"epoch": 3, "best": 0.125, "name": "run-1", "flags": {"ema": True, "amp": False}, "hist": [0.5, 0.25],
           "none": None, "ints": [1, 2, 3], "nested": [{"a": 1}, {"b": [2.5]}]}
    torch.save(obj, path)
    back = torch.load(path)
    return dict(back=back, types={k: type(v).__name__ for k, v in back.items()}, eq=back == obj)


@snippet
def save_load_tuple_and_tensor_flags(torch):
    path = _tmp("t.pt")
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    torch.save({"pair": (1, 2), "w": w, "i": torch.arange(3, dtype=torch.int32)}, path)
    back = torch.load(path)
    return dict(pair=back["pair"], pt=type(back["pair"]).__name__, w=back["w"], rg=back["w"].requires_grad,
                i=back["i"], leaf=back["w"].is_leaf)


@snippet
def save_load_gan_checkpoint_two_models(torch, nn, optim):
    G = seed_params(torch, nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 3)), seed=1)
    D = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.2), nn.Linear(4, 1)), seed=2)
    oG = optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    oD = optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    z = torch.tensor(X((4, 2)))
    D(G(z)).mean().backward()
    oG.step()
    oD.step()
    path = _tmp("gan.pth")
    torch.save({"G": G.state_dict(), "D": D.state_dict(), "oG": oG.state_dict(), "oD": oD.state_dict(), "epoch": 1}, path)
    ck = torch.load(path, map_location="cpu")
    G2 = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 3))
    D2 = nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.2), nn.Linear(4, 1))
    G2.load_state_dict(ck["G"])
    D2.load_state_dict(ck["D"])
    oG2 = optim.Adam(G2.parameters(), lr=2e-4, betas=(0.5, 0.999))
    oG2.load_state_dict(ck["oG"])
    return dict(out=D2(G2(z)), eq=torch.equal(G2(z), G(z)), lr=oG2.param_groups[0]["lr"], betas=oG2.param_groups[0]["betas"],
                keys=sorted(ck), epoch=ck["epoch"], nstate=len(oG2.state_dict()["state"]))


@snippet
def save_to_bytesio_buffer(torch, nn):
    import io
    net = seed_params(torch, nn.Linear(2, 2))
    buf = io.BytesIO()
    torch.save(net.state_dict(), buf)
    buf.seek(0)
    other = nn.Linear(2, 2)
    other.load_state_dict(torch.load(buf))
    return other(torch.ones(1, 2))


@snippet
def save_load_pathlib_path(torch, nn):
    import pathlib
    net = seed_params(torch, nn.Linear(2, 2))
    path = pathlib.Path(tempfile.mkdtemp()) / "w.pt"
    torch.save(net.state_dict(), path)
    other = nn.Linear(2, 2)
    other.load_state_dict(torch.load(path))
    return dict(y=other(torch.ones(1, 2)), exists=path.exists())


@snippet
def best_model_deepcopy_state_restore(torch, nn, optim):
    net = seed_params(torch, nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1)), seed=6)
    opt = optim.SGD(net.parameters(), lr=0.3)
    x = torch.tensor(X((8, 2)))
    y = torch.tensor(X((8, 1), 2))
    best, best_state, log = float("inf"), None, []
    for ep in range(6):
        opt.zero_grad()
        loss = ((net(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        with torch.no_grad():
            val = ((net(x) - y) ** 2).mean().item()
        log.append(val)
        if val < best:
            best, best_state = val, copy.deepcopy(net.state_dict())
    net.load_state_dict(best_state)
    with torch.no_grad():
        final = ((net(x) - y) ** 2).mean().item()
    return dict(log=log, best=best, final=final)


if __name__ == "__main__":
    main(sys.argv[1:])
