"""Golden fixtures for @descent/tensor's wasm Conv2DBackpropFilter: conv2d gradients from torch 1.13.

x, the filter and dy are given in TensorFlow.js' layouts (x and dy NHWC, filter [kh, kw, inC, outC]);
torch computes dL/dfilter and dL/dx of L = sum(dy * conv2d(pad(x), w)) in NCHW and the results are
transposed back. `pad` is explicit [[top, bottom], [left, right]] (tfjs' 'same' for these shapes).

Run with Debian's python (it sees python3-torch): /usr/bin/python3 tools/golden/conv_gradients.py
"""
import json, os
import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "fixtures", "tensor")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(0)

CASES = [
    # name, x shape NHWC, filter [kh, kw, inC, outC], strides [sh, sw], pad [[t, b], [l, r]]
    ("stride1-same-3x3", [2, 6, 5, 3], [3, 3, 3, 4], [1, 1], [[1, 1], [1, 1]]),
    ("stride2-valid-3x2", [3, 7, 6, 2], [3, 2, 2, 5], [2, 2], [[0, 0], [0, 0]]),
    ("stride2-same-odd-5x3", [2, 9, 8, 2], [5, 3, 2, 3], [2, 2], [[2, 2], [1, 1]]),
    ("stride2-explicit-asym", [2, 7, 8, 2], [3, 3, 2, 3], [2, 2], [[1, 2], [0, 1]]),
]

cases = []
for name, xs, fs, strides, pad in CASES:
    x = rng.standard_normal(xs).astype(np.float32)
    f = rng.standard_normal(fs).astype(np.float32)
    xt = torch.tensor(x).permute(0, 3, 1, 2).contiguous().requires_grad_(True)
    wt = torch.tensor(f).permute(3, 2, 0, 1).contiguous().requires_grad_(True)  # [outC, inC, kh, kw]
    xp = F.pad(xt, (pad[1][0], pad[1][1], pad[0][0], pad[0][1]))
    y = F.conv2d(xp, wt, stride=strides)
    dy = rng.standard_normal(tuple(y.shape)).astype(np.float32)  # NCHW
    (y * torch.tensor(dy)).sum().backward()
    cases.append({
        "name": name,
        "x": {"shape": xs, "values": x.ravel().tolist()},
        "filter": {"shape": fs, "values": f.ravel().tolist()},
        "strides": strides,
        "pad": pad,
        "dy": {"shape": [dy.shape[0], dy.shape[2], dy.shape[3], dy.shape[1]], "values": dy.transpose(0, 2, 3, 1).ravel().tolist()},
        "dFilter": wt.grad.permute(2, 3, 1, 0).contiguous().numpy().ravel().tolist(),
        "dX": xt.grad.permute(0, 2, 3, 1).contiguous().numpy().ravel().tolist(),
    })

with open(os.path.join(OUT, "conv-gradients.json"), "w") as fh:
    json.dump({"source": f"torch {torch.__version__}", "cases": cases}, fh)
print("wrote", len(cases), "cases")
