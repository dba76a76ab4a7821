// GraphiQL's start-up, in a file of its own so the page's Content-Security-Policy
// can refuse every inline script. Queries go to the page's own URL (/graphql).
const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
ReactDOM.createRoot(document.getElementById("graphiql"))
  .render(React.createElement(GraphiQL, { fetcher }));
