import { defineConfig } from 'vitest/config';

/*
 * Tests never touch the database you work with: they get their own local Neo4j (own folder,
 * own port), which test/global-setup.ts starts or reuses, and each test file cleans it first.
 * TEST_NEO4J_URI (+ TEST_NEO4J_PASSWORD) points the tests at another database instead; its
 * data will be deleted.
 */
Object.assign(process.env, {
  NODE_ENV: 'test',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  NEO4J_URI: process.env.TEST_NEO4J_URI ?? '',
  NEO4J_PASSWORD: process.env.TEST_NEO4J_PASSWORD ?? '',
  NEO4J_LOCAL_DIR: process.env.TEST_NEO4J_LOCAL_DIR ?? '.neo4j/test',
  NEO4J_LOCAL_PORT: process.env.TEST_NEO4J_LOCAL_PORT ?? '7688',
});

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // One database for all files: files run one after another, each starting from a clean one.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 300_000,
    // In CI also write a JSON report; .ci/run prints its totals as a plain closing line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
