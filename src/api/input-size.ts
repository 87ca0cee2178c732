/**
 * The size of an operation's input: every argument value as execution will see it, with its
 * variables substituted (a filter in a variable weighs as much as the same filter written in
 * the query). Pure functions; limits.ts turns a breach into QUERY_LIMIT_EXCEEDED.
 *
 * What each figure protects against:
 * - `filterDepth`: relationship filters (`some`/`all`/`none`/`single`) nested in each other.
 *   Each level is a subquery per row of the level above; ten levels froze Neo4j for minutes.
 * - `depth`: any nesting of input objects and lists (AND/OR/NOT trees included).
 * - `values`: every value in the input (a 3,000-item OR took 34 s to plan).
 * - `listLength`: the longest list (`in: [...]`, `OR: [...]`).
 * - `stringLength`: the longest string (a 3,000-word search phrase overflows Lucene).
 */

export interface InputSize {
  filterDepth: number;
  depth: number;
  values: number;
  listLength: number;
  stringLength: number;
}

/** The keys of @neo4j/graphql's relationship filters: each opens a subquery. */
const QUANTIFIERS = new Set(['some', 'all', 'none', 'single']);

export const emptyInputSize = (): InputSize => ({
  filterDepth: 0,
  depth: 0,
  values: 0,
  listLength: 0,
  stringLength: 0,
});

/**
 * Measures one value (JSON-like: objects, arrays, strings, numbers, booleans, null) and adds it
 * to `into`: maxima for the depths and lengths, a sum for the count of values. Iterative, so a
 * hostile nesting cannot overflow the stack; stops counting once `stopAfter` values are seen.
 */
export function measureInput(
  value: unknown,
  into: InputSize = emptyInputSize(),
  stopAfter = 100_000,
): InputSize {
  const stack: { value: unknown; depth: number; filterDepth: number }[] = [
    { value, depth: 0, filterDepth: 0 },
  ];
  while (stack.length > 0 && into.values < stopAfter) {
    const { value: v, depth, filterDepth } = stack.pop()!;
    into.values += 1;
    into.depth = Math.max(into.depth, depth);
    into.filterDepth = Math.max(into.filterDepth, filterDepth);
    if (typeof v === 'string') {
      into.stringLength = Math.max(into.stringLength, v.length);
    } else if (Array.isArray(v)) {
      into.listLength = Math.max(into.listLength, v.length);
      for (const item of v) stack.push({ value: item, depth: depth + 1, filterDepth });
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        const nested = QUANTIFIERS.has(key) ? filterDepth + 1 : filterDepth;
        stack.push({ value: item, depth: depth + 1, filterDepth: nested });
      }
    }
  }
  return into;
}

export type InputLimits = InputSize;

/** The first figure of `size` above its limit, or undefined when all are within. */
export function inputBreach(
  size: InputSize,
  limits: InputLimits,
): { figure: keyof InputSize; value: number; max: number } | undefined {
  for (const figure of Object.keys(limits) as (keyof InputSize)[]) {
    if (size[figure] > limits[figure]) {
      return { figure, value: size[figure], max: limits[figure] };
    }
  }
  return undefined;
}
