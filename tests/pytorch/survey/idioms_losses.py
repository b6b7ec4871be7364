"""The survey's programs on losses with their options and reductions, and metrics
(tests/pytorch/survey/idioms_harness.py runs them; ``python idioms_losses.py [name ...]`` prints their comparison)."""

import sys

import numpy as np
from idioms_harness import U, X, main, seed_params, snippet


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


@snippet
def regression_losses_all_reductions(nn, torch):
    x = torch.tensor(X((4, 3)))
    y = torch.tensor(X((4, 3), 2))
    out = {}
    for red in ["none", "sum", "mean"]:
        out[red] = [nn.MSELoss(reduction=red)(x, y), nn.L1Loss(reduction=red)(x, y), nn.SmoothL1Loss(reduction=red, beta=0.5)(x, y),
                    nn.HuberLoss(reduction=red, delta=0.5)(x, y), nn.SoftMarginLoss(reduction=red)(x, y.sign()),
                    nn.GaussianNLLLoss(reduction=red)(x, y, torch.ones(4, 3) * 0.5)]
    return out


@snippet
def classification_losses_all_reductions(nn, F, torch):
    logits = torch.tensor(X((4, 3)))
    t = torch.tensor([2, 0, 1, 2])
    p = torch.tensor(U((4, 3), 3)) * 0.98 + 0.01
    bt = torch.tensor((U((4, 3), 4) > 0.5).astype(np.float32))
    out = {}
    for red in ["none", "sum", "mean"]:
        out[red] = [nn.CrossEntropyLoss(reduction=red)(logits, t), nn.NLLLoss(reduction=red)(F.log_softmax(logits, 1), t),
                    nn.BCELoss(reduction=red)(p, bt), nn.BCEWithLogitsLoss(reduction=red)(logits, bt),
                    nn.KLDivLoss(reduction=red)(F.log_softmax(logits, 1), F.softmax(torch.tensor(X((4, 3), 5)), 1)),
                    nn.MultiLabelSoftMarginLoss(reduction=red)(logits, bt)]
    out["bm"] = nn.KLDivLoss(reduction="batchmean")(F.log_softmax(logits, 1), F.softmax(torch.tensor(X((4, 3), 5)), 1))
    out["lt"] = F.kl_div(F.log_softmax(logits, 1), F.log_softmax(torch.tensor(X((4, 3), 5)), 1), reduction="sum", log_target=True)
    return out


@snippet
def ce_weight_ignore_smoothing_combo(nn, torch):
    logits = torch.tensor(X((6, 4)), requires_grad=True)
    t = torch.tensor([0, 3, -100, 1, 3, 2])
    w = torch.tensor([1.0, 2.0, 0.5, 3.0])
    out = {}
    for red in ["none", "sum", "mean"]:
        out[red] = nn.CrossEntropyLoss(weight=w, label_smoothing=0.2, reduction=red)(logits, t)
    loss = nn.CrossEntropyLoss(weight=w, ignore_index=3, label_smoothing=0.1)(logits, torch.tensor([0, 3, 3, 1, 3, 2]))
    loss.backward()
    out["ig"] = loss
    out["g"] = logits.grad
    out["all_ignored"] = nn.CrossEntropyLoss()(logits, torch.full((6,), -100))
    out["wmean"] = nn.CrossEntropyLoss(weight=w)(logits, torch.tensor([0, 3, 1, 1, 3, 2]))
    return out


@snippet
def ce_prob_targets_smoothing_weight(nn, torch, F):
    logits = torch.tensor(X((3, 4)))
    probs = F.softmax(torch.tensor(X((3, 4), 2)), dim=1)
    w = torch.tensor([1.0, 0.5, 2.0, 1.0])
    return dict(a=F.cross_entropy(logits, probs, label_smoothing=0.3), b=F.cross_entropy(logits, probs, weight=w),
                c=F.cross_entropy(logits, probs, weight=w, label_smoothing=0.1, reduction="none"),
                d=F.cross_entropy(logits, probs, reduction="sum"))


@snippet
def bce_with_logits_pos_weight_broadcast(nn, torch, F):
    x = torch.tensor(X((4, 3)), requires_grad=True)
    y = torch.tensor((U((4, 3), 2) > 0.5).astype(np.float32))
    pw = torch.tensor([1.0, 2.0, 5.0])
    w = torch.tensor([[1.0], [0.5], [2.0], [0.0]])
    l1 = nn.BCEWithLogitsLoss(pos_weight=pw, weight=w, reduction="none")(x, y)
    l2 = F.binary_cross_entropy_with_logits(x, y, pos_weight=pw)
    l3 = F.binary_cross_entropy(torch.sigmoid(x), y, weight=w, reduction="sum")
    (l1.sum() + l2 + l3).backward()
    return dict(l1=l1, l2=l2, l3=l3, g=x.grad)


@snippet
def nll_loss_spatial_weight_ignore(nn, torch, F):
    lp = F.log_softmax(torch.tensor(X((2, 3, 2, 2))), dim=1)
    t = torch.tensor([[[0, 2], [1, 255]], [[2, 2], [255, 0]]])
    w = torch.tensor([0.5, 1.0, 2.0])
    return dict(m=F.nll_loss(lp, t, weight=w, ignore_index=255), s=F.nll_loss(lp, t, weight=w, ignore_index=255, reduction="sum"),
                n=F.nll_loss(lp, t, ignore_index=255, reduction="none"), ce=F.cross_entropy(lp, t, ignore_index=255, label_smoothing=0.1))


@snippet
def margin_embedding_losses(nn, torch):
    a = torch.tensor(X((4, 3)))
    b = torch.tensor(X((4, 3), 2))
    c = torch.tensor(X((4, 3), 3))
    s = torch.tensor([1.0, -1.0, 1.0, -1.0])
    x1 = torch.tensor(X((4,), 4))
    x2 = torch.tensor(X((4,), 5))
    return dict(mr=nn.MarginRankingLoss(margin=0.5)(x1, x2, s), he=nn.HingeEmbeddingLoss(margin=0.5, reduction="sum")(x1, s),
                ce=nn.CosineEmbeddingLoss(margin=0.2, reduction="none")(a, b, s),
                tm=nn.TripletMarginLoss(margin=1.0, p=1, swap=True)(a, b, c), tm2=nn.TripletMarginLoss(reduction="none")(a, b, c),
                pn=nn.PoissonNLLLoss(log_input=False, full=True)(torch.tensor(U((4, 3))) + 0.1, torch.tensor([[1.0, 2.0, 0.0]] * 4)),
                gn=nn.GaussianNLLLoss(full=True, eps=1e-3)(a, b, torch.tensor(U((4, 1), 6))))


if __name__ == "__main__":
    main(sys.argv[1:])
