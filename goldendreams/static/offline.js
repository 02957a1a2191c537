// Offline reading of rights pages: a progressive enhancement, the site works without it.
// A page that loaded before the worker took control is handed over to be kept too.
if ("serviceWorker" in navigator) {
  var loadedThroughWorker = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.register("/sw.js").then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    if (loadedThroughWorker || !registration.active) return;
    var style = document.querySelector("link[rel=stylesheet]");
    registration.active.postMessage([location.href, style ? style.href : ""]);
  }).catch(function () {});
}
