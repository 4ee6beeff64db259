"""Exact Hessians of small networks with PyTorch 1.13 (torch.autograd.functional.hessian), for
@descent/hessian: loss, gradient, Hessian-vector products, top eigenvalues and trace.

Parameters are laid out as TensorFlow.js holds them: dense kernels [in, out] (torch's weight.T),
flattened row-major, in the order kernel0, bias0, kernel1, bias1, ...

usage: /usr/bin/python3 tools/golden/hessian.py
"""
import json, os
import numpy as np
import torch

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), "fixtures", "hessian")
os.makedirs(OUT, exist_ok=True)

ACT = {
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "gelu": lambda x: torch.nn.functional.gelu(x),
    "softplus": torch.nn.functional.softplus,
    "elu": torch.nn.functional.elu,
}


def case(name, sizes, act, batch, seed):
    g = torch.Generator().manual_seed(seed)
    shapes = []
    for i in range(len(sizes) - 1):
        shapes += [(sizes[i], sizes[i + 1]), (sizes[i + 1],)]
    n = sum(int(np.prod(s)) for s in shapes)
    theta = torch.randn(n, generator=g) * 0.5
    x = torch.randn(batch, sizes[0], generator=g)
    y = torch.randint(0, sizes[-1], (batch,), generator=g)

    def unpack(t):
        out, at = [], 0
        for s in shapes:
            k = int(np.prod(s))
            out.append(t[at : at + k].reshape(s))
            at += k
        return out

    def loss(t):
        ps = unpack(t)
        h = x
        for i in range(0, len(ps), 2):
            h = h @ ps[i] + ps[i + 1]
            if i + 2 < len(ps):
                h = ACT[act](h)
        return torch.nn.functional.cross_entropy(h, y)

    theta.requires_grad_(True)
    L = loss(theta)
    grad = torch.autograd.grad(L, theta)[0]
    theta = theta.detach()
    H = torch.autograd.functional.hessian(loss, theta)
    v = torch.randn(n, generator=g)
    ev = torch.linalg.eigvalsh(H)
    order = torch.argsort(ev.abs(), descending=True)
    return {
        "name": name,
        "activation": act,
        "sizes": sizes,
        "shapes": [list(s) for s in shapes],
        "x": x.flatten().tolist(),
        "y": y.tolist(),
        "theta": theta.tolist(),
        "loss": float(L),
        "grad": grad.tolist(),
        "v": v.tolist(),
        "hv": (H @ v).tolist(),
        "eigenvalues": sorted(ev.tolist(), reverse=True),
        "topAbsEigenvalues": ev[order][:5].tolist(),
        "trace": float(torch.trace(H)),
        "hessianDiag": torch.diagonal(H).tolist(),
    }


cases = [case(f"mlp-{a}", [6, 5, 4, 3], a, 8, i) for i, a in enumerate(ACT)]
cases.append(case("mlp-relu-deeper", [10, 8, 8, 6, 4], "relu", 16, 42))
with open(os.path.join(OUT, "mlp.json"), "w") as f:
    json.dump({"source": f"torch {torch.__version__} autograd.functional.hessian, float64", "cases": cases}, f)
print("wrote", len(cases), "cases")
