"""Golden fixtures for @descent/tensor: learning-rate schedules and gradient clipping, from torch 1.13.

Run with Debian's python (it sees python3-torch): /usr/bin/python3 tools/golden/tensor.py
"""
import json, os
import numpy as np
import torch

OUT = os.path.join(os.path.dirname(__file__), "fixtures", "tensor")
os.makedirs(OUT, exist_ok=True)


def lrs(make_sched, steps, lr=0.1):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=lr)
    sched = make_sched(opt)
    out = []
    for _ in range(steps):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return out


schedules = {
    "step": {"args": {"value": 0.1, "stepSize": 3, "gamma": 0.5}, "lr": lrs(lambda o: torch.optim.lr_scheduler.StepLR(o, 3, 0.5), 12)},
    "exponential": {"args": {"value": 0.1, "gamma": 0.9}, "lr": lrs(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, 0.9), 12)},
    "cosine": {"args": {"value": 0.1, "decaySteps": 10, "minValue": 0.001}, "lr": lrs(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, 10, 0.001), 11)},
    "oneCycle": {
        "args": {"maxValue": 0.1, "totalSteps": 20, "pctStart": 0.3, "divFactor": 25, "finalDivFactor": 1e4},
        "lr": lrs(lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=0.1, total_steps=20, pct_start=0.3, anneal_strategy="cos", cycle_momentum=False), 20),
    },
}

rng = np.random.default_rng(0)
clip = []
for max_norm, scale in [(1.0, 3.0), (10.0, 0.5), (0.5, 100.0)]:
    a = (rng.standard_normal((4, 3)) * scale).astype(np.float32)
    b = (rng.standard_normal((3,)) * scale).astype(np.float32)
    pa, pb = torch.nn.Parameter(torch.zeros(4, 3)), torch.nn.Parameter(torch.zeros(3))
    pa.grad, pb.grad = torch.tensor(a), torch.tensor(b)
    torch.nn.utils.clip_grad_norm_([pa, pb], max_norm)
    clip.append({"maxNorm": max_norm, "grads": {"a": a.ravel().tolist(), "b": b.tolist()}, "expected": {"a": pa.grad.numpy().ravel().tolist(), "b": pb.grad.numpy().tolist()}})

with open(os.path.join(OUT, "schedules.json"), "w") as f:
    json.dump({"source": f"torch {torch.__version__} lr_scheduler", "schedules": schedules}, f)
with open(os.path.join(OUT, "clip.json"), "w") as f:
    json.dump({"source": f"torch {torch.__version__} clip_grad_norm_", "cases": clip}, f)
print("wrote", OUT)
