// Switching edition keeps the reader on the same question: the question anchors are the same
// in every edition, and navigation.tracking keeps the current one in the address bar. The
// listener runs in the capture phase, before the theme's own handling of the language menu.
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a.md-select__link[hreflang]") : null;
  if (link && window.location.hash) {
    event.preventDefault();
    event.stopPropagation();
    window.location.href = link.href.split("#")[0] + window.location.hash;
  }
}, true);
