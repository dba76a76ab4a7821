// The console's app shell, kept for offline use (docs/console.md). Served by the gateway
// at /sw.js (scope /) under the strict CSP. The page and its files come from the network
// when it answers, and are kept; without a network the kept copy is served, so the console
// opens offline after one visit. Only GETs of / and /console/ pass here: never /graphql.
const CACHE = "hoagiai-shell-v1";

self.addEventListener("install", (event) => {
  event.waitUntil(fetch("/console/shell.json")
    .then((response) => response.json())
    .then((files) => caches.open(CACHE).then((cache) => cache.addAll(files)))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  const shell = url.pathname === "/" || url.pathname.startsWith("/console/");
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !shell) return;
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE).then((cache) => cache.put(url.pathname, copy)));
    }
    return response;
  }).catch(() => caches.match(url.pathname).then((kept) => kept || Response.error())));
});
