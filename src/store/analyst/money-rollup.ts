/**
 * Money totals kept ahead of time, for the questions about every transaction. A question about
 * one funder, recipient or programme starts from it (money.ts), but one about all the money —
 * by sector, by country, per year — has to read every transaction: 0.7 s for the 250,000 of
 * the large benchmark graph, however the statement is written. So the totals are summed once
 * per graph version and kept as rollup cells (bookkeeping nodes, MONEY_ROLLUP_LABEL): one set
 * per way of counting a transaction —
 *
 *   none           once, whole;
 *   country        once per recipient country of its programme, by its share there;
 *   sector         once per sector, by its share there (sectorShares);
 *   country+sector once per country and sector, by the product of both shares;
 *   country+funder once per country, by its share there, with its funder (the organisation
 *                  that provided it, or none): a country's money per funder, as the country
 *                  view shows it;
 *
 * each cell summing the value, counting the transactions and keeping the largest share, per
 * country and/or sector or funder, year, type and currency. Year, type and currency split
 * transactions without sharing them, so any question that groups or filters by those, by
 * country (groupBy or filter) and by sector, or by country and funder (grouped by), and by
 * nothing else, is the sum of one set's cells: the same value, the same count, the same
 * `apportioned` as the live statement. Questions about one funder, recipient or programme,
 * by funder without a country, by recipient or programme, and flows, are answered live.
 *
 * A set is used only while it is the graph's: the rollup's Setting names the generation of
 * cells that is read, the graph version it was summed for and the sets it holds, and the read
 * checks that against the version now, in the same statement (a generation summed before a
 * set was added answers the other sets; the next sum adds it). Any
 * committed write moves the version (graph-version.ts), so after an import, a merge or an
 * editor's mutation the questions are answered live until the totals are summed again — by the
 * importers when they are done, by the API when it starts (in the background), and by a running
 * API once an editor's mutations pause (MoneyTotalsKeeper). Summing them takes one read of every
 * transaction per set (24.6 s for the five sets of the large benchmark graph, 374,361 cells;
 * 5.9–6.0 s for three real publishers' files with 76,615 transactions, 63,877 cells).
 */
import { randomUUID } from 'node:crypto';
import neo4j, { type Driver } from 'neo4j-driver';
import type { Logger } from 'pino';
import { MONEY_ROLLUP_LABEL, SETTING_LABEL } from '../../model/index.js';
import { GRAPH_VERSION_SETTING } from '../graph-version.js';
import { COUNTRY, ORG, SECTOR } from './fragments.js';
import {
  ABOUT_EVERYTHING,
  sectorShares,
  shareOf,
  summed,
  transactionsAsked,
  type MoneyGroupBy,
} from './money.js';

/** The ways a rollup counts a transaction: whole, per country, per sector, per both. */
export const ROLLUP_SETS = [
  'none',
  'country',
  'sector',
  'country+sector',
  'country+funder',
] as const;
export type RollupSet = (typeof ROLLUP_SETS)[number];

/**
 * The Setting that names the generation of cells read (`generation`: the graph version they
 * were summed for, a slash, a token of the sum) and its sets (`sets`, said for the generation
 * `setsOf`: a version of this code without sets switches generations without saying any), the
 * one it replaced (`previous`), and the sum under way (`summing`, `summingSince`: its claim).
 */
export const MONEY_ROLLUP_SETTING = 'moneyRollup';

/** A moneyTotals question, as the rollup sees it. */
export interface RollupQuestion {
  by: MoneyGroupBy;
  funder: string | null;
  recipient: string | null;
  programme: string | null;
  country: string | null;
  year: number | null;
  types: readonly string[] | null;
}

/** The set of cells that answers `q` exactly, or null when only the live statement can. */
export function rollupSetFor(q: RollupQuestion): RollupSet | null {
  if (q.funder !== null || q.recipient !== null || q.programme !== null) return null;
  if (q.by.recipient || q.by.programme) return null;
  const country = q.by.country || q.country !== null;
  if (q.by.funder) return country && !q.by.sector ? 'country+funder' : null;
  if (country) return q.by.sector ? 'country+sector' : 'country';
  return q.by.sector ? 'sector' : 'none';
}

/**
 * The statement that answers `q` from the set's cells ($rollup), as the rows moneyTotalsCypher
 * gives, in its order and paged alike: one record, `fresh` (false when the cells are not the
 * graph's version, or there are none: then `rows` is empty and the question goes live) and
 * `rows`.
 */
export function moneyRollupCypher(q: RollupQuestion): string {
  const { by } = q;
  const ORDER = `coalesce(funderName, ''), coalesce(funderKey, ''), coalesce(code, ''), coalesce(year, 0),
      coalesce(sectorKey, ''), type, currency`;
  const where = [
    'fresh',
    ...(q.country !== null ? ['cell.country = $country'] : []),
    ...(q.year !== null ? ['cell.year = $year'] : []),
    ...(q.types !== null ? ['cell.type IN $types'] : []),
  ];
  return `
  OPTIONAL MATCH (v:${SETTING_LABEL} {name: '${GRAPH_VERSION_SETTING}'})
  OPTIONAL MATCH (r:${SETTING_LABEL} {name: '${MONEY_ROLLUP_SETTING}'})
  // Fresh: summed for the graph as it is, and with this set (a generation summed by a version
  // of this code that had fewer sets, which names none, has none of the others' cells: those
  // are answered live).
  WITH r.generation AS generation,
       r.generation STARTS WITH v.value + '/' AND r.setsOf = r.generation
         AND $rollup IN r.sets AS fresh
  CALL (generation, fresh) {
    MATCH (cell:${MONEY_ROLLUP_LABEL} {rollup: $rollup, version: generation})
    ${
      // One country's cells by a seek of the index that holds them, whatever the statistics
      // say: left to them, the planner used the index on set and generation alone, or scanned
      // the index, in about half of the runs of a test — reading every cell of the set.
      q.country !== null
        ? `USING INDEX SEEK cell:${MONEY_ROLLUP_LABEL}(rollup, version, country)`
        : ''
    }
    WHERE ${where.join(' AND ')}
    WITH ${by.funder ? 'cell.funder' : 'null'} AS funderKey, ${by.funder ? 'cell.funderName' : 'null'} AS funderName,
         ${by.country ? 'cell.country' : 'null'} AS code, ${by.sector ? 'cell.sector' : 'null'} AS sectorKey,
         ${by.year ? 'cell.year' : 'null'} AS year, cell.type AS type, cell.currency AS currency,
         sum(cell.value) AS value, sum(cell.count) AS count, max(cell.maxShare) < 1.0 AS apportioned
    // The page first (as the live statement orders it), then the nodes of its rows alone.
    ORDER BY ${ORDER} SKIP $offset LIMIT $limit
    ${by.funder ? 'OPTIONAL MATCH (funder:Organisation {key: funderKey})' : 'WITH *, null AS funder'}
    ${by.country ? 'OPTIONAL MATCH (country:Country {code: code})' : 'WITH *, null AS country'}
    ${by.sector ? 'OPTIONAL MATCH (sector:Sector {key: sectorKey})' : 'WITH *, null AS sector'}
    WITH funderName, funderKey, code, year, sectorKey, type, currency, {
      funder: funder ${ORG}, recipient: null, country: country ${COUNTRY}, year: year,
      programme: null, sector: sector ${SECTOR}, type: type, currency: currency, value: value,
      count: count, apportioned: apportioned
    } AS row
    ORDER BY ${ORDER}
    RETURN collect(row) AS rows
  }
  RETURN fresh, rows`;
}

/**
 * Sums one set's cells as the generation `$generation`: every transaction read as the live
 * statement reads it for a question about everything, grouped by what the set counts by, year,
 * type and currency, and written $batch cells a transaction — so that the transaction memory
 * Neo4j allows bounds a batch, not the set (a set of 320,000 cells in one transaction passes
 * its 717 MiB with the local default heap).
 */
const sumSet = (set: RollupSet): string => {
  const country = set.startsWith('country');
  const sector = set.endsWith('sector');
  const funder = set.endsWith('funder');
  const { value, largestShare } = summed(shareOf(country, sector));
  return `
  ${transactionsAsked(ABOUT_EVERYTHING, null, { funder, recipient: false, places: country })}${sectorShares(sector, country)}
  WITH ${country ? 'place.code' : 'null'} AS country, ${sector ? 'inSector.key' : 'null'} AS sector,
       ${funder ? 'funder.key' : 'null'} AS funderKey, ${funder ? 'funder.name' : 'null'} AS funderName,
       t.year AS year, t.type AS type, t.currency AS currency,
       ${value} AS value, count(DISTINCT t) AS count, ${largestShare} AS maxShare
  CALL (country, sector, funderKey, funderName, year, type, currency, value, count, maxShare) {
    CREATE (:${MONEY_ROLLUP_LABEL} {
      rollup: '${set}', version: $generation, country: country, sector: sector,
      funder: funderKey, funderName: funderName, year: year,
      type: type, currency: currency, value: value, count: count, maxShare: maxShare
    })
  } IN TRANSACTIONS OF $batch ROWS
  RETURN count(*) AS cells`;
};

export interface KeptTotals {
  /** Why they could not be summed (the questions are then answered live); else undefined. */
  error?: string;
  /** The graph version the cells are now for; undefined when the graph has none. */
  version: string | undefined;
  /** Whether they were summed now (false: they already were for this version, or `elsewhere`). */
  summed: boolean;
  /** Another process is summing them for this version now. */
  elsewhere?: boolean;
  cells: number;
  ms: number;
}

/**
 * How long a claim to sum the totals stands, since the claimant last said it is alive (after
 * each set), before another process may take it over: one that was stopped or died while
 * summing holds the totals back no longer. A live sum taken over only loses its work (its
 * switch fails); the two generations never mix.
 */
const CLAIM_MINUTES = 5;
/** Cells written (or deleted) a transaction. */
const BATCH = 10_000;

/**
 * Sums the rollup cells for the graph as it is, unless they already are for its version, as a
 * new generation (`cell.version`: the graph version and a token of this sum), in four steps:
 *
 *   1. claim: one short write transaction on the rollup's Setting, so that two processes keeping
 *      the totals at once (an importer, an API starting) sum them once — the other returns
 *      `elsewhere` (a claim not renewed for CLAIM_MINUTES, of a process that stopped, is taken
 *      over);
 *   2. sum each set, written in batches (sumSet): reads do not see these cells yet;
 *   3. switch: one write transaction makes the new generation the one read, if the claim is
 *      still this sum's (else its cells are left to be deleted);
 *   4. delete, in batches, every generation but the new one, the one it replaced (left for
 *      reads that began before the switch) and one being summed: older ones, and what a failed
 *      sum left (a failed sum releases its claim; one that died leaves it to lapse).
 *
 * A write committed while the cells are summed moves the graph version past theirs, so cells
 * that saw only part of it are never used; a failure before the switch leaves the questions
 * answered as before (live, or from cells of an older version: never used either).
 */
export async function keepMoneyTotals(
  driver: Driver,
  database: string,
  { batch = BATCH }: { batch?: number } = {},
): Promise<KeptTotals> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const session = driver.session({ database });
  const setting = `MATCH (r:${SETTING_LABEL} {name: '${MONEY_ROLLUP_SETTING}'})`;
  try {
    const claim = await session.executeWrite(async (tx) => {
      const r = await tx.run(
        `MERGE (r:${SETTING_LABEL} {name: '${MONEY_ROLLUP_SETTING}'})
         SET r.lockedAt = datetime()
         WITH r
         OPTIONAL MATCH (v:${SETTING_LABEL} {name: '${GRAPH_VERSION_SETTING}'})
         // A claim for another graph version is no longer worth waiting for: its cells would
         // never be read.
         RETURN v.value AS version,
                r.generation STARTS WITH v.value + '/' AND r.setsOf = r.generation
                  AND all(set IN $sets WHERE set IN r.sets) AS kept,
                r.cells AS cells,
                r.summing STARTS WITH v.value + '/'
                  AND r.summingSince > datetime() - duration({minutes: $minutes}) AS claimed`,
        { minutes: CLAIM_MINUTES, sets: [...ROLLUP_SETS] },
      );
      const record = r.records[0];
      const version = record?.get('version') as string | null | undefined;
      const cells = toNumber(record?.get('cells'));
      if (typeof version !== 'string')
        return { version: undefined, cells: 0, state: 'none' as const };
      if (record?.get('kept') === true) return { version, cells, state: 'kept' as const };
      if (record?.get('claimed') === true)
        return { version, cells: 0, state: 'elsewhere' as const };
      const tagged = `${version}/${randomUUID()}`;
      await tx.run(`${setting} SET r.summing = $generation, r.summingSince = datetime()`, {
        generation: tagged,
      });
      return { version, tagged, cells: 0, state: 'claimed' as const };
    });
    if (claim.state !== 'claimed') {
      return {
        version: claim.version,
        summed: false,
        ...(claim.state === 'elsewhere' ? { elsewhere: true } : {}),
        cells: claim.cells,
        ms: ms(),
      };
    }
    const { version, tagged } = claim;
    let cells = 0;
    let switched: boolean;
    try {
      for (const set of ROLLUP_SETS) {
        const r = await session.run(sumSet(set), { generation: tagged, batch: neo4j.int(batch) });
        cells += toNumber(r.records[0]?.get('cells'));
        // The claim renewed: still this sum's, else another process took it over (a set ran
        // past CLAIM_MINUTES) and this sum stops.
        const renewed = await session.run(
          `${setting} WHERE r.summing = $generation SET r.summingSince = datetime() RETURN r`,
          { generation: tagged },
        );
        if (renewed.records.length === 0) break;
      }
      switched = await session.executeWrite(async (tx) => {
        // r.version is removed: it named the graph version of cells tagged by it alone, as a
        // process older than generations reads them, which now goes live instead.
        const r = await tx.run(
          `${setting}
           WHERE r.summing = $generation
           SET r.previous = r.generation, r.generation = $generation, r.cells = $cells,
               r.sets = $sets, r.setsOf = $generation, r.summedAt = datetime()
           REMOVE r.summing, r.summingSince, r.version
           RETURN r`,
          { generation: tagged, cells, sets: [...ROLLUP_SETS] },
        );
        return r.records.length > 0;
      });
    } catch (error) {
      // Released, so that the next try (an import, the API) need not wait for the claim to
      // lapse; what this sum wrote is deleted by the next one.
      await session
        .run(`${setting} WHERE r.summing = $generation REMOVE r.summing, r.summingSince`, {
          generation: tagged,
        })
        .catch(() => undefined);
      throw error;
    }
    if (!switched) {
      throw new Error(
        `another process took over the sum of the money totals (a set took over ${CLAIM_MINUTES} min)`,
      );
    }
    // Every generation but the one read, the one it replaced (for reads that began before the
    // switch) and one being summed now (another process may have claimed the next version
    // since): the claim is read after the generations, so that one whose cells were seen is
    // seen too. Deleted by the index, in batches. A failure here leaves the new generation
    // read; the next sum deletes what is left.
    await session
      .executeRead(async (tx) => {
        const r = await tx.run(
          `MATCH (cell:${MONEY_ROLLUP_LABEL})
           WITH collect(DISTINCT cell.version) AS generations
           ${setting}
           RETURN [g IN generations
                   WHERE NOT g IN [r.generation, coalesce(r.previous, ''), coalesce(r.summing, '')]]
                  AS doomed`,
        );
        return (r.records[0]?.get('doomed') as string[] | undefined) ?? [];
      })
      .then((doomed) =>
        doomed.length === 0
          ? undefined
          : session.run(
              `UNWIND $doomed AS generation
               UNWIND $sets AS set
               MATCH (cell:${MONEY_ROLLUP_LABEL} {rollup: set, version: generation})
               CALL (cell) { DETACH DELETE cell } IN TRANSACTIONS OF $batch ROWS`,
              { doomed, sets: [...ROLLUP_SETS], batch: neo4j.int(batch) },
            ),
      )
      .catch(() => undefined);
    return { version, summed: true, cells, ms: ms() };
  } finally {
    await session.close();
  }
}

/**
 * keepMoneyTotals after a committed write (an import): a failure leaves the write as it is and
 * the questions answered live, so it is reported, not thrown.
 */
export async function tryKeepMoneyTotals(driver: Driver, database: string): Promise<KeptTotals> {
  const started = performance.now();
  try {
    return await keepMoneyTotals(driver, database);
  } catch (error) {
    return {
      error: error instanceof Error ? error.message : String(error),
      version: undefined,
      summed: false,
      cells: 0,
      ms: Math.round(performance.now() - started),
    };
  }
}

const toNumber = (x: unknown): number =>
  typeof x === 'number'
    ? x
    : x && typeof x === 'object' && 'toNumber' in x
      ? (x as { toNumber(): number }).toNumber()
      : 0;

/** Logs what keepMoneyTotals did: a warning when it could not sum them. */
export const logKept = (log: Logger, kept: KeptTotals): void =>
  log[kept.error === undefined ? 'info' : 'warn'](kept, describeKept(kept));

/** One line that says what keepMoneyTotals did, for the importers' and the API's logs. */
export const describeKept = (k: KeptTotals): string =>
  k.error !== undefined
    ? `warning: money totals not summed (${k.error}); questions about all the money are answered live until the next import or start`
    : k.version === undefined
      ? 'money totals not kept: the graph has no version'
      : k.summed
        ? `money totals summed for this graph version: ${k.cells} cells in ${(k.ms / 1000).toFixed(1)} s`
        : k.elsewhere
          ? 'money totals for this graph version are being summed by another process'
          : `money totals already kept for this graph version (${k.cells} cells)`;

/**
 * Keeps the money totals of a running API: `now()` sums them at once (at start-up, in the
 * background: the API answers live meanwhile, instead of waiting seconds before it listens),
 * and `soon()` a while after the graph changed under it (an editor's mutation), restarting a
 * quiet period of `delayMs` so that a burst of edits is summed once, after the last. One sum at
 * a time, and one more if a change came while it ran; when another process has claimed the
 * sum, asked again `retryMs` later. `settled()` waits until none is pending or under way (not
 * for such a later try); `close()` cancels what has not started and waits a while for what has.
 * Until a sum is done, the questions are answered live.
 */
export class MoneyTotalsKeeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;

  /** A later try, when another process had claimed the sum (not awaited by settled()). */
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly keep: () => Promise<KeptTotals>,
    private readonly report: (kept: KeptTotals) => void,
    private readonly delayMs: number,
    private readonly retryMs = 60_000,
  ) {}

  soon(): void {
    this.after(this.delayMs);
  }

  now(): void {
    this.after(0);
  }

  private after(ms: number): void {
    if (this.closed) return;
    clearTimeout(this.retry);
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.start(), ms);
    this.timer.unref();
  }

  private start(): void {
    this.timer = undefined;
    let elsewhere = false;
    this.running = this.keep()
      .then((kept) => {
        elsewhere = kept.elsewhere === true;
        this.report(kept);
      })
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.soon();
        } else if (elsewhere && !this.closed) {
          // Another process claimed the sum: asked again later, when it is done (then they
          // are kept) or its claim has lapsed (it stopped halfway: then this one sums them).
          this.retry = setTimeout(() => this.now(), this.retryMs);
          this.retry.unref();
        }
      });
  }

  /** Resolves once no sum is pending or under way. */
  async settled(): Promise<void> {
    while (this.timer !== undefined || this.running !== undefined) {
      await (this.running ?? new Promise((resolve) => setTimeout(resolve, 10)));
    }
  }

  /**
   * Stops: what has not started never will, and a sum under way is awaited for at most
   * `waitMs` — a sum cut off when the driver closes leaves cells that are never read (the next
   * sum deletes them) and a claim that lapses after CLAIM_MINUTES.
   */
  async close(waitMs = 5000): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.running,
      new Promise((resolve) => {
        timer = setTimeout(resolve, waitMs);
      }),
    ]);
    clearTimeout(timer);
  }
}
