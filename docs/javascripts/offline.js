// Offline reading: registers the site's worker once the page has loaded, offers to save this
// edition (its size first, then progress), says when a page is read offline, and offers a new
// version after a deploy. Without the manifest link (mkdocs serve, QA_OFFLINE=0) it removes a
// worker and copies left from before.
(function () {
  var sw = navigator.serviceWorker, manifest = document.querySelector("link[rel=manifest]");
  var data = document.getElementById("qa-interface");
  var text = data ? JSON.parse(data.textContent) : {};
  if (!sw || !window.caches) return;
  if (!manifest) {
    sw.getRegistrations().then(function (all) {
      all.forEach(function (r) { if (/\/sw\.js$/.test((r.active || {}).scriptURL)) r.unregister(); });
    });
    caches.keys().then(function (names) {
      names.forEach(function (n) { if (!n.indexOf("qa-")) caches.delete(n); });
    });
    return;
  }
  var root = new URL(".", manifest.href).href, code = manifest.dataset.edition;
  var site = new URL(".", new URL(manifest.dataset.worker, location)).href;  // the lists' paths start here

  function say(key, values) {
    return (text[key] || key).replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }
  function bar(message, action, run) {
    var element = document.createElement("div");
    element.className = "qa-offline-bar";
    element.setAttribute("role", "status");
    element.textContent = message + " ";
    if (action) {
      var button = document.createElement("button");
      button.className = "md-button";
      button.textContent = action;
      button.onclick = run;
      element.appendChild(button);
    }
    document.body.appendChild(element);
  }
  function megabytes(bytes) { return (bytes / 1048576).toFixed(1) + " MB"; }

  if (!navigator.onLine) bar(say("offline_reading", {}));
  addEventListener("load", function () {
    sw.register(manifest.dataset.worker).then(function (registration) {
      function offer() {
        if (registration.waiting && sw.controller) {
          bar(say("offline_update", {}), say("offline_reload", {}), function () {
            registration.waiting.postMessage("activate");
          });
        }
      }
      offer();
      registration.addEventListener("updatefound", function () {
        var next = registration.installing;
        next.addEventListener("statechange", function () { if (next.state === "installed") offer(); });
      });
    });
    var reloading;
    sw.addEventListener("controllerchange", function () {
      if (!reloading && document.querySelector(".qa-offline-bar button")) location.reload(reloading = 1);
    });
  });

  // The save control, on the downloads page.
  var place = document.getElementById("qa-offline-save");
  if (!place) return;
  var button = document.createElement("button"), status = document.createElement("p");
  button.className = "md-button md-button--primary";
  status.setAttribute("role", "status");
  place.replaceChildren(button, status);
  fetch(root + "offline.json", { cache: "no-store" }).then(function (response) {
    return response.json();
  }).then(function (list) {
    var name = "qa-save-" + code + "-" + list.version, size = megabytes(list.bytes);
    function show(saved) {
      button.textContent = say(saved ? "offline_remove" : "offline_save", { size: size });
      status.textContent = saved ? say("offline_saved", { size: size }) : "";
      button.onclick = saved ? remove : save;
    }
    function remove() {
      caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return !n.indexOf("qa-save-" + code + "-"); })
          .map(function (n) { return caches.delete(n); }));
      }).then(function () { show(false); });
    }
    function save() {
      var done = 0, files = list.files.map(function (file) { return site + file; });
      button.disabled = true;
      caches.open(name).then(function (cache) {
        function next() {
          var batch = files.splice(0, 6);
          if (!batch.length) return cache.put(root + "offline.json", new Response(JSON.stringify(list)));
          return Promise.all(batch.map(function (file) {
            return fetch(file, { cache: "no-cache" }).then(function (response) {
              if (!response.ok) throw Error(file);
              return cache.put(file, response);
            });
          })).then(function () {
            done += batch.length;
            status.textContent = say("offline_saving", { done: done, total: list.files.length });
            return next();
          });
        }
        return next();
      }).then(function () { show(true); }, function () {
        status.textContent = say("offline_failed", {});
      }).then(function () { button.disabled = false; });
    }
    // caches.has first: opening would create an empty copy, which the worker would save again.
    caches.has(name).then(function (has) {
      return has && caches.open(name).then(function (cache) { return cache.match(root + "offline.json"); });
    }).then(function (hit) { show(!!hit); });
  }).catch(function () { status.textContent = say("offline_failed", {}); });
})();
