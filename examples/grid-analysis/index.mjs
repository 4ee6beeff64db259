// Topology and multiscale structure of an analytic surface: two Gaussian wells of different
// depths on a 64×64 grid, plus a fine ripple.
import { countBasins, minimaBarrier, surfaceDiagram, totalPersistence } from '@descent/topology';
import { multiscaleAnalysis } from '@descent/wavelet';

const n = 64;
const axis = Array.from({ length: n }, (_, i) => -2 + (4 * i) / (n - 1));
const well = (x, y, cx, cy, depth) => -depth * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 0.5);
const rows = axis.map((y) => axis.map((x) => 1 + well(x, y, -1, 0, 1) + well(x, y, 1, 0, 0.6) + 0.002 * Math.sin(20 * x)));

const diagram = surfaceDiagram(rows);
const basins = countBasins(rows, { threshold: 0.05 });
const barrier = minimaBarrier(rows);
console.log(`persistence pairs: ${diagram.length}; total H0 persistence ${totalPersistence(diagram.filter((p) => p.dimension === 0 && Number.isFinite(p.death))).toFixed(4)}`);
console.log(`basins: ${basins} (persistence > 0.05 of the normalised range)`);
console.log(`barrier: the second minimum ${barrier.second.toFixed(3)} must climb ${barrier.depth.toFixed(3)} to reach the saddle ${barrier.saddle.toFixed(3)}`);

const m = multiscaleAnalysis(rows, { wavelet: 'db2', level: 3 });
for (const d of m.details) console.log(`wavelet level ${d.level}: ${(100 * d.share).toFixed(3)} % of the energy`);
console.log(`roughness index ${m.roughness.toFixed(5)}`);
if (basins !== 2) process.exit(1);
