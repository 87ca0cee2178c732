/** Escapes Lucene query syntax so a user's phrase is searched as words, never as a query. */
export function escapeLucene(phrase: string): string {
  return phrase.replace(/[+\-!(){}[\]^"~*?:\\/]|&&|\|\|/g, (m) => m.replace(/./g, '\\$&'));
}
