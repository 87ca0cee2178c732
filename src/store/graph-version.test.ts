import { describe, expect, it } from 'vitest';
import { GraphVersionReader } from './graph-version.js';

/** A fake Neo4j: each read sees the version as it is when the read begins, answered later. */
function fakeGraph() {
  let version = 'v1';
  let reads = 0;
  const pending: (() => void)[] = [];
  return {
    commit: (v: string) => (version = v),
    reads: () => reads,
    read: (): Promise<string | undefined> => {
      reads++;
      const seen = version;
      return new Promise((resolve) => pending.push(() => resolve(seen)));
    },
    /** Ends the reads begun so far. */
    answer: async () => {
      pending.splice(0).forEach((done) => done());
      // Let the readers' continuations run.
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
  };
}

describe('GraphVersionReader', () => {
  it('never answers a request with a read that began before it arrived', async () => {
    const graph = fakeGraph();
    const reader = new GraphVersionReader(graph.read);
    const early = reader.current();
    graph.commit('v2'); // committed while the first read runs
    const late = reader.current();
    await graph.answer();
    expect(await early).toBe('v1');
    await graph.answer();
    expect(await late).toBe('v2');
  });

  it('shares one read among the requests that came while another ran', async () => {
    const graph = fakeGraph();
    const reader = new GraphVersionReader(graph.read);
    const first = reader.current();
    const waiting = Array.from({ length: 20 }, () => reader.current());
    expect(graph.reads()).toBe(1);
    await graph.answer();
    await graph.answer();
    expect(await first).toBe('v1');
    expect(await Promise.all(waiting)).toEqual(Array<string>(20).fill('v1'));
    expect(graph.reads()).toBe(2);
    // Idle again: the next request reads at once.
    graph.commit('v3');
    const next = reader.current();
    expect(graph.reads()).toBe(3);
    await graph.answer();
    expect(await next).toBe('v3');
  });

  it('reads again for the waiting requests when the running read fails', async () => {
    let calls = 0;
    const reader = new GraphVersionReader(() =>
      ++calls === 1 ? Promise.reject(new Error('Neo4j away')) : Promise.resolve('v9'),
    );
    const failing = reader.current();
    const waiting = reader.current();
    await expect(failing).rejects.toThrow('Neo4j away');
    expect(await waiting).toBe('v9');
    expect(calls).toBe(2);
  });
});
