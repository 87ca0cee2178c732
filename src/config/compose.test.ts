/**
 * docker-compose.yml and the configuration agree: the API service is given every variable the
 * app reads, and where the compose file falls back to a default (`${VAR:-default}`) it is the
 * app's own, so `docker compose up` behaves as `npm start` does.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_VARIABLES, parseConfig, projectRoot } from './index.js';

interface Compose {
  services: Record<string, { environment?: Record<string, string | number | boolean> }>;
}
const compose = parse(
  readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8'),
) as Compose;
const apiEnv = compose.services.api?.environment ?? {};
const neo4jEnv = compose.services.neo4j?.environment ?? {};

/** Variables of the project's own local Neo4j (`npm run db:start`), which compose replaces. */
const LOCAL_ONLY = new Set(['NEO4J_LOCAL_DIR', 'NEO4J_LOCAL_PORT', 'NEO4J_LOCAL_START_TIMEOUT_S']);
/** Given to the Neo4j container under its own names. */
const FOR_NEO4J = new Set(['NEO4J_LOCAL_HEAP', 'NEO4J_LOCAL_PAGECACHE']);

/** `${NAME:-default}` references in a compose value. */
const fallbacks = (value: unknown) =>
  [...String(value).matchAll(/\$\{(\w+):-([^}]*)\}/g)].map(([, name, fallback]) => ({
    name: name ?? '',
    fallback: fallback ?? '',
  }));

describe('docker-compose.yml', () => {
  it('gives the API every variable the app reads', () => {
    const missing = ENV_VARIABLES.filter(
      (v) => !LOCAL_ONLY.has(v) && !FOR_NEO4J.has(v) && !(v in apiEnv),
    );
    expect(missing).toEqual([]);
  });

  it("falls back to the app's own default for every variable it forwards", () => {
    const all = [...Object.values(apiEnv), ...Object.values(neo4jEnv)].flatMap(fallbacks);
    const known = all.filter((f) => (ENV_VARIABLES as string[]).includes(f.name));
    expect(known.map((f) => f.name)).toEqual(
      expect.arrayContaining(['LIMIT_MAX_COST', 'LOG_LEVEL', 'NEO4J_PASSWORD']),
    );
    // Compared as the app sees them: the whole configuration, with and without the fallback.
    const app = JSON.stringify(parseConfig({}));
    const differing = known.filter(
      ({ name, fallback }) => JSON.stringify(parseConfig({ [name]: fallback })) !== app,
    );
    expect(differing).toEqual([]);
  });
});
