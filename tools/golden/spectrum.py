"""Golden fixtures for @descent/spectrum: singular values and spectrum metrics from numpy.linalg.

Run with Debian's python: /usr/bin/python3 tools/golden/spectrum.py
Writes tools/golden/fixtures/spectrum/{weights,book}.json.

weights.json — one case per shape class (tall, wide, square, conv 4-D, conv1d 3-D, rank-deficient,
exactly singular, ill-conditioned, 1-D, zero, a float64 matrix). Inputs are float32 in tfjs layout
(values written in their shortest round-tripping form); references are computed in float64 from
exactly those float32 numbers, torch-style: the tfjs tensor [..., out] is permuted to torch's
[out, in, *kernel] and viewed as [out, -1]. Also stored: numpy's own float32 SVD and
matrix_rank / cond on the float32 array, to show the float32 path agrees.

book.json — which counting reproduces the book's "effective rank ratio" column: the PReLU
SimpleNetwork's five Linear weights (torch layout [out, in]) under torch.nn.init.orthogonal_ and
lecun normal, plus the shared PReLU slope entry (0.25; condition 1, rank ratio 1), averaged as the
book's table does, under two candidate conventions.
"""
import json, os
import numpy as np
import torch

OUT = os.path.join(os.path.dirname(__file__), "fixtures", "spectrum")
os.makedirs(OUT, exist_ok=True)
EPS32 = float(np.finfo(np.float32).eps)
EPS64 = float(np.finfo(np.float64).eps)


def num(x):
    """JSON number, or the strings 'Infinity' / 'NaN'."""
    x = float(x)
    if np.isinf(x):
        return "Infinity"
    if np.isnan(x):
        return "NaN"
    return x


def f32(a):
    return [float(np.format_float_positional(v, unique=True)) for v in np.asarray(a, np.float32).ravel()]


def torch_matrix(x):
    """tfjs layout [..., in, out] -> torch layout [out, in, ...] -> view(out, -1)."""
    x = np.asarray(x)
    if x.ndim == 1:
        return x.reshape(-1, 1)
    if x.ndim == 2:
        return x.T
    perm = (x.ndim - 1, x.ndim - 2) + tuple(range(x.ndim - 2))
    return np.transpose(x, perm).reshape(x.shape[-1], -1)


def metrics(w, eps):
    """Every metric of the float64 matrix w with numpy; eps is the input dtype's epsilon."""
    m, n = w.shape
    k = min(m, n)
    s = np.linalg.svd(w, compute_uv=False)
    tol = s.max() * max(m, n) * eps
    rank = int(np.sum(s > tol))
    cond = np.inf if s[0] == 0 or s[-1] <= tol else s[0] / s[-1]
    total = s.sum()
    if total > 0:
        p = s / total
        p = p[p > 0]
        erank = float(np.exp(-np.sum(p * np.log(p))))
        # The book's counting (see book.json): values whose cumulative share stays below 95 %.
        cum = int(np.sum(np.cumsum(s) / total < 0.95))
        if k == 1:
            cum = 1  # the book counts its single-value entry (PReLU slope) as rank 1
    else:
        erank, cum = 0.0, 0
    fro2 = float(np.sum(w * w))
    return {
        "singularValues": [float(v) for v in s],
        "spectralNorm": float(s[0]),
        "condition": num(cond),
        "numericalRank": rank,
        "tolerance": float(tol),
        "effectiveRank": erank,
        "effectiveRankRatio": erank / k,
        "cumulativeRank": cum,
        "cumulativeRankRatio": cum / k,
        "stableRank": fro2 / s[0] ** 2 if s[0] > 0 else 0.0,
        "frobeniusNorm": float(np.sqrt(fro2)),
    }


rng = np.random.default_rng(20240501)


def gaussian(shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def with_spectrum(n, s):
    """n×n float32 matrix U·diag(s)·Vᵀ with Haar-random orthogonal U, V."""
    u, _ = np.linalg.qr(rng.standard_normal((n, n)))
    v, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return (u @ np.diag(s) @ v.T).astype(np.float32)


tensor_cases = {
    "tall dense [40, 12]": gaussian((40, 12), 1 / np.sqrt(40)),
    "wide dense [9, 30]": gaussian((9, 30), 1 / 3),
    "square dense [24, 24]": gaussian((24, 24), 1 / np.sqrt(24)),
    "conv2d kernel [3, 3, 4, 8]": gaussian((3, 3, 4, 8), 1 / 6),
    "conv1d kernel [5, 3, 6]": gaussian((5, 3, 6), 0.2),
    "rank-deficient [30, 20], rank 5": (rng.standard_normal((30, 5)) @ rng.standard_normal((5, 20)) / 5).astype(np.float32),
    "ill-conditioned [20, 20], condition 1e4": with_spectrum(20, np.logspace(0, -4, 20)),
    "PReLU slope [1]": np.array([0.25], np.float32),
    "1-D weight [5]": gaussian((5,)),
    "zero [4, 6]": np.zeros((4, 6), np.float32),
}
singular = gaussian((16, 16))
singular[:, 7] = singular[:, 3]  # an exact duplicate: singular in float32 too
tensor_cases["exactly singular [16, 16]"] = singular

cases = []
for name, x in tensor_cases.items():
    w32 = torch_matrix(x)
    expected = metrics(w32.astype(np.float64), EPS32)
    s32 = np.linalg.svd(w32, compute_uv=False)
    rank32 = int(np.linalg.matrix_rank(w32))  # float32 SVD, float32 eps: numpy's own answer
    assert rank32 == expected["numericalRank"], (name, rank32, expected["numericalRank"])
    cases.append({
        "name": name,
        "kind": "tensor",
        "shape": list(x.shape),
        "matrixShape": list(w32.shape),
        "values": f32(x),
        "expected": expected,
        "numpyFloat32": {
            "singularValues": [float(v) for v in s32],
            "matrixRank": rank32,
            "cond": num(np.linalg.cond(w32)) if np.all(np.isfinite(w32)) and s32[-1] > 0 else "Infinity",
        },
    })

# A float64 matrix given as rows (number[][]): a 7×5 Hilbert matrix, condition ~5e5, float64 eps.
hilbert = np.array([[1.0 / (i + j + 1) for j in range(5)] for i in range(7)])
cases.append({
    "name": "float64 rows: Hilbert 7×5",
    "kind": "rows",
    "shape": [7, 5],
    "matrixShape": [7, 5],
    "values": [float(v) for v in hilbert.ravel()],
    "expected": metrics(hilbert, EPS64),
    "numpyFloat32": None,
})

with open(os.path.join(OUT, "weights.json"), "w") as f:
    json.dump({"source": f"numpy {np.__version__} linalg.svd (float64 of the float32 inputs)", "cases": cases}, f, separators=(",", ":"))

# --- the book's table: which rank-ratio counting it used -----------------------------------------
SHAPES = [(256, 784), (192, 256), (128, 192), (64, 128), (10, 64)]  # torch Linear weights [out, in]
conventions = {
    "below": lambda s: int(np.sum(np.cumsum(s) / np.sum(s) < 0.95)),  # np.sum(cumsum/total < 0.95)
    "reach": lambda s: int(np.searchsorted(np.cumsum(s) / np.sum(s), 0.95) + 1),  # values needed to reach 95 %
}
book = {"source": f"torch {torch.__version__} init, numpy {np.__version__} svd", "shapes": SHAPES, "preluSlope": 0.25, "inits": {}}
for init in ["orthogonal", "lecun"]:
    torch.manual_seed(0)
    layers = []
    for out, inp in SHAPES:
        w = torch.empty(out, inp)
        if init == "orthogonal":
            torch.nn.init.orthogonal_(w)
        else:
            torch.nn.init.normal_(w, 0.0, (1.0 / inp) ** 0.5)
        s = np.linalg.svd(w.numpy().astype(np.float64), compute_uv=False)
        layers.append({"spectralNorm": float(s[0]), "condition": float(s[0] / s[-1]), **{c: f(s) / min(out, inp) for c, f in conventions.items()}})
    entries = layers + [{"spectralNorm": 0.25, "condition": 1.0, "below": 1.0, "reach": 1.0}]
    avg = {key: float(np.mean([e[key] for e in entries])) for key in ["spectralNorm", "condition", "below", "reach"]}
    book["inits"][init] = {"layers": layers, "averages": avg}
book["published"] = {"orthogonal": {"condition": 1.00, "spectralNorm": 0.88, "rankRatio": 0.95}, "lecun": {"condition": [5.66, 5.86], "spectralNorm": [1.39, 1.42], "rankRatio": 0.89}}
with open(os.path.join(OUT, "book.json"), "w") as f:
    json.dump(book, f, separators=(",", ":"), indent=None)
for init, r in book["inits"].items():
    print(init, {k: round(v, 4) for k, v in r["averages"].items()})
print("wrote", OUT)
