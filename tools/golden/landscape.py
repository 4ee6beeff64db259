"""Reference values for @descent/landscape, computed with scikit-learn 1.2, SciPy and PyTorch 1.13:

- pca.json:   sklearn PCA(2) of a small weight trajectory (coordinates, explained variance ratio).
- tsne.json:  for the same trajectory, perplexity 1 (the book's) and 5: sklearn's joint probabilities
              P, KL divergence and gradient at a fixed embedding, 10 early-exaggeration steps of its
              optimiser from the PCA start (float64), and the KL and neighbour preservation of full
              TSNE(method='exact') runs (t-SNE is chaotic: full embeddings are not comparable).
- gaussian.json: scipy.optimize.curve_fit of the book's Gaussian well, offset fixed to max z
              (p0 = ones, as the book) and free (p0 = the fixed fit plus max z), on synthetic 30×30
              grids with known parameters plus noise (one reaching the plateau, one not) and on a
              surface that is not a Gaussian.
- paths.json: torch.optim SGD / SGD with momentum / Adam for 100 steps from (−1, 1) on the Gaussian
              well with the book's fitted parameters (float64).

usage: /usr/bin/python3 tools/golden/landscape.py
"""
import json, os
import numpy as np
import scipy
import sklearn
import torch
from scipy.optimize import curve_fit
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE
from sklearn.manifold._t_sne import _joint_probabilities, _kl_divergence, _gradient_descent
from sklearn.metrics import pairwise_distances
from scipy.spatial.distance import squareform

OUT = os.path.join(os.path.dirname(__file__), "fixtures", "landscape")
os.makedirs(OUT, exist_ok=True)


def dump(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, separators=(",", ":"))
    print("wrote", name)


def r(a, digits=9):
    return np.round(np.asarray(a, dtype=np.float64), digits).tolist()


# A trajectory: 15 "epochs" of 64 weights, a drifting random walk with a bend, as float32.
rng = np.random.default_rng(7)
steps = rng.normal(0, 0.05, size=(15, 64)) + np.linspace(0.2, -0.1, 15)[:, None] * rng.normal(0, 1, size=(1, 64))
points = (np.cumsum(steps, axis=0) + rng.normal(0, 1, size=(1, 64))).astype(np.float32)

pca = PCA(n_components=2)
coords = pca.fit_transform(points.astype(np.float64))
dump("pca.json", {
    "source": f"sklearn {sklearn.__version__} PCA(n_components=2), float64 (svd_flip u-based)",
    "points": r(points),
    "coordinates": r(coords),
    "explainedVarianceRatio": r(pca.explained_variance_ratio_),
})

tsne_cases = []
X64 = points.astype(np.float64)
pcs = PCA(n_components=2).fit_transform(X64)
init = pcs / np.std(pcs[:, 0]) * 1e-4
rng_y = np.random.default_rng(11).normal(0, 1, size=(len(points), 2))


def nn_preserved(Y):
    """Share of points whose nearest neighbour in the embedding is one of their 2 nearest in weight space."""
    D = pairwise_distances(X64)
    E = pairwise_distances(Y)
    np.fill_diagonal(D, np.inf)
    np.fill_diagonal(E, np.inf)
    return float(np.mean([np.argmin(E[i]) in np.argsort(D[i])[:2] for i in range(len(Y))]))


for perplexity in (1, 5):
    D = pairwise_distances(points, metric="euclidean", squared=True)
    Pc = _joint_probabilities(D, perplexity, 0)
    kl, grad = _kl_divergence(rng_y.ravel(), Pc, 1, len(points), 2)
    # 10 early-exaggeration iterations from the PCA start, float64. Only these few are comparable: a
    # relative change of 1e-10 in the start grows to 1e-5 after 10 iterations and to O(1) after 40.
    short, _, _ = _gradient_descent(_kl_divergence, init.ravel().copy(), 0, 10, n_iter_check=50, n_iter_without_progress=250,
                                    momentum=0.5, learning_rate=50.0, args=[Pc * 12.0, 1, len(points), 2])
    full = []
    for X_, init_ in ((points, "pca"), (X64, init)):
        emb = TSNE(n_components=2, perplexity=perplexity, method="exact", init=init_, learning_rate="auto", random_state=0)
        Y = emb.fit_transform(X_)
        full.append({"kl": float(emb.kl_divergence_), "iterations": int(emb.n_iter_), "nnPreserved": nn_preserved(Y)})
    tsne_cases.append({
        "perplexity": perplexity, "P": r(squareform(Pc), 12),
        "y": r(rng_y, 12), "kl": float(kl), "grad": r(grad, 12),
        "init": r(init, 15), "short": r(short.reshape(-1, 2), 12),
        "full": full,
    })
dump("tsne.json", {"source": f"sklearn {sklearn.__version__} t-SNE internals (_joint_probabilities, _kl_divergence, _gradient_descent) and TSNE(method='exact') on float32 and float64 data", "cases": tsne_cases})


def well(xy, A, x0, y0, s1, s2, offset):
    x, y = xy
    return -A * np.exp(-((x - x0) ** 2 / (2 * s1 ** 2) + (y - y0) ** 2 / (2 * s2 ** 2))) + offset


grid = np.linspace(-1, 1, 30)
X, Y2 = np.meshgrid(grid, grid)  # row i is y[i], column j is x[j]
truth = dict(A=29.27, x0=-0.049, y0=-0.067, sigma1=0.747, sigma2=0.949, offset=31.5)
noise = np.random.default_rng(3).normal(0, 0.2, size=X.shape)
narrow = dict(A=29.27, x0=-0.049, y0=-0.067, sigma1=0.25, sigma2=0.3, offset=31.5)
surfaces = {
    "plateau": well((X, Y2), *narrow.values()) + 0.25 * noise,
    "gaussian": well((X, Y2), *truth.values()) + noise,
    "bowl": 2 + 0.5 * (X - 0.1) ** 2 + (Y2 + 0.2) ** 2 + 0.3 * np.sin(3 * X),
}
fits = []
for name, Z in surfaces.items():
    xy = (X.ravel(), Y2.ravel())
    z = Z.ravel()
    zmax = float(z.max())
    fixed, _ = curve_fit(lambda xy, A, x0, y0, s1, s2: well(xy, A, x0, y0, s1, s2, zmax), xy, z, p0=np.ones(5), maxfev=20000)
    free, _ = curve_fit(well, xy, z, p0=list(fixed) + [zmax], maxfev=20000)
    rss = lambda p: float(np.sum((well(xy, *p) - z) ** 2))
    fits.append({
        "name": name,
        "x": r(grid), "y": r(grid), "z": r(z, 12),
        "fixed": {"params": r(list(fixed) + [zmax], 12), "rss": rss(list(fixed) + [zmax])},
        "free": {"params": r(free, 12), "rss": rss(free)},
    })
dump("gaussian.json", {"source": f"scipy {scipy.__version__} curve_fit (method lm), params A, x0, y0, sigma1, sigma2, offset", "truth": {"plateau": narrow, "gaussian": truth}, "cases": fits})

torch.set_default_dtype(torch.float64)
book = dict(A=29.27164346, x0=-0.0488573, y0=-0.06687705, sigma1=0.7469189, sigma2=0.94904458, offset=30.0)


def tsurface(p):
    return -book["A"] * torch.exp(-((p[0] - book["x0"]) ** 2 / (2 * book["sigma1"] ** 2) + (p[1] - book["y0"]) ** 2 / (2 * book["sigma2"] ** 2))) + book["offset"]


paths = []
for name, make in [
    ("sgd lr 0.1", lambda ps: torch.optim.SGD(ps, lr=0.1)),
    ("sgd lr 0.05 momentum 0.8", lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8)),
    ("adam lr 0.1", lambda ps: torch.optim.Adam(ps, lr=0.1)),
]:
    p = torch.tensor([-1.0, 1.0], requires_grad=True)
    opt = make([p])
    pts = [p.detach().tolist()]
    for _ in range(100):
        opt.zero_grad()
        tsurface(p).backward()
        opt.step()
        pts.append(p.detach().tolist())
    paths.append({"name": name, "points": r(pts, 10)})
dump("paths.json", {"source": f"torch {torch.__version__} optim, float64, 100 steps from (-1, 1)", "surface": book, "paths": paths})
