"""Untrusted sources: what reaches a reader is rendered HTML, and that HTML passes an allowlist.

Two passes, with different jobs:
- `clean_html`, `clean_inline` and `clean_search_text` are the guarantee. Every HTML fragment that
  carries source text (answers, titles, outline, formulas as MathML, the search index) goes through
  nh3 (Rust's ammonia) with exactly the tags, attributes, classes and URL schemes the site writes
  itself; images only from the site's own figures.
- `neutralize_source` runs on each answer's Markdown. It decides how unsafe markup is *shown*
  (a disallowed tag as literal text, so no sentence is lost; attr_list syntax as text, as on GitHub;
  a picture from another host as a link to it) and reports each finding with its source file and
  line. It is not what keeps readers safe: the output pass is.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from pygments.token import STANDARD_TYPES

from qa_markdown import MD_IMAGE, outside_code
from qa_model import Change

# --- The output allowlist ------------------------------------------------------------------------

# Presentation MathML as latex2mathml writes it.
MATHML = {
    "math": {"display", "xmlns"}, "mrow": set(), "mi": {"mathvariant"}, "mn": {"mathvariant"},
    "mo": {"stretchy", "fence", "form", "separator", "lspace", "rspace", "largeop", "movablelimits",
           "symmetric", "minsize", "maxsize", "accent", "mathvariant"},
    "mtext": {"mathvariant"}, "mspace": {"width", "height", "depth"}, "ms": set(),
    "msub": set(), "msup": set(), "msubsup": set(), "mfrac": {"linethickness", "bevelled"},
    "msqrt": set(), "mroot": set(), "mover": {"accent"}, "munder": {"accentunder"},
    "munderover": {"accent", "accentunder"}, "mstyle": {"displaystyle", "scriptlevel", "mathvariant",
                                                        "mathsize"},
    "mpadded": {"width", "height", "depth", "lspace", "voffset"}, "mphantom": set(),
    "menclose": {"notation"}, "mtable": {"columnalign", "rowalign", "rowspacing", "columnspacing",
                                         "displaystyle", "columnlines", "rowlines", "frame"},
    "mtr": {"columnalign", "rowalign"}, "mtd": {"columnalign", "rowalign", "columnspan", "rowspan"},
}
# Tags of rendered answers and pages, with the attributes each may keep ("class" is filtered by value).
CONTENT = {
    "a": {"href", "title", "class", "data-type", "data-width", "data-height", "data-title",
          "data-description", "data-desc-position"},
    "p": {"class", "align"}, "div": {"class", "align", "role", "data-search-exclude"}, "span": {"class"},
    "br": set(), "hr": set(), "h1": set(), "h2": {"data-short"}, "h3": set(), "h4": set(), "h5": set(), "h6": set(),
    "strong": set(), "em": set(), "b": set(), "i": set(), "u": set(), "del": set(), "s": set(),
    "sub": set(), "sup": set(), "kbd": set(), "code": {"class"}, "pre": {"class"}, "blockquote": set(),
    "ul": set(), "ol": {"start"}, "li": set(), "table": set(), "thead": set(), "tbody": set(),
    "tr": set(), "th": {"align"}, "td": {"align"}, "img": {"src", "alt", "title", "width", "height", "loading"},
    "figure": {"class"}, "figcaption": set(), "details": {"class", "open"}, "summary": set(), "center": set(),
    **MATHML,
}
# Every element may carry an id: question anchors, alias anchors, footnotes.
ALL_TAGS = {"*": {"id"}}
# Classes the site's own markup uses; anything else a source might slip in is dropped.
CLASSES = (
    {"glightbox", "headerlink", "qa-term", "qa-alias", "qa-math", "qa-overlap", "qa-related", "qa-term-uses",
     "qa-figure", "qa-figure-missing", "qa-figure-placeholder", "qa-practice-app", "qa-review-app", "highlight", "grid", "cards", "admonition", "admonition-title", "note", "warning",
     "footnote", "footnote-ref", "footnote-backref", "arithmatex", "linenos", "filename"}
    | {name for name in STANDARD_TYPES.values() if name}
)
URL_SCHEMES = {"http", "https", "mailto"}
# The tags Material's search index keeps in titles and text (plugins/search/plugin.py), no attributes.
SEARCH_TAGS = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}
# A figure of this site: a relative path into imgs/, nothing else (no other host, no data: URL).
OWN_FIGURE = re.compile(r"^(?:\.\./)*(?:\./)?imgs/(?:(?!\.\.?/)[^/\\?#:]+/)*[^/\\?#:]+$")
# A short link's id as qa_short_links makes it.
SHORT_ID = re.compile(r"^[a-z2-7]{6,16}$")


def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Per-value rules nh3's per-tag lists cannot say: class names, and where images come from."""
    if attribute == "class":
        kept = [name for name in value.split() if name in CLASSES or name.startswith("language-")]
        return " ".join(kept) or None
    if tag == "img" and attribute == "src":
        return value if OWN_FIGURE.match(value) else None
    if attribute == "data-short":
        return value if SHORT_ID.match(value) else None
    return value


@lru_cache(maxsize=1)
def page_cleaner() -> nh3.Cleaner:
    """The sanitizer for page content: the site's own tags only, scripts and styles dropped whole."""
    return nh3.Cleaner(tags=set(CONTENT), clean_content_tags={"script", "style"},
                       attributes={**CONTENT, **ALL_TAGS}, attribute_filter=keep_attribute,
                       url_schemes=URL_SCHEMES, link_rel=None,
                       # Comments cannot run; the generated pages' provenance note is one. Sources'
                       # comments never get here as comments (the source pass shows them as text).
                       strip_comments=False)


@lru_cache(maxsize=1)
def inline_cleaner() -> nh3.Cleaner:
    """The sanitizer for a title shown in the outline: text and inline emphasis only."""
    return nh3.Cleaner(tags={"strong", "em", "b", "i", "code", "sub", "sup", "del", "span", *MATHML},
                       clean_content_tags={"script", "style"}, attributes=MATHML, url_schemes=URL_SCHEMES,
                       link_rel=None)


@lru_cache(maxsize=1)
def search_cleaner() -> nh3.Cleaner:
    """The sanitizer for search index titles and text: the few tags the index keeps, no attributes."""
    return nh3.Cleaner(tags=SEARCH_TAGS, clean_content_tags={"script", "style"}, attributes={},
                       url_schemes=set(), link_rel=None)


def clean_html(fragment: str) -> str:
    """A page's content HTML with everything outside the allowlist removed."""
    return page_cleaner().clean(fragment)


def clean_inline(fragment: str) -> str:
    """A title's HTML (outline entry) reduced to text and inline emphasis."""
    return inline_cleaner().clean(fragment)


def clean_search_text(fragment: str) -> str:
    """A search index title or text reduced to the tags Material's index uses."""
    return search_cleaner().clean(fragment)


def clean_search_index(index: dict) -> dict:
    """Every entry's title and text through the search sanitizer (a page title can hold source text)."""
    for doc in index.get("docs", []):
        for key in ("title", "text"):
            if isinstance(doc.get(key), str):
                doc[key] = clean_search_text(doc[key])
    return index


def escape_text(text: str) -> str:
    """Source text (a title, a tag) as HTML or Markdown that shows it literally."""
    return html.escape(text, quote=False)


MARKDOWN_ACTIVE = re.compile(r"([\\`*_{}\[\]#!~$])")


def markdown_text(text: str) -> str:
    """Source text as Markdown that renders it literally: no link, image, emphasis, math or attr_list.

    Parentheses are left alone: `\\(` opens a formula for arithmatex.
    """
    return MARKDOWN_ACTIVE.sub(r"\\\1", escape_text(text))


# --- The source pass: show unsafe markup as text, report it with file and line --------------------

# Tags the sources use for layout, with the attributes that may stay on them; others show as text.
SOURCE_TAGS = {
    "div": {"align"}, "img": {"src", "alt", "title", "width", "height"}, "br": set(), "p": {"align"},
    "center": set(), "sub": set(), "sup": set(), "b": set(), "strong": set(), "i": set(), "em": set(),
    "u": set(), "span": set(), "details": set(), "summary": set(), "kbd": set(), "code": set(),
    "table": set(), "thead": set(), "tbody": set(), "tr": set(), "th": {"align"}, "td": {"align"},
}
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|<!--.*?-->", re.S)
ATTRIBUTE = re.compile(r"([^\s=/\"']+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
# Link and image destinations, reference definitions and autolinks: only their URLs matter here.
LINK_TARGET = re.compile(r"\]\(\s*<?([^\s)>]*)")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*<?([^\s>]+)", re.M)
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
# attr_list syntax: `{: ...}` or `{#id .class key=value}` after an element or at the end of a block.
ATTR_LIST = re.compile(r"\{:?[ ]*[^}\n ][^}\n]*\}")
ATTR_LIST_SHAPE = re.compile(r"^\{:|^\{\s*[#.]|^\{[^}]*=")
# Formulas, whose braces are TeX: `$$…$$`, `$…$`, `\\(…\\)`, `\\[…\\]`.
MATH_SPAN = re.compile(r"\$\$.*?\$\$|(?<![\\$])\$[^$\n]+?\$|\\\(.*?\\\)|\\\[.*?\\\]", re.S)
MATH_TEXT_MARKUP = re.compile(r"\\(?:text|mathrm|textrm|mbox|href)\s*\{[^}]*(?:<|&[#a-zA-Z])")
URL_CLEANUP = re.compile(r"[\t\n\r]")
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def url_scheme(url: str) -> str:
    """The scheme a browser sees: entities decoded, outer controls and spaces trimmed, tabs and
    newlines removed (WHATWG URL parsing), lower case; '' for a relative URL."""
    cleaned = URL_CLEANUP.sub("", html.unescape(url).strip("".join(map(chr, range(0x21)))))
    match = SCHEME.match(cleaned)
    return match.group(1).lower() if match else ""


def is_safe_url(url: str) -> bool:
    """A relative URL or one of the allowed schemes."""
    return url_scheme(url) in ("", *URL_SCHEMES)


def is_other_host(url: str) -> bool:
    """A URL that would make the browser ask another host: absolute or scheme-relative."""
    cleaned = html.unescape(url).strip()
    return bool(url_scheme(cleaned)) or cleaned.startswith(("//", "\\\\", "/\\", "\\/"))


def is_site_link(url: str) -> bool:
    """A link a source may carry: to the web (http, https, mailto), to an anchor, or to a figure."""
    cleaned = html.unescape(url).strip()
    if not cleaned or cleaned.startswith("#") or OWN_FIGURE.match(cleaned):
        return True
    return url_scheme(cleaned) in URL_SCHEMES or re.match(r"//[^/\\]", cleaned) is not None


def unsafe_tag_reason(closing: str, name: str, attributes: str) -> str:
    """Why a raw tag is shown as text rather than kept, or '' when it is kept."""
    name = name.lower()
    if name not in SOURCE_TAGS:
        return f"<{name}> is not allowed"
    if closing:
        return ""
    for match in ATTRIBUTE.finditer(attributes):
        attribute = match.group(1).lower()
        value = (match.group(2) or "").strip("\"'")
        if attribute.startswith("on"):
            return f"event handler {attribute}= on <{name}>"
        if attribute not in SOURCE_TAGS[name]:
            return f"attribute {attribute}= on <{name}> is not allowed"
        if attribute == "src" and is_other_host(value):
            return f"picture from another address ({value[:40]}) on <{name}>"
        if not is_safe_url(value):
            return f"{attribute}= with a {url_scheme(value)}: URL"
    return ""


def outside_math(text: str, rewrite) -> str:
    """Apply a rewrite to everything but formulas."""
    pieces, last = [], 0
    for match in MATH_SPAN.finditer(text):
        pieces += [rewrite(text[last:match.start()]), match.group(0)]
        last = match.end()
    return "".join(pieces) + rewrite(text[last:])


def neutralize_source(body: str, source: str, line: int) -> tuple[str, list[Change]]:
    """Show unsafe raw HTML, links that lead off the web, the site or a figure, and attr_list syntax
    as text; turn pictures from other hosts into links; report each, and markup inside a formula's
    text, with its source line."""
    changes: list[Change] = []
    searched = [0]

    def report(found: str, reason: str) -> None:
        position = body.find(found, searched[0])
        if position < 0:
            position = body.find(found)
        else:
            searched[0] = position
        changes.append(Change("html", source, line + body.count("\n", 0, max(position, 0)), reason))

    # A closing tag whose opening tag was escaped is escaped too, or it would close the page's own
    # markup; per tag name, a stack of whether each open element was escaped.
    open_elements: dict[str, list[bool]] = {}

    def tag(match: re.Match) -> str:
        if match.group(0).startswith("<!--"):
            report(match.group(0), "HTML comment: shown as text")
            return escape_text(match.group(0))
        name = match.group(2).lower()
        stack = open_elements.setdefault(name, [])
        if match.group(1) and stack and stack.pop():
            return escape_text(match.group(0))
        reason = unsafe_tag_reason(match.group(1), match.group(2), match.group(3) or "")
        if not match.group(1) and not match.group(0).endswith("/>") and name not in ("img", "br"):
            stack.append(bool(reason))
        if not reason:
            return match.group(0)
        report(match.group(0), f"{reason}: shown as text")
        return escape_text(match.group(0))

    def autolink(match: re.Match) -> str:
        if is_safe_url(match.group(1)):
            return match.group(0)
        report(match.group(0), f"autolink with a {url_scheme(match.group(1))}: URL: shown as text")
        return escape_text(match.group(0))

    def image(match: re.Match) -> str:
        alt, url = match.group(1), match.group(2)
        if is_other_host(url) and is_safe_url(url):
            report(match.group(0), f"picture from another address ({url[:60]}): shown as a link to it")
            return f"[{alt or url}]({url})"
        return match.group(0)

    def attr_list(match: re.Match) -> str:
        if not ATTR_LIST_SHAPE.match(match.group(0)):
            return match.group(0)
        report(match.group(0), f"attribute list {match.group(0)[:40]} : shown as text")
        return "\\" + match.group(0)

    def link(match: re.Match) -> str:
        if is_site_link(match.group(1)):
            return match.group(0)
        report(match.group(0), f"link to '{match.group(1)[:40]}', which is not an address on this site or the "
                               "web: shown as text")
        # `\](` is no link; neither is a definition whose `[` is escaped.
        text = match.group(0)
        return "\\" + text if text.startswith("]") else text.replace("[", "\\[", 1)

    def rewrite(text: str) -> str:
        text = LINK_TARGET.sub(link, REFERENCE.sub(link, text))
        text = AUTOLINK.sub(autolink, text)
        text = TAG.sub(tag, text)
        text = MD_IMAGE.sub(image, text)
        return outside_math(text, lambda prose: ATTR_LIST.sub(attr_list, prose))

    def check_formulas(text: str) -> str:
        for match in MATH_TEXT_MARKUP.finditer(text):
            report(match.group(0), "markup inside a formula's text: removed from the formula")
        return text

    outside_code(body, check_formulas)
    searched[0] = 0
    return outside_code(body, rewrite), changes
