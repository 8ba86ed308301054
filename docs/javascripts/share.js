// Share one question: a button beside each question's title copies its short link (/q/<id>/),
// or opens the system share sheet where the device has one, and says which it did.
(function () {
  var data = document.getElementById("qa-interface");
  if (!data) return;
  var text = JSON.parse(data.textContent);
  // Created before it is needed: a status region filled as it appears may not be read out.
  var status = document.createElement("div");
  status.className = "qa-toast";
  status.setAttribute("role", "status");
  document.body.appendChild(status);

  function announce(message) {
    status.textContent = message;
    status.classList.add("qa-toast--shown");
    clearTimeout(announce.timer);
    announce.timer = setTimeout(function () { status.classList.remove("qa-toast--shown"); }, 2500);
  }

  function copy(url) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(url);
    return new Promise(function (resolve, reject) {
      var field = document.createElement("textarea");
      field.value = url;
      field.setAttribute("readonly", "");
      field.style.position = "fixed";
      field.style.opacity = "0";
      document.body.appendChild(field);
      field.select();
      var done = document.execCommand("copy");
      field.remove();
      done ? resolve() : reject();
    });
  }

  function share(heading, button) {
    var url = new URL("../../q/" + heading.dataset.short + "/", location.href).href;
    var title = heading.firstChild ? heading.firstChild.textContent.trim() : document.title;
    if (navigator.share && matchMedia("(pointer: coarse)").matches) {
      navigator.share({ title: title, url: url }).catch(function (error) {
        if (error.name !== "AbortError") copyLink(url, button);  // refused, not cancelled: copy instead
      });
      return;
    }
    copyLink(url, button);
  }

  function copyLink(url, button) {
    copy(url).then(function () {
      button.dataset.done = "";
      announce(text.share_copied + (/：$/.test(text.share_copied) ? "" : " ") + url);
      setTimeout(function () { delete button.dataset.done; }, 2500);
    }, function () {
      window.prompt(text.share_copy_failed, url);
    });
  }

  document.querySelectorAll("article h2[data-short]").forEach(function (heading) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "qa-share";
    button.title = text.share;
    button.setAttribute("aria-label", text.share + ": " + heading.firstChild.textContent.trim());
    button.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M18 16a3 3 0 0 0-2.2 1l-7-4a3 3 0 0 0 0-2l7-4A3 3 0 1 0 15 5l-7 4a3 3 0 1 0 0 6l7 4a3 3 0 1 0 3-3z"/></svg>';
    button.addEventListener("click", function () { share(heading, button); });
    // One control, one link: the short link replaces the heading's own permalink (kept without JS).
    var permalink = heading.querySelector(".headerlink");
    if (permalink) permalink.remove();
    var tools = heading.querySelector(".qa-tools") || heading.appendChild(document.createElement("span"));
    tools.className = "qa-tools";
    tools.insertBefore(button, tools.firstChild);
  });
})();
