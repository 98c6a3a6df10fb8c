{% load static %}/* Keeps the questionnaire page that is open on this device usable without a network: a
   reload during a dropped connection shows the page again (from this cache) instead of the
   browser's error page, and the answers come back from the device's own storage.
   Network first: whenever the school's server answers, its page is used and kept. */
"use strict";
var CACHE = "{{ cache_name|escapejs }}";
var PAGE = "{{ page_url|escapejs }}";
var ASSETS = ["{% static 'xinshao/site.css' %}", "{% static 'campaigns/respond.css' %}", "{% static 'campaigns/respond.js' %}"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll([PAGE].concat(ASSETS)); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request, path = new URL(request.url).pathname;
  if (request.method !== "GET" || (path !== PAGE && ASSETS.indexOf(path) === -1)) return;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(path, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(path).then(function (kept) { return kept || Response.error(); });
  }));
});
