/**
 * Deterministic pseudo-randomness: the same parts always give the same number. The simulated
 * market draws every "random" choice from these, which is what makes it repeatable.
 */

/** 32-bit FNV-1a of the parts, then a final avalanche (murmur3 fmix32). */
export function hash32(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  const text = parts.join("\u241f");
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in [0, 1). */
export function unit(...parts: (string | number)[]): number {
  return hash32(...parts) / 4294967296;
}

/** Uniform in [min, max). */
export function between(min: number, max: number, ...parts: (string | number)[]): number {
  return min + (max - min) * unit(...parts);
}

/** Smooth noise in [-1, 1] over a continuous coordinate: cosine interpolation of per-integer values. */
export function smoothNoise(x: number, ...parts: (string | number)[]): number {
  const i = Math.floor(x);
  const f = x - i;
  const a = unit(...parts, i) * 2 - 1;
  const b = unit(...parts, i + 1) * 2 - 1;
  const t = (1 - Math.cos(f * Math.PI)) / 2;
  return a * (1 - t) + b * t;
}
