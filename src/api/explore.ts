/**
 * The explorer at `/explore` and the country view at `/explore/country/<code>`: one page and
 * one script (src/explore/main.ts, with Cytoscape.js, fcose and Chart.js), bundled by esbuild
 * from the installed packages when the server starts — no CDN, so it works offline, and no
 * built file to go stale. The page reads the public GraphQL API like any dashboard.
 */
import path from 'node:path';
import { build } from 'esbuild';
import express, { type Router } from 'express';
import { projectRoot } from '../config/index.js';

const pageDir = path.join(projectRoot, 'public/explore');

let bundled: Promise<string> | undefined;

/** The browser bundle of src/explore/main.ts (minified, one file), built once per process. */
export function bundleExplorer(): Promise<string> {
  bundled ??= buildBundle();
  return bundled;
}

async function buildBundle(): Promise<string> {
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
  router.get(['/', '/country/:code'], (_req, res) => {
    res.sendFile(page);
  });
  return router;
}
