/**
 * The explorer at `/explore`, the country view at `/explore/country/<code>` and the money flows
 * at `/explore/flows`: one page and
 * one script (src/explore/main.ts and its views, with Cytoscape.js, Chart.js and d3-sankey) bundled by esbuild
 * from the installed packages — no CDN, so it works offline. `npm run build` writes the bundle
 * next to the compiled server (dist/assets/explore.js), which serves it as built; a server run
 * from TypeScript (`npm run dev`, the tests) bundles it when it starts, so it is never stale.
 * The page reads the public GraphQL API like any dashboard.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import { projectRoot } from '../config/index.js';

const pageDir = path.join(projectRoot, 'public/explore');

/** Where `npm run build` puts the bundle (scripts/build-explorer.ts). */
export const BUILT_BUNDLE = path.join(projectRoot, 'dist/assets/explore.js');

/** True when this module runs compiled (dist/), not from its TypeScript source. */
const compiled = import.meta.url.endsWith('.js');

let bundled: Promise<string> | undefined;

/** The browser bundle of src/explore/main.ts (minified, one file), once per process. */
export function bundleExplorer(): Promise<string> {
  bundled ??= compiled ? readBuilt() : buildBundle();
  return bundled;
}

function readBuilt(): Promise<string> {
  if (!existsSync(BUILT_BUNDLE)) {
    return Promise.reject(
      new Error(`${BUILT_BUNDLE} is missing: run npm run build (it bundles the explorer)`),
    );
  }
  return Promise.resolve(readFileSync(BUILT_BUNDLE, 'utf8'));
}

/** Bundles the explorer with esbuild (a build-time tool: imported only when it is needed). */
export async function buildBundle(): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [path.join(projectRoot, 'src/explore/main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error('esbuild produced no explorer bundle');
  return file.text;
}

export function exploreRouter(bundle: string): Router {
  const router = express.Router();
  const page = path.join(pageDir, 'index.html');
  router.get('/assets/explore.js', (_req, res) => {
    res.type('application/javascript').set('cache-control', 'no-cache').send(bundle);
  });
  router.use('/assets', express.static(pageDir, { index: false }));
  router.get(['/', '/country/:code', '/flows'], (_req, res) => {
    res.sendFile(page);
  });
  return router;
}
