import { describe, it, expect } from 'vitest';
import { definePlugin, Registry, schema, ConfigError, RegistryError, describeSchema } from '@descent/registry';

const toy = definePlugin({
  id: 'toy',
  kind: 'initializer',
  version: '1.0.0',
  defaults: { gain: 1, mode: 'fanIn' as 'fanIn' | 'fanOut', betas: [0.9, 0.999] as [number, number] },
  schema: schema.object({
    gain: schema.number({ min: 0, exclusiveMin: true }),
    mode: schema.enum(['fanIn', 'fanOut']),
    betas: schema.tuple([schema.number({ min: 0, max: 1, exclusiveMax: true }), schema.number({ min: 0, max: 1, exclusiveMax: true })]),
  }),
  create: (c) => (shape, ctx) => ctx.rng.randomNormal(shape, 0, c.gain),
});

describe('definePlugin / validation', () => {
  it('merges defaults and accepts valid configs', () => {
    expect(toy.resolveConfig({ gain: 2 })).toEqual({ gain: 2, mode: 'fanIn', betas: [0.9, 0.999] });
  });
  it('rejects unknown keys naming the key and the known ones', () => {
    const e = (() => { try { toy.resolveConfig({ gian: 2 }); } catch (err) { return err; } })() as ConfigError;
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.path).toBe('gian');
    expect(e.message).toContain('gian');
    expect(e.message).toContain('known keys: gain, mode, betas');
  });
  it('rejects out-of-range values with the value and the allowed range', () => {
    expect(() => toy.resolveConfig({ gain: 0 })).toThrow(/toy\.gain.*0.*a number > 0/);
    expect(() => toy.resolveConfig({ betas: [0.9, 1] })).toThrow(/toy\.betas\[1\].*1.*< 1/);
    expect(() => toy.resolveConfig({ mode: 'fan_in' })).toThrow(/one of "fanIn", "fanOut"/);
    expect(() => toy.resolveConfig({ gain: 'big' })).toThrow(ConfigError);
  });
  it('rejects bad ids and defaults that violate the schema', () => {
    expect(() => definePlugin({ ...toy, id: 'Bad Id', create: toy.build })).toThrow(/id/);
    expect(() => definePlugin({ ...toy, id: 'toy2', defaults: { ...toy.defaults, gain: -1 }, create: toy.build })).toThrow(/gain/);
  });
  it('describes schemas for humans', () => {
    expect(describeSchema(schema.number({ min: 0, max: 1 }))).toBe('a number ≥ 0 and ≤ 1');
    expect(describeSchema(schema.integer({ min: 1 }))).toBe('an integer ≥ 1');
  });
});

describe('Registry', () => {
  it('registers idempotently and refuses another plugin under a taken id', () => {
    const r = new Registry().register(toy).register(toy);
    expect(r.list().map((p) => p.id)).toEqual(['toy']);
    const other = definePlugin({ ...toy, version: '2.0.0', create: toy.build });
    expect(() => r.register(other)).toThrow(RegistryError);
  });
  it('looks up by id and kind, listing what is available when missing', () => {
    const r = new Registry().register(toy);
    expect(r.get('toy').id).toBe('toy');
    expect(() => r.get('nope')).toThrow(/Available: toy/);
    expect(() => r.get('toy', 'optimizer')).toThrow(/No optimizer "toy"/);
    expect(r.list('initializer')).toHaveLength(1);
    expect(r.list('optimizer')).toHaveLength(0);
  });
  it('create validates before building', () => {
    const r = new Registry().register(toy);
    expect(typeof r.create('toy', { gain: 0.5 })).toBe('function');
    expect(() => r.create('toy', { gain: -0.5 })).toThrow(ConfigError);
  });
});
