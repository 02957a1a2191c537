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

// A page the server says must not be stored (a logged-in staff member's) is not kept,
// and a page that is gone (404, 410) is forgotten.
function remember(request, response) {
  return caches.open(CACHE).then(function (cache) {
    if (response.status === 404 || response.status === 410) return cache.delete(request);
    var rule = response.headers.get("Cache-Control") || "";
    if (!response.ok || /no-store/.test(rule)) return cache.delete(request);
    return cache.put(request, response);
  });
}

// On a weak connection, wait this long for the network before showing the saved copy.
var PATIENCE = 4000;

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !keep(request.url)) return;
  var network = fetch(request);
  event.waitUntil(network.then(function (response) {
    return remember(request, response.clone());
  }).catch(function () {}));
  var saved = function () {
    return caches.match(request, { ignoreVary: true });
  };
  event.respondWith(new Promise(function (resolve) {
    var done = false;
    function answer(response) { if (!done && response) { done = true; resolve(response); } }
    network.then(answer, function () {
      saved().then(function (copy) { answer(copy || Response.error()); });
    });
    setTimeout(function () { saved().then(answer); }, PATIENCE);
  }));
});
