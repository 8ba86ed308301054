// Study mode: mark questions known or to review, see progress, practise with spaced repetition.
// Everything stays in this browser (localStorage), keyed by each question's short id, which all
// three editions share. Scheduling is SM-2 (Wozniak, 1990).
(function () {
  var KEY = "qa-study";
  var FORMAT = "ai-video-qa-study";
  var VERSION = 1;
  var DAY = 86400000;
  var data = document.getElementById("qa-interface");
  var text = data ? JSON.parse(data.textContent) : {};

  function today(now) {
    var date = new Date(now === undefined ? Date.now() : now);
    return Math.floor((date.getTime() - date.getTimezoneOffset() * 60000) / DAY);
  }

  // SM-2: grade 1 again, 2 hard, 3 good, 4 easy (SM-2 qualities 1, 3, 4, 5), with two changes
  // that make the four grades differ (README): again comes back in this round (interval 0), and
  // past the first pass hard grows the interval by a fifth and easy by an extra 30 %.
  function schedule(item, grade, day) {
    var quality = [0, 1, 3, 4, 5][grade];
    var ease = item.ease || 2.5, reps = item.reps || 0, interval = item.interval || 0;
    if (quality < 3) {
      reps = 0;
      interval = 0;
    } else {
      reps += 1;
      var next = reps === 1 ? 1 : reps === 2 ? 6 : Math.round(interval * ease);
      if (quality === 3 && reps > 1) next = Math.max(interval + 1, Math.round(interval * 1.2));
      if (quality === 5) next = reps === 1 ? 6 : Math.round(next * 1.3);
      interval = next;
      ease = Math.max(1.3, ease + 0.1 - (5 - quality) * (0.08 + (5 - quality) * 0.02));
    }
    return { ease: Math.round(ease * 100) / 100, reps: reps, interval: interval, due: day + interval };
  }

  // A count in an interface string: the '_one' form where the language has one.
  function counted(key, number, values) {
    var message = text[number === 1 && text[key + "_one"] ? key + "_one" : key];
    values = values || {};
    values.days = values.count = number;
    return message.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }

  // Keyboard hints only where a key has been pressed or the device has a fine pointer.
  addEventListener("keydown", function () { document.documentElement.classList.add("qa-keyboard"); }, { once: true });

  function isRecord(value) {
    return !!value && typeof value === "object" && !Array.isArray(value);
  }

  function load() {
    try {
      var state = JSON.parse(localStorage.getItem(KEY));
      if (isRecord(state) && state.version === VERSION && isRecord(state.items)) {
        var items = {};
        Object.keys(state.items).forEach(function (id) { if (isRecord(state.items[id])) items[id] = state.items[id]; });
        return { version: VERSION, items: items, last: isRecord(state.last) ? state.last : undefined };
      }
    } catch (error) {}
    return { version: VERSION, items: {} };
  }

  function save(state) {
    try {
      localStorage.setItem(KEY, JSON.stringify(state));
      return true;
    } catch (error) {  // storage blocked or full: say so instead of failing silently
      announce(text.study_not_saved);
      return false;
    }
  }

  function root() {
    var base = JSON.parse(document.getElementById("__config").textContent).base;
    return new URL(base.replace(/\/?$/, "/"), location.href).href;
  }

  var catalog;
  function questions() {
    catalog = catalog || fetch(root() + "study.json").then(function (response) { return response.json(); });
    return catalog;
  }

  // The state of a question, also found under the id of a copy merged into it.
  function itemOf(state, question) {
    var ids = [question.id].concat(question.aliases || []);
    for (var i = 0; i < ids.length; i++) if (state.items[ids[i]]) return state.items[ids[i]];
    return null;
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  var status, pending = [];
  function announce(message) {
    if (!status) {
      status = document.body.appendChild(element("div", "qa-sr"));
      status.setAttribute("role", "status");
    }
    pending.push(message);
    clearTimeout(announce.timer);
    announce.timer = setTimeout(function () {
      status.textContent = pending.join(" ");
      pending = [];
    }, 50);
  }

  // --- reading pages: marks beside each question, and where the reader stopped ---------------
  function markControls() {
    var headings = document.querySelectorAll("article h2[data-short]");
    if (!headings.length) return;
    var state = load();
    headings.forEach(function (heading) {
      var id = heading.dataset.short, title = heading.firstChild.textContent.trim();
      var bar = heading.querySelector(".qa-tools") || heading.appendChild(element("span", "qa-tools"));
      ["known", "review"].forEach(function (mark) {
        var button = element("button", "qa-mark qa-mark--" + mark);
        button.appendChild(element("span", "qa-mark__icon", mark === "known" ? "✓" : "↻")).setAttribute("aria-hidden", "true");
        button.appendChild(element("span", "qa-mark__label", text["study_" + mark]));
        button.title = text["study_" + mark];
        button.setAttribute("aria-label", text["study_" + mark] + ": " + title);
        button.type = "button";
        button.setAttribute("aria-pressed", String((state.items[id] || {}).mark === mark));
        button.addEventListener("click", function () {
          var current = load(), item = current.items[id] || {};
          var on = item.mark !== mark;
          if (on) {
            item.mark = mark;
            if (mark === "review") item.due = Math.min(item.due || today(), today());
            if (mark === "known" && !item.reps) delete item.due;
            current.items[id] = item;
          } else {
            delete item.mark;
            if (!item.reps) delete current.items[id];
          }
          save(current);
          bar.querySelectorAll(".qa-mark").forEach(function (other) {
            other.setAttribute("aria-pressed", String(on && other === button));
          });
          announce(on ? text["study_" + mark] + " ✓" : text.study_unmarked);
        });
        bar.appendChild(button);
      });
    });
    var remember = function () {
      var current = load(), best = null;
      headings.forEach(function (heading) {
        if (heading.getBoundingClientRect().top < 120) best = heading;
      });
      best = best || headings[0];
      current.last = { path: location.pathname, id: best.dataset.short, anchor: best.id,
                       title: best.firstChild.textContent.trim() };
      save(current);
    };
    var timer;
    addEventListener("scroll", function () { clearTimeout(timer); timer = setTimeout(remember, 400); },
                     { passive: true });
    remember();
  }

  // --- home page: progress per section and a way back ------------------------------------------
  function progress(place) {
    var state = load();
    var marked = Object.keys(state.items).length;
    if (!marked && !state.last) return;  // a first visit: nothing to show, nothing moves
    questions().then(function (site) {
      var box = element("div", "qa-progress admonition note"), day = today();
      box.appendChild(element("p", "admonition-title", text.study_progress));
      var list = element("ul", "qa-bars"), known = 0, due = 0, total = 0;
      site.sections.forEach(function (section) {
        var k = 0, d = 0, n = section.questions.length;
        section.questions.forEach(function (question) {
          var item = itemOf(state, question);
          if (item && item.mark === "known") k++;
          if (item && item.due !== undefined && item.due <= day) d++;
        });
        known += k; due += d; total += n;
        var row = list.appendChild(element("li", "", text.study_section.replace("{title}", section.title)
          .replace("{known}", k).replace("{total}", n).replace("{due}", d)));
        var bar = row.appendChild(element("span", "qa-bar"));
        bar.setAttribute("aria-hidden", "true");
        bar.appendChild(element("span", "qa-bar__known")).style.width = (100 * k / n) + "%";
        bar.appendChild(element("span", "qa-bar__due")).style.width = (100 * d / n) + "%";
      });
      if (marked) {
        box.appendChild(element("p", "", text.study_total.replace("{known}", known).replace("{total}", total)
          .replace("{due}", due)));
        box.appendChild(list);
      } else {  // read but nothing marked yet: one line saying how, not rows of zeros
        box.appendChild(element("p", "", text.study_invite));
      }
      var links = element("p");
      var last = null;
      site.sections.forEach(function (section) {
        section.questions.forEach(function (question) { if (state.last && question.id === state.last.id) last = question; });
      });
      if (last) {  // in this edition, wherever the reader stopped
        var back = element("a", "", text.study_continue + last.title);
        back.href = root() + last.url;
        links.appendChild(back);
        links.appendChild(document.createTextNode(" · "));
      }
      [["practice", text.practice_title], ["review", text.review_title]].forEach(function (page, index) {
        var link = element("a", "", page[1]);
        link.href = root() + "topics/" + page[0] + "/";
        links.appendChild(link);
        if (!index) links.appendChild(document.createTextNode(" · "));
      });
      box.appendChild(links);
      place.parentNode.insertBefore(box, place);
    });
  }

  // --- review list, and the reader's data: export, import, clear -------------------------------
  function reviewPage(app) {
    questions().then(function (site) {
      var state = load(), known = Object.create(null), shown = 0;
      app.textContent = "";
      site.sections.forEach(function (section) {
        var items = section.questions.filter(function (question) {
          known[question.id] = 1;
          (question.aliases || []).forEach(function (alias) { known[alias] = 1; });
          var item = itemOf(state, question);
          return item && item.mark === "review";
        });
        if (!items.length) return;
        app.appendChild(element("h2", "", section.title));
        var list = app.appendChild(element("ul"));
        items.forEach(function (question) {
          var link = element("a", "", question.title);
          link.href = root() + question.url;
          list.appendChild(element("li")).appendChild(link);
          shown++;
        });
      });
      if (!shown) app.appendChild(element("p", "", text.review_empty));
      (site.removed || []).forEach(function (id) { if (!known[id]) known[id] = "removed"; });
      var gone = Object.keys(state.items).filter(function (id) { return known[id] !== 1; }).length;
      if (gone) app.appendChild(element("p", "qa-gone", text.study_gone.replace("{count}", gone)));
      app.appendChild(dataControls(known));
    });
  }

  function dataControls(known) {
    var box = element("div", "qa-data"), message = element("p", "qa-data__message");
    message.setAttribute("role", "alert");
    var exportButton = element("button", "md-button", text.study_export);
    exportButton.addEventListener("click", function () {
      var state = load();
      var file = { format: FORMAT, version: VERSION, exported: new Date().toISOString(),
                   items: state.items, last: state.last || null };
      var link = element("a");
      link.href = URL.createObjectURL(new Blob([JSON.stringify(file, null, 1)], { type: "application/json" }));
      link.download = "ai-video-qa-progress.json";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
    var input = element("input");
    input.type = "file";
    input.accept = "application/json,.json";
    input.hidden = true;
    var importButton = element("button", "md-button", text.study_import);
    importButton.addEventListener("click", function () { input.click(); });
    input.addEventListener("change", function () {
      var reader = new FileReader();
      reader.onload = function () {
        var result = checkImport(String(reader.result), known), current = load();
        input.value = "";
        message.textContent = result.error || "";
        if (result.error) return;
        function apply(state) {
          message.textContent = text.study_imported.replace("{count}", Object.keys(result.items).length) +
            (result.skipped ? " " + text.import_skipped.replace("{count}", result.skipped) : "");
          save(state);
          setTimeout(function () { location.reload(); }, 800);
        }
        var replaced = { version: VERSION, items: result.items, last: result.last || undefined };
        var mine = Object.keys(current.items).length;
        if (!mine) return apply(replaced);
        // Progress here already: ask before overwriting it, and offer to merge the two.
        message.textContent = text.import_existing.replace("{count}", mine);
        [["import_merge", function () { apply(merge(current, result)); }], ["import_replace", function () { apply(replaced); }],
         ["import_cancel", function () { message.textContent = text.import_cancelled; }]].forEach(function (choice) {
          var button = message.appendChild(element("button", "md-button", text[choice[0]]));
          button.addEventListener("click", choice[1]);
        });
        message.querySelector("button").focus();
      };
      if (input.files[0]) reader.readAsText(input.files[0]);
    });
    var clearButton = element("button", "md-button", text.study_clear);
    clearButton.addEventListener("click", function () {
      if (!confirm(text.study_clear_confirm)) return;
      localStorage.removeItem(KEY);
      message.textContent = text.study_cleared;
      setTimeout(function () { location.reload(); }, 800);
    });
    [exportButton, importButton, clearButton, input, message].forEach(function (node) { box.appendChild(node); });
    return box;
  }

  // Two records of progress as one: per question the later review wins, and a mark set on
  // either side is kept (the later review's, where both have one).
  function merge(mine, theirs) {
    var items = {};
    function reviewed(item) { return item && item.due !== undefined ? item.due - (item.interval || 0) : -1; }
    Object.keys(mine.items).concat(Object.keys(theirs.items)).forEach(function (id) {
      var a = mine.items[id], b = theirs.items[id];
      var first = !b || (a && reviewed(a) >= reviewed(b)) ? a : b, other = first === a ? b : a;
      var item = JSON.parse(JSON.stringify(first));
      if (!item.mark && other && other.mark) item.mark = other.mark;
      items[id] = item;
    });
    return { version: VERSION, items: items, last: mine.last || theirs.last };
  }

  function whole(value, least) {
    return typeof value === "number" && Math.floor(value) === value && value >= least && value < 1e7;
  }

  // A valid export: this site's format and version, known ids, items of the right shape. Ids of
  // questions removed upstream (known as "removed") are skipped and counted.
  function checkImport(raw, known) {
    var file;
    try { file = JSON.parse(raw.replace(/^\ufeff/, "")); } catch (error) { return { error: text.import_not_json }; }
    if (!isRecord(file) || file.format !== FORMAT || !isRecord(file.items)) return { error: text.import_not_export };
    if (file.version !== VERSION) return { error: text.import_version.replace("{version}", String(file.version)) };
    var ids = Object.keys(file.items);
    var unknown = ids.filter(function (id) { return !Object.prototype.hasOwnProperty.call(known, id); });
    if (unknown.length) {
      return { error: text.import_unknown.replace("{count}", unknown.length).replace("{ids}", unknown.slice(0, 3).join(", ")) };
    }
    var bad = ids.filter(function (id) {
      var item = file.items[id];
      if (!isRecord(item)) return true;
      return Object.keys(item).some(function (key) {
        var value = item[key];
        if (key === "mark") return value !== "known" && value !== "review";
        if (key === "due" || key === "interval" || key === "reps") return !whole(value, 0);
        if (key === "ease") return typeof value !== "number" || !(value >= 1.3 && value <= 10);
        return true;
      });
    });
    var last = file.last;
    if (bad.length || (last !== null && last !== undefined &&
        !(isRecord(last) && typeof last.id === "string" && typeof last.title === "string"))) {
      return { error: text.import_not_export };
    }
    var items = {}, skipped = 0;
    ids.forEach(function (id) { if (known[id] === "removed") skipped++; else items[id] = file.items[id]; });
    return { items: items, last: last || undefined, skipped: skipped };
  }

  // --- practice: one question at a time, answer hidden until revealed, graded by the reader ----
  // New questions come in a shuffled order that stays the same after a reload: a seed kept with
  // the reader's data orders them by a hash of their id.
  function orderOf(id) {
    var seed = orderOf.seed;
    try { seed = seed || localStorage.getItem(KEY + "-order"); } catch (error) {}
    if (!seed) {
      seed = String(Math.floor(Math.random() * 1e9));
      try { localStorage.setItem(KEY + "-order", seed); } catch (error) {}
    }
    orderOf.seed = seed;
    var hash = 2166136261;
    (seed + id).split("").forEach(function (c) { hash = Math.imul(hash ^ c.charCodeAt(0), 16777619); });
    return hash >>> 0;
  }

  function keys(node, hint) {
    node.appendChild(element("span", "qa-keys", hint));
    return node;
  }

  function practicePage(app) {
    questions().then(function (site) {
      app.textContent = "";
      var form = element("p", "qa-practice__scope"), select = element("select");
      select.setAttribute("aria-label", text.practice_scope);
      [["all", text.practice_all], ["due", text.practice_due], ["review", text.review_title]]
        .concat(site.sections.map(function (section, index) { return ["section:" + index, section.title]; }))
        .forEach(function (option) {
          var node = element("option", "", option[1]);
          node.value = option[0];
          select.appendChild(node);
        });
      var start = element("button", "md-button md-button--primary", text.practice_start);
      form.appendChild(select);
      form.appendChild(start);
      var card = element("div", "qa-card");
      card.hidden = true;
      app.appendChild(keys(element("p"), text.practice_keys));
      app.appendChild(form);
      app.appendChild(element("p", "qa-practice__note", text.practice_order));
      app.appendChild(card);
      var queue = [], current = null, revealed = false, round = [0, 0, 0, 0], graded = [];

      // Due questions first (longest overdue first), then new ones shuffled, then the rest by date.
      function pick(scope) {
        var state = load(), day = today(), list = [];
        site.sections.forEach(function (section, index) {
          section.questions.forEach(function (question) {
            var item = itemOf(state, question);
            if (scope === "all" || scope === "section:" + index ||
                (scope === "review" && item && item.mark === "review") ||
                (scope === "due" && item && item.due !== undefined && item.due <= day)) {
              var due = item && item.due !== undefined ? item.due : null;
              list.push({ question: question, rank: due === null ? [1, orderOf(question.id)] : due <= day ? [0, due] : [2, due] });
            }
          });
        });
        return list.sort(function (a, b) { return a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1]; })
          .map(function (entry) { return entry.question; });
      }

      function summary() {
        var state = load(), day = today(), tomorrow = 0, next = null, count = 0;
        Object.keys(state.items).forEach(function (id) {
          var due = state.items[id].due;
          if (due === day + 1) tomorrow++;
          else if (due > day + 1 && (next === null || due < next)) next = due;
        });
        Object.keys(state.items).forEach(function (id) { if (state.items[id].due === next) count++; });
        var box = element("div", "qa-summary");
        box.appendChild(element("p", "", counted("practice_summary", graded.length,
          { again: round[0], hard: round[1], good: round[2], easy: round[3] })));
        box.appendChild(element("p", "", counted("practice_tomorrow", tomorrow)));
        if (next !== null) box.appendChild(element("p", "", text.practice_next_due.replace("{days}", next - day).replace("{count}", count)));
        var again = box.appendChild(element("button", "md-button", text.practice_more));
        again.addEventListener("click", function () { start.click(); });
        return box;
      }

      function show(first) {
        current = queue.shift();
        revealed = false;
        card.textContent = "";
        card.hidden = false;
        if (!current) {
          var done = first ? text.practice_empty : text.practice_done;
          card.appendChild(element("p", "", done));
          if (!first) card.appendChild(summary());
          announce(done);
          return;
        }
        card.appendChild(element("p", "qa-card__left", text.practice_left.replace("{count}", queue.length + 1)));
        var title = card.appendChild(element("h2", "", current.title));
        title.tabIndex = -1;
        var reveal = card.appendChild(keys(element("button", "md-button md-button--primary", text.practice_reveal),
                                           text.practice_reveal_key));
        reveal.addEventListener("click", showAnswer);
        card.appendChild(element("div", "qa-card__answer")).hidden = true;
        title.focus();
        announce(current.title);
      }

      function showAnswer() {
        if (!current || revealed) return;
        revealed = true;
        var answer = card.querySelector(".qa-card__answer"), question = current;
        card.querySelector(".md-button--primary").remove();
        fetch(root() + question.url.split("#")[0]).then(function (response) { return response.text(); })
          .then(function (html) {
            if (question !== current) return;
            var page = new DOMParser().parseFromString(html, "text/html");
            var heading = page.getElementById(decodeURIComponent(question.url.split("#")[1]));
            for (var node = heading && heading.nextElementSibling; node && node.tagName !== "H2"; node = node.nextElementSibling) {
              if (!node.classList.contains("qa-related")) answer.appendChild(document.importNode(node, true));
            }
            // A figure stays on this page: the lightbox is not set up here, and its link would leave practice.
            answer.querySelectorAll("a.glightbox").forEach(function (link) { link.replaceWith.apply(link, link.childNodes); });
            answer.hidden = false;
            var grades = card.appendChild(element("div", "qa-grades")), item = itemOf(load(), question) || {};
            ["again", "hard", "good", "easy"].forEach(function (name, index) {
              var next = schedule(item, index + 1, today()).interval;
              var button = keys(element("button", "md-button"), (index + 1) + " ");
              button.appendChild(element("span", "", text["grade_" + name]));
              button.appendChild(element("small", "", next ? counted("practice_days", next) : text.practice_this_round));
              button.addEventListener("click", function () { grade(index + 1); });
              grades.appendChild(button);
            });
            announce(text.practice_revealed);
          });
      }

      // A grade schedules the question; the reader's own mark (known, to review) stays as they set it.
      function grade(value) {
        if (!current || !revealed || !card.querySelector(".qa-grades")) return;
        var state = load(), question = current;
        var previous = itemOf(state, question) || {};
        var next = schedule(previous, value, today());
        if (previous.mark) next.mark = previous.mark;
        state.items[question.id] = next;
        (question.aliases || []).forEach(function (alias) { delete state.items[alias]; });
        save(state);
        round[value - 1]++;
        graded.push(question.id);
        if (next.interval) announce(counted("practice_next", next.interval));
        else {
          queue.push(question);
          announce(text.practice_next_round);
        }
        show();
      }

      start.addEventListener("click", function () {
        queue = pick(select.value);
        round = [0, 0, 0, 0];
        graded = [];
        show(true);
      });
      document.addEventListener("keydown", function (event) {
        if (card.hidden || event.target.closest("select, input, textarea") || event.altKey || event.ctrlKey || event.metaKey) return;
        if (event.key === " " && !revealed && !event.target.closest("button")) {
          event.preventDefault();
          showAnswer();
        } else if (revealed && /^[1-4]$/.test(event.key)) {
          event.preventDefault();
          grade(Number(event.key));
        }
      });
    });
  }

  window.qaStudy = { schedule: schedule, today: today, checkImport: checkImport, merge: merge, KEY: KEY };
  markControls();
  var review = document.querySelector(".qa-review-app"), practice = document.querySelector(".qa-practice-app");
  if (review) reviewPage(review);
  if (practice) practicePage(practice);
  var cards = document.querySelector("article .grid.cards");
  if (cards && !document.querySelector("article h2[data-short]")) progress(cards);
})();
