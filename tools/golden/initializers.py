#!/usr/bin/python3
"""Golden references for Descent's initializers, from torch.nn.init (torch 1.13).

Writes compact JSON to tools/golden/fixtures/init/:

  fans.json      torch's _calculate_fan_in_and_fan_out for dense/conv shapes, with the equivalent
                 TensorFlow.js shape (torch [out, in, *k] <-> tfjs [*k, in, out]).
  gains.json     torch.nn.init.calculate_gain for every nonlinearity (and leaky_relu slopes).
  <id>.json      per registry id: for several configs and shapes, the std (and bound) torch
                 computes from its fans and gains ("expected"), and statistics of torch's own
                 draws pooled over seeds ("torch": n, mean, std, min, max). Initializer values are
                 random, so the TypeScript tests compare statistics within sampling error, never
                 values.
  orthogonal.json  per shape/gain: torch's orthogonality error, and the statistics of the
                 "diagonal" entries that distinguish a Haar-distributed Q (QR with the sign fix)
                 from a raw Householder Q (whose diagonal is always negative).

Run: /usr/bin/python3 tools/golden/initializers.py   (needs Debian's python3-torch, torch 1.13)
"""
import json
import math
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "init")
SEEDS = 20
SOURCE = f"torch {torch.__version__} torch.nn.init"


def tfjs_shape(torch_shape):
    """torch [out, in, *kernel] -> tfjs [*kernel, in, out]."""
    return list(torch_shape[2:]) + [torch_shape[1], torch_shape[0]]


def write(name, payload):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")


def r(x, digits=9):
    return float(f"{x:.{digits}g}")


def fans():
    shapes = [[32, 64], [10, 784], [256, 784], [5, 5], [16, 8, 3], [16, 8, 3, 3], [32, 3, 5, 5], [128, 64, 1, 1], [4, 2, 3, 3, 3]]
    cases = []
    for s in shapes:
        fi, fo = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*s))
        cases.append({"torchShape": s, "tfjsShape": tfjs_shape(s), "fanIn": fi, "fanOut": fo})
    write("fans", {"source": f"{SOURCE}._calculate_fan_in_and_fan_out", "cases": cases})


def gains():
    cases = []
    for nl in ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid", "tanh", "relu", "selu"]:
        cases.append({"nonlinearity": nl, "param": None, "gain": r(torch.nn.init.calculate_gain(nl), 15)})
    for p in [None, 0, 0.2, math.sqrt(5), 1]:
        cases.append({"nonlinearity": "leaky_relu", "param": p, "gain": r(torch.nn.init.calculate_gain("leaky_relu", p), 15)})
    write("gains", {"source": f"{SOURCE}.calculate_gain", "cases": cases})


# Shapes given in torch layout; the fixture carries both layouts.
STAT_SHAPES = [[32, 64], [256, 784], [10, 256], [16, 8, 3, 3], [32, 3, 5, 5], [128, 64, 1, 1]]


def pooled(fn, shape):
    values = []
    for seed in range(SEEDS):
        torch.manual_seed(seed)
        t = torch.empty(*shape)
        fn(t)
        values.append(t.flatten().double())
    v = torch.cat(values)
    return {"n": v.numel(), "mean": r(v.mean().item()), "std": r(v.std().item()), "min": r(v.min().item()), "max": r(v.max().item())}


def check_stats(label, stats, std, kurtosis):
    # Sampling error of a sample std: sigma * sqrt((kurtosis - 1) / (4 n)); 5 standard errors.
    se = std * math.sqrt((kurtosis - 1) / (4 * stats["n"]))
    assert abs(stats["std"] - std) < 5 * se, (label, stats, std, se)
    assert abs(stats["mean"]) < 5 * std / math.sqrt(stats["n"]), (label, stats)


def stat_cases(fn_name, variants, uniform):
    fn = getattr(torch.nn.init, fn_name)
    cases = []
    for config, kwargs in variants:
        for s in STAT_SHAPES:
            t = torch.empty(*s)
            fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(t)
            if fn_name.startswith("kaiming"):
                fan = torch.nn.init._calculate_correct_fan(t, kwargs.get("mode", "fan_in"))
                gain = torch.nn.init.calculate_gain(kwargs.get("nonlinearity", "leaky_relu"), kwargs.get("a", 0))
                std = gain / math.sqrt(fan)
            else:  # xavier
                std = kwargs.get("gain", 1.0) * math.sqrt(2.0 / float(fan_in + fan_out))
            stats = pooled(lambda x: fn(x, **kwargs), s)
            check_stats(f"{fn_name} {kwargs} {s}", stats, std, 1.8 if uniform else 3.0)
            expected = {"std": r(std, 15)}
            if uniform:
                expected["bound"] = r(math.sqrt(3.0) * std, 15)
                assert stats["max"] <= expected["bound"] and stats["min"] >= -expected["bound"]
            cases.append({"config": config, "torchCall": f"{fn_name}({', '.join(['w'] + [f'{k}={v!r}' for k, v in kwargs.items()])})", "torchShape": s, "tfjsShape": tfjs_shape(s), "expected": expected, "torch": stats})
    return cases


def initializer_stats():
    kaiming = [
        ({}, {}),
        ({"mode": "fanOut", "nonlinearity": "relu"}, {"mode": "fan_out", "nonlinearity": "relu"}),
        ({"nonlinearity": "leaky_relu", "a": 0.2}, {"a": 0.2, "nonlinearity": "leaky_relu"}),
        ({"nonlinearity": "leaky_relu", "a": math.sqrt(5)}, {"a": math.sqrt(5), "nonlinearity": "leaky_relu"}),
        ({"nonlinearity": "tanh"}, {"nonlinearity": "tanh"}),
        ({"nonlinearity": "selu", "mode": "fanOut"}, {"nonlinearity": "selu", "mode": "fan_out"}),
        ({"nonlinearity": "linear"}, {"nonlinearity": "linear"}),
    ]
    write("kaiming-normal", {"source": f"{SOURCE}.kaiming_normal_", "seeds": SEEDS, "cases": stat_cases("kaiming_normal_", kaiming, False)})
    write("kaiming-uniform", {"source": f"{SOURCE}.kaiming_uniform_", "seeds": SEEDS, "cases": stat_cases("kaiming_uniform_", kaiming, True)})
    xavier = [({}, {}), ({"gain": math.sqrt(2)}, {"gain": math.sqrt(2)}), ({"gain": 5 / 3}, {"gain": 5 / 3})]
    write("xavier-normal", {"source": f"{SOURCE}.xavier_normal_", "seeds": SEEDS, "cases": stat_cases("xavier_normal_", xavier, False)})
    write("xavier-uniform", {"source": f"{SOURCE}.xavier_uniform_", "seeds": SEEDS, "cases": stat_cases("xavier_uniform_", xavier, True)})
    # LeCun has no torch function; it is exactly kaiming with the 'linear' gain (1) and fan_in:
    # normal std sqrt(1/fan_in), uniform bound sqrt(3/fan_in).
    lecun = [({}, {"nonlinearity": "linear"})]
    write("lecun-normal", {"source": f"{SOURCE}.kaiming_normal_(nonlinearity='linear') == LeCun normal", "seeds": SEEDS, "cases": stat_cases("kaiming_normal_", lecun, False)})
    write("lecun-uniform", {"source": f"{SOURCE}.kaiming_uniform_(nonlinearity='linear') == LeCun uniform", "seeds": SEEDS, "cases": stat_cases("kaiming_uniform_", lecun, True)})


def expected_abs_entry(n):
    """E|x| for one entry of a uniformly random unit vector in R^n: Gamma(n/2) / (sqrt(pi) Gamma((n+1)/2))."""
    return math.exp(math.lgamma(n / 2) - math.lgamma((n + 1) / 2)) / math.sqrt(math.pi)


def orthogonal():
    shapes = [[32, 64], [64, 32], [50, 50], [256, 784], [16, 8, 3, 3], [32, 16, 1, 1], [64, 4, 2, 2]]
    cases = []
    for gain in [1.0, 1.5]:
        for s in shapes:
            rows = s[0]
            cols = math.prod(s) // rows
            k = min(rows, cols)
            big = max(rows, cols)
            diag = []
            worst = 0.0
            for seed in range(SEEDS):
                torch.manual_seed(seed)
                w = torch.empty(*s)
                torch.nn.init.orthogonal_(w, gain=gain)
                m = w.reshape(rows, cols).double()
                gram = m @ m.T if rows <= cols else m.T @ m
                worst = max(worst, (gram - gain * gain * torch.eye(k, dtype=torch.float64)).abs().max().item())
                diag.append(torch.diagonal(m).clone())
            d = torch.cat(diag) / gain
            n = d.numel()
            mean_abs = expected_abs_entry(big)
            # Haar: the diagonal entries have mean 0 (a raw Householder Q has them all negative).
            assert abs(d.mean().item()) < 5 / math.sqrt(big * n), (s, d.mean().item())
            assert worst < 1e-5, (s, worst)
            cases.append(
                {
                    "config": {"gain": gain},
                    "torchShape": s,
                    "tfjsShape": tfjs_shape(s),
                    "rows": rows,
                    "cols": cols,
                    "expected": {"frobeniusSquared": r(gain * gain * k, 15), "diagMean": 0, "diagAbsMean": r(mean_abs, 15), "diagVariance": r(1.0 / big, 15)},
                    "torch": {"seeds": SEEDS, "n": n, "diagMean": r(d.mean().item()), "diagAbsMean": r(d.abs().mean().item()), "orthogonalityError": r(worst, 3)},
                }
            )
    write("orthogonal", {"source": f"{SOURCE}.orthogonal_", "cases": cases})


if __name__ == "__main__":
    fans()
    gains()
    initializer_stats()
    orthogonal()
    print("wrote", OUT, sorted(os.listdir(OUT)))
