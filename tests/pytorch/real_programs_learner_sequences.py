"""test_real_programs_learner.py's programs on sequence models: an LSTM classifier, GRU and RNN cells, embeddings with
padding, attention masks, a padded token loss, seq2seq with attention (the header is in
test_real_programs_learner.py)."""


import numpy as np


def _load_np(torch, module, rng, scale=0.3):
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.tensor(rng.normal(scale=scale, size=tuple(p.shape))))


def lstm_classifier(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(12, 5, padding_idx=0)
            self.lstm = nn.LSTM(5, 4, num_layers=2, batch_first=True, bidirectional=True)
            self.fc = nn.Linear(8, 3)

        def forward(self, tok, lengths):
            e = self.emb(tok)
            out, (h, c) = self.lstm(e)
            # pick each sequence's last real step (forward dir) and first step (backward dir)
            last = out[torch.arange(tok.shape[0]), lengths - 1, :4]
            first = out[:, 0, 4:]
            return self.fc(torch.cat([last, first], dim=1)), h, c

    net = Net().double()
    _load_np(torch, net, rng)
    with torch.no_grad():
        net.emb.weight[0].zero_()
    tok = torch.tensor([[3, 4, 5, 0, 0], [1, 2, 3, 4, 5], [7, 0, 0, 0, 0]])
    lengths = torch.tensor([3, 5, 1])
    y = torch.tensor([0, 2, 1])
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        logits, h, c = net(tok, lengths)
        loss = nn.functional.cross_entropy(logits, y)
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
    return {"losses": losses, "h": h, "c": c, "emb_pad_grad": net.emb.weight.grad[0], "emb": net.emb.weight,
            "names": [n for n, _ in net.lstm.named_parameters()], "hshape": tuple(h.shape)}


def gru_rnn_cells(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    gru = nn.GRU(3, 4, num_layers=1).double()
    rnn = nn.RNN(3, 4, nonlinearity="relu", batch_first=False).double()
    cell = nn.LSTMCell(3, 4).double()
    gcell = nn.GRUCell(3, 4).double()
    for m in (gru, rnn, cell, gcell):
        _load_np(torch, m, rng)
    x = torch.tensor(rng.normal(size=(6, 2, 3)), requires_grad=True)
    h0 = torch.tensor(rng.normal(size=(1, 2, 4)))
    go, gh = gru(x, h0)
    ro, rh = rnn(x)
    h, c = torch.zeros(2, 4, dtype=torch.float64), torch.zeros(2, 4, dtype=torch.float64)
    hs = []
    hg = torch.zeros(2, 4, dtype=torch.float64)
    for t in range(6):
        h, c = cell(x[t], (h, c))
        hg = gcell(x[t], hg)
        hs.append(h)
    seq = torch.stack(hs)
    loss = go.pow(2).sum() + ro.sum() + seq.sum() + hg.sum()
    loss.backward()
    unb = gru(x[:, 0])  # unbatched input
    return {"go": go, "gh": gh, "ro": ro, "rh": rh, "seq": seq, "hg": hg, "xg": x.grad,
            "whh_grad": gru.weight_hh_l0.grad, "unb0": unb[0], "unb1_shape": tuple(unb[1].shape),
            "cell_bias_grad": cell.bias_ih.grad}


def rnn_more(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    gru = nn.GRU(3, 4, num_layers=2, batch_first=True, bidirectional=True, dropout=0.3).double()
    rnn = nn.RNN(3, 2, num_layers=3, bias=False).double()
    lstm = nn.LSTM(3, 4, batch_first=True, proj_size=2).double() if True else None
    for m in (gru, rnn, lstm):
        _load_np(torch, m, rng)
    gru.eval()
    x = torch.tensor(rng.normal(size=(2, 5, 3)), requires_grad=True)
    h0 = torch.tensor(rng.normal(size=(4, 2, 4)))
    go, gh = gru(x, h0)
    ro, rh = rnn(x.transpose(0, 1))
    lo, (lh, lc) = lstm(x)
    (go.sum() + gh.pow(2).sum() + ro.sum() + lo.sum() + lc.sum()).backward()
    names = [n for n, _ in lstm.named_parameters()]
    # truncated backprop through time with detached hidden state
    lstm2 = nn.LSTM(3, 4).double()
    _load_np(torch, lstm2, rng)
    opt = torch.optim.SGD(lstm2.parameters(), lr=0.1)
    seq = torch.tensor(rng.normal(size=(12, 1, 3)))
    state = None
    losses = []
    for i in range(0, 12, 4):
        opt.zero_grad()
        out, state = lstm2(seq[i:i + 4], state)
        state = tuple(s.detach() for s in state)
        loss = out.pow(2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    flat = [p.shape for p in lstm2.all_weights[0]] if hasattr(lstm2, "all_weights") else None
    return {"go": go, "gh": gh, "ro": ro, "rh": rh, "lo": lo, "lh": lh, "lc": lc, "xg": x.grad, "names": names,
            "losses": losses, "flat": [tuple(s) for s in flat] if flat else None, "gru_repr": repr(gru),
            "lstm_repr": repr(lstm)}


def embedding_padding(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    emb = nn.Embedding(6, 3, padding_idx=2).double()
    pad_row_init = emb.weight[2].detach().clone()
    _load_np(torch, emb, rng)
    tok = torch.tensor([[2, 1, 2], [5, 2, 1]])
    out = emb(tok)
    (out * torch.tensor(rng.normal(size=(2, 3, 3)))).sum().backward()
    pre = nn.Embedding.from_pretrained(torch.tensor(rng.normal(size=(4, 2))), freeze=True, padding_idx=0)
    po = pre(torch.tensor([0, 3]))
    pre2 = nn.Embedding.from_pretrained(torch.tensor(rng.normal(size=(4, 2))), freeze=False)
    neg = nn.Embedding(5, 2, padding_idx=-1)
    F = nn.functional
    wf = torch.tensor(rng.normal(size=(5, 2)), requires_grad=True)
    fo = F.embedding(torch.tensor([1, 4, 4]), wf, padding_idx=4)
    fo.sum().backward()
    mn = nn.Embedding(4, 3, max_norm=1.0).double()
    _load_np(torch, mn, rng, scale=2.0)
    mo = mn(torch.tensor([1, 1, 3]))
    return {"pad_row_init": pad_row_init, "out": out, "grad": emb.weight.grad, "po": po, "po_rg": po.requires_grad,
            "pre_rg": pre.weight.requires_grad, "pre2_rg": pre2.weight.requires_grad, "neg_pad": neg.padding_idx,
            "neg_row": neg.weight[4], "fgrad": wf.grad, "mo": mo, "mn_w": mn.weight, "repr": repr(emb)}


def attention_masks(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    B, T, D = 2, 4, 6
    q = torch.tensor(rng.normal(size=(B, T, D)), requires_grad=True)
    k = torch.tensor(rng.normal(size=(B, T, D)), requires_grad=True)
    v = torch.tensor(rng.normal(size=(B, T, D)), requires_grad=True)
    lengths = torch.tensor([4, 2])
    pad = torch.arange(T)[None, :] >= lengths[:, None]  # True where padding
    scores = q @ k.transpose(-2, -1) / D ** 0.5
    causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
    scores = scores.masked_fill(pad[:, None, :], float("-inf")).masked_fill(causal, float("-inf"))
    attn = scores.softmax(dim=-1)
    out = attn @ v
    out.sum().backward()
    sdpa = F.scaled_dot_product_attention(q.detach(), k.detach(), v.detach(), is_causal=True)
    sdpa_mask = F.scaled_dot_product_attention(q.detach(), k.detach(), v.detach(), attn_mask=~pad[:, None, :])
    float_mask = torch.zeros(T, T, dtype=torch.float64).masked_fill(causal, float("-inf"))
    sdpa_float = F.scaled_dot_product_attention(q.detach(), k.detach(), v.detach(), attn_mask=float_mask)
    fully = torch.tensor([[0.0, float("-inf")], [float("-inf"), float("-inf")]]).softmax(-1)
    mha = nn.MultiheadAttention(D, 2, batch_first=True).double()
    _load_np(torch, mha, rng)
    mo, mw = mha(q.detach(), k.detach(), v.detach(), key_padding_mask=pad)
    mo2, mw2 = mha(q.detach(), q.detach(), q.detach(), attn_mask=causal, average_attn_weights=False)
    mo3, mw3 = mha(q.detach(), k.detach(), v.detach(), need_weights=False)
    return {"attn": attn, "out": out, "qg": q.grad, "kg": k.grad, "vg": v.grad, "sdpa": sdpa, "sdpa_mask": sdpa_mask,
            "sdpa_float": sdpa_float, "fully": fully, "mo": mo, "mw": mw, "mo2": mo2, "mw2_shape": tuple(mw2.shape),
            "mw2": mw2, "mw3": mw3, "mo3": mo3}


def padded_token_loss(torch, seed):
    F = torch.nn.functional
    rng = np.random.default_rng(seed)
    V, PAD = 7, 0
    logits = torch.tensor(rng.normal(size=(3, 5, V)), requires_grad=True)
    tgt = torch.tensor([[1, 2, 3, 0, 0], [4, 5, 6, 6, 1], [2, 0, 0, 0, 0]])
    logp = logits.log_softmax(-1)
    nll_manual = -(logp.gather(-1, tgt[..., None]).squeeze(-1) * (tgt != PAD)).sum() / (tgt != PAD).sum()
    ce = F.cross_entropy(logits.reshape(-1, V), tgt.reshape(-1), ignore_index=PAD)
    ce_perm = F.cross_entropy(logits.permute(0, 2, 1), tgt, ignore_index=PAD, reduction="none")
    ls = F.cross_entropy(logits.reshape(-1, V), tgt.reshape(-1), ignore_index=PAD, label_smoothing=0.1)
    ls_sum = F.cross_entropy(logits.reshape(-1, V), tgt.reshape(-1), ignore_index=PAD, label_smoothing=0.2,
                             reduction="sum")
    w = torch.tensor(rng.uniform(0.5, 2.0, size=V))
    ls_w = F.cross_entropy(logits.reshape(-1, V), tgt.reshape(-1), weight=w, label_smoothing=0.1, ignore_index=PAD)
    nll_w = F.nll_loss(logp.reshape(-1, V), tgt.reshape(-1), weight=w, ignore_index=PAD)
    all_pad = F.cross_entropy(logits[2:, 1:].reshape(-1, V), tgt[2:, 1:].reshape(-1), ignore_index=PAD)
    crit = torch.nn.CrossEntropyLoss(ignore_index=-100, label_smoothing=0.05)
    t2 = tgt.clone()
    t2[tgt == PAD] = -100
    c2 = crit(logits.reshape(-1, V), t2.reshape(-1))
    probs_t = F.softmax(torch.tensor(rng.normal(size=(15, V))), -1)
    soft = F.cross_entropy(logits.reshape(-1, V), probs_t, label_smoothing=0.1)
    total = nll_manual + ce + ce_perm.sum() + ls + ls_sum + ls_w + nll_w + c2 + soft
    total.backward()
    ppl = torch.exp(ce).item()
    return {"manual": nll_manual, "ce": ce, "ce_perm": ce_perm, "ls": ls, "ls_sum": ls_sum, "ls_w": ls_w,
            "nll_w": nll_w, "all_pad": all_pad, "c2": c2, "soft": soft, "grad": logits.grad, "ppl": ppl}


def seq2seq_attention(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    V, E, H, PAD, BOS = 9, 4, 6, 0, 1

    class Enc(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(V, E, padding_idx=PAD)
            self.rnn = nn.GRU(E, H, batch_first=True)

        def forward(self, src):
            return self.rnn(self.emb(src))

    class Dec(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(V, E, padding_idx=PAD)
            self.cell = nn.GRUCell(E + H, H)
            self.out = nn.Linear(2 * H, V)

        def forward(self, tok, h, enc, mask):
            scores = torch.bmm(enc, h.unsqueeze(2)).squeeze(2).masked_fill(~mask, float("-inf"))
            a = F.softmax(scores, dim=1)
            ctx = (a.unsqueeze(2) * enc).sum(1)
            h = self.cell(torch.cat([self.emb(tok), ctx], 1), h)
            return self.out(torch.cat([h, ctx], 1)), h, a

    enc, dec = Enc().double(), Dec().double()
    _load_np(torch, enc, rng)
    _load_np(torch, dec, rng)
    src = torch.tensor([[3, 4, 5, 6], [7, 8, 0, 0]])
    tgt = torch.tensor([[4, 5, 2, 0], [8, 2, 0, 0]])
    opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=0.01)
    crit = nn.CrossEntropyLoss(ignore_index=PAD, label_smoothing=0.1)
    hist = []
    for _ in range(3):
        opt.zero_grad()
        e, h = enc(src)
        h = h[0]
        mask = src != PAD
        tok = torch.full((2,), BOS)
        logits = []
        for t in range(4):
            lo, h, a = dec(tok, h, e, mask)
            logits.append(lo)
            tok = tgt[:, t]  # teacher forcing
        logits = torch.stack(logits, 1)
        loss = crit(logits.reshape(-1, V), tgt.reshape(-1))
        loss.backward()
        gn = nn.utils.clip_grad_norm_(list(enc.parameters()) + list(dec.parameters()), 0.5)
        opt.step()
        hist.append((loss.item(), gn.item()))
    with torch.no_grad():
        e, h = enc(src)
        h = h[0]
        tok = torch.full((2,), BOS)
        greedy = []
        for _ in range(4):
            lo, h, a = dec(tok, h, e, src != PAD)
            tok = lo.argmax(1)
            greedy.append(tok)
    return {"hist": hist, "greedy": torch.stack(greedy, 1), "attn": a, "emb_pad": enc.emb.weight[PAD]}
