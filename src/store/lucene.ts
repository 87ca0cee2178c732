/**
 * Escapes Lucene query syntax so a user's phrase is searched as words, never as a query:
 * special characters get a backslash, and the operators AND, OR and NOT become plain words
 * (the index folds case, so "and" still matches "And").
 */
export function escapeLucene(phrase: string): string {
  return phrase
    .replace(/[+\-!(){}[\]^"~*?:\\/]|&&|\|\|/g, (m) => m.replace(/./g, '\\$&'))
    .replace(/\b(AND|OR|NOT)\b/g, (word) => word.toLowerCase());
}
