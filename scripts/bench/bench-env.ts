/**
 * What every benchmark shares: its own local Neo4j (.neo4j/bench, port 7689), never the one you
 * work with (override with NEO4J_LOCAL_*), set in this process's environment on import so that
 * loadConfig() sees it; and the memory of a child process, from /proc.
 */
import { readFileSync } from 'node:fs';

/* eslint-disable no-restricted-properties */
/** The environment as the user started the benchmark. */
export const userEnv = { ...process.env };
export const benchEnv = {
  ...process.env,
  NEO4J_LOCAL_DIR: process.env.NEO4J_LOCAL_DIR ?? '.neo4j/bench',
  NEO4J_LOCAL_PORT: process.env.NEO4J_LOCAL_PORT ?? '7689',
};
Object.assign(process.env, benchEnv);
/* eslint-enable no-restricted-properties */

/** Peak and current resident memory of a process, from /proc (MB). */
/** `pid` and its descendants (from /proc/…/children). */
export function processTree(pid: number): number[] {
  const children = (p: number): number[] => {
    try {
      return readFileSync(`/proc/${p}/task/${p}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  };
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...children(all[i] ?? 0));
  return all;
}

/** The peak RSS (MB) of the largest process in `pid`'s tree (npm → sh → node: the node). */
export function peakOfTree(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  return Math.max(
    ...processTree(pid)
      .map((p) => memoryOf(p).peak)
      .filter(Number.isFinite),
  );
}

export function memoryOf(pid: number | undefined): { peak: number; now: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
  } catch {
    return { peak: NaN, now: NaN };
  }
}
