#!/usr/bin/env python3
"""Golden fixtures for @descent/topology, computed with GUDHI 3.7.1 (numpy, scipy, POT).

Run:  /usr/bin/python3 tools/golden/topology.py
Writes compact JSON to tools/golden/fixtures/topology/.

Grids are not stored but regenerated from a seed by a 32-bit LCG that
packages/topology/test/generators.ts implements bit for bit; the values are integers or
k / 2**32, so births and deaths are stored as exact integers (`scale` tells which).

References:
- 'top-cells' filtration: gudhi.CubicalComplex(top_dimensional_cells=...), all pairs
  (min_persistence=-1) for the zero-length counts.
- 'vertices' filtration: GUDHI 3.7 has no CubicalComplex(vertices=...), so the lower-star cubical
  complex is triangulated (a cone vertex in every square and cube, valued at the cell's maximum,
  which leaves every sublevel set's homotopy type unchanged) and fed to gudhi.SimplexTree.
  Zero-length counts come from a brute-force Z/2 boundary-matrix reduction of the cubical complex
  written below, itself checked against GUDHI on the top-cells filtration.
"""
import json
import math
import os
import sys
import warnings
from collections import Counter

import numpy as np
import gudhi
import gudhi.hera
import gudhi.wasserstein
from gudhi.representations import BettiCurve, Entropy, PersistenceImage
from scipy.optimize import linear_sum_assignment
from scipy.special import erf

assert gudhi.__version__ == '3.7.1', gudhi.__version__
warnings.filterwarnings('ignore')

ROOT = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(ROOT, 'fixtures', 'topology')
TWO32 = 2 ** 32

# ----------------------------------------------------------------------------- generators


def lcg(seed):
    s = seed & 0xFFFFFFFF
    while True:
        s = (1664525 * s + 1013904223) & 0xFFFFFFFF
        yield s


def generate(spec):
    """Mirror of test/generators.ts. Returns (array, scale) with integer-valued array * scale."""
    shape, kind, seed = tuple(spec['shape']), spec['kind'], spec['seed']
    n = int(np.prod(shape))
    g = lcg(seed)
    raw = np.array([next(g) for _ in range(n)], dtype=np.int64)
    if kind == 'uniform':
        return raw.reshape(shape), TWO32
    if kind == 'int':
        return (raw >> (32 - spec['bits'])).reshape(shape), 1
    if kind == 'smooth':
        noise = (raw >> 24).reshape(shape)
        r, q = spec['radius'], spec['quant']
        out = np.zeros(shape, dtype=np.int64)
        for idx in np.ndindex(*shape):
            sl = tuple(slice(max(0, i - r), min(s, i + r + 1)) for i, s in zip(idx, shape))
            out[idx] = noise[sl].sum() // q
        return out, 1
    raise ValueError(kind)


# ----------------------------------------------------------------------------- references


def gudhi_top(a, min_persistence=0.0):
    return [(d, b, e) for d, (b, e) in gudhi.CubicalComplex(top_dimensional_cells=a).persistence(min_persistence=min_persistence)]


def khalimsky(a, filtration):
    """Cell values of the full cubical complex in Khalimsky coordinates (numpy, brute force)."""
    a = np.asarray(a, dtype=float)
    top = filtration == 'top-cells'
    sizes = tuple(2 * s + 1 if top else 2 * s - 1 for s in a.shape)
    vals = np.empty(sizes)
    for c in np.ndindex(*sizes):
        if top:
            # min over the top cells (all-odd coordinates) containing the cell
            ranges = [[x] if x % 2 else [y for y in (x - 1, x + 1) if 0 <= y < n] for x, n in zip(c, sizes)]
            vals[c] = min(a[tuple((y - 1) // 2 for y in t)] for t in np.array(np.meshgrid(*ranges, indexing='ij')).reshape(len(c), -1).T)
        else:
            ranges = [[x] if x % 2 == 0 else [x - 1, x + 1] for x in c]
            vals[c] = max(a[tuple(y // 2 for y in t)] for t in np.array(np.meshgrid(*ranges, indexing='ij')).reshape(len(c), -1).T)
    return vals


def brute_force(a, filtration):
    """All persistence pairs (zero-length included) by the standard Z/2 column reduction."""
    vals = khalimsky(a, filtration)
    sizes = vals.shape
    cells = list(np.ndindex(*sizes))
    dim = {c: sum(x % 2 for x in c) for c in cells}
    order = sorted(cells, key=lambda c: (vals[c], dim[c], c))
    pos = {c: i for i, c in enumerate(order)}
    pivots = {}
    pairs = []
    paired = set()
    for j, c in enumerate(order):
        col = set()
        for ax, x in enumerate(c):
            if x % 2:
                for y in (x - 1, x + 1):
                    f = c[:ax] + (y,) + c[ax + 1:]
                    col.add(pos[f])
        while col:
            low = max(col)
            if low not in pivots:
                break
            col ^= pivots[low]
        if col:
            low = max(col)
            pivots[low] = col
            b = order[low]
            pairs.append((dim[b], vals[b], vals[c]))
            paired.add(low)
            paired.add(j)
    for i, c in enumerate(order):
        if i not in paired:
            pairs.append((dim[c], vals[c], math.inf))
    return pairs


def vertex_reference(a):
    """Lower-star cubical persistence via a cone triangulation in gudhi.SimplexTree (nonzero pairs)."""
    a = np.asarray(a, dtype=float)
    nd, shape = a.ndim, a.shape
    st = gudhi.SimplexTree()
    vid = {idx: i for i, idx in enumerate(np.ndindex(*shape))}
    next_id = [len(vid)]
    fil = {}
    for idx, i in vid.items():
        fil[i] = a[idx]
    simplices = {}
    centre = {}

    def add(s):
        s = tuple(sorted(s))
        simplices[s] = max(fil[v] for v in s)

    def triangulate(cell):
        """cell = (corner index, tuple of spanned axes); returns simplices (tuples of vertex ids)."""
        corner, axes = cell
        if len(axes) == 0:
            return [(vid[corner],)]
        if len(axes) == 1:
            ax = axes[0]
            other = corner[:ax] + (corner[ax] + 1,) + corner[ax + 1:]
            return [(vid[corner], vid[other])]
        verts = []
        for bits in np.ndindex(*([2] * len(axes))):
            v = list(corner)
            for ax, bit in zip(axes, bits):
                v[ax] += bit
            verts.append(vid[tuple(v)])
        if cell not in centre:  # one cone vertex per cell, shared by every coface
            centre[cell] = next_id[0]
            next_id[0] += 1
            fil[centre[cell]] = max(fil[v] for v in verts)
        c = centre[cell]
        out = []
        for ax in axes:  # the 2*len(axes) facets of the cell
            rest = tuple(x for x in axes if x != ax)
            for side in (0, 1):
                fc = list(corner)
                fc[ax] += side
                for s in triangulate((tuple(fc), rest)):
                    out.append(s + (c,))
        return out

    for corner in np.ndindex(*shape):
        for k in range(nd + 1):
            for axes in __import__('itertools').combinations(range(nd), k):
                if all(corner[ax] + 1 < shape[ax] for ax in axes):
                    for s in triangulate((corner, axes)):
                        for r in range(1, len(s) + 1):
                            for face in __import__('itertools').combinations(s, r):
                                add(face)
    for s, f in sorted(simplices.items(), key=lambda kv: (len(kv[0]), kv[1])):
        st.insert(list(s), filtration=f)
    assert not st.make_filtration_non_decreasing()
    return [(d, b, e) for d, (b, e) in st.persistence(homology_coeff_field=2, min_persistence=0.0, persistence_dim_max=True) if e > b]


def nonzero(pairs):
    return sorted((d, b, e) for d, b, e in pairs if e > b)


def zero_counts(pairs):
    c = Counter((d, b) for d, b, e in pairs if e == b)
    return sorted([d, v, n] for (d, v), n in c.items())


def encode(pairs, scale):
    """[dim, birth, death] with values as exact integers times 1/scale; null death = Infinity."""
    def enc(v):
        if math.isinf(v):
            return None if v > 0 else '-inf'
        x = v * scale
        if scale != 1 or float(x).is_integer():
            assert float(x).is_integer(), v
            return int(x)
        return v
    return [[int(d), enc(b), enc(e)] for d, b, e in sorted(pairs, key=lambda p: (p[0], p[1], p[2]))]


# ----------------------------------------------------------------------------- cubical cases


def void_cube():
    a = np.zeros((5, 5, 5))
    a[1:4, 1:4, 1:4] = 5
    a[2, 2, 2] = 3
    return a


def cubical_cases():
    cases = []

    def add(name, a, scale, filtration, spec=None, zero=False):
        a = np.asarray(a)
        values = a.astype(float) / scale
        if filtration == 'top-cells':
            pairs = gudhi_top(values)
            allp = gudhi_top(values, -1.0) if zero else None
        else:
            pairs = vertex_reference(values)
            allp = None
            if zero:
                allp = brute_force(values, 'vertices')
                assert nonzero(allp) == nonzero(pairs), name
        case = {'name': name, 'filtration': filtration, 'scale': scale}
        if spec is None:
            case['shape'] = list(a.shape)
            case['data'] = [None if math.isinf(v) else (int(v) if float(v).is_integer() else v) for v in a.ravel().tolist()]
        else:
            case['gen'] = spec
        case['pairs'] = encode(nonzero(pairs), scale)  # essential pairs included (inf > birth)
        if allp is not None:
            case['zero'] = [[d, int(v * scale) if float(v * scale).is_integer() else v, n] for d, v, n in zero_counts(allp)]
        cases.append(case)

    explicit = {
        'single pixel': [[5]],
        'book 3x3': [[1, 1, 2], [3, 1, 0], [2, 2, 2]],
        'constant plateau': [[2] * 6] * 5,
        'annulus': [[1, 1, 1, 1, 1], [1, 0, 0, 0, 1], [1, 0, 4, 0, 1], [1, 0, 0, 0, 1], [1, 1, 1, 1, 1]],
        'two rings sharing a wall': [[0, 0, 0, 0, 0, 0, 0], [0, 5, 0, 7, 0, 9, 0], [0, 0, 0, 0, 0, 0, 0]],
        'checkerboard': [[(i + j) % 2 for j in range(8)] for i in range(7)],
        'diagonal touch': [[0, 3, 3], [3, 0, 3], [3, 3, 0]],
        'two basins': [[0, 1, 2, 3, 2, 1, 1], [1, 2, 3, 4, 3, 2, 1], [2, 3, 4, 5, 4, 3, 2]],
        'row': [[3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]],
        'column': [[3], [1], [4], [1], [5], [9], [2], [6]],
        'signal 1-d': [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9],
        'negative and fractional': [[-1.5, 0.25, -1.5], [0.125, -3.0, 0.125], [2.5, -0.75, 1e-3]],
        'void in a cube 3-d': void_cube().tolist(),
    }
    for name, grid in explicit.items():
        for f in ('top-cells', 'vertices'):
            add(name, np.array(grid, dtype=float), 1, f, zero=np.asarray(grid).size <= 150)
    masked = np.array([[1, 2, 3, 2], [2, np.inf, np.inf, 1], [0, np.inf, 5, 2]], dtype=float)
    add('infinite cells', masked, 1, 'top-cells', zero=True)

    seed = 100
    specs = [
        # (shape, kind, extra, filtrations, zero-length counts?)
        ([7, 9], 'int', {'bits': 2}, ('top-cells', 'vertices'), True),
        ([16, 16], 'int', {'bits': 2}, ('top-cells', 'vertices'), 'top-cells'),
        ([33, 20], 'int', {'bits': 3}, ('top-cells', 'vertices'), 'top-cells'),
        ([64, 64], 'int', {'bits': 1}, ('top-cells', 'vertices'), 'top-cells'),
        ([5, 5], 'uniform', {}, ('top-cells', 'vertices'), True),
        ([31, 32], 'uniform', {}, ('top-cells', 'vertices'), 'top-cells'),
        ([100, 101], 'uniform', {}, ('top-cells',), False),
        ([60, 61], 'uniform', {}, ('vertices',), False),
        ([96, 96], 'smooth', {'radius': 2, 'quant': 16}, ('top-cells', 'vertices'), 'top-cells'),
        ([50], 'int', {'bits': 3}, ('top-cells', 'vertices'), True),
        ([40], 'uniform', {}, ('top-cells', 'vertices'), False),
        ([4, 5, 3], 'int', {'bits': 2}, ('top-cells', 'vertices'), True),
        ([5, 6, 7], 'int', {'bits': 2}, ('top-cells', 'vertices'), 'top-cells'),
        ([10, 10, 10], 'int', {'bits': 1}, ('top-cells', 'vertices'), 'top-cells'),
        ([8, 9, 10], 'uniform', {}, ('top-cells', 'vertices'), 'top-cells'),
        ([18, 18, 18], 'smooth', {'radius': 1, 'quant': 8}, ('top-cells', 'vertices'), 'top-cells'),
        ([1, 6, 7], 'int', {'bits': 2}, ('top-cells', 'vertices'), 'top-cells'),
    ]
    for shape, kind, extra, filtrations, zero in specs:
        seed += 1
        spec = {'shape': shape, 'kind': kind, 'seed': seed, **extra}
        a, scale = generate(spec)
        for f in filtrations:
            z = zero is True or zero == f
            if z and f == 'vertices':
                z = a.size <= 150
            name = f"{kind} {'x'.join(map(str, shape))}"
            add(name, a, scale, f, spec=spec, zero=z)
    return cases


def check_brute_force():
    """The brute-force reduction must reproduce GUDHI exactly, zero-length pairs included."""
    for seed in range(1, 25):
        spec = {'shape': [[3, 4], [5, 5], [2, 3, 3], [6], [4, 3, 2]][seed % 5], 'kind': 'int' if seed % 2 else 'uniform', 'seed': seed, 'bits': 2}
        a, scale = generate(spec)
        a = a.astype(float) / scale
        mine = sorted(brute_force(a, 'top-cells'))
        ref = sorted(gudhi_top(a, -1.0))
        assert mine == ref, (spec, mine, ref)
        assert nonzero(brute_force(a, 'vertices')) == nonzero(vertex_reference(a)), spec


# ----------------------------------------------------------------------------- distances


def random_diagram(rng, n, essential=0, neg_essential=0, decimals=None):
    b = rng.uniform(-1, 3, size=n)
    d = b + rng.exponential(0.7, size=n)
    if decimals is not None:
        b, d = np.round(b, decimals), np.round(d, decimals)
        d = np.maximum(d, b)
    pts = [[float(x), float(y)] for x, y in zip(b, d)]
    pts += [[float(x), math.inf] for x in np.round(rng.uniform(-1, 2, size=essential), 3)]
    pts += [[-math.inf, float(y)] for y in np.round(rng.uniform(-1, 2, size=neg_essential), 3)]
    if n >= 4:
        pts[1] = list(pts[0])  # a duplicate point
        pts[2] = [pts[2][0], pts[2][0]]  # a point on the diagonal
    rng.shuffle(pts)
    return pts


def assignment_wasserstein(X, Y, order, internal_p):
    """Exact reference independent of POT: square assignment with diagonal slots (scipy)."""
    X = np.array([p for p in X if np.isfinite(p).all()]).reshape(-1, 2)
    Y = np.array([p for p in Y if np.isfinite(p).all()]).reshape(-1, 2)
    n, m = len(X), len(Y)
    if n + m == 0:
        return 0.0
    def ground(p, q):
        diff = np.abs(p - q)
        return diff.max() if np.isinf(internal_p) else (diff ** internal_p).sum() ** (1 / internal_p)
    def diag(p):
        return (p[1] - p[0]) * 2 ** (1.0 / internal_p - 1)
    C = np.zeros((n + m, n + m))
    for i in range(n):
        for j in range(m):
            C[i, j] = ground(X[i], Y[j]) ** order
        C[i, m:] = diag(X[i]) ** order
    for j in range(m):
        C[n:, j] = diag(Y[j]) ** order
    r, c = linear_sum_assignment(C)
    return C[r, c].sum() ** (1 / order)


def encode_diagram(pts):
    return [[('-inf' if b == -math.inf else b), (None if d == math.inf else d)] for b, d in pts]


def distance_cases():
    rng = np.random.default_rng(7)
    cases = []
    layouts = [
        (0, 0, {}), (0, 4, {}), (3, 0, {}), (1, 1, {}), (5, 7, {'decimals': 1}), (8, 8, {'decimals': 1}),
        (20, 25, {}), (30, 30, {'decimals': 2}), (60, 45, {}), (120, 110, {'decimals': 2}), (200, 180, {}),
    ]
    for n, m, kw in layouts:
        cases.append((random_diagram(rng, n, **kw), random_diagram(rng, m, **kw)))
    # essential parts: equal counts (matched by sorted births) and different counts (infinite)
    cases.append((random_diagram(rng, 12, essential=2), random_diagram(rng, 9, essential=2)))
    cases.append((random_diagram(rng, 10, essential=1, neg_essential=1), random_diagram(rng, 10, essential=1, neg_essential=1)))
    cases.append((random_diagram(rng, 6, essential=1), random_diagram(rng, 6, essential=2)))
    # cubical diagrams of two nearby smooth surfaces
    a, _ = generate({'shape': [40, 40], 'kind': 'smooth', 'seed': 5, 'radius': 2, 'quant': 1})
    b, _ = generate({'shape': [40, 40], 'kind': 'smooth', 'seed': 6, 'radius': 2, 'quant': 1})
    da = [[b_, d_] for d, b_, d_ in gudhi_top(a.astype(float) / 6375) if d == 1]
    db = [[b_, d_] for d, b_, d_ in gudhi_top(b.astype(float) / 6375) if d == 1]
    cases.append((da, db))
    out = []
    for X, Y in cases:
        Xa = np.array(X, dtype=float).reshape(-1, 2)
        Ya = np.array(Y, dtype=float).reshape(-1, 2)
        entry = {'a': encode_diagram(X), 'b': encode_diagram(Y)}
        bott = gudhi.bottleneck_distance(Xa, Ya, e=0)
        entry['bottleneck'] = None if math.isinf(bott) else bott
        try:  # a second opinion from Hera (it rejects points on the diagonal)
            hera = gudhi.hera.bottleneck_distance(Xa, Ya, delta=0)
            assert (math.isinf(bott) and math.isinf(hera)) or abs(bott - hera) <= 1e-9 * max(1, abs(bott)), (bott, hera)
        except RuntimeError:
            pass
        ws = []
        for order, internal_p in [(1, math.inf), (2, math.inf), (3.5, math.inf), (1, 2.0), (2, 1.0)]:
            w = gudhi.wasserstein.wasserstein_distance(Xa, Ya, order=order, internal_p=internal_p)
            if np.isfinite(Xa).all() and np.isfinite(Ya).all():
                # POT's network simplex is exact up to rounding; confirm with an independent assignment
                ref = assignment_wasserstein(X, Y, order, internal_p)
                assert abs(w - ref) <= 1e-9 * max(1.0, ref), (w, ref)
            ws.append({'order': order, 'internalP': None if math.isinf(internal_p) else internal_p, 'value': None if math.isinf(w) else float(w)})
        entry['wasserstein'] = ws
        out.append(entry)
    return out


# ----------------------------------------------------------------------------- summaries


def summary_cases():
    rng = np.random.default_rng(11)
    out = []
    for n in (1, 5, 40):
        pts = np.array(random_diagram(rng, n, decimals=2), dtype=float)
        pts = pts[pts[:, 1] > pts[:, 0]]
        entry = {'diagram': pts.tolist()}
        entry['entropy'] = float(Entropy(mode='scalar')(pts)[0])
        pers = pts[:, 1] - pts[:, 0]
        entry['totalPersistence'] = {'1': float(pers.sum()), '2': float((pers ** 2).sum())}
        grid = np.linspace(-1.5, 6, 31)
        grid[3] = pts[0, 0]  # a grid point exactly on a birth
        grid[4] = pts[0, 1] if pts[0, 1] > grid[3] else grid[4]
        grid = np.unique(grid)
        entry['bettiGrid'] = grid.tolist()
        entry['betti'] = BettiCurve(predefined_grid=grid)(pts).tolist()
        pmax = float(pers.max())
        rng_img = [-1.0, 4.0, 0.0, 3.0]
        for bw, res in ((0.5, [8, 6]), (0.2, [20, 20])):
            pi = PersistenceImage(bandwidth=bw, resolution=res, im_range=rng_img, weight=lambda x, pmax=pmax: min(x[1] / pmax, 1.0))
            img = pi(pts)
            # Adams et al.: the gaussian integrated over each pixel (erf), same weights
            nx, ny = res
            xe = np.linspace(rng_img[0], rng_img[1], nx + 1)
            ye = np.linspace(rng_img[2], rng_img[3], ny + 1)
            integ = np.zeros((ny, nx))
            for (b, d) in pts:
                p = d - b
                w = min(p / pmax, 1.0)
                fx = 0.5 * (erf((xe[1:] - b) / (math.sqrt(2) * bw)) - erf((xe[:-1] - b) / (math.sqrt(2) * bw)))
                fy = 0.5 * (erf((ye[1:] - p) / (math.sqrt(2) * bw)) - erf((ye[:-1] - p) / (math.sqrt(2) * bw)))
                integ += w * np.outer(fy, fx)
            entry.setdefault('images', []).append({'bandwidth': bw, 'resolution': res, 'range': rng_img, 'maxPersistence': pmax,
                                                   'sample': img.tolist(), 'integrate': integ.ravel().tolist()})
        out.append(entry)
    return out


def erf_values():
    """scipy.special.erf / erfc at points covering both series of src/erf.ts and their switch."""
    from scipy.special import erfc
    xs = [0.0, 1e-12, 0.05, 0.3, 0.7, 1.0, 1.2, 1.4999, 1.5, 1.5001, 2.0, 2.7, 3.3, 4.5, 6.0, 9.0, 15.0, 26.5, -0.4, -1.7, -3.2]
    return [[x, float(erf(x)), float(erfc(x))] for x in xs]


# ----------------------------------------------------------------------------- loss surface (book pipeline)


def surface_cases():
    out = []
    for seed, shape, radius in ((21, [30, 30], 3), (22, [40, 35], 2)):
        spec = {'shape': shape, 'kind': 'smooth', 'seed': seed, 'radius': radius, 'quant': 1}
        a, _ = generate(spec)
        z = a.astype(float)
        zn = (z - z.min()) / (z.max() - z.min())  # the book: min-max normalise to [0, 1]
        pairs = gudhi_top(zn)
        h0 = sorted([(b, d) for dim, b, d in pairs if dim == 0])
        finite = [p for p in h0 if not math.isinf(p[1])]
        second = min(finite, key=lambda p: (p[0], -(p[1] - p[0]))) if finite else None
        entry = {'gen': spec, 'pairs': [[d, b, None if math.isinf(e) else e] for d, b, e in sorted(pairs)],
                 'basins': {str(t): sum(1 for b, d in h0 if d - b > t) for t in (0.0, 0.01, 0.05, 0.1, 0.3)},
                 'barrier': None if second is None else {'lowest': h0[0][0], 'second': second[0], 'saddle': second[1], 'depth': second[1] - second[0]}}
        out.append(entry)
    return out


def main():
    check_brute_force()
    os.makedirs(OUT, exist_ok=True)
    files = {
        'cubical.json': {'gudhi': gudhi.__version__, 'cases': cubical_cases()},
        'distances.json': {'gudhi': gudhi.__version__, 'cases': distance_cases()},
        'summaries.json': {'gudhi': gudhi.__version__, 'cases': summary_cases(), 'erf': erf_values()},
        'surface.json': {'gudhi': gudhi.__version__, 'cases': surface_cases()},
    }
    total = 0
    for name, content in files.items():
        path = os.path.join(OUT, name)
        with open(path, 'w') as f:
            json.dump(content, f, separators=(',', ':'), allow_nan=False)
        size = os.path.getsize(path)
        total += size
        print(f'{name}: {size / 1024:.1f} KiB')
    print(f'total {total / 1024:.1f} KiB')


if __name__ == '__main__':
    sys.exit(main())
