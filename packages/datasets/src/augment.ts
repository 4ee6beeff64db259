import { type Rng, InvalidParameterError, checkNumber } from '@descent/tensor';

/**
 * Train-time augmentation, applied per image to the bytes before normalisation, in this order:
 * flip, rotate, crop. Each matches the torchvision transform of the same job on a PIL image.
 */
export interface Augmentation {
  /** Mirror left-right with probability 0.5 (RandomHorizontalFlip()). */
  flip?: boolean;
  /**
   * Rotate by an angle drawn uniformly from [-rotate, rotate] degrees, counter-clockwise positive,
   * about the image centre, nearest neighbour, uncovered pixels 0 (RandomRotation(rotate), which
   * calls PIL's Image.rotate; reproduced pixel for pixel). 0 turns it off.
   */
  rotate?: number;
  /** Zero-pad by this many pixels on every side and cut a random H×W window (RandomCrop(H, padding=crop)). 0 turns it off. */
  crop?: number;
}

/** The book's CIFAR-100 training augmentation: RandomHorizontalFlip, RandomRotation(10). */
export const BOOK_AUGMENTATION: Readonly<Required<Augmentation>> = Object.freeze({ flip: true, rotate: 10, crop: 0 });

/** `true` means {@link BOOK_AUGMENTATION}; returns null when nothing is to be done. */
export function resolveAugmentation(value: boolean | Augmentation | undefined, height: number, width: number): Required<Augmentation> | null {
  if (value === undefined || value === false) return null;
  if (value === true) return { ...BOOK_AUGMENTATION };
  if (typeof value !== 'object' || value === null) throw new InvalidParameterError('augment', value, 'true, false, or { flip?, rotate?, crop? }');
  const flip = value.flip ?? false;
  if (typeof flip !== 'boolean') throw new InvalidParameterError('augment.flip', flip, 'true or false');
  const rotate = checkNumber('augment.rotate', value.rotate ?? 0, { min: 0, max: 180 });
  const crop = checkNumber('augment.crop', value.crop ?? 0, { min: 0, max: Math.min(height, width) - 1, integer: true });
  return flip || rotate > 0 || crop > 0 ? { flip, rotate, crop } : null;
}

// Every step is a pixel remap: output pixel p takes input pixel map[p], or 0 where map[p] is -1.
// Steps compose as maps, so an augmented image costs one gather whatever the steps.

/** out pixel p = src pixel map[p] (all channels), or 0 where map[p] < 0. */
export function gather(src: Uint8Array, channels: number, map: Int32Array, out: Uint8Array): void {
  const n = map.length;
  if (channels === 1) {
    for (let p = 0; p < n; p++) out[p] = map[p] < 0 ? 0 : src[map[p]];
  } else if (channels === 3) {
    for (let p = 0, o = 0; p < n; p++, o += 3) {
      const q = map[p] * 3;
      if (q < 0) {
        out[o] = 0;
        out[o + 1] = 0;
        out[o + 2] = 0;
      } else {
        out[o] = src[q];
        out[o + 1] = src[q + 1];
        out[o + 2] = src[q + 2];
      }
    }
  } else {
    for (let p = 0, o = 0; p < n; p++) {
      const q = map[p] * channels;
      for (let k = 0; k < channels; k++, o++) out[o] = q < 0 ? 0 : src[q + k];
    }
  }
}

/** The map of a left-right mirror. */
export function flipMap(height: number, width: number, map: Int32Array = new Int32Array(height * width)): Int32Array {
  for (let y = 0, p = 0; y < height; y++) for (let x = 0; x < width; x++, p++) map[p] = y * width + (width - 1 - x);
  return map;
}

/** The map of the H×W window at (top, left) of the image zero-padded by `padding` on every side. */
export function cropMap(height: number, width: number, padding: number, top: number, left: number, map: Int32Array = new Int32Array(height * width)): Int32Array {
  for (let y = 0, p = 0; y < height; y++) {
    const yin = y + top - padding;
    for (let x = 0; x < width; x++, p++) {
      const xin = x + left - padding;
      map[p] = yin >= 0 && yin < height && xin >= 0 && xin < width ? yin * width + xin : -1;
    }
  }
  return map;
}

/**
 * The map of a rotation by `degrees` (counter-clockwise), exactly as Pillow's
 * Image.rotate(degrees, NEAREST, fillcolor=0) samples: its matrix (cos/sin rounded to 15
 * decimals, centre (W/2, H/2)), its exact-multiple-of-90° transposes, and its 16.16 fixed-point
 * nearest sampler (affine_fixed in libImaging/Geometry.c).
 */
export function rotationMap(height: number, width: number, degrees: number, map: Int32Array = new Int32Array(height * width)): Int32Array {
  let angle = degrees % 360; // Python's float modulo: result in [0, 360)
  if (angle < 0) angle += 360;
  const remap = (from: (y: number, x: number) => number) => {
    for (let y = 0, p = 0; y < height; y++) for (let x = 0; x < width; x++, p++) map[p] = from(y, x);
    return map;
  };
  const identity = () => remap((y, x) => y * width + x);
  if (angle === 0) return identity();
  if (angle === 180) return remap((y, x) => (height - 1 - y) * width + (width - 1 - x));
  if (angle === 90 && width === height) return remap((y, x) => x * width + (width - 1 - y));
  if (angle === 270 && width === height) return remap((y, x) => (height - 1 - x) * width + y);

  const rad = -(angle * (Math.PI / 180));
  const round15 = (v: number) => Number(v.toFixed(15)); // = Python round(v, 15): a tie is impossible for a double
  const m0 = round15(Math.cos(rad));
  const m1 = round15(Math.sin(rad));
  const m3 = round15(-Math.sin(rad));
  const m4 = round15(Math.cos(rad));
  const cx = width / 2;
  const cy = height / 2;
  const m2 = m0 * -cx + m1 * -cy + 0 + cx;
  const m5 = m3 * -cx + m4 * -cy + 0 + cy;
  if (m1 === 0 && m3 === 0) return identity(); // Pillow's scaling path, here the identity

  const fix = (v: number) => Math.floor(v * 65536 + 0.5);
  const a0 = fix(m0);
  const a1 = fix(m1);
  const a3 = fix(m3);
  const a4 = fix(m4);
  let a2 = fix(m2 + m0 * 0.5 + m1 * 0.5);
  let a5 = fix(m5 + m3 * 0.5 + m4 * 0.5);
  for (let y = 0, p = 0; y < height; y++) {
    let xx = a2;
    let yy = a5;
    for (let x = 0; x < width; x++, p++) {
      const xin = Math.floor(xx / 65536);
      const yin = Math.floor(yy / 65536);
      map[p] = xin >= 0 && xin < width && yin >= 0 && yin < height ? yin * width + xin : -1;
      xx += a0;
      yy += a3;
    }
    a2 += a1;
    a5 += a4;
  }
  return map;
}

/** Mirrors an H×W×C image left-right into `out`. */
export function flipHorizontal(src: Uint8Array, height: number, width: number, channels: number, out: Uint8Array): void {
  gather(src, channels, flipMap(height, width), out);
}

/** Rotates an H×W×C image by `degrees` into `out`, pixel for pixel as Pillow does; see {@link rotationMap}. */
export function rotateNearest(src: Uint8Array, height: number, width: number, channels: number, degrees: number, out: Uint8Array): void {
  gather(src, channels, rotationMap(height, width, degrees), out);
}

/** Cuts the H×W window at (top, left) of the image zero-padded by `padding` into `out`. */
export function cropPadded(src: Uint8Array, height: number, width: number, channels: number, padding: number, top: number, left: number, out: Uint8Array): void {
  gather(src, channels, cropMap(height, width, padding, top, left), out);
}

/**
 * Applies one {@link Augmentation} to image after image, drawing from `rng` in a fixed order per
 * image (flip coin, angle, crop top, crop left; only for the enabled steps), so a seed fixes the
 * result. The returned bytes live in a scratch buffer reused by the next call.
 */
export class Augmenter {
  private readonly out: Uint8Array;
  private readonly map: Int32Array;
  private readonly step: Int32Array;
  private readonly flipped: Int32Array;
  constructor(
    private readonly spec: Required<Augmentation>,
    private readonly height: number,
    private readonly width: number,
    private readonly channels: number,
    private readonly rng: Rng,
  ) {
    this.out = new Uint8Array(height * width * channels);
    this.map = new Int32Array(height * width);
    this.step = new Int32Array(height * width);
    this.flipped = flipMap(height, width);
  }

  apply(image: Uint8Array): Uint8Array {
    const { height: h, width: w, rng, spec, map, step } = this;
    // map: output pixel → input pixel, built from the last step back to the first.
    for (let p = 0; p < map.length; p++) map[p] = p;
    const flip = spec.flip && rng.next() < 0.5;
    const angle = spec.rotate > 0 ? -spec.rotate + 2 * spec.rotate * rng.next() : 0;
    if (spec.crop > 0) {
      const top = rng.int(2 * spec.crop + 1);
      const left = rng.int(2 * spec.crop + 1);
      compose(map, cropMap(h, w, spec.crop, top, left, step));
    }
    if (spec.rotate > 0) compose(map, rotationMap(h, w, angle, step));
    if (flip) compose(map, this.flipped);
    gather(image, this.channels, map, this.out);
    return this.out;
  }
}

/** map ← inner ∘ map: each output pixel follows map, then `inner` one step further back (−1 stays −1). */
function compose(map: Int32Array, inner: Int32Array): void {
  for (let p = 0; p < map.length; p++) if (map[p] >= 0) map[p] = inner[map[p]];
}
