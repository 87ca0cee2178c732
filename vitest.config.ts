import { defineConfig } from 'vitest/config';

/*
 * Three tiers, run together by `npm test` and alone by `npm run test:<tier>`:
 *   unit         pure functions beside the code (src/ and scripts/ *.test.ts): no Neo4j, no Java, no browser
 *   integration  test/integration/*.int.test.ts against a real local Neo4j
 *   browser      test/browser/*.browser.test.ts: the playground in Debian's headless Chromium
 *   reliability  test/reliability/*.rel.test.ts: attacks, fuzz, Neo4j restarts, killed imports
 *                and load (`npm run test:reliability`, run by .ci/run after `npm test`)
 *
 * The integration and browser tiers never touch the database you work with: they get their own
 * local Neo4j (own folder, own port), which test/global-setup.ts starts or reuses, and each
 * test file cleans it first. TEST_NEO4J_URI (+ TEST_NEO4J_PASSWORD) points them at another
 * database instead; its data will be deleted.
 */
Object.assign(process.env, {
  NODE_ENV: 'test',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  NEO4J_URI: process.env.TEST_NEO4J_URI ?? '',
  NEO4J_PASSWORD: process.env.TEST_NEO4J_PASSWORD ?? '',
  NEO4J_LOCAL_DIR: process.env.TEST_NEO4J_LOCAL_DIR ?? '.neo4j/test',
  NEO4J_LOCAL_PORT: process.env.TEST_NEO4J_LOCAL_PORT ?? '7688',
});

/** The tiers that need the tests' Neo4j: one database, so their files run one after another. */
const withDatabase = {
  globalSetup: ['test/global-setup.ts'],
  fileParallelism: false,
  testTimeout: 30_000,
  hookTimeout: 300_000,
};

export default defineConfig({
  test: {
    // Integration and browser files share one database: never two files at once.
    fileParallelism: false,
    // In CI also write a JSON report; .ci/run prints its totals as a plain closing line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.int.test.ts'],
          ...withDatabase,
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['test/browser/**/*.browser.test.ts'], ...withDatabase },
      },
      {
        extends: true,
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.rel.test.ts'],
          ...withDatabase,
          testTimeout: 180_000,
        },
      },
    ],
  },
});
