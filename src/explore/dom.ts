/** The explorer's DOM helpers: elements, download links, error messages. */

export const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
};

/** SVG elements (the Sankey). */
export const svg = <K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  ...children: (Node | string)[]
): SVGElementTagNameMap[K] => {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  e.append(...children);
  return e;
};

/** CSV and JSON downloads of a saved question's answer (/export), with the view's variables. */
export const exportLinks = (question: string, variables: Record<string, string>) => {
  const query = new URLSearchParams(variables).toString();
  return (['csv', 'json'] as const).map((format) =>
    el(
      'a',
      {
        class: 'button',
        href: `/export/${question}.${format}?${query}`,
        'data-testid': `download-${format}`,
        download: '',
      },
      format.toUpperCase(),
    ),
  );
};

/**
 * What a view shows while its question is on its way (a cold answer on a large graph takes
 * seconds): a live region, so that a screen reader says it too.
 */
export const loading = (what: string) =>
  el('p', { class: 'loading', role: 'status', 'data-testid': 'loading' }, `Loading ${what}…`);

/** The message of an error, in place of a view. */
export const errorMessage = (error: unknown) =>
  el('p', { class: 'error' }, error instanceof Error ? error.message : String(error));

/** An amount as people read it: 1,234,567 EUR. */
export const amount = (value: number, currency: string) =>
  `${Math.round(value).toLocaleString('en-GB')} ${currency}`;
