/**
 * The one rule for matching names: "Côte d’Ivoire", "COTE D'IVOIRE" and "cote-divoire" are the
 * same name. Lower case; accents, typographic quotes, punctuation, hyphens and spaces removed.
 * The importer stores each node's normalised names (`nameKeys`), so Cypher matches a
 * normalised parameter against them and never folds names by a rule of its own.
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** The distinct, non-empty normalised forms of `names`, in their first order. */
export function nameKeys(names: readonly (string | null | undefined)[]): string[] {
  const keys = names.filter((n): n is string => typeof n === 'string').map(normaliseName);
  return [...new Set(keys)].filter((k) => k.length > 0);
}

/**
 * The words of a name by the same rule — "Côte d’Ivoire" → "cote d ivoire" — joined by single
 * spaces: only letters and digits, so safe as Lucene query terms. Without the spaces, the words
 * are the normalised name.
 */
export function nameWords(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(' ');
}

/**
 * The longest name the graph stores, in characters. Names are sorted through range indexes, whose
 * keys Neo4j limits to 8,167 bytes; 500 characters are at most 2,000 bytes in UTF-8. Real files
 * put whole paragraphs in a name (an organisation's description, 17,000 characters).
 */
export const MAX_NAME = 500;

/**
 * `text` when it is at most MAX_NAME characters; otherwise its first words up to that length,
 * ending in "…" — the start of a paragraph typed into a name is the name, as a reader sees it.
 */
export function boundedName(text: string): string {
  const chars = [...text];
  if (chars.length <= MAX_NAME) return text;
  const head = chars.slice(0, MAX_NAME - 1).join('');
  const space = head.search(/\s\S*$/u);
  return `${(space > MAX_NAME / 2 ? head.slice(0, space) : head).trimEnd()}…`;
}

/** The quotation marks a publisher may wrap a whole name in, opening and closing. */
const QUOTES: readonly (readonly [string, string])[] = [
  ["'", "'"],
  ['"', '"'],
  ['‘', '’'],
  ['“', '”'],
  ['„', '“'],
  ['„', '”'],
  ['«', '»'],
];

/**
 * `text` without quotation marks wrapped around the whole of it, as a publisher writes its own
 * name (`'Ministry of Foreign Affairs, Denmark'`); a name that only starts or ends with one, or
 * quotes a part of itself (`'Save the Children' and 'Plan'`), is left as it is.
 */
export function unquotedName(text: string): string {
  for (const [open, close] of QUOTES) {
    if (text.length < 3 || !text.startsWith(open) || !text.endsWith(close)) continue;
    const inner = text.slice(open.length, -close.length);
    if (inner.includes(open) || inner.includes(close)) return text;
    const trimmed = inner.trim();
    return trimmed === '' ? text : trimmed;
  }
  return text;
}
