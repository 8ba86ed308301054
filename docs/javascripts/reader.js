// Reading aids that cost nothing until used: opened figures, and glossary terms on touch.

// An opened figure: Back closes it and keeps the reader's place; focus moves into it and back to
// the figure. On a narrow screen it opens fitted to the width; a double tap or a pinch shows it at
// its own size (drawn for legibility), which pans, and says so.
addEventListener("DOMContentLoaded", function () {
  if (typeof lightbox === "undefined") return;
  var text = JSON.parse((document.getElementById("qa-interface") || {}).textContent || "{}");
  var opener, pushed, narrow = matchMedia("(max-width: 59.9375em)");

  function zoom(box, on) {
    if (box.classList.contains("qa-zoomed") === on) return;
    box.classList.toggle("qa-zoomed", on);
    if (on) {
      box.scrollLeft = 0;
      var hint = box.parentNode.querySelector(".qa-pan") || box.parentNode.appendChild(document.createElement("p"));
      hint.className = "qa-pan";
      hint.textContent = text.figure_pan;
      hint.setAttribute("role", "status");
      setTimeout(function () { hint.remove(); }, 2500);
      if (box.scrollWidth > box.clientWidth) box.scrollBy({ left: 60, behavior: "smooth" });
    }
  }

  lightbox.on("open", function () {
    opener = document.activeElement;
    history.pushState({ qaFigure: 1 }, "");
    pushed = true;
    var close = document.querySelector(".glightbox-container .gclose");
    if (close) close.focus();
  });
  lightbox.on("slide_after_load", function (slide) {
    var box = slide.slideNode.querySelector(".gslide-image");
    if (!box || box.dataset.qaZoom) return;
    box.dataset.qaZoom = 1;
    var lastTap = 0, start = 0;
    box.addEventListener("touchend", function (event) {
      if (event.touches.length || !narrow.matches) return;
      if (event.timeStamp - lastTap < 350) {
        event.preventDefault();
        zoom(box, !box.classList.contains("qa-zoomed"));
        lastTap = 0;
      } else lastTap = event.timeStamp;
    });
    function spread(event) {
      var a = event.touches[0], b = event.touches[1];
      return Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY);
    }
    box.addEventListener("touchstart", function (event) {
      start = event.touches.length === 2 ? spread(event) : 0;
    }, { passive: true });
    box.addEventListener("touchmove", function (event) {
      if (!start || event.touches.length !== 2 || !narrow.matches) return;
      var ratio = spread(event) / start;
      if (ratio > 1.2 || ratio < 0.8) {
        zoom(box, ratio > 1);
        start = 0;
      }
    }, { passive: true });
  });
  lightbox.on("close", function () {
    if (pushed) {
      pushed = false;
      history.back();
    }
    if (opener && opener.focus) opener.focus({ preventScroll: true });
  });
  addEventListener("popstate", function () {
    if (pushed) {
      pushed = false;
      lightbox.close();
    }
  });
});

// A glossary term on a touch screen (no hover, so no title tooltip): one tap shows its definition in
// place, with a link to the glossary. One listener for the page; the box is made on the first tap.
(function () {
  if (!matchMedia("(hover: none)").matches) return;
  var text = JSON.parse((document.getElementById("qa-interface") || {}).textContent || "{}");
  var tip, shownFor;
  function hide() {
    if (tip) tip.hidden = true;
    shownFor = null;
  }
  document.addEventListener("click", function (event) {
    var term = event.target.closest && event.target.closest("a.qa-term");
    if (!term) {
      if (tip && !tip.contains(event.target)) hide();
      return;
    }
    if (term === shownFor) return hide();
    event.preventDefault();
    if (!tip) {
      tip = document.body.appendChild(document.createElement("div"));
      tip.className = "qa-term-tip md-typeset";
      tip.setAttribute("role", "status");
      tip.appendChild(document.createElement("p"));
      tip.appendChild(document.createElement("a"));
    }
    tip.firstChild.textContent = term.title;
    tip.lastChild.href = term.href;
    tip.lastChild.textContent = text.term_more;
    tip.hidden = false;
    var box = term.getBoundingClientRect();
    tip.style.top = scrollY + box.bottom + 6 + "px";
    tip.style.left = Math.max(8, Math.min(box.left, innerWidth - tip.offsetWidth - 8)) + "px";
    shownFor = term;
  });
  addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });
})();
