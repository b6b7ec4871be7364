"""nn.ParameterList's list operations, as PyTorch documents them ("append, extend, and index assignment"): a tensor
put in becomes a Parameter, anything else stays a plain entry; ``pl[i]`` reads negative indices and refuses one
past the end with IndexError; a slice is a new ParameterList; ``+=`` extends; each program is compared with PyTorch
by round 3's harness (values, dtypes, requires_grad, exception classes)."""

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch.corpus import agree, caught, registry  # noqa: E402

PROGRAMS, program = registry()


def _list(torch, n=2):
    return torch.nn.ParameterList([torch.nn.Parameter(torch.full((i + 1,), float(i))) for i in range(n)])


@program
def extend_with_parameters_and_tensors(torch):
    pl = _list(torch)
    returned = pl.extend([torch.nn.Parameter(torch.zeros(3)), torch.ones(2, dtype=torch.float64)])
    return (returned is pl, len(pl), [type(p).__name__ for p in pl], [p.requires_grad for p in pl], pl[3].dtype,
            [n for n, _ in pl.named_parameters()], len(list(pl.parameters())))


@program
def extend_refusals(torch):
    pl = _list(torch)
    return caught(pl.extend, torch.ones(2)), caught(pl.extend, 3), len(pl)


@program
def extend_with_a_generator_and_another_list(torch):
    pl = _list(torch, 1)
    pl.extend(torch.nn.Parameter(torch.ones(k)) for k in (2, 3))
    pl.extend(_list(torch, 2))
    return [tuple(p.shape) for p in pl], len(list(pl.parameters()))


@program
def in_place_add(torch):
    pl = _list(torch, 1)
    before = pl
    pl += [torch.nn.Parameter(torch.zeros(4))]
    return pl is before, len(pl), [tuple(p.shape) for p in pl]


@program
def index_assignment(torch):
    pl = _list(torch, 3)
    pl[0] = torch.nn.Parameter(torch.tensor([7.0]))
    pl[-1] = torch.tensor([8.0, 9.0])  # a plain tensor: made a Parameter
    return (pl[0], pl[2], type(pl[2]).__name__, pl[2].requires_grad, [n for n, _ in pl.named_parameters()],
            caught(pl.__setitem__, 3, torch.nn.Parameter(torch.ones(1))), caught(pl.__setitem__, -4, torch.ones(1)))


@program
def index_reads(torch):
    pl = _list(torch, 3)
    return (pl[-1], pl[-3], caught(pl.__getitem__, 3), caught(pl.__getitem__, -4), pl[1:][0],
            type(pl[1:]).__name__, len(pl[::2]), [tuple(p.shape) for p in pl[::-1]], pl[1:][0] is pl[1])


@program
def non_tensor_entries(torch):
    pl = torch.nn.ParameterList()
    pl.append(torch.ones(2))
    pl.append("note")
    pl.extend([3, torch.nn.Parameter(torch.zeros(1))])
    return [type(p).__name__ for p in pl], len(list(pl.parameters())), pl[1], pl[2]


@program
def training_through_an_extended_list(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.ws = torch.nn.ParameterList()
            self.ws.extend([torch.nn.Parameter(torch.tensor([1.0, 2.0])), torch.tensor([0.5, -1.0])])
            self.ws[0] = torch.nn.Parameter(torch.tensor([3.0, -2.0]))

        def forward(self, x):
            for w in self.ws:
                x = x * w
            return x.sum()

    net = Net()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    net(torch.tensor([1.0, 1.0])).backward()
    opt.step()
    return list(net.state_dict()), [p.detach().clone() for p in net.ws], net.double().ws[1].dtype


@program
def repr_with_tensors_and_objects(torch):
    pl = torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(2, 3))])
    pl.append(7)
    return str(pl).replace(torch.__name__ + ".", "torch.")


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_parameter_list_operation_matches_pytorch(name):
    agree(PROGRAMS[name], torch, minigan)
