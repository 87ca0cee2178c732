/**
 * `npm run build`'s second step (after tsc): the explorer's browser bundle, written where the
 * compiled server reads it (dist/assets/explore.js, see src/api/explore.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BUILT_BUNDLE, buildBundle } from '../src/api/explore.js';
import { projectRoot } from '../src/config/index.js';

const target = BUILT_BUNDLE;
mkdirSync(path.dirname(target), { recursive: true });
const bundle = await buildBundle();
writeFileSync(target, bundle);
console.log(
  `explorer bundle: ${path.relative(projectRoot, target)} (${Math.round(bundle.length / 1024)} KB)`,
);
