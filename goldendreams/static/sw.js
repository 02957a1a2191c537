// Keeps the rights articles and hotlines a worker has opened readable without a connection.
// Network first (always the latest when online); the saved copy only when offline.
// Nothing else is kept: not forms, not the calculator, not tracking-code pages.
var CACHE = "gd-rights-1";

function keep(address) {
  var url = new URL(address, self.location.href);
  if (url.origin !== self.location.origin) return false;
  if (url.pathname.indexOf("/static/") === 0) return /\.css$/.test(url.pathname);
  return /^\/(rights|help)\//.test(url.pathname) && url.pathname !== "/rights/calculator";
}

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  var addresses = (Array.isArray(event.data) ? event.data : []).filter(keep);
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(addresses); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !keep(request.url)) return;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request, { ignoreVary: true }).then(function (saved) {
      return saved || Response.error();
    });
  }));
});
