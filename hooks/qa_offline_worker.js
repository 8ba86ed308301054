// Offline reading. Online, every request goes to the network (a deploy is seen at once) and a copy
// of what was read is kept; offline, the copy is served, from what was read or from an edition the
// reader saved. A page not kept gets its edition's offline notice. Written to the site root by
// hooks/qa_offline.py, which fills in the version, the editions' folders and the shell.
var VERSION = "__VERSION__", ON = __ON__, EDITIONS = __EDITIONS__, SHELL = __SHELL__;
var RUN = "qa-run-" + VERSION, SCOPE = self.registration.scope;

// The lists hold paths from the site root, which is where this worker is.
function here(paths) {
  return paths.map(function (path) { return new URL(path, SCOPE).href; });
}
var KEPT_OUT = /^(?:(?:en|zh-TW)\/)?(?:downloads|q)\//;

function edition(path) {
  return EDITIONS.filter(function (prefix) { return path.indexOf(prefix) === 0; })[0];
}

self.addEventListener("install", function (event) {
  if (!ON) return self.skipWaiting();
  event.waitUntil(caches.open(RUN).then(function (cache) { return cache.addAll(here(SHELL)); }));
});

// A saved edition of an older version is saved again for this one (if the network allows; else
// the old copy stays, and the pages say they are read offline).
function resave(name) {
  var prefix = name.slice(8, name.lastIndexOf("-")), path = prefix === "zh" ? "" : prefix + "/";
  return fetch(SCOPE + path + "offline.json", { cache: "no-store" }).then(function (response) {
    return response.json();
  }).then(function (list) {
    return caches.open("qa-save-" + prefix + "-" + list.version).then(function (cache) {
      return cache.addAll(here(list.files)).then(function () {
        return cache.put(SCOPE + path + "offline.json", new Response(JSON.stringify(list)));
      });
    });
  }).then(function () { return caches.delete(name); });
}

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    var mine = names.filter(function (name) { return name.indexOf("qa-") === 0; });
    if (!ON) {
      return Promise.all(mine.map(function (name) { return caches.delete(name); })).then(function () {
        return self.registration.unregister();
      });
    }
    return Promise.all(mine.filter(function (name) { return name.slice(-VERSION.length) !== VERSION; })
      .map(function (name) {
        return name.indexOf("qa-save-") === 0 ? resave(name).catch(function () {}) : caches.delete(name);
      })).then(function () { return self.clients.claim(); });
  }));
});

self.addEventListener("message", function (event) {
  if (event.data === "activate") self.skipWaiting();
});

// Downloads and short links are never kept; offline, opening one gets the notice like any page
// not kept.
self.addEventListener("fetch", function (event) {
  var request = event.request, path = request.url.slice(SCOPE.length), keep = !KEPT_OUT.test(path);
  if (!ON || request.method !== "GET" || request.url.indexOf(SCOPE) !== 0) return;
  event.respondWith(fetch(request).then(function (response) {
    if (keep && response.ok && response.type === "basic") {
      var copy = response.clone();
      caches.open(RUN).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return (keep ? caches.match(request, { ignoreSearch: true }) : Promise.resolve()).then(function (hit) {
      if (hit || request.mode !== "navigate") return hit || Response.error();
      return caches.match(SCOPE + edition(path) + "offline.html").then(function (notice) {
        return notice || Response.error();
      });
    });
  }));
});
