import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/expected.js';
import { LOCAL_DEFAULT_PASSWORD, parseConfig } from './index.js';

describe('parseConfig', () => {
  it('defaults to the local Neo4j on 127.0.0.1 when NEO4J_URI is unset', () => {
    const config = parseConfig({});
    expect(config.neo4j.uri).toBe('bolt://127.0.0.1:7687');
    expect(config.neo4j.password).toBe(LOCAL_DEFAULT_PASSWORD);
    expect(config.neo4j.local).toMatchObject({ port: 7687, heap: '1g', pageCache: '512m' });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 4000, corsOrigins: [] });
    expect(config.auth).toEqual({ jwtSecret: undefined, requireForReads: false });
  });

  it('is production unless told otherwise (no stack traces for a plain npm start), with every limit set', () => {
    const config = parseConfig({});
    expect(config.env).toBe('production');
    expect(config.limits).toMatchObject({
      acquisitionTimeoutMs: 2000,
      maxCost: 1_000_000,
      input: { filterDepth: 3, depth: 16, values: 500, listLength: 100, stringLength: 1000 },
    });
    expect(parseConfig({ NODE_ENV: 'development' }).env).toBe('development');
  });

  it('uses an existing database when NEO4J_URI is set, and never a local one', () => {
    const config = parseConfig({
      NEO4J_URI: 'neo4j+s://x.databases.neo4j.io',
      NEO4J_PASSWORD: 'secret-password',
    });
    expect(config.neo4j.local).toBeUndefined();
    expect(config.neo4j.uri).toBe('neo4j+s://x.databases.neo4j.io');
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ NEO4J_URI: '', PORT: '' }).neo4j.local).toBeDefined();
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      parseConfig({
        NEO4J_URI: 'http://x',
        PORT: 'eighty',
        NEO4J_LOCAL_HEAP: 'lots',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^NEO4J_URI: /m);
    expect(problems).toMatch(/^PORT: /m);
    expect(problems).toMatch(/^NEO4J_LOCAL_HEAP: .*512m or 2g/m);
    expect(problems).toMatch(/^LOG_LEVEL: /m);
  });

  it('parses the CORS allowlist and requires a secret when reads need a token', () => {
    expect(
      parseConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).http.corsOrigins,
    ).toEqual(['https://a.example', 'https://b.example']);
    expect(() => parseConfig({ AUTH_REQUIRE_FOR_READS: 'true' })).toThrow(
      /AUTH_JWT_SECRET: required/,
    );
  });

  it('requires a password for an existing database', () => {
    expect(() => parseConfig({ NEO4J_URI: 'bolt://db.example:7687' })).toThrow(
      /NEO4J_PASSWORD: required/,
    );
  });
});
