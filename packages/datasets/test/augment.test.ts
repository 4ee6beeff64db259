import { describe, expect, it } from 'vitest';
import { InvalidParameterError, Rng } from '@descent/tensor';
import { Augmenter, BOOK_AUGMENTATION, cropPadded, flipHorizontal, resolveAugmentation, rotateNearest } from '../src/augment';
import { bytesOf, loadGolden } from './helpers';

interface RotateCase {
  name: string;
  height: number;
  width: number;
  channels: number;
  image: string;
  rotations: { angle: number; bytes: string }[];
}

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

describe('rotateNearest', () => {
  const golden = loadGolden<{ pillow: string; cases: RotateCase[] }>('rotate');

  it(`equals Pillow ${golden.pillow} Image.rotate(angle, NEAREST, fillcolor=0) byte for byte`, () => {
    let checked = 0;
    for (const c of golden.cases) {
      const src = b64(c.image);
      const out = new Uint8Array(src.length);
      for (const r of c.rotations) {
        rotateNearest(src, c.height, c.width, c.channels, r.angle, out);
        const want = b64(r.bytes);
        const differing = out.reduce((n, v, i) => n + (v !== want[i] ? 1 : 0), 0);
        expect(differing, `${c.name} rotated by ${r.angle}°: ${differing} bytes differ`).toBe(0);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(60);
  });
});

describe('flip and crop', () => {
  const h = 3;
  const w = 4;
  const c = 2;
  const src = bytesOf(h * w * c, 5);
  const px = (img: Uint8Array, y: number, x: number) => [...img.subarray((y * w + x) * c, (y * w + x + 1) * c)];

  it('flipHorizontal mirrors each row, keeping channels together', () => {
    const out = new Uint8Array(src.length);
    flipHorizontal(src, h, w, c, out);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) expect(px(out, y, x)).toEqual(px(src, y, w - 1 - x));
  });

  it('cropPadded cuts a window of the zero-padded image', () => {
    const out = new Uint8Array(src.length);
    cropPadded(src, h, w, c, 2, 2, 2, out); // the centre window is the image itself
    expect([...out]).toEqual([...src]);
    cropPadded(src, h, w, c, 2, 0, 1, out); // window starts 2 rows above and 1 column left of the image
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const yin = y - 2;
        const xin = x - 1;
        expect(px(out, y, x)).toEqual(yin >= 0 && xin >= 0 ? px(src, yin, xin) : [0, 0]);
      }
    }
  });
});

describe('Augmenter', () => {
  const h = 8;
  const w = 8;
  const img = bytesOf(h * w, 11);

  it('is fixed by its seed and flips about half the images', () => {
    const run = (seed: number) => {
      const aug = new Augmenter({ flip: true, rotate: 0, crop: 0 }, h, w, 1, new Rng(seed));
      return Array.from({ length: 400 }, () => aug.apply(img).slice());
    };
    const a = run(1);
    expect(run(1)).toEqual(a);
    expect(run(2)).not.toEqual(a);
    const mirrored = new Uint8Array(img.length);
    flipHorizontal(img, h, w, 1, mirrored);
    const flips = a.filter((o) => o.every((v, i) => v === mirrored[i])).length;
    expect(a.every((o) => o.every((v, i) => v === img[i]) || o.every((v, i) => v === mirrored[i]))).toBe(true);
    expect(flips).toBeGreaterThan(160); // Binomial(400, 0.5): 200 ± 10
    expect(flips).toBeLessThan(240);
  });

  it('never changes its input and chains rotation and crop', () => {
    const copy = img.slice();
    const aug = new Augmenter({ flip: true, rotate: 10, crop: 2 }, h, w, 1, new Rng(3));
    const outs = Array.from({ length: 20 }, () => aug.apply(img).slice());
    expect([...img]).toEqual([...copy]);
    expect(outs.some((o) => o.some((v, i) => v !== img[i]))).toBe(true);
  });

  it('resolves true to the book augmentation and validates options', () => {
    expect(resolveAugmentation(true, 32, 32)).toEqual(BOOK_AUGMENTATION);
    expect(BOOK_AUGMENTATION).toEqual({ flip: true, rotate: 10, crop: 0 });
    expect(resolveAugmentation(false, 32, 32)).toBeNull();
    expect(resolveAugmentation({}, 32, 32)).toBeNull();
    expect(resolveAugmentation({ crop: 4 }, 32, 32)).toEqual({ flip: false, rotate: 0, crop: 4 });
    expect(() => resolveAugmentation({ rotate: -1 }, 32, 32)).toThrow(InvalidParameterError);
    expect(() => resolveAugmentation({ rotate: 200 }, 32, 32)).toThrow(/augment\.rotate/);
    expect(() => resolveAugmentation({ crop: 1.5 }, 32, 32)).toThrow(/augment\.crop/);
    expect(() => resolveAugmentation({ crop: 32 }, 32, 32)).toThrow(/augment\.crop/);
    expect(() => resolveAugmentation({ flip: 'yes' as unknown as boolean }, 32, 32)).toThrow(/augment\.flip/);
    expect(() => resolveAugmentation('book' as unknown as boolean, 32, 32)).toThrow(/augment/);
  });
});
