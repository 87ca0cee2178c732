/**
 * The analysts' playground at `/`: GraphiQL 4 (its prebuilt browser bundle) with React 18,
 * served from node_modules by this server — no CDN, so it works offline — and opening with the
 * saved questions of queries/ as example tabs, the headline question first and ready to run.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Router } from 'express';
import { projectRoot } from '../config/index.js';
import { HEADLINE_QUESTION, loadSavedQueries } from './saved-queries.js';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

/** Browser bundles by the name the page asks for. */
const ASSETS: Record<string, string> = {
  'graphiql.min.js': path.join(packageDir('graphiql'), 'dist/index.umd.js'),
  'graphiql.min.css': path.join(packageDir('graphiql'), 'dist/style.css'),
  'react.production.min.js': path.join(packageDir('react'), 'umd/react.production.min.js'),
  'react-dom.production.min.js': path.join(
    packageDir('react-dom'),
    'umd/react-dom.production.min.js',
  ),
};

const pageDir = path.join(projectRoot, 'public/playground');

export function playgroundRouter(): Router {
  const router = express.Router();
  const saved = loadSavedQueries();
  // The headline question first: the playground opens on it, ready to run.
  const ordered = [
    ...saved.filter((q) => q.name === HEADLINE_QUESTION),
    ...saved.filter((q) => q.name !== HEADLINE_QUESTION),
  ];
  const tabs = ordered.map((q) => ({
    name: q.name,
    query: q.document,
    variables: q.variables === undefined ? undefined : JSON.stringify(q.variables, null, 2),
  }));
  router.get('/', (_req, res) => {
    res.sendFile(path.join(pageDir, 'index.html'));
  });
  router.get('/playground/tabs.json', (_req, res) => {
    res.json(tabs);
  });
  router.get('/playground/:file', (req, res, next) => {
    const asset = ASSETS[req.params.file];
    if (asset) res.sendFile(asset, { maxAge: '1d' });
    else next();
  });
  router.use('/playground', express.static(pageDir));
  return router;
}
