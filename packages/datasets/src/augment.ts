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

/** Mirrors an H×W×C image left-right into `out`. */
export function flipHorizontal(src: Uint8Array, height: number, width: number, channels: number, out: Uint8Array): void {
  const row = width * channels;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const to = y * row + x * channels;
      const from = y * row + (width - 1 - x) * channels;
      for (let c = 0; c < channels; c++) out[to + c] = src[from + c];
    }
  }
}

/**
 * Rotates an H×W×C image by `degrees` (counter-clockwise) into `out`, exactly as Pillow's
 * Image.rotate(degrees, NEAREST, fillcolor=0): its matrix (cos/sin rounded to 15 decimals,
 * centre (W/2, H/2)), its exact-multiple-of-90° transposes, and its 16.16 fixed-point nearest
 * sampler (affine_fixed in libImaging/Geometry.c).
 */
export function rotateNearest(src: Uint8Array, height: number, width: number, channels: number, degrees: number, out: Uint8Array): void {
  let angle = degrees % 360; // Python's float modulo: result in [0, 360)
  if (angle < 0) angle += 360;
  const at = (y: number, x: number) => (y * width + x) * channels;
  const copyPixel = (to: number, from: number) => {
    for (let c = 0; c < channels; c++) out[to + c] = src[from + c];
  };
  const remap = (from: (y: number, x: number) => number) => {
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) copyPixel(at(y, x), from(y, x));
  };
  if (angle === 0) return void out.set(src.subarray(0, height * width * channels));
  if (angle === 180) return remap((y, x) => at(height - 1 - y, width - 1 - x));
  if (angle === 90 && width === height) return remap((y, x) => at(x, width - 1 - y));
  if (angle === 270 && width === height) return remap((y, x) => at(height - 1 - x, y));

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
  if (m1 === 0 && m3 === 0) return void out.set(src.subarray(0, height * width * channels)); // Pillow's scaling path, here the identity

  const fix = (v: number) => Math.floor(v * 65536 + 0.5);
  const a0 = fix(m0);
  const a1 = fix(m1);
  const a3 = fix(m3);
  const a4 = fix(m4);
  let a2 = fix(m2 + m0 * 0.5 + m1 * 0.5);
  let a5 = fix(m5 + m3 * 0.5 + m4 * 0.5);
  for (let y = 0; y < height; y++) {
    let xx = a2;
    let yy = a5;
    for (let x = 0; x < width; x++) {
      const xin = Math.floor(xx / 65536);
      const yin = Math.floor(yy / 65536);
      const to = at(y, x);
      if (xin >= 0 && xin < width && yin >= 0 && yin < height) copyPixel(to, at(yin, xin));
      else for (let c = 0; c < channels; c++) out[to + c] = 0;
      xx += a0;
      yy += a3;
    }
    a2 += a1;
    a5 += a4;
  }
}

/** Cuts the H×W window at (top, left) of the image zero-padded by `padding` on every side into `out`. */
export function cropPadded(src: Uint8Array, height: number, width: number, channels: number, padding: number, top: number, left: number, out: Uint8Array): void {
  for (let y = 0; y < height; y++) {
    const yin = y + top - padding;
    for (let x = 0; x < width; x++) {
      const xin = x + left - padding;
      const to = (y * width + x) * channels;
      if (yin >= 0 && yin < height && xin >= 0 && xin < width) {
        const from = (yin * width + xin) * channels;
        for (let c = 0; c < channels; c++) out[to + c] = src[from + c];
      } else for (let c = 0; c < channels; c++) out[to + c] = 0;
    }
  }
}

/**
 * Applies one {@link Augmentation} to image after image, drawing from `rng` in a fixed order per
 * image (flip coin, angle, crop top, crop left; only for the enabled steps), so a seed fixes the
 * result. The returned bytes live in a scratch buffer reused by the next call.
 */
export class Augmenter {
  private readonly a: Uint8Array;
  private readonly b: Uint8Array;
  constructor(
    private readonly spec: Required<Augmentation>,
    private readonly height: number,
    private readonly width: number,
    private readonly channels: number,
    private readonly rng: Rng,
  ) {
    this.a = new Uint8Array(height * width * channels);
    this.b = new Uint8Array(height * width * channels);
  }

  apply(image: Uint8Array): Uint8Array {
    const { height: h, width: w, channels: c, rng, spec } = this;
    let current = image;
    let spare = this.a;
    const swap = () => {
      const done = spare;
      spare = done === this.a ? this.b : this.a;
      current = done;
    };
    if (spec.flip && rng.next() < 0.5) {
      flipHorizontal(current, h, w, c, spare);
      swap();
    }
    if (spec.rotate > 0) {
      rotateNearest(current, h, w, c, -spec.rotate + 2 * spec.rotate * rng.next(), spare);
      swap();
    }
    if (spec.crop > 0) {
      const top = rng.int(2 * spec.crop + 1);
      const left = rng.int(2 * spec.crop + 1);
      cropPadded(current, h, w, c, spec.crop, top, left, spare);
      swap();
    }
    return current;
  }
}
