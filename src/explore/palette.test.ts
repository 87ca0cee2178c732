import { describe, expect, it } from 'vitest';
import { funderColours, OTHERS, PALETTE, preferredColour } from './palette.js';

/** sRGB hex → CIELAB (D65). */
function lab(hex: string): [number, number, number] {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return xyzToLab(
    0.4124 * r + 0.3576 * g + 0.1805 * b,
    0.2126 * r + 0.7152 * g + 0.0722 * b,
    0.0193 * r + 0.1192 * g + 0.9505 * b,
  );
}

function xyzToLab(x: number, y: number, z: number): [number, number, number] {
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 / 116) * t + 16 / 116);
  const [fx, fy, fz] = [f(x / 0.95047), f(y / 1), f(z / 1.08883)];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** Dichromat simulation in linear RGB (Viénot, Brettel & Mollon 1999). */
const DICHROMACY = {
  protanopia: [
    [0.11238, 0.88762, 0],
    [0.11238, 0.88762, 0],
    [0.00401, -0.00401, 1],
  ],
  deuteranopia: [
    [0.29275, 0.70725, 0],
    [0.29275, 0.70725, 0],
    [-0.02234, 0.02234, 1],
  ],
} as const;

function simulate(hex: string, m: readonly (readonly number[])[]): string {
  const lin = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const out = m.map((row) => row.reduce((s, v, j) => s + v * (lin[j] ?? 0), 0));
  const enc = (c: number) => {
    const v = Math.min(1, Math.max(0, c));
    const s = v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
    return Math.round(s * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${out.map(enc).join('')}`;
}

const deltaE = (a: string, b: string) => {
  const [x, y] = [lab(a), lab(b)];
  return Math.hypot(x[0] - y[0], x[1] - y[1], x[2] - y[2]);
};

describe('funder palette', () => {
  it('keeps every pair of colours apart, for normal vision and the common dichromacies', () => {
    const views: Record<string, (hex: string) => string> = {
      normal: (h) => h,
      protanopia: (h) => simulate(h, DICHROMACY.protanopia),
      deuteranopia: (h) => simulate(h, DICHROMACY.deuteranopia),
    };
    for (const [vision, see] of Object.entries(views)) {
      const all = [...PALETTE, OTHERS];
      for (let i = 0; i < all.length; i++) {
        for (let j = i + 1; j < all.length; j++) {
          const [a, b] = [all[i] ?? '', all[j] ?? ''];
          // ΔE*ab ≥ 10: clearly different side by side (2.3 is just noticeable).
          expect(deltaE(see(a), see(b)), `${vision}: ${a} vs ${b}`).toBeGreaterThanOrEqual(10);
        }
      }
    }
  });

  it('gives the funders of a chart different colours, and the same funder the same colour', () => {
    const keys = ['minbuza', 'eu-echo', 'unicef', 'novib', 'cordaid', 'plan', 'tdh'];
    const one = funderColours(keys);
    expect(new Set(one.values()).size).toBe(keys.length);
    // Another view lists them in another order: the same colours.
    expect(funderColours([...keys].reverse())).toEqual(one);
    // A funder alone takes its own colour.
    for (const key of keys) expect(funderColours([key]).get(key)).toBe(preferredColour(key));
  });

  it('colours the first funders and leaves the rest to "other funders"', () => {
    const keys = Array.from({ length: 12 }, (_, i) => `funder-${i}`);
    const colours = funderColours(keys);
    expect([...colours.keys()].sort()).toEqual(keys.slice(0, PALETTE.length).sort());
    expect(new Set(colours.values()).size).toBe(PALETTE.length);
    expect([...colours.values()]).not.toContain(OTHERS);
  });
});
