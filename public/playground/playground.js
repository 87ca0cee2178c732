/* global React, ReactDOM, GraphiQL */
// Opens GraphiQL with the saved questions of queries/ as tabs (served as /playground/tabs.json),
// the headline question first.
(async function main() {
  const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', window.location.href).href });
  const response = await fetch('/playground/tabs.json');
  const tabs = response.ok ? await response.json() : [];
  // Tabs live in memory, so every visit opens with the saved questions as they are now.
  const memory = new Map();
  const storage = {
    getItem: (key) => (memory.has(key) ? memory.get(key) : null),
    setItem: (key, value) => void memory.set(key, value),
    removeItem: (key) => void memory.delete(key),
    clear: () => memory.clear(),
    get length() {
      return memory.size;
    },
  };
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      storage,
      defaultTabs: tabs.map((t) => ({ query: t.query, variables: t.variables })),
      // The editors open on the first tab (the headline question) with its variables filled
      // in, so ▶ on the first screen answers; GraphiQL otherwise starts with empty variables.
      query: tabs[0]?.query,
      variables: tabs[0]?.variables,
      defaultEditorToolsVisibility: true,
    }),
  );
})();
