/**
 * Acceptance per activity, as the IATI Datastore does it: a schema error costs the smallest
 * part of the activity that it breaks, never the file. The rule (README, "What an import
 * accepts"):
 *   - an attribute the schema does not allow: ignored (the reader reads only the attributes it
 *     knows) — a warning;
 *   - an element out of the schema's order among its siblings (a `<budget>` after the
 *     transactions), or one more of an element the schema allows once (the reader reads the
 *     first), but for a second identifier, title or reporting organisation: read where it stands
 *     (the reader finds elements by name) — a warning;
 *   - a date written with its time of day (`iso-date="2019-02-01T00:00:00Z"`, where the schema
 *     wants `xs:date`): read as its date, and a percentage with its sign (`percentage="60%"`) as
 *     the number — a warning, mapped;
 *   - an error in the identifier, the title or the reporting organisation: the activity is
 *     skipped (the graph cannot hold a programme without them) — an error;
 *   - an error in a transaction's or budget's type, date, period or value, or in the transaction
 *     or budget element itself: that transaction or budget is skipped — a warning;
 *   - any other element with an error (a sector without its code, an element in the wrong
 *     place…): that element is dropped, the rest imported — a warning.
 * Pure but for reading which element the schema allows inside which, once (schema-children.ts):
 * the activity's element tree and the schema's problems in, decisions out.
 */
import type { Problem } from '../../errors/expected.js';
import { allowedInside } from './schema-children.js';
import type { XmlElement } from './xml-reader.js';

/** Parts without which an activity is no programme. */
const ESSENTIAL = new Set(['iati-identifier', 'title', 'reporting-org']);
/** Parts that carry money, skipped whole when their own parts are broken. */
const MONEY = new Set(['transaction', 'budget', 'planned-disbursement']);
const MONEY_PARTS = new Set([
  'transaction-type',
  'transaction-date',
  'value',
  'period-start',
  'period-end',
]);

export type Consequence =
  | { kind: 'ignored' }
  | { kind: 'mapped' }
  | { kind: 'dropped'; element: XmlElement }
  | { kind: 'skipped'; element: XmlElement }
  | { kind: 'activity skipped' };

export interface Decision {
  problem: Problem;
  consequence: Consequence;
}

/**
 * The element a libxml2 path names inside `activity`: `iati-activities/iati-activity/a[2]/b`
 * (indexes only where siblings share the name, as saxes numbers them) → the tree's elements
 * from the activity down, or undefined when the path leaves the tree.
 */
export function elementsOnPath(activity: XmlElement, path: string): XmlElement[] | undefined {
  const segments = path.replace(/^\/?iati-activities\//, '').split('/');
  if (!/^iati-activity(\[\d+\])?$/.test(segments[0] ?? '')) return undefined;
  const chain = [activity];
  for (const segment of segments.slice(1)) {
    const m = /^([^[\]]+)(?:\[(\d+)\])?$/.exec(segment);
    const parent = chain[chain.length - 1];
    if (!m?.[1] || !parent) return undefined;
    const n = Number(m[2] ?? '1');
    const child = parent.children.filter((c) => c.name === m[1])[n - 1];
    if (!child) return undefined;
    chain.push(child);
  }
  return chain;
}

/**
 * libxml2's word for a date attribute written as a date and a time of day, as systems that
 * export timestamps write it: the attribute and the date part.
 */
const DATE_WITH_TIME =
  /attribute '([^']+)': '(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?' is not a valid value of the atomic type 'xs:date'/;

/** A percentage written with its sign (`60%`, `12.5 %`): the number alone; else undefined. */
export function withoutPercentSign(text: string): string | undefined {
  return /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text)?.[1];
}

/** Whether `date` (YYYY-MM-DD) is a day of the calendar (not 2019-02-30). */
function isCalendarDate(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === date;
}

/** What each schema problem of one activity costs it. */
export function decide(activity: XmlElement, identifier: string, problems: Problem[]): Decision[] {
  return problems.map((p) => {
    const chain = elementsOnPath(activity, p.path ?? '');
    const decision = (consequence: Consequence, effect: string): Decision => ({
      problem: {
        ...p,
        ...(chain ? { path: chain[chain.length - 1]?.path ?? p.path } : {}),
        severity: consequence.kind === 'activity skipped' ? 'error' : 'warning',
        activity: identifier,
        why: `${p.why}; ${effect}`,
      },
      consequence,
    });
    const target = chain?.[chain.length - 1];
    if (!chain || !target) return decision({ kind: 'activity skipped' }, 'the activity is skipped');
    const top = chain[1];
    const withTime = DATE_WITH_TIME.exec(p.what);
    if (withTime?.[2] && isCalendarDate(withTime[2])) {
      return decision({ kind: 'mapped' }, `read as ${withTime[1]}="${withTime[2]}"`);
    }
    const percent = /attribute 'percentage': '([^']*)' is not a valid value/.exec(p.what)?.[1];
    const number = percent === undefined ? undefined : withoutPercentSign(percent);
    if (number !== undefined) {
      return decision({ kind: 'mapped' }, `read as percentage="${number}"`);
    }
    const parent = chain[chain.length - 2];
    // A second identifier, title or reporting organisation is no misplaced one: which is meant?
    const twice =
      ESSENTIAL.has(target.name) &&
      (parent?.children.filter((c) => c.name === target.name).length ?? 0) > 1;
    if (
      /This element is not expected/.test(p.what) &&
      parent &&
      !twice &&
      allowedInside(parent.name, target.name)
    ) {
      return decision(
        { kind: 'ignored' },
        `the <${target.name}> is read where it stands: the reader finds the elements of <${parent.name}> by name, in any order`,
      );
    }
    if (/attribute '[^']*'.*is not allowed/i.test(p.what)) {
      return decision({ kind: 'ignored' }, 'the attribute is ignored');
    }
    if (!top) return decision({ kind: 'ignored' }, 'the rest of the activity is imported');
    if (ESSENTIAL.has(top.name)) {
      return decision({ kind: 'activity skipped' }, `the activity is skipped (its ${top.name})`);
    }
    if (MONEY.has(top.name)) {
      const part = chain[2];
      if (!part || MONEY_PARTS.has(part.name)) {
        return decision({ kind: 'skipped', element: top }, `this ${top.name} is skipped`);
      }
    }
    return decision({ kind: 'dropped', element: target }, `the <${target.name}> is dropped`);
  });
}

/** Removes the dropped and skipped elements from the activity's tree (in place). */
export function applyDecisions(activity: XmlElement, decisions: readonly Decision[]): void {
  const gone = new Set<XmlElement>();
  for (const { consequence } of decisions) {
    if (consequence.kind === 'dropped' || consequence.kind === 'skipped') {
      gone.add(consequence.element);
    }
  }
  if (gone.size === 0) return;
  const prune = (e: XmlElement) => {
    e.children = e.children.filter((c) => !gone.has(c));
    e.children.forEach(prune);
  };
  prune(activity);
}
