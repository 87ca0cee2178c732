/**
 * The project's own Neo4j: Neo4j Community embedded with Bolt on 127.0.0.1 and APOC core,
 * run as a detached JVM (see neo4j/). Start is idempotent; stop is a clean SIGTERM shutdown.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import neo4j from 'neo4j-driver';
import type { LocalNeo4jConfig } from '../../config/index.js';
import { ensureBuilt, requireJava } from './build.js';
import { LocalNeo4jError } from '../../errors/expected.js';
import { classesDir, instancePaths, libDir, pluginsDir } from './paths.js';

export interface Credentials {
  username: string;
  password: string;
}

export interface LocalNeo4jStatus {
  running: boolean;
  pid: number | undefined;
  uri: string;
  dir: string;
  /** Present when Bolt answers with the configured credentials. */
  neo4jVersion?: string;
  edition?: string;
  apocVersion?: string;
  /** Resident memory of the JVM, from /proc. */
  rssMb?: number;
  /** Bolt answers but refuses the configured password. */
  unauthorized?: boolean;
}

const uriOf = (cfg: LocalNeo4jConfig) => `bolt://127.0.0.1:${cfg.port}`;

function readPid(cfg: LocalNeo4jConfig): number | undefined {
  const file = instancePaths(cfg.dir).pid;
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * True when `pid` is alive and is our launcher — not another process that got the number of
 * a JVM that died without removing its pid file (after a crash or a reboot).
 */
function isLocalNeo4j(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(
      'org.fundinggraph.localneo4j.LocalNeo4j',
    );
  } catch {
    return true; // no /proc to ask: trust the pid file
  }
}

function rssMb(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

const UNAUTHORIZED = 'Neo.ClientError.Security.Unauthorized';

/**
 * Asks Bolt for the server's version and APOC's; undefined while it does not answer, and
 * `'unauthorized'` when it answers but refuses the configured password.
 */
async function probe(uri: string, creds: Credentials) {
  const driver = neo4j.driver(uri, neo4j.auth.basic(creds.username, creds.password), {
    connectionTimeout: 2000,
    maxTransactionRetryTime: 0,
  });
  try {
    const { records } = await driver.executeQuery(
      `CALL dbms.components() YIELD name, versions, edition
       RETURN versions[0] AS version, edition, apoc.version() AS apoc`,
      {},
      { database: 'system' },
    );
    const row = records[0];
    if (!row) return undefined;
    return {
      neo4jVersion: String(row.get('version')),
      edition: String(row.get('edition')),
      apocVersion: String(row.get('apoc')),
    };
  } catch (error) {
    return (error as { code?: unknown }).code === UNAUTHORIZED
      ? ('unauthorized' as const)
      : undefined;
  } finally {
    await driver.close();
  }
}

export async function statusOf(
  cfg: LocalNeo4jConfig,
  creds: Credentials,
): Promise<LocalNeo4jStatus> {
  const pid = readPid(cfg);
  const alive = pid !== undefined && isLocalNeo4j(pid);
  const base = { pid: alive ? pid : undefined, uri: uriOf(cfg), dir: cfg.dir };
  const answer = alive ? await probe(uriOf(cfg), creds) : undefined;
  if (answer === 'unauthorized') return { ...base, running: false, unauthorized: true };
  if (!alive || !answer) return { ...base, running: false };
  return { ...base, running: true, ...answer, rssMb: rssMb(pid) };
}

function configFile(cfg: LocalNeo4jConfig): string {
  return [
    '# Written by `npm run db:start` from the project configuration; edits are overwritten.',
    'server.bolt.enabled=true',
    `server.bolt.listen_address=127.0.0.1:${cfg.port}`,
    `server.bolt.advertised_address=127.0.0.1:${cfg.port}`,
    `server.memory.pagecache.size=${cfg.pageCache}`,
    `server.directories.plugins=${pluginsDir}`,
    'dbms.security.auth_enabled=true',
    // APOC's functions are what @neo4j/graphql needs; they run without sandboxing.
    'dbms.security.procedures.unrestricted=apoc.*',
    // A development database: keep transaction logs small.
    'db.tx_log.rotation.retention_policy=2 files',
    'dbms.usage_report.enabled=false',
    // Check transaction timeouts every 100 ms (default 2 s): a query ends near its timeout.
    'db.transaction.monitor.check.interval=100ms',
    '',
  ].join('\n');
}

function tailOf(file: string, lines = 25): string {
  if (!existsSync(file)) return '(no output)';
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => !/^\s+at /.test(l))
    .slice(-lines)
    .join('\n');
}

/**
 * Starts the local Neo4j unless it is already running, and returns once Bolt answers and APOC
 * is loaded. `report` receives progress lines (the Maven build on the first run).
 */
export async function startLocalNeo4j(
  cfg: LocalNeo4jConfig,
  creds: Credentials,
  report: (line: string) => void = () => {},
): Promise<{ alreadyRunning: boolean; status: LocalNeo4jStatus; startMs: number }> {
  const startedAt = Date.now();
  const before = await statusOf(cfg, creds);
  if (before.running) return { alreadyRunning: true, status: before, startMs: 0 };

  const files = instancePaths(cfg.dir);
  let pid = readPid(cfg);
  if (pid === undefined || !isLocalNeo4j(pid)) {
    await ensureBuilt(report);
    requireJava();
    mkdirSync(cfg.dir, { recursive: true });
    writeFileSync(files.conf, configFile(cfg));
    const out = openSync(files.out, 'a');
    const child = spawn(
      'java',
      [
        `-Xms${cfg.heap}`,
        `-Xmx${cfg.heap}`,
        '-XX:+UseG1GC',
        '-XX:+ExitOnOutOfMemoryError',
        '-Dfile.encoding=UTF-8',
        `-Dlocalneo4j.home=${files.home}`,
        `-Dlocalneo4j.config=${files.conf}`,
        '-cp',
        [classesDir, path.join(libDir, '*'), path.join(pluginsDir, '*')].join(path.delimiter),
        'org.fundinggraph.localneo4j.LocalNeo4j',
      ],
      { detached: true, stdio: ['pipe', out, out] },
    );
    // The password goes in on standard input, not the command line, where `ps` would show it.
    child.stdin?.end(`${creds.password}\n`);
    child.unref();
    pid = child.pid;
    if (pid === undefined) throw new LocalNeo4jError('START_FAILED', 'Could not start java.');
    writeFileSync(files.pid, String(pid));
    report(`Starting the local Neo4j (pid ${pid}, data in ${cfg.dir})…`);
  } else {
    report(`The local Neo4j (pid ${pid}) is starting; waiting for it…`);
  }

  const deadline = Date.now() + cfg.startTimeoutMs;
  // Right after start-up Bolt may answer before the launcher has set the password.
  let refusedSince: number | undefined;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      rmSync(files.pid, { force: true });
      throw new LocalNeo4jError(
        'START_FAILED',
        `The local Neo4j exited during start-up. Its last output (${files.out}):\n${tailOf(files.out)}`,
      );
    }
    const status = await statusOf(cfg, creds);
    if (status.running) return { alreadyRunning: false, status, startMs: Date.now() - startedAt };
    refusedSince = status.unauthorized ? (refusedSince ?? Date.now()) : undefined;
    if (refusedSince !== undefined && Date.now() - refusedSince > 30_000) {
      throw new LocalNeo4jError(
        'AUTH_FAILED',
        `The local Neo4j on ${uriOf(cfg)} refuses the configured password. It takes NEO4J_PASSWORD when it starts: run \`npm run db:stop\` and start again with the password you want.`,
      );
    }
    await sleep(500);
  }
  throw new LocalNeo4jError(
    'START_TIMEOUT',
    `The local Neo4j did not answer on ${uriOf(cfg)} within ${cfg.startTimeoutMs / 1000} s. Its last output (${files.out}):\n${tailOf(files.out)}`,
  );
}

/** Stops the local Neo4j with SIGTERM (a clean shutdown) and waits for the JVM to exit. */
export async function stopLocalNeo4j(cfg: LocalNeo4jConfig, timeoutMs = 60_000): Promise<boolean> {
  const files = instancePaths(cfg.dir);
  const pid = readPid(cfg);
  if (pid === undefined || !isLocalNeo4j(pid)) {
    rmSync(files.pid, { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      throw new LocalNeo4jError(
        'STOP_TIMEOUT',
        `The local Neo4j (pid ${pid}) did not stop within ${timeoutMs / 1000} s; see ${files.out}.`,
      );
    }
    await sleep(200);
  }
  rmSync(files.pid, { force: true });
  return true;
}
