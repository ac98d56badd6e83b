/* Turnaround's service worker, written by `turnaround offline` (src/turnaround/offline.py) after the build.
 *
 * Pages are network-first: online, a page always comes from the server (and the copy kept here is
 * refreshed), so a stale page never hides a newer deployment; with no signal, the kept copy is shown.
 * The precache below (home, how to use, checklists, steps, what they load, search) is kept at install;
 * other pages and files of this site are kept as they are visited. Only a plain 200 from this site is
 * ever kept: never a redirect (the sign-on), an error, an opaque or another host's response.
 * Every URL is relative to this file, so the site works under a sub-path.
 */
"use strict";

const VERSION = "__VERSION__";
const PREFIX = "turnaround-";
const CACHE = PREFIX + VERSION;
const PRECACHE = __PRECACHE__;
// With a weak signal, a file that has not answered by then comes from the phone (and is refreshed behind).
const NETWORK_TIMEOUT_MS = 4000;
const SCOPE = new URL("./", self.location.href).href;

// Whether a response may be kept: this site's own, a plain 200, not reached through a redirect.
function keepable(response) {
  return Boolean(response) && response.status === 200 && response.type === "basic" && !response.redirected;
}

// Install: fetch every precached file past the HTTP cache; one that cannot be kept fails the install,
// and the browser tries again on a later visit (the old worker keeps serving meanwhile).
self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        PRECACHE.map(async (path) => {
          const url = new URL(path, SCOPE).href;
          const response = await fetch(new Request(url, { cache: "reload", credentials: "same-origin" }));
          if (!keepable(response)) {
            throw new Error(`not kept offline: ${url} answered ${response.status} ${response.type}`);
          }
          await cache.put(url, response);
        }),
      ),
    ),
  );
});

// Activate: delete the caches of earlier deployments, then serve the open pages.
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

// The page's "reload" button: the waiting worker takes over, and the page reloads on controllerchange.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") {
    self.skipWaiting();
  }
});

// The network's answer, kept when it may be; the kept copy when the network fails. A file is kept under its
// address without the query (Pagefind asks for pagefind-entry.json?ts=...), so the cache holds one copy of each.
async function networkFirst(request, timeout) {
  const cache = await caches.open(CACHE);
  const key = new URL(request.url);
  key.search = "";
  key.hash = "";
  const fromNetwork = fetch(request).then(async (response) => {
    if (keepable(response)) {
      await cache.put(key.href, response.clone());
    }
    return response;
  });
  const kept = () => cache.match(key.href);
  // A slow network: the kept copy after the timeout, while the network's answer still refreshes it.
  return new Promise((resolve) => {
    let settled = false;
    const settle = (response) => {
      if (!settled && response) {
        settled = true;
        resolve(response);
      }
    };
    const timer = setTimeout(async () => settle(await kept()), timeout);
    fromNetwork
      .then((response) => {
        clearTimeout(timer);
        settle(response);
      })
      .catch(async () => {
        clearTimeout(timer);
        settle((await kept()) || offlinePage(request));
      });
  });
}

// A page never opened with a signal: say so, in the site's language, with a way home.
function offlinePage(request) {
  if (request.mode !== "navigate") {
    return Response.error();
  }
  const body =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
    "<title>Not saved on this phone</title><style>body{font-family:system-ui,sans-serif;margin:1.5rem;" +
    "line-height:1.5}a{color:#00796b}</style></head><body><main><h1>Not saved on this phone</h1>" +
    "<p>This page has not been opened here with a signal yet. The checklists and the steps are saved: " +
    `<a href="${SCOPE}">open the home page</a>.</p></main></body></html>`;
  return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  // Only this site's own GET requests, within its folder; sw.js itself is never kept.
  if (request.method !== "GET" || !request.url.startsWith(SCOPE) || request.url.split("?")[0].endsWith("/sw.js")) {
    return;
  }
  event.respondWith(networkFirst(request, NETWORK_TIMEOUT_MS));
});
