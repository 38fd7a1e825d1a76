/* jury — service worker for jurors' tablets, served as /jure/sw.js (scope /jure/).
 *
 * Lets a juror open their pages while the venue's Wi-Fi is down: juror pages are fetched from the network
 * first and kept in a cache, which answers when the network does not; the page's own script (juror.js)
 * queues the sheets and reconciles versions, so a page shown from the cache never overwrites anything.
 * The JSON API is never cached: a tablet must not mistake an old answer for an acknowledgement.
 * juror.js empties the page cache at sign-out and when another juror signs in on the same tablet.
 */
"use strict";

var PAGES = "jury-pages-v1";
var ASSETS = "jury-assets-v1";
var ASSET_URLS = ["/static/pico.min.css", "/static/app.css", "/static/juror.css", "/static/juror.js",
                  "/static/declarations.js"];
var NETWORK_TIMEOUT_MS = 4000;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(ASSETS)
      .then(function (cache) { return cache.addAll(ASSET_URLS); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function isJurorPage(url) {
  return url.pathname === "/jure" || url.pathname === "/jure/" || url.pathname.indexOf("/jure/feuilles/") === 0 ||
    /^\/jure\/tours\/\d+\/conflits$/.test(url.pathname);
}

function pageKey(url) {
  return url.origin + url.pathname; // "?fait=…" messages are not worth a copy each
}

function offlinePage() {
  var body = "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
    "<link rel=\"stylesheet\" href=\"/static/pico.min.css\"><title>Hors connexion · jury</title></head>" +
    "<body><main class=\"container\"><h1>Hors connexion</h1>" +
    "<p>Le réseau est indisponible et cette page n'a pas encore été ouverte sur cette tablette.</p>" +
    "<p>Les feuilles déjà enregistrées sur la tablette seront transmises au retour du réseau.</p>" +
    "<p><a href=\"/jure/\">Mes candidats</a></p></main></body></html>";
  return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function networkFirst(request) {
  var url = new URL(request.url);
  var key = pageKey(url);
  var network = fetch(request).then(function (response) {
    if (response.ok && response.type === "basic" && !response.redirected &&
        (response.headers.get("Content-Type") || "").indexOf("text/html") === 0) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { return cache.put(key, copy); });
    }
    return response;
  });
  var timeout = new Promise(function (resolve) { setTimeout(resolve, NETWORK_TIMEOUT_MS, null); });
  return Promise.race([network.catch(function () { return null; }), timeout]).then(function (first) {
    if (first && first.status < 500) { return first; }
    return caches.match(key).then(function (cached) {
      if (cached) { return cached; }
      return first || network.catch(function () { return offlinePage(); });
    });
  });
}

function staleWhileRevalidate(request) {
  return caches.open(ASSETS).then(function (cache) {
    return cache.match(request).then(function (cached) {
      var refresh = fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()); }
        return response;
      });
      return cached || refresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staleWhileRevalidate(request));
  } else if (isJurorPage(url)) {
    event.respondWith(networkFirst(request));
  }
});
