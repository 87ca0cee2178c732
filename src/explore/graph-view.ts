/**
 * The explorer (/explore): the graph around a node, drawn with Cytoscape.js in rings around the
 * focus; a click expands a node, a hover shows an edge's quote and source. Driven by the saved
 * questions Home, Search and Neighbourhood.
 */
import cytoscape, { type Core, type EdgeSingular, type NodeSingular } from 'cytoscape';
import {
  HomeDocument,
  NeighbourhoodDocument,
  SearchDocument,
  type NeighbourhoodQuery,
} from '../generated/operations.js';
import { ask } from './client.js';
import { el, errorMessage, exportLinks } from './dom.js';
import { flowsHref } from './flows-view.js';

type GraphEdge = NonNullable<NeighbourhoodQuery['neighbourhood']>[number];
type GraphNode = GraphEdge['from'];
type NodeType = GraphNode['type'];
/** The order of the kinds of node around a ring. */
const TYPE_ORDER: Record<NodeType, number> = { ORGANISATION: 1, FUND: 2, PROGRAMME: 3, COUNTRY: 4 };

/** Where the money flows of a node are drawn: an organisation's as funder, a programme's, a country's. */
const flowsOf = (n: GraphNode): string | undefined =>
  n.type === 'ORGANISATION'
    ? flowsHref({ funder: n.key })
    : n.type === 'PROGRAMME'
      ? flowsHref({ programme: n.key })
      : n.type === 'COUNTRY'
        ? flowsHref({ country: n.key })
        : undefined;

// Colours: nodes by kind (organisations, funds) or type; edges by relationship and role.
const NODE_COLOURS: Record<string, string> = {
  MINISTRY: '#c0392b',
  GOVERNMENT_AGENCY: '#e67e22',
  EU_BODY: '#2e4aa8',
  MULTILATERAL: '#6c3483',
  FOUNDATION: '#b7950b',
  NGO: '#1e8449',
  INTERNATIONAL_NGO: '#148f77',
  PARTNER_COUNTRY_NGO: '#52be80',
  NETWORK: '#7dcea0',
  PROGRAMME: '#34495e',
  FUND: '#8e44ad',
  COUNTRY: '#95a5a6',
};
const EDGE_COLOURS: Record<string, string> = {
  FUNDS: '#c0392b',
  OWNS: '#8e44ad',
  MANAGES: '#e67e22',
  PARTICIPATES_IN: '#1e8449',
  RUNS_IN: '#95a5a6',
  MEMBER_OF: '#2e86c1',
  BASED_IN: '#bdc3c7',
};
const SHAPES: Record<NodeType, string> = {
  ORGANISATION: 'ellipse',
  PROGRAMME: 'round-rectangle',
  FUND: 'diamond',
  COUNTRY: 'hexagon',
};
const nodeColour = (n: GraphNode) =>
  NODE_COLOURS[n.type === 'ORGANISATION' || n.type === 'FUND' ? (n.kind ?? '') : n.type] ??
  NODE_COLOURS[n.type] ??
  '#7f8c8d';

/** The explorer: search, start from us, click to expand; the panel shows a node's facts. */
export function graphView(root: HTMLElement) {
  const input = el('input', {
    type: 'search',
    placeholder: 'Search organisations, programmes, funds…',
    'data-testid': 'search',
  });
  const hits = el('ul', { id: 'hits', hidden: '' });
  const downloads = el('span');
  const us = el('button', { type: 'button', 'data-testid': 'start-us' }, 'Start from us');
  const legend = el(
    'span',
    { class: 'legend' },
    ...['ORGANISATION', 'PROGRAMME', 'FUND', 'COUNTRY'].flatMap((t) => [
      el('span', {
        style: `background:${NODE_COLOURS[t === 'ORGANISATION' ? 'NGO' : t] ?? '#999'}`,
      }),
      t.toLowerCase(),
    ]),
  );
  const header = el(
    'header',
    {},
    el('h1', {}, 'funding-graph explorer'),
    input,
    us,
    legend,
    el('span', { class: 'spacer' }),
    downloads,
    el('a', { href: '/' }, 'Playground'),
  );
  const graph = el('div', { id: 'graph', 'data-testid': 'graph' });
  const panel = el(
    'aside',
    { 'data-testid': 'panel' },
    el(
      'p',
      {},
      'Search for a name, or start from us. Click a node to expand it; hover an edge for its source.',
    ),
  );
  const tooltip = el('div', { id: 'tooltip', 'data-testid': 'tooltip' });
  root.replaceChildren(header, hits, el('main', { class: 'explorer' }, graph, panel), tooltip);

  const cy: Core = cytoscape({
    container: graph,
    wheelSensitivity: 0.3,
    maxZoom: 1.4,
    style: [
      {
        selector: 'node',
        style: {
          label: 'data(name)',
          'background-color': 'data(colour)',
          shape: 'data(shape)' as never,
          'font-size': 10,
          'text-wrap': 'wrap',
          'text-max-width': '120px',
          'text-valign': 'bottom',
          width: 26,
          height: 26,
        },
      },
      { selector: 'node.expanded', style: { 'border-width': 3, 'border-color': '#1d2733' } },
      {
        selector: 'edge',
        style: {
          width: 'data(width)',
          'line-color': 'data(colour)',
          'target-arrow-color': 'data(colour)',
          'target-arrow-shape': 'triangle',
          'curve-style': 'bezier',
          label: 'data(label)',
          'font-size': 8,
          color: '#4a5563',
        },
      },
    ],
  });
  (window as unknown as { explorer: { cy: Core } }).explorer = { cy };

  const expanded = new Set<string>();
  const facts = new Map<string, GraphEdge>();

  function addEdges(edges: GraphEdge[]) {
    for (const e of edges) {
      for (const n of [e.from, e.to]) {
        if (cy.getElementById(n.id).empty()) {
          cy.add({ group: 'nodes', data: { ...n, colour: nodeColour(n), shape: SHAPES[n.type] } });
        }
      }
      if (cy.getElementById(e.id).empty()) {
        facts.set(e.id, e);
        cy.add({
          group: 'edges',
          data: {
            id: e.id,
            source: e.from.id,
            target: e.to.id,
            type: e.type,
            role: e.role ?? '',
            // Roles and relationship types label the edges; a country's RUNS_IN is its colour.
            label: e.role ?? (e.type === 'RUNS_IN' ? '' : e.type),
            colour: EDGE_COLOURS[e.type] ?? '#7f8c8d',
            width: e.role === 'LEAD' ? 4 : 2,
          },
        });
      }
    }
  }

  function showPanel(node: NodeSingular) {
    const n = node.data() as GraphNode;
    const around = node
      .connectedEdges()
      .map((edge) => facts.get(edge.id()))
      .filter((e): e is GraphEdge => !!e);
    const list = el(
      'ul',
      {},
      ...around.map((e) => el('li', {}, `${e.from.name} — ${e.role ?? e.type} → ${e.to.name}`)),
    );
    panel.replaceChildren(
      el('h2', { 'data-testid': 'panel-name' }, n.name),
      el(
        'dl',
        {},
        el('dt', {}, 'type'),
        el('dd', {}, n.type.toLowerCase()),
        el('dt', {}, 'kind'),
        el('dd', {}, n.kind ?? '—'),
        el('dt', {}, 'key'),
        el('dd', {}, n.key),
      ),
      ...(flowsOf(n)
        ? [
            el(
              'p',
              {},
              el('a', { href: flowsOf(n) ?? '', 'data-testid': 'flows-link' }, 'Money flows →'),
            ),
          ]
        : []),
      ...(n.type === 'COUNTRY'
        ? [
            el(
              'p',
              {},
              el(
                'a',
                {
                  href: `/explore/country/${encodeURIComponent(n.key)}`,
                  'data-testid': 'country-link',
                },
                `Country view of ${n.name} →`,
              ),
            ),
          ]
        : []),
      el(
        'p',
        {},
        `${around.length} facts shown${expanded.has(n.id) ? '' : ' — click the node to expand it'}:`,
      ),
      list,
    );
  }

  // A newer start (a search picked while "us" still loads) wins over an older one.
  let generation = 0;

  /**
   * Rings around the focus: each node on the ring of its distance from it (neighbours first),
   * in a fixed order (type, then name), spaced so that no node or label lies on another. The
   * same graph and focus always give the same picture, ready before it is shown.
   */
  function layoutAround(focus: NodeSingular) {
    const depth = new Map<string, number>();
    if (focus.nonempty()) {
      cy.elements().bfs({
        roots: focus,
        directed: false,
        visit: (v, _e, _u, _i, d) => {
          depth.set(v.id(), d);
        },
      });
    }
    const far = Math.max(0, ...depth.values()) + 1;
    const order = (n: NodeSingular) =>
      `${TYPE_ORDER[n.data('type') as NodeType]}${n.data('name') as string}`;
    cy.layout({
      name: 'concentric',
      animate: false,
      avoidOverlap: true,
      nodeDimensionsIncludeLabels: true,
      spacingFactor: 1.1,
      minNodeSpacing: 24,
      concentric: (n: NodeSingular) => far - (depth.get(n.id()) ?? far),
      levelWidth: () => 1,
      sort: (a: NodeSingular, b: NodeSingular) => order(a).localeCompare(order(b)),
    }).run();
  }

  async function expand(type: NodeType, key: string) {
    const mine = generation;
    const id = `${type}:${key}`;
    const data = await ask(NeighbourhoodDocument, { type, key });
    if (mine !== generation) return;
    addEdges(data.neighbourhood ?? []);
    expanded.add(id);
    const node = cy.getElementById(id);
    node.addClass('expanded');
    layoutAround(node);
    cy.fit(undefined, 40);
    if (node.nonempty()) showPanel(node);
    downloads.replaceChildren(...exportLinks('neighbourhood', { type, key }));
    graph.dataset.ready = String(expanded.size);
    graph.dataset.expanded = id;
  }

  async function start(type: NodeType, key: string) {
    generation++;
    cy.elements().remove();
    expanded.clear();
    facts.clear();
    await expand(type, key);
  }

  const report = (error: unknown) => panel.replaceChildren(errorMessage(error));

  let searching = 0;
  input.addEventListener('input', () => {
    const phrase = input.value.trim();
    const mine = ++searching;
    if (phrase.length < 2) {
      hits.hidden = true;
      return;
    }
    ask(SearchDocument, { phrase })
      .then(({ search }) => {
        if (mine !== searching) return;
        hits.replaceChildren(
          ...(search ?? []).map((h) => {
            const li = el(
              'li',
              { 'data-testid': 'hit' },
              h.name,
              el('small', {}, h.type.toLowerCase()),
            );
            li.addEventListener('click', () => {
              hits.hidden = true;
              input.value = h.name;
              start(h.type.toUpperCase() as NodeType, h.key).catch(report);
            });
            return li;
          }),
        );
        hits.hidden = (search ?? []).length === 0;
      })
      .catch(report);
  });
  const startFromUs = () => {
    const asked = generation;
    ask(HomeDocument, {})
      .then(({ home }) => {
        if (asked !== generation) return; // something else was opened meanwhile
        return home ? start('ORGANISATION', home.key) : report(new Error('No home organisation.'));
      })
      .catch(report);
  };
  us.addEventListener('click', startFromUs);

  cy.on('tap', 'node', (event) => {
    const node = event.target as NodeSingular;
    const n = node.data() as GraphNode;
    showPanel(node);
    if (!expanded.has(n.id)) expand(n.type, n.key).catch(report);
  });
  cy.on('mouseover', 'edge', (event) => {
    const edge = event.target as EdgeSingular;
    const e = facts.get(edge.id());
    if (!e) return;
    tooltip.replaceChildren(
      el('strong', {}, `${e.from.name} ${e.role ?? e.type} ${e.to.name}`),
      el('blockquote', { 'data-testid': 'tooltip-quote' }, e.quote ?? '(no quote)'),
      el(
        'div',
        {},
        `source: ${e.source ?? '—'} · basis: ${e.basis ?? '—'}${e.coFinancing ? ' · co-financing' : ''}`,
      ),
    );
    const { x, y } = event.renderedPosition ?? { x: 0, y: 0 };
    const box = graph.getBoundingClientRect();
    tooltip.style.left = `${box.left + x + 12}px`;
    tooltip.style.top = `${box.top + y + 12}px`;
    tooltip.style.display = 'block';
  });
  cy.on('mouseout', 'edge', () => {
    tooltip.style.display = 'none';
  });

  const params = new URLSearchParams(window.location.search);
  const type = params.get('type');
  const key = params.get('key');
  // The first screen is never empty: a view named in the address, else us.
  if (type && key) start(type as NodeType, key).catch(report);
  else startFromUs();
}
