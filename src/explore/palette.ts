/**
 * Colours that tell funders apart, for every reader: the Okabe–Ito palette (Okabe & Ito,
 * "Color Universal Design", 2008), made to stay distinct with the common colour-vision
 * deficiencies. A funder keeps its colour across views and charts: its colour is chosen from
 * its key (a stable hash), moving to the next free colour only when another funder of the same
 * chart took it first (funders taken in key order, so the choice does not depend on the order
 * a view lists them). A chart shows at most PALETTE.length funders in colour; the others are
 * drawn together, in grey, as "other funders".
 */

/** Okabe–Ito, without its black (kept for text and outlines). */
export const PALETTE = [
  '#E69F00', // orange
  '#56B4E9', // sky blue
  '#009E73', // bluish green
  '#F0E442', // yellow
  '#0072B2', // blue
  '#D55E00', // vermilion
  '#CC79A7', // reddish purple
] as const;

/** The colour of "other funders" (and of anything without a funder). */
export const OTHERS = '#BBBBBB';

/** FNV-1a, 32 bits: a stable, well-spread hash of a key. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The colour a funder takes when no other funder of the chart has taken it. */
export const preferredColour = (key: string): string =>
  PALETTE[hash(key) % PALETTE.length] ?? OTHERS;

/**
 * Colours for the funders of one chart, by key: `keys` in order of importance (the first
 * PALETTE.length get colours, the rest are others, absent from the map).
 */
export function funderColours(keys: readonly string[]): Map<string, string> {
  const shown = [...new Set(keys)].slice(0, PALETTE.length).sort();
  const taken = new Set<number>();
  const colours = new Map<string, string>();
  for (const key of shown) {
    let i = hash(key) % PALETTE.length;
    while (taken.has(i)) i = (i + 1) % PALETTE.length;
    taken.add(i);
    colours.set(key, PALETTE[i] ?? OTHERS);
  }
  return colours;
}
