#!/usr/bin/env python3
"""Golden fixtures for @descent/wavelet from PyWavelets 1.1.1 (numpy, float64).

    /usr/bin/python3 tools/golden/wavelet.py

Writes compact JSON to tools/golden/fixtures/wavelet/. Inputs are random numbers rounded to 12
significant digits *before* pywt sees them, so the TypeScript tests feed pywt's exact inputs;
outputs are rounded to 12 significant digits. Every file records the pywt and numpy versions.
"""
import json
import os
import warnings

import numpy as np
import pywt

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'tools', 'golden', 'fixtures', 'wavelet')
META = {'pywt': pywt.__version__, 'numpy': np.__version__, 'generator': 'tools/golden/wavelet.py'}
rng = np.random.default_rng(20240501)


def r12(a):
    """Round to 12 significant digits; returns nested lists of floats."""
    a = np.asarray(a, dtype=np.float64)
    return np.vectorize(lambda v: float(f'{v:.12g}'))(a).tolist() if a.size else a.tolist()


def rnd(*shape):
    return np.array(r12(rng.standard_normal(shape)))


def write(name, payload):
    payload = {'meta': META, **payload}
    path = os.path.join(OUT, name)
    with open(path, 'w') as fh:
        json.dump(payload, fh, separators=(',', ':'))
    print(f'{name}: {os.path.getsize(path)} bytes')


ALL = pywt.wavelist(kind='discrete')
SUBSET = ['haar', 'db2', 'db5', 'sym4', 'coif2', 'bior2.4', 'rbio3.3', 'db10']
MODES = pywt.Modes.modes


def filters():
    # Sums and squared sums pin every filter without duplicating src/filters-data.ts; the
    # dwt/idwt fixtures below exercise every tap.
    out = {}
    for name in ALL:
        w = pywt.Wavelet(name)
        fb = [np.asarray(f) for f in w.filter_bank]
        out[name] = {'family': w.short_family_name, 'decLen': w.dec_len, 'orthogonal': bool(w.orthogonal),
                     'first': r12([f[0] for f in fb]), 'last': r12([f[-1] for f in fb]),
                     'sum': r12([f.sum() for f in fb]), 'sumsq': r12([(f * f).sum() for f in fb])}
    write('filters.json', {'wavelets': out})


def dwt_families():
    # Every wavelet, odd and even length, symmetric and periodization; idwt from independent
    # random coefficients so that the reconstruction filters are checked on their own.
    x = rnd(64)
    src = rnd(128)
    cases = []
    for name in ALL:
        F = pywt.Wavelet(name).dec_len
        for mode in ('symmetric', 'periodization'):
            for n in (13, 16):
                a, d = pywt.dwt(x[:n], name, mode)
                cases.append({'wavelet': name, 'mode': mode, 'n': n, 'cA': r12(a), 'cD': r12(d)})
            m = F // 2 + 2 if mode != 'periodization' else 5
            rec = pywt.idwt(src[:m], src[64:64 + m], name, mode)
            cases.append({'wavelet': name, 'mode': mode, 'idwt': m, 'rec': r12(rec)})
    write('dwt-families.json', {'x': r12(x), 'src': r12(src), 'cases': cases})


def dwt_modes():
    # Every mode on a subset, including signals shorter than the filter (the extension repeats).
    x = rnd(16)
    src = rnd(64)
    cases = []
    for name in SUBSET:
        F = pywt.Wavelet(name).dec_len
        for mode in MODES:
            for n in (1, 2, 5, 8, 11):
                if n == 1 and mode in ('reflect', 'antireflect'):
                    continue  # pywt 1.1.1 never returns here (infinite loop in the C extension)
                a, d = pywt.dwt(x[:n], name, mode)
                cases.append({'wavelet': name, 'mode': mode, 'n': n, 'cA': r12(a), 'cD': r12(d)})
            m = F // 2 + 1 if mode != 'periodization' else 3
            rec = pywt.idwt(src[:m], src[32:32 + m], name, mode)
            cases.append({'wavelet': name, 'mode': mode, 'idwt': m, 'rec': r12(rec)})
            rec = pywt.idwt(None, src[32:32 + m], name, mode)
            cases.append({'wavelet': name, 'mode': mode, 'idwt': m, 'nullA': True, 'rec': r12(rec)})
    write('dwt-modes.json', {'x': r12(x), 'src': r12(src), 'cases': cases})


class Pool:
    """Inputs as consecutive slices of one stored random vector, so fixtures store only offsets."""

    def __init__(self, size):
        self.values = rnd(size)
        self.pos = 0

    def take(self, *shape):
        n = int(np.prod(shape))
        if self.pos + n > self.values.size:
            self.pos = 0
        out = self.values[self.pos:self.pos + n].reshape(shape)
        self.pos += n
        return self.pos - n, out


def multilevel():
    pool = Pool(1024)
    x = rnd(64)
    cases = []
    for name in ('haar', 'db2', 'sym5', 'coif1', 'bior3.5', 'db8'):
        for mode in ('symmetric', 'periodization', 'smooth', 'antireflect'):
            for n in (37, 64):
                for level in (None, 2):
                    if level is not None and level > pywt.dwt_max_level(n, pywt.Wavelet(name).dec_len):
                        continue  # Descent refuses levels above dwt_max_level (pywt warns)
                    c = pywt.wavedec(x[:n], name, mode, level=level)
                    # waverec of random coefficients of the same shapes: checks trimming and order.
                    taken = [pool.take(len(ci)) for ci in c]
                    rec = pywt.waverec([t[1] for t in taken], name, mode)
                    cases.append({'wavelet': name, 'mode': mode, 'n': n, 'level': level,
                                  'coeffs': [r12(ci) for ci in c], 'randomAt': [t[0] for t in taken], 'rec': r12(rec)})
    sizes = {}
    lens = [1, 2, 3, 5, 7, 8, 16, 31, 100, 1000, 1023, 1024]
    for F in sorted({pywt.Wavelet(n).dec_len for n in ALL}):
        sizes[F] = {'maxLevel': [pywt.dwt_max_level(n, F) for n in lens],
                    'coeffLen': {m: [pywt.dwt_coeff_len(n, F, m) for n in lens] for m in ('symmetric', 'periodization')}}
    write('multilevel.json', {'x': r12(x), 'pool': r12(pool.values), 'cases': cases, 'lens': lens, 'sizes': sizes})


def two_d():
    pool = Pool(1024)
    cases = []
    for shape in ((7, 10), (9, 6), (1, 5), (6, 5)):
        xat, X = pool.take(*shape)
        for name in ('haar', 'db2', 'bior1.3', 'coif1'):
            for mode in ('symmetric', 'periodization', 'zero', 'reflect', 'antisymmetric', 'smooth'):
                if shape[0] == 1 and mode == 'reflect':
                    continue  # pywt 1.1.1 loops forever on a single row in reflect mode
                cA, (cH, cV, cD) = pywt.dwt2(X, name, mode)
                taken = [pool.take(*cA.shape) for _ in range(4)]
                bands = [t[1] for t in taken]
                try:
                    rec = pywt.idwt2((bands[0], tuple(bands[1:])), name, mode)
                except ValueError:
                    rec = None  # too few coefficients for this filter outside periodization
                cases.append({'wavelet': name, 'mode': mode, 'shape': list(shape), 'xAt': xat,
                              'bands': [r12(b) for b in (cA, cH, cV, cD)], 'randomAt': [t[0] for t in taken],
                              'rec': None if rec is None else r12(rec)})
    multi = []
    for shape, name, mode, level in (((13, 20), 'db2', 'symmetric', 2), ((32, 27), 'haar', 'symmetric', 3),
                                     ((20, 20), 'haar', 'symmetric', 2), ((24, 17), 'sym4', 'periodization', 1),
                                     ((25, 31), 'bior2.2', 'smooth', None), ((30, 23), 'db3', 'periodization', None)):
        xat, X = pool.take(*shape)
        c = pywt.wavedec2(X, name, mode, level=level)
        flat = lambda cc: [r12(cc[0])] + [[r12(b) for b in det] for det in cc[1:]]
        a_at, a = pool.take(*c[0].shape)
        rc, at = [a], [a_at]
        for det in c[1:]:
            taken = [pool.take(*b.shape) for b in det]
            rc.append(tuple(t[1] for t in taken))
            at.append([t[0] for t in taken])
        rec = pywt.waverec2(rc, name, mode)
        multi.append({'wavelet': name, 'mode': mode, 'level': level, 'shape': list(shape), 'xAt': xat,
                      'coeffs': flat(c), 'randomAt': at, 'rec': r12(rec)})
    write('dwt2.json', {'pool': r12(pool.values), 'cases': cases, 'multilevel': multi})


CONTINUOUS = (['mexh', 'morl'] + [f'gaus{i}' for i in range(1, 9)] + [f'cgau{i}' for i in range(1, 9)]
              + ['cmor1.5-1.0', 'cmor0.5-2', 'shan1.5-1.0', 'shan0.5-0.25', 'fbsp2-1.0-0.5', 'fbsp1-1.5-1.0'])


def continuous():
    t = np.arange(32)
    x = np.array(r12(np.sin(2 * np.pi * t / 9.0) + 0.5 * rng.standard_normal(32)))
    scales = [0.2, 1.0, 2.5, 7.3, 16.0]
    out = []
    for name in CONTINUOUS:
        w = pywt.ContinuousWavelet(name)
        coefs, freqs = pywt.cwt(x, scales, w, sampling_period=0.5, method='conv')
        psi, xs = w.wavefun(4)
        out.append({'wavelet': name, 'bounds': [w.lower_bound, w.upper_bound], 'complex': bool(w.complex_cwt),
                    're': r12(coefs.real), 'im': r12(coefs.imag) if w.complex_cwt else None,
                    'frequencies': r12(freqs), 'central8': r12(pywt.central_frequency(w, 8)),
                    'central10': r12(pywt.central_frequency(w, 10)),
                    'wavefun4': {'x': r12(xs), 're': r12(np.real(psi)), 'im': r12(np.imag(psi)) if np.iscomplexobj(psi) else None}})
    write('cwt.json', {'x': r12(x), 'scales': scales, 'samplingPeriod': 0.5, 'cases': out})


def multiscale():
    # The book's analysis: pywt.wavedec2(Z, 'haar', level=2) of a 20×20 grid over λ ∈ [−0.2, 0.2]²,
    # plus an odd-sized grid with db2. Roughness as Descent defines it (README): the decomposition
    # of Z − mean(Z), detail energy / all coefficient energy.
    cases = []
    for (rows, cols), name, level in (((20, 20), 'haar', 2), ((15, 21), 'db2', 2)):
        a = np.linspace(-0.2, 0.2, rows)[:, None]
        b = np.linspace(-0.2, 0.2, cols)[None, :]
        Z = 2.3 - 1.9 * np.exp(-(a ** 2 / 0.02 + (b - 0.03) ** 2 / 0.03)) + 0.05 * np.sin(40 * a) * np.cos(30 * b)
        Z = np.array(r12(Z + 0.01 * rng.standard_normal((rows, cols))))
        c = pywt.wavedec2(Z, name, level=level)
        total = sum((ci ** 2).sum() for ci in [c[0]] + [b for det in c[1:] for b in det])
        levels = []
        for i, (H, V, D) in enumerate(c[1:]):
            e = float((H ** 2).sum() + (V ** 2).sum() + (D ** 2).sum())
            levels.append({'level': level - i, 'magnitude': r12(np.sqrt(H ** 2 + V ** 2 + D ** 2)), 'energy': r12(e), 'share': r12(e / total)})
        cc = pywt.wavedec2(Z - Z.mean(), name, level=level)
        det_c = sum((b ** 2).sum() for det in cc[1:] for b in det)
        cases.append({'wavelet': name, 'level': level, 'grid': r12(Z), 'approximation': r12(c[0]),
                      'approximationEnergy': r12((c[0] ** 2).sum()), 'totalEnergy': r12(total), 'levels': levels,
                      'roughness': r12(det_c / (det_c + (cc[0] ** 2).sum()))})
    write('multiscale.json', {'cases': cases})


def main():
    os.makedirs(OUT, exist_ok=True)
    warnings.simplefilter('error')  # a pywt warning (e.g. level too high) would mean a bad fixture
    filters()
    dwt_families()
    dwt_modes()
    multilevel()
    two_d()
    continuous()
    multiscale()


if __name__ == '__main__':
    main()
