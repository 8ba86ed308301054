/* The site's search worker. Material's bundle starts it (the page's configuration names it), hands
   it the edition's search/search_index.json (a manifest: hooks/qa_search_shards.py) and sends the
   reader's query; it loads only the term files the query's tokens live in and the question files
   of the hits it shows, and answers in the message format of Material's own worker: SETUP 0,
   READY 1, QUERY 2, RESULT 3 with {items: [[hit]], whole: questions holding every term}. */
"use strict";

var FIRST = 10, SHOWN = 100, PARTIAL = 30, REST_AFTER = 300, K1 = 1.2, B = 0.75;
/* Chosen with the query set (tests/search_queries.yml): a title that starts with the term counts up
   to 1.5 times, a glossary name that starts with it adds half the names' boost, a whole name one. */
var TITLE_START = 0.5, NAME_BONUS = 0.5;
var WORD = /[\p{L}\p{N}]/u;
var NAME_EDGE = "|";  /* listed at the gaps around each glossary name (hooks/qa_search_shards.py) */

function isHan(point) {
  return point >= 0x3400 && point <= 0x4dbf || point >= 0x4e00 && point <= 0x9fff ||
    point >= 0xf900 && point <= 0xfaff || point >= 0x20000 && point <= 0x2ffff;
}

/* Each Han character is a token, and each run of other letters and digits (as in Python). */
function tokens(text) {
  var out = [], word = "";
  for (var char of text.normalize("NFKC").toLowerCase()) {
    if (isHan(char.codePointAt(0))) {
      if (word) { out.push(word); word = ""; }
      out.push(char);
    } else if (WORD.test(char)) {
      word += char;
    } else if (word) {
      out.push(word); word = "";
    }
  }
  if (word) out.push(word);
  return out;
}

/* The query's terms: space-separated pieces (a quoted phrase is one); "-term" must be absent;
   the operators of Material's query syntax are dropped. */
function terms(query) {
  var wanted = [], absent = [], match, pattern = /([-+]?)"([^"]+)"|(\S+)/g;
  while ((match = pattern.exec(query))) {
    var text = match[2] || match[3], list = match[1] === "-" ? absent : wanted;
    if (!match[2]) {
      if (text[0] === "-" && text.length > 1) { list = absent; text = text.slice(1); }
      text = text.replace(/^\+/, "").replace(/[*~^][\d.]*$/, "").replace(/[*"]+/g, "");
    }
    var parts = tokens(text);
    if (parts.length && !list.some(function (term) { return term.key === parts.join(" "); }))
      list.push({shown: text.trim(), key: parts.join(" "), parts: parts});
  }
  return {wanted: wanted, absent: absent};
}

/* Pieces of a term that a question may hold when it lacks the whole: the words of a phrase, and a
   Han run in two-character steps (潜在扩散模型: 潜在 扩散 模型). */
function pieces(term) {
  var out = [], run = [];
  var flush = function () {
    for (var i = 0; i + 1 < run.length; i += 2) out.push(run.slice(i, i + 2));
    if (run.length > 2 && run.length % 2) out.push(run.slice(-2));
    run = [];
  };
  term.parts.forEach(function (part) {
    if (isHan(part.codePointAt(0))) run.push(part);
    else { flush(); out.push([part]); }
  });
  flush();
  return out.length > 1 ? out.map(function (parts) { return {shown: parts.join(""), key: parts.join(" "), parts: parts}; }) : [];
}

function Index(config, base) {
  var meta = config.questions;
  this.meta = meta;
  this.root = new URL("../../../" + meta.path, base);
  this.boost = FIELDS_BOOST(config.fields || {}, meta.fields);
  this.files = new Map();
  this.lists = new Map();
  this.completions = new Map();
  this.variants = readVariants(config.variants);
  var n = meta.count, sums = [0, 0, 0, 0];
  for (var i = 0; i < n * 4; i++) sums[i % 4] += meta.lengths[i];
  this.average = sums.map(function (sum) { return Math.max(1, sum / Math.max(1, n)); });
}

function FIELDS_BOOST(fields, names) {
  return names.map(function (name) { return fields[name] && fields[name].boost || 1; });
}

Index.prototype.file = function (path) {
  var files = this.files;
  if (!files.has(path)) {
    files.set(path, fetch(new URL(path, this.root)).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + path);
      return response.json();
    }).catch(function (error) { files.delete(path); throw error; }));
  }
  return files.get(path);
};

Index.prototype.termFile = function (token) {
  var point = token.codePointAt(0), meta = this.meta;
  return "t/" + (isHan(point) ? "h" + point % meta.han_files : "w" + point % meta.word_files) + ".json";
};

/* Where a token occurs: question -> sorted positions. `prefix`: every word starting with it. */
Index.prototype.occurrences = function (token, prefix) {
  var key = (prefix ? "^" : "=") + token;
  if (this.lists.has(key)) return Promise.resolve(this.lists.get(key));
  var self = this;
  return this.file(this.termFile(token)).then(function (data) {
    var found = new Map();
    var words = prefix ? Object.keys(data).filter(function (word) { return word.startsWith(token); })
                       : (Object.prototype.hasOwnProperty.call(data, token) ? [token] : []);
    words.forEach(function (word) { decode(data[word], found); });
    if (words.length > 1) found.forEach(function (positions) { positions.sort(function (a, b) { return a - b; }); });
    self.lists.set(key, found);
    if (prefix) self.completions.set(token, {data: data, list: words});
    return found;
  });
};

function decode(flat, into) {
  var number = 0, i = 0;
  while (i < flat.length) {
    number += flat[i];
    var count = flat[i + 1], position = flat[i + 2], list = into.get(number);
    if (!list) into.set(number, list = []);
    list.push(position);
    for (var j = 1; j < count; j++) list.push(position += flat[i + 2 + j]);
    i += 2 + count;
  }
}

function has(sorted, value) {
  var low = 0, high = sorted.length - 1;
  while (low <= high) {
    var middle = (low + high) >> 1;
    if (sorted[middle] === value) return true;
    if (sorted[middle] < value) low = middle + 1; else high = middle - 1;
  }
  return false;
}

/* The questions holding a term: question -> the positions where it starts. */
Index.prototype.holding = function (term) {
  var parts = term.parts, last = parts.length - 1;
  var prefix = !isHan(parts[last].codePointAt(0));
  var self = this;
  return Promise.all(parts.map(function (part, i) { return self.occurrences(part, i === last && prefix); }))
    .then(function (lists) {
      var found = new Map(), first = lists[0];
      first.forEach(function (positions, number) {
        for (var i = 1; i < lists.length; i++) if (!lists[i].has(number)) return;
        var starts = positions.filter(function (start) {
          for (var i = 1; i < lists.length; i++) if (!has(lists[i].get(number), start + i)) return false;
          return true;
        });
        if (starts.length) found.set(number, starts);
      });
      return found;
    });
};

/* BM25 over the four fields, each weighted by its boost, for one term's occurrences; a term that
   is a whole glossary name of the question (between two name edges) counts twice more. */
Index.prototype.scores = function (found, size, edges) {
  var meta = this.meta, n = meta.count, lengths = meta.lengths, boost = this.boost, average = this.average;
  var idf = Math.log(1 + (n - found.size + 0.5) / (found.size + 0.5)), out = new Map();
  found.forEach(function (starts, number) {
    var at = number * 4, field = [0], tf = [0, 0, 0, 0], score = 0, names = edges.get(number);
    for (var f = 1; f < 4; f++) field[f] = field[f - 1] + lengths[at + f - 1] + meta.gap;
    starts.forEach(function (start) {
      var f = 3;
      while (f > 0 && start < field[f]) f--;
      // Where a title or a name starts with the term, the question is more about it.
      tf[f] += f === 0 ? 1 + TITLE_START * Math.max(0, 1 - start / Math.max(1, lengths[at])) : 1;
      if (f === 1 && names && has(names, start - 1)) score += NAME_BONUS * boost[1] * (has(names, start + size) ? 2 : 1);
    });
    for (f = 0; f < 4; f++) {
      if (!tf[f]) continue;
      var norm = 1 - B + B * lengths[at + f] / average[f];
      score += boost[f] * tf[f] * (K1 + 1) / (tf[f] + K1 * norm);
    }
    out.set(number, idf * score);
  });
  return out;
};

Index.prototype.questionFile = function (number) {
  return "q/" + Math.floor(number / this.meta.per_file) + ".json";
};

Index.prototype.question = function (number) {
  var self = this;
  return this.file(this.questionFile(number)).then(function (entries) {
    return entries[number % self.meta.per_file];
  });
};

/* Everything the query finds, ranked: questions holding every term first, then those holding
   some terms or some pieces of them; at most SHOWN, each with the terms it holds and lacks. */
Index.prototype.search = function (query) {
  query = query.normalize("NFKC");
  if (this.variants) query = this.variants(query);
  var parsed = terms(query), self = this;
  var wanted = parsed.wanted;
  if (!wanted.length) return Promise.resolve({hits: [], whole: 0, query: parsed});
  var extra = [], owner = [];
  wanted.forEach(function (term, i) {
    pieces(term).forEach(function (piece) {
      owner.push({term: i, at: wanted.length + parsed.absent.length + extra.length});
      extra.push(piece);
    });
  });
  // The query's words in its order, as one phrase: questions that have them together rank higher.
  var phrase = wanted.length > 1 ? [{parts: [].concat.apply([], wanted.map(function (term) { return term.parts; }))}] : [];
  var all = wanted.concat(parsed.absent, extra), lookups = all.concat(phrase);
  var edges = this.occurrences(NAME_EDGE, false);
  return Promise.all(lookups.map(function (term) { return self.holding(term); }).concat([edges])).then(function (found) {
    var held = new Map(), excluded = new Set(), names = found.pop();
    found.forEach(function (map, i) {
      if (i >= wanted.length && i < wanted.length + parsed.absent.length) {
        map.forEach(function (_, number) { excluded.add(number); });
        return;
      }
      var score = self.scores(map, lookups[i].parts.length, names), weight = i < wanted.length || i >= all.length ? 1 : 0.5;
      if (i >= all.length) {  // the phrase adds to the score of the questions holding every term
        map.forEach(function (_, number) { if (held.has(number)) held.get(number).score += score.get(number); });
        return;
      }
      map.forEach(function (_, number) {
        if (!held.has(number)) held.set(number, {number: number, score: 0, terms: new Set()});
        var hit = held.get(number);
        hit.terms.add(i);
        hit.score += weight * score.get(number);
      });
    });
    var whole = [], partial = [];
    held.forEach(function (hit) {
      if (excluded.has(hit.number)) return;
      var every = wanted.every(function (_, i) { return hit.terms.has(i); });
      // How much of the query a partial hit covers: each term it holds counts one, each term it
      // lacks the share of the term's pieces it holds.
      hit.cover = every ? wanted.length : wanted.reduce(function (sum, term, i) {
        if (hit.terms.has(i)) return sum + 1;
        var own = owner.filter(function (o) { return o.term === i; });
        return sum + (own.length ? own.filter(function (o) { return hit.terms.has(o.at); }).length / own.length : 0);
      }, 0);
      (every ? whole : partial).push(hit);
    });
    var order = function (a, b) { return b.cover - a.cover || b.score - a.score || a.number - b.number; };
    whole.sort(order);
    partial.sort(order);
    var hits = whole.concat(partial.slice(0, PARTIAL)).slice(0, SHOWN);
    hits.forEach(function (hit) {
      hit.held = all.filter(function (_, i) { return hit.terms.has(i); });
    });
    return {hits: hits, whole: whole.length, query: parsed, terms: wanted};
  });
};

/* The completion of the query's last word (a word it starts) that most questions hold. */
Index.prototype.suggestion = function (query) {
  var parsed = terms(query.normalize("NFKC")), last = parsed.wanted[parsed.wanted.length - 1];
  var words = last && last.parts.length === 1 && this.completions.get(last.parts[0]);
  // A word the index has as it was typed needs no completion (flow, not flownet2).
  if (!words || words.list.indexOf(last.parts[0]) >= 0) return [];
  var best = "", most = 0, typed = query.normalize("NFKC").trim().split(/\s+/).pop();
  words.list.forEach(function (word) {
    var flat = words.data[word], count = 0;
    for (var i = 0; i < flat.length; i += 2 + flat[i + 1]) count++;
    if (word !== last.parts[0] && count > most) { most = count; best = word; }
  });
  // Material shows a completion only when it starts with the word as typed: keep the reader's case.
  return best && best.startsWith(typed.toLowerCase()) ? [typed + best.slice(typed.length)] : [];
};

/* A query typed in the other Chinese script becomes the index's: longest listed phrase first,
   then character by character (hooks/qa_search_index.py makes the table). */
function readVariants(table) {
  if (!table) return null;
  var chars = {}, words = table.words || {}, longest = 1, list = Array.from(table.chars || "");
  for (var i = 0; i + 1 < list.length; i += 2) chars[list[i]] = list[i + 1];
  for (var word in words) longest = Math.max(longest, word.length);
  return function (query) {
    var out = "", i = 0;
    while (i < query.length) {
      var done = false;
      for (var size = Math.min(longest, query.length - i); size > 1; size--) {
        var phrase = query.substr(i, size);
        if (Object.prototype.hasOwnProperty.call(words, phrase)) { out += words[phrase]; i += size; done = true; break; }
      }
      if (!done) {
        var char = String.fromCodePoint(query.codePointAt(i));
        out += chars[char] || char;
        i += char.length;
      }
    }
    return out;
  };
}

var HAN_CLASS = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2ffff}";

/* A term as a pattern over shown text: its tokens with any separators between them; a Latin
   token starts a word. */
function pattern(term) {
  var escape = function (text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); };
  var body = term.parts.map(function (part) {
    var text = escape(part);
    return isHan(part.codePointAt(0)) ? text : "(?<!(?![" + HAN_CLASS + "])[\\p{L}\\p{N}])" + text;
  }).join("[^\\p{L}\\p{N}]*");
  return new RegExp(body, "giu");
}

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/* Text with the spans the patterns find marked, escaped. */
function marked(text, patterns) {
  var spans = [];
  patterns.forEach(function (re) {
    re.lastIndex = 0;
    var match;
    while ((match = re.exec(text))) {
      if (!match[0].length) { re.lastIndex++; continue; }
      spans.push([match.index, match.index + match[0].length]);
    }
  });
  spans.sort(function (a, b) { return a[0] - b[0]; });
  var out = "", at = 0;
  spans.forEach(function (span) {
    if (span[0] < at) { if (span[1] > at) { out += "<mark>" + escapeHtml(text.slice(at, span[1])) + "</mark>"; at = span[1]; } return; }
    out += escapeHtml(text.slice(at, span[0])) + "<mark>" + escapeHtml(text.slice(span[0], span[1])) + "</mark>";
    at = span[1];
  });
  return out + escapeHtml(text.slice(at));
}

var SENTENCE_END = /[。！？；!?;]|\.(?=\s)/g, SNIPPET = 240, LEAD = 60;

/* The answer's first block that shows a whole term (else a piece of one), from the start of the
   sentence that does when it is far in; or the answer's start. */
function snippet(blocks, terms, patterns) {
  return terms.length && shown(blocks, terms, patterns) || shown(blocks, patterns, patterns) ||
    (blocks.length ? cut(blocks[0], patterns) : "");
}

/* The first block where one of `wanted` is found, marked with `patterns`. */
function shown(blocks, wanted, patterns) {
  for (var b = 0; b < blocks.length; b++) {
    var block = blocks[b], first = -1;
    wanted.forEach(function (re) {
      re.lastIndex = 0;
      var match = re.exec(block);
      if (match && (first < 0 || match.index < first)) first = match.index;
    });
    if (first < 0) continue;
    var start = 0;
    if (first > LEAD) {
      SENTENCE_END.lastIndex = 0;
      var end;
      while ((end = SENTENCE_END.exec(block)) && end.index < first) start = end.index + end[0].length;
      while (start < first && /\s/.test(block[start])) start++;
    }
    return cut(block.slice(start), patterns);
  }
  return "";
}

function cut(text, patterns) {
  var short = text.length > SNIPPET ? text.slice(0, SNIPPET) + "…" : text;
  return "<p>" + marked(short, patterns) + "</p>";
}

/* The hits as Material's result items: one group per question. */
Index.prototype.items = function (found, count) {
  var self = this;
  var chosen = found.hits.slice(0, count);
  return Promise.all(chosen.map(function (hit) { return self.question(hit.number); })).then(function (entries) {
    return entries.map(function (entry, i) {
      var hit = chosen[i], marks = {}, whole = found.terms.every(function (_, t) { return hit.terms.has(t); });
      found.terms.forEach(function (term, t) { marks[term.shown] = hit.terms.has(t); });
      // A hit holding every term shows those; one holding part of the query also the pieces it has.
      var shown = hit.held.filter(function (term) {
        return found.query.absent.indexOf(term) < 0 && (!whole || found.terms.indexOf(term) >= 0);
      });
      shown.forEach(function (term) { marks[term.shown] = true; });
      var patterns = shown.map(pattern);
      var terms = shown.filter(function (term) { return found.terms.indexOf(term) >= 0; }).map(pattern);
      return [{location: entry[0], title: marked(entry[1], patterns), text: snippet(entry[4], terms, patterns),
               score: hit.score, terms: marks}];
    });
  });
};

if (typeof self !== "undefined" && typeof self.postMessage === "function" && typeof window === "undefined") {
  var index = null, latest = 0, suggest = false;
  self.addEventListener("message", function (event) {
    var message = event.data;
    if (message.type === 0) {
      // A manifest of another format (an older page's, from a cache) finds nothing rather than hanging.
      var config = message.data.config || {};
      index = config.questions && config.questions.format === 1 ? new Index(config, self.location.href) : null;
      suggest = !!(message.data.options && message.data.options.suggest);
      self.postMessage({type: 1});
    } else if (message.type === 2 && !index) {
      self.postMessage({type: 3, data: {items: [], whole: 0}});
    } else if (message.type === 2) {
      var serial = ++latest, query = message.data;
      index.search(query).then(function (found) {
        if (serial !== latest) return null;
        return index.items(found, FIRST).then(function (items) {
          if (serial !== latest) return;
          var result = {items: items, whole: found.whole};
          if (suggest) result.suggest = index.suggestion(query);
          self.postMessage({type: 3, data: result});
          if (found.hits.length <= FIRST) return;
          // The rest of the list follows once the reader stops typing and its question files are in.
          setTimeout(function () {
            if (serial !== latest) return;
            index.items(found, SHOWN).then(function (all) {
              if (serial === latest) self.postMessage({type: 3, data: Object.assign({}, result, {items: all})});
            }).catch(function () {});
          }, REST_AFTER);
        });
      }).catch(function () {
        if (serial === latest) self.postMessage({type: 3, data: {items: [], whole: 0}});
      });
    }
  });
}

if (typeof module !== "undefined") module.exports = {Index: Index, tokens: tokens, terms: terms, pieces: pieces};
