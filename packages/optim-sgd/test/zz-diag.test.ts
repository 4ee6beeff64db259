import { it, beforeAll } from 'vitest';
import { tf, useBackend, step, stateTensors, type ParamMap } from '@descent/tensor';
import { loadGolden } from '@descent/testkit';
import * as reg from '@descent/registry';

const ids = (process.env.DIAG_IDS ?? 'sgd,sgd-book').split(',');
const mods: Record<string, () => Promise<any>> = {
  sgd: () => import('@descent/optim-sgd'), 'sgd-book': () => import('@descent/optim-sgd'),
};
beforeAll(async () => { await useBackend('wasm'); });
it('diag', async () => {
  for (const id of ids) {
    const pkg = process.env['DIAG_PKG_' + id.replace('-', '_')] ?? '';
    const mod = pkg ? await import(/* @vite-ignore */ pkg) : await mods[id]();
    const plugin = Object.values(mod).find((x: any) => x && x.id === id) as reg.Plugin<'optimizer'>;
    for (const c of loadGolden(id)) {
      const t = plugin.create(c.config);
      let params: ParamMap = {};
      for (const [n, v] of Object.entries(c.params)) params[n] = tf.tensor(v.values, v.shape);
      let state = t.init(params);
      let worstRel = 0, worstUlp = 0; const big: Record<string, number[]> = {};
      for (let i = 0; i < c.grads.length; i++) {
        const g: ParamMap = {};
        for (const [n, v] of Object.entries(c.grads[i])) g[n] = tf.tensor(v, c.params[n].shape);
        const r = step(t, params, g, state);
        tf.dispose([...Object.values(g), ...Object.values(params)]);
        params = r.params; state = r.state;
        for (const n of Object.keys(params)) {
          const a = params[n].dataSync(); const e = c.expected[i][n];
          for (let j = 0; j < a.length; j++) {
            const ef = Math.fround(e[j]);
            const d = Math.abs(a[j] - ef);
            big[n] ??= Array.from(c.params[n].values, Math.abs);
            big[n][j] = Math.max(big[n][j], Math.abs(ef));
            const ulp = 2 ** (Math.floor(Math.log2(big[n][j] || 1e-30)) - 23);
            worstUlp = Math.max(worstUlp, d / ulp);
            if (Math.abs(ef) > 1e-3) worstRel = Math.max(worstRel, d / Math.abs(ef));
          }
        }
      }
      console.log(`${id.padEnd(9)} ${c.name.padEnd(34)} max rel ${worstRel.toExponential(2)}  max ulps ${worstUlp.toFixed(1)}`);
      tf.dispose([...Object.values(params), ...stateTensors(state)]);
    }
  }
});
