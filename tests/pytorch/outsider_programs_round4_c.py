"""More of outsider_programs_round4.py's programs (part 3 of 3; the first part holds the header)."""

from pytorch.outsider_programs_round3 import data, fill_
from pytorch.outsider_programs_round4 import program

# ------------------------------------------------------------------------------------------- training loop idioms


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
