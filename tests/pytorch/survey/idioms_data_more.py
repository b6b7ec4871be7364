import sys

import numpy as np
from idioms_harness import main, snippet


@snippet
def collate_python_numbers(torch, data):
    ds = [(1.5, 2, True), (2.5, 3, False)]
    b = next(iter(data.DataLoader(ds, batch_size=2)))
    return dict(f=b[0], i=b[1], bo=b[2], t=type(b).__name__)


@snippet
def collate_strings_tuple(torch, data):
    ds = [(torch.ones(2), "cat"), (torch.zeros(2), "dog")]
    b = next(iter(data.DataLoader(ds, batch_size=2)))
    return dict(x=b[0], s=list(b[1]))


@snippet
def collate_numpy_uint8_images(torch, data):
    class DS(data.Dataset):
        def __len__(self):
            return 3
        def __getitem__(self, i):
            img = np.full((2, 2, 1), i * 100, dtype=np.uint8)
            x = torch.from_numpy(img).permute(2, 0, 1).float() / 255.0
            return x, i
    dl = data.DataLoader(DS(), batch_size=2, shuffle=False, drop_last=False)
    out = []
    for i, (x, y) in enumerate(dl, 0):
        out.append((i, x, y))
    return dict(out=out, n=len(dl.dataset), bs=dl.batch_size, again=len(list(dl)))


@snippet
def loader_batch_size_none(torch, data):
    ds = data.TensorDataset(torch.arange(3.0))
    dl = data.DataLoader(ds, batch_size=None)
    return [b for b in dl]


@snippet
def tensordataset_indexing(torch, data):
    ds = data.TensorDataset(torch.arange(6.0).reshape(3, 2), torch.tensor([0, 1, 0]))
    return dict(t=ds.tensors[1], sl=ds[0:2], l=len(ds))


@snippet
def dataset_getitem_dict_nested(torch, data):
    ds = [{"img": torch.ones(1, 2) * i, "meta": {"idx": i, "w": float(i)}} for i in range(3)]
    b = next(iter(data.DataLoader(ds, batch_size=3)))
    return dict(img=b["img"], idx=b["meta"]["idx"], w=b["meta"]["w"])


@snippet
def default_collate_direct(torch, data):
    b = data.default_collate([(torch.tensor([1.0]), 0), (torch.tensor([2.0]), 1)])
    return b


@snippet
def subset_random_split_then_loader(torch, data):
    ds = data.TensorDataset(torch.arange(10.0), torch.arange(10))
    tr, va = data.random_split(ds, [8, 2])
    dl = data.DataLoader(tr, batch_size=4, shuffle=True)
    seen = sorted(int(v) for _, y in dl for v in y)
    return dict(n=len(seen), nb=len(dl), vx=len(va), item=type(tr[0]).__name__)


@snippet
def loader_persistent_kwargs(torch, data):
    ds = data.TensorDataset(torch.arange(4.0))
    dl = data.DataLoader(ds, batch_size=2, shuffle=False, num_workers=0, pin_memory=False, drop_last=True,
                         persistent_workers=False, prefetch_factor=None, worker_init_fn=None)
    return [b for b in dl]


if __name__ == "__main__":
    main(sys.argv[1:])
