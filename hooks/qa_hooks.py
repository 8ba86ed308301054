"""MkDocs entry hook: wires the build events to the read, normalize and render steps."""

from __future__ import annotations

import hashlib
import json
import time
import logging
import re
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

import qa_cache
import qa_i18n
import qa_render
import qa_sanitize
import qa_search
import qa_search_index
import qa_search_worker
from qa_math import MathError, render_math
from qa_catalog import CATALOG_NAME, parse_catalog
from qa_link import GLOSSARY_NAME, check_defining_questions, link_questions, parse_glossary
from qa_model import Change, SourceError, load_yaml
from qa_pipeline import Corpus, Figures, Page, SourceErrors, build_corpus, convert_body

log = logging.getLogger("mkdocs.hooks.qa")

SOURCES_DIR = "sources"
DATA_DIR = "data"
ENGLISH_DIR = "en"
GENERATED_DIR = "topics"
FIGURES_DIR = "imgs"
FORMULAS_FILE = "formulas.yml"
FIGURE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp")
SECTIONS_MARKER = "<!-- qa:sections -->"

# Module globals survive `mkdocs serve` rebuilds: key the cache by the inputs' content.
_cache: dict[str, Corpus] = {}
_reported: set[str] = set()
_state: dict[str, object] = {}
_templates = qa_cache.TemplateCache()
_renders = qa_cache.RenderCache()


def read_inputs(docs_dir: Path, figures_dir: Path) \
        -> tuple[dict[str, bytes], bytes, bytes, dict[str, bytes], dict[str, bytes]]:
    """The raw bytes of every input the corpus is built from: sources, catalog (with the glossary),
    formulas, drawings and the English edition's files."""
    sources_dir = docs_dir / SOURCES_DIR
    sources = {p.name: p.read_bytes() for p in sorted(sources_dir.glob("*.md"))}
    catalog = (sources_dir / CATALOG_NAME).read_bytes() + b"\0" + (docs_dir / DATA_DIR / GLOSSARY_NAME).read_bytes()
    english_dir = docs_dir / DATA_DIR / ENGLISH_DIR
    english = {p.name: p.read_bytes() for p in sorted(english_dir.glob("*.yml"))} if english_dir.is_dir() else {}
    formulas_path = figures_dir / FORMULAS_FILE
    formulas = formulas_path.read_bytes() if formulas_path.exists() else b""
    drawings = {p.name: p.read_bytes() for p in sorted(figures_dir.iterdir())
                if p.suffix.lower() in FIGURE_SUFFIXES} if figures_dir.is_dir() else {}
    return sources, catalog, formulas, drawings, english


SVG_SIZE = re.compile(rb'<svg\b[^>]*?\bwidth="(\d+)(?:px)?"[^>]*?\bheight="(\d+)(?:px)?"', re.S)


def svg_sizes(drawings: dict[str, bytes]) -> dict[str, tuple[int, int]]:
    """Width and height of each SVG drawing, so the page reserves its space before it loads."""
    sizes = {}
    for name, data in drawings.items():
        if name.endswith(".svg"):
            match = SVG_SIZE.search(data[:4096])
            if match:
                sizes[name] = (int(match.group(1)), int(match.group(2)))
    return sizes


def load_figures(formulas: bytes, drawings: dict[str, bytes]) -> Figures:
    """Drawings by stem (SVG preferred) and TeX formulas by picture stem."""
    by_stem: dict[str, str] = {}
    for name in sorted(drawings, key=lambda n: (not n.endswith(".svg"), n)):
        by_stem.setdefault(name.rsplit(".", 1)[0], name)
    try:
        tex = load_yaml(formulas.decode("utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise SourceError(f"{FIGURES_DIR}/{FORMULAS_FILE}", 1, f"cannot read: {error}") from None
    return Figures(by_stem, {str(k): str(v) for k, v in tex.items()})


def corpus_for(docs_dir: Path, figures_dir: Path) -> Corpus:
    """Build the corpus once per distinct input, reporting its changes once at INFO."""
    sources, catalog, formulas, drawings, english = read_inputs(docs_dir, figures_dir)
    digest = hashlib.sha256()
    for name, data in sorted(sources.items()):
        digest.update(name.encode() + b"\0" + data + b"\0")
    digest.update(catalog + b"\0" + formulas + b"\0" + qa_i18n.phrases_bytes())
    for name, data in english.items():
        digest.update(name.encode() + b"\0" + data + b"\0")
    for name, data in drawings.items():
        digest.update(name.encode() + b"\0" + data + b"\0")
    key = digest.hexdigest()
    if key not in _cache:
        _cache.clear()
        try:
            catalog_text, glossary_text = catalog.decode("utf-8").split("\0", 1)
            figures = load_figures(formulas, drawings)
            figures.sizes = svg_sizes(drawings)
            corpus = build_corpus(sources, parse_catalog(catalog_text), figures)
            page_of = {id(q): page.spec.id for page in corpus.pages for q in page.questions}
            corpus.links = link_questions(corpus.questions, page_of, parse_glossary(glossary_text))
            corpus.changes += check_defining_questions(corpus.links.glossary, {q.anchor for q in corpus.questions})
            corpus.editions = make_editions(qa_i18n.load_english(english), figures)
            report_translations(corpus)
            _cache[key] = corpus
        except SourceErrors as errors:
            raise PluginError("source files cannot be built:\n  " +
                              "\n  ".join(str(e) for e in errors.errors)) from None
        except SourceError as error:
            raise PluginError(f"source files cannot be built:\n  {error}") from None
    corpus = _cache[key]
    _state["corpus_key"] = key
    if key not in _reported:
        _reported.add(key)
        for change in corpus.changes:
            log.info("%s", change)
        log.info("content: %d questions in the sources, %d on the site, %d changes "
                 "(see topics/content-report/)", corpus.found, len(corpus.questions), len(corpus.changes))
        titled, answered, total = corpus.translated
        log.info("English edition: %d/%d titles and %d/%d answers translated", titled, total, answered, total)
    return corpus


def make_editions(english: qa_i18n.English, figures: Figures) -> dict[str, qa_i18n.Edition]:
    """The three editions; English answers go through the same Markdown rewrite as the sources."""
    captions = english.site.get("figures", {})

    def convert(answer: str, question) -> str:
        return convert_body(answer, f"data/en/{english.questions[question.anchor].file}", 1, figures, captions)[0]

    return {code: qa_i18n.Edition(code, english if code == qa_i18n.ENGLISH else None, convert)
            for code in qa_i18n.EDITIONS}


def report_translations(corpus: Corpus) -> None:
    """Count English titles and answers, and report answers whose Chinese source changed since."""
    english = corpus.editions[qa_i18n.ENGLISH].english
    titled = answered = 0
    for question in corpus.questions:
        translation = english.questions.get(question.anchor)
        if translation is None:
            continue
        titled += 1
        if translation.answer:
            answered += 1
            if translation.source != qa_i18n.fingerprint(question):
                corpus.changes.append(Change("translation", question.source, question.line,
                                             f"English answer to '{question.title}' may be outdated: the "
                                             f"Chinese changed since it was translated (data/en/{translation.file})"))
    corpus.translated = (titled, answered, len(corpus.questions))


def current_edition(config) -> qa_i18n.Edition:
    """The edition being built: mkdocs-static-i18n builds one language after another."""
    plugin = config.plugins.get("i18n")
    code = getattr(plugin, "current_language", None) or qa_i18n.DEFAULT
    return _state["corpus"].editions[code]


def base_path(src_uri: str) -> str:
    """'topics/x.en.md' -> 'topics/x.md': the page a translated file stands for."""
    for code in qa_i18n.EDITIONS:
        suffix = f".{code}.md"
        if src_uri.endswith(suffix):
            return src_uri[: -len(suffix)] + ".md"
    return src_uri


def write_if_changed(path: Path, text: str) -> None:
    """Write a generated page only when it differs, so `mkdocs serve` does not rebuild forever."""
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def use_search_dictionary(edition: str = qa_i18n.DEFAULT) -> None:
    """Make jieba, which Material's search plugin segments Han text with, use the short-word list
    (in Traditional characters for the 繁體 edition)."""
    try:
        import jieba
    except ImportError:
        raise PluginError("jieba is not installed: the search index would not segment Chinese text. "
                          "Run: pip install -r requirements.txt") from None
    segmenter = _state.get("segmenter")
    if segmenter is None:
        segmenter = _state["segmenter"] = qa_cache.SegmenterCache(jieba)
    segmenter.install()
    dictionaries = _state.setdefault("dictionaries", {})
    variant = qa_i18n.TRADITIONAL if edition == qa_i18n.TRADITIONAL else qa_i18n.DEFAULT
    if variant not in dictionaries or not Path(dictionaries[variant]).exists():
        if variant == qa_i18n.TRADITIONAL:
            path = qa_search.search_dictionary(jieba, variant, qa_i18n.traditional_converter().convert)
        else:
            path = qa_search.search_dictionary(jieba)
        dictionaries[variant] = str(path)
    segmenter.use_dictionary(dictionaries[variant])


def on_config(config):
    """Build the corpus from the sources and derive the navigation from it, per edition."""
    code = getattr(i18n_plugin(config), "current_language", None) or qa_i18n.DEFAULT
    _state.setdefault("timing", {})[code] = [time.perf_counter(), None]
    use_search_dictionary(code)
    if code == qa_i18n.DEFAULT:  # the first edition of a build: forget what no build uses now
        _state["segmenter"].new_build()
        _renders.new_build()
    docs_dir = Path(config.docs_dir)
    figures_dir = Path(config.config_file_path).parent / FIGURES_DIR
    corpus = corpus_for(docs_dir, figures_dir)
    _state.update(corpus=corpus, docs_dir=docs_dir, figures_dir=figures_dir)
    config.nav = qa_render.navigation(corpus, current_edition(config))
    apply_interface_text(config, current_edition(config))
    return config


def apply_interface_text(config, edition: qa_i18n.Edition) -> None:
    """The theme's and extensions' interface strings in the edition's language (qa_i18n, site.yml)."""
    config.extra["search_translations"] = edition.search_translations()
    config.extra["not_found"] = edition.not_found()
    config.extra["search_label"] = edition.interface("search_label")
    config.mdx_configs.setdefault("toc", {})["permalink_title"] = edition.interface("permalink_title")
    config.copyright = edition.interface("copyright")
    for entry, key in zip(config.theme["palette"], ("palette_dark", "palette_light")):
        entry["toggle"]["name"] = edition.interface(key)


def generated_pages(corpus: Corpus, home_page: str) -> dict[str, str]:
    """Every edition's generated pages (and the 繁體 home page) by path under docs/."""
    wanted: dict[str, str] = {}
    for edition in corpus.editions.values():
        wanted[edition.file_name(f"{GENERATED_DIR}/content-report.md")] = qa_render.render_report(corpus, edition)
        for page in corpus.pages:
            wanted[edition.file_name(qa_render.page_path(page))] = qa_render.render_page(page, corpus, edition)
        wanted[edition.file_name(f"{GENERATED_DIR}/{qa_render.GLOSSARY_PAGE}.md")] = \
            qa_render.render_glossary(corpus, edition)
    traditional = corpus.editions[qa_i18n.TRADITIONAL]
    wanted[traditional.file_name("index.md")] = traditional.convert_page(home_page)
    return wanted


def on_pre_build(config):
    """Write every edition's generated pages under docs/topics/ (and the 繁體 home page)."""
    corpus: Corpus = _state["corpus"]
    docs_dir = Path(config.docs_dir)
    home_page = (docs_dir / "index.md").read_text("utf-8")
    # Each edition's build runs this hook; the pages are the same for all of them.
    key = (_state["corpus_key"], home_page)
    if _state.get("generated_key") != key:
        _state.update(generated_key=key, generated=generated_pages(corpus, home_page))
    wanted: dict[str, str] = _state["generated"]
    for name, text in wanted.items():
        write_if_changed(docs_dir / name, text)
    for stale in (docs_dir / GENERATED_DIR).glob("*.md"):
        if f"{GENERATED_DIR}/{stale.name}" not in wanted:
            stale.unlink()


def on_env(env, config, files):
    """Reuse compiled theme templates across editions and `mkdocs serve` rebuilds."""
    env.bytecode_cache = _templates
    return env


def on_files(files: Files, config):
    """Serve the figures from the top-level imgs/ folder at /imgs/."""
    figures_dir: Path = _state["figures_dir"]
    if figures_dir.is_dir():
        for path in sorted(figures_dir.iterdir()):
            if path.suffix.lower() in FIGURE_SUFFIXES:
                files.append(File(f"{FIGURES_DIR}/{path.name}", str(figures_dir.parent),
                                  config.site_dir, config.use_directory_urls))
    return files


def on_page_markdown(markdown, page, config, files):
    """Fill the home page's section list, and let the page reuse an earlier build's rendering."""
    use_render_cache(page, config, files)
    if SECTIONS_MARKER in markdown:
        return markdown.replace(SECTIONS_MARKER, qa_render.render_sections(_state["corpus"], current_edition(config)))
    return markdown


def use_render_cache(page, config, files) -> None:
    """Route the page's Markdown rendering, which MkDocs runs next, through the render cache."""
    edition = current_edition(config).code
    if _state.get("site_key_for") is not files:
        _state.update(site_key_for=files, site_key=qa_cache.site_key(config, files, edition))
    render = page.render
    page.render = lambda config, files: _renders.render(page, config, files, _state["site_key"], render)


def topic_of(page) -> Page | None:
    """The topic page a built page (of any edition) renders, if it is one."""
    path = base_path(page.file.src_uri)
    return next((p for p in _state["corpus"].pages if qa_render.page_path(p) == path), None)


@event_priority(-100)  # last, after every plugin: what it returns is what readers get
def on_page_content(html, page, config, files):
    """Turn the page's formulas into MathML (a formula that cannot be converted fails the build),
    then pass the page's HTML and outline through the allowlist sanitizer."""
    topic = topic_of(page)
    if topic is not None:
        html = qa_render.fold_subheadings(html)
        html = qa_render.link_terms(html, _state["corpus"].links, topic, current_edition(config))
    try:
        html = render_math(html)[0]
    except MathError as error:
        raise PluginError(f"{formula_location(error.tex, page)}: {error}") from None
    clean_outline(page.toc)
    return qa_sanitize.clean_html(html)


def clean_outline(items) -> None:
    """The page outline's titles come from headings, which hold source text: sanitize them too."""
    for item in items or ():
        item.title = qa_sanitize.clean_inline(item.title)
        clean_outline(item.children)


def formula_location(tex: str, page) -> str:
    """The source file and line of a formula on a page, for error messages."""
    topic = topic_of(page)
    if topic is None:
        return page.file.src_uri
    for question in topic.questions:
        for offset, line in enumerate(question.source_body.split("\n")):
            if tex.strip() and tex.strip() in line:
                return f"{question.source}:{question.body_line + offset}"
    return f"{topic.sources[0]}:{topic.questions[0].line if topic.questions else 1}"


def on_page_context(context, page, config, nav):
    """Point a generated page's edit link at the file it is built from, or drop it."""
    if not page.edit_url or not page.file.src_uri.startswith(f"{GENERATED_DIR}/"):
        return context
    # A generated page's own edit URL points at a file that is not in the repository:
    # send topic pages to their main source file, the glossary to its data file.
    base = page.edit_url[: -len(page.file.src_uri)]
    source_page = topic_of(page)
    if source_page is not None and source_page.sources:
        page.edit_url = f"{base}{SOURCES_DIR}/{source_page.sources[0]}"
    elif base_path(page.file.src_uri) == f"{GENERATED_DIR}/{qa_render.GLOSSARY_PAGE}.md":
        page.edit_url = f"{base}{DATA_DIR}/{GLOSSARY_NAME}"
    else:
        page.edit_url = None
    return context



SEARCH_INDEX = "search/search_index.json"
NOT_FOUND = "404.html"


def i18n_plugin(config):
    """mkdocs-static-i18n, if enabled."""
    return config.plugins.get("i18n")


def on_post_template(output, template_name, config):
    """Keep each edition's 404 page (every edition renders it to the site root); note build times."""
    code = current_edition(config).code
    if template_name == NOT_FOUND:
        _state.setdefault("not_found", {})[code] = output
    if code in _state.get("timing", {}):
        _state["timing"][code][1] = time.perf_counter()  # the last template ends an edition's build
    return output


@event_priority(-110)  # after mkdocs-static-i18n has built every edition
def on_post_build(config):
    """Write each edition's 404 page and search index into the edition's own folder."""
    plugin = i18n_plugin(config)
    if plugin is not None and plugin.building:
        return  # an inner build of one edition; the outer build finishes the job
    site = Path(config.site_dir)
    pages = _state.get("not_found", {})
    for code, output in pages.items():
        target = site / NOT_FOUND if code == qa_i18n.DEFAULT else site / code / NOT_FOUND
        target.parent.mkdir(parents=True, exist_ok=True)
        if code == qa_i18n.DEFAULT:
            output = qa_i18n.redirecting_404(output, config.site_url or "/")
        target.write_text(output, encoding="utf-8")
    write_anchor_pages(site)
    if plugin is not None:
        qa_i18n.split_search_index(site / SEARCH_INDEX, {
            code: site / code / SEARCH_INDEX for code in qa_i18n.EDITIONS if code != qa_i18n.DEFAULT})
    finish_search(site)
    times = {code: end - start for code, (start, end) in _state.get("timing", {}).items() if end}
    log.info("build time per edition: %s", ", ".join(f"{code} {seconds:.2f} s" for code, seconds in times.items()))
    _state["timing"] = {}


def finish_search(site: Path) -> None:
    """Each edition's index holds its questions, their names and the variant table; the theme's
    search scripts get their fixes (a theme whose code changed fails the build here)."""
    corpus: Corpus = _state["corpus"]
    segmenter = _state["segmenter"]
    paths = {code: site / SEARCH_INDEX if code == qa_i18n.DEFAULT else site / code / SEARCH_INDEX
             for code in qa_i18n.EDITIONS}
    paths = {code: path for code, path in paths.items() if path.exists()}
    key = (_state["corpus_key"], tuple(paths))
    if _state.get("variants_key") != key:  # the tables depend on the corpus (and the editions built) only
        _state["variants"] = qa_search_index.variant_tables(corpus, paths)
        _state["variants_key"] = key
    variants = _state["variants"]
    counts = {}
    for code, path in paths.items():
        use_search_dictionary(code)
        index = qa_search_index.edition_index(json.loads(path.read_text(encoding="utf-8")), corpus, code,
                                              segmenter.cut, variants[code])
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        counts[code] = len(index["docs"])
    log.info("search index entries per edition: %s", counts)
    try:
        qa_search_worker.patch_site(site)
    except qa_search_worker.PatchError as error:
        raise PluginError(str(error)) from None


ANCHOR_PAGES = "anchors.json"


def write_anchor_pages(site: Path) -> None:
    """Write, into each edition's folder, which page holds each question anchor: a link to a
    question that has since moved to another page is sent on by the script in overrides/main.html."""
    data = json.dumps(qa_render.anchor_pages(_state["corpus"]), ensure_ascii=False, separators=(",", ":"))
    for code in qa_i18n.EDITIONS:
        folder = site if code == qa_i18n.DEFAULT else site / code
        if folder.is_dir():
            (folder / ANCHOR_PAGES).write_text(data, encoding="utf-8")


def on_serve(server, config, builder):
    """Watch the docs folder but not the pages this hook generates into it, so a change rebuilds once."""
    docs_dir = Path(config.docs_dir)
    generated = {docs_dir / GENERATED_DIR, docs_dir / qa_i18n.Edition(qa_i18n.TRADITIONAL).file_name("index.md")}
    server.unwatch(config.docs_dir)
    for path in sorted(docs_dir.iterdir()):
        if path not in generated:
            server.watch(str(path))
    return server


# Material's script fetches sitemap.xml next to every <link rel="alternate"> in the head; with
# page-level alternates those fetches all fail. The sitemap carries the hreflang alternates instead.
HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


LIGHTBOX_SCRIPT = re.compile(r'<script src="[^"]*glightbox\.min\.js"></script>')
LIGHTBOX_INIT = '<script id="init-glightbox">'


def on_post_page(output, page, config):
    """Drop head alternates (kept in the sitemap), name the search dialog for screen readers, and
    load the lightbox script just before its use at the end of the body instead of blocking the head."""
    output = HEAD_ALTERNATE.sub("", output)
    script = LIGHTBOX_SCRIPT.search(output)
    if script and LIGHTBOX_INIT in output:
        output = output.replace(script.group(0), "", 1).replace(LIGHTBOX_INIT, script.group(0) + LIGHTBOX_INIT, 1)
    label = config.extra["search_label"]
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + f' aria-label="{label}">', 1)
