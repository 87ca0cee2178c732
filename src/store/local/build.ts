import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { LocalNeo4jError } from '../../errors/expected.js';
import { buildStamp, libDir, mavenProject, pluginsDir } from './paths.js';

const ALTERNATIVES =
  'Alternatives: run `docker compose up` (see docker-compose.yml), or set NEO4J_URI (and ' +
  'NEO4J_PASSWORD) to an existing Neo4j 5.23+ with APOC core, e.g. Aura.';

/** Fails with a clear message when Java 17+ is missing. */
export function requireJava(): void {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) {
    throw new LocalNeo4jError(
      'JAVA_MISSING',
      `Java 17 or newer is needed to run the local Neo4j, and \`java\` was not found. ${ALTERNATIVES}`,
    );
  }
  const major = /version "(\d+)/.exec(java.stderr)?.[1];
  if (major !== undefined && Number(major) < 17) {
    throw new LocalNeo4jError(
      'JAVA_MISSING',
      `Neo4j 5 needs Java 17 or newer; \`java -version\` says ${major}. ${ALTERNATIVES}`,
    );
  }
}

/** Fails with a clear message when Java 17+ or Maven is missing. */
export function requireJavaAndMaven(): void {
  requireJava();
  const mvn = spawnSync('mvn', ['--version'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) {
    throw new LocalNeo4jError(
      'MAVEN_MISSING',
      `Maven is needed to fetch the local Neo4j, and \`mvn\` was not found. ${ALTERNATIVES}`,
    );
  }
}

function inputsHash(): string {
  const hash = createHash('sha256');
  for (const file of ['pom.xml', 'src/main/java/org/fundinggraph/localneo4j/LocalNeo4j.java']) {
    hash.update(readFileSync(path.join(mavenProject, file)));
  }
  return hash.digest('hex');
}

/** True when neo4j/target holds a build of the current pom.xml and launcher. */
function isBuilt(): boolean {
  return (
    existsSync(libDir) &&
    existsSync(pluginsDir) &&
    existsSync(buildStamp) &&
    readFileSync(buildStamp, 'utf8') === inputsHash()
  );
}

/**
 * Resolves Neo4j and APOC with Maven and compiles the launcher, unless already done. The first
 * run downloads about 150 MB (Neo4j, APOC and Maven's plugins); progress is reported every 3 s.
 */
export async function ensureBuilt(report: (line: string) => void): Promise<void> {
  if (isBuilt()) return;
  requireJavaAndMaven();
  report('Building the local Neo4j with Maven (the first run downloads about 150 MB)…');
  const started = Date.now();
  const mvn = spawn('mvn', ['-B', '-f', path.join(mavenProject, 'pom.xml'), 'package'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  let downloads = 0;
  let kilobytes = 0;
  let lastReport = Date.now();
  for await (const line of createInterface({ input: mvn.stdout })) {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    const done = /Downloaded from [^:]+: \S+ \(([\d.]+) (kB|MB|B)\b/.exec(line);
    if (!done) continue;
    downloads += 1;
    const size = Number(done[1]);
    kilobytes += done[2] === 'MB' ? size * 1024 : done[2] === 'kB' ? size : size / 1024;
    if (Date.now() - lastReport > 3000) {
      lastReport = Date.now();
      report(`  downloaded ${downloads} files (${(kilobytes / 1024).toFixed(0)} MB)…`);
    }
  }
  const code = await new Promise<number | null>((resolve) => mvn.on('close', resolve));
  if (code !== 0) {
    throw new LocalNeo4jError(
      'BUILD_FAILED',
      `Maven could not build the local Neo4j (exit ${code}). Last lines:\n${tail.join('\n')}\n${ALTERNATIVES}`,
    );
  }
  writeFileSync(buildStamp, inputsHash());
  report(
    `Local Neo4j built in ${((Date.now() - started) / 1000).toFixed(1)} s (${downloads} files downloaded).`,
  );
}
