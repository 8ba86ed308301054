"""The state of a build, kept across editions and `mkdocs serve` rebuilds, and the steps that use it.

mkdocs-static-i18n builds the editions one after another in one process, and `mkdocs serve`
rebuilds in the same process: everything here is keyed by the content it was made from.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import qa_cache
import qa_downloads
import qa_downloads_pdf
import qa_i18n
import qa_offline
import qa_output
import qa_render
import qa_search
import qa_search_index
import qa_search_shards
import qa_search_worker
from qa_inputs import ENGLISH_FIGURES, TRADITIONAL_FIGURES, build_site_corpus, read_inputs
from qa_math import render_math
from qa_model import SourceError
from qa_pipeline import Corpus, SourceErrors

log = logging.getLogger("mkdocs.hooks.qa")


class BuildError(Exception):
    """Input that cannot become a correct site; the message names the file and line."""


@dataclass
class Build:
    """One project's build state; the entry hook holds one for the life of the process."""

    corpus: Corpus | None = None
    corpus_key: str = ""
    reported: set[str] = field(default_factory=set)
    docs_dir: Path = Path("docs")
    figures_dir: Path = Path("imgs")
    generated: dict[str, str] = field(default_factory=dict)
    generated_key: tuple = ()
    segmenter: qa_cache.SegmenterCache | None = None
    dictionaries: dict[str, str] = field(default_factory=dict)
    variants: dict[str, dict] = field(default_factory=dict)
    variants_key: tuple = ()
    not_found: dict[str, str] = field(default_factory=dict)
    timing: dict[str, list] = field(default_factory=dict)
    command: str = "build"  # or "serve", from MkDocs' startup event
    saved_alternates: list | None = None  # the language menu while the 404 page is rendered
    site_name: str = ""  # the 简体 edition's; the other editions' builds change the config's
    site_key: str = ""
    site_key_for: object = None
    templates: qa_cache.TemplateCache = field(default_factory=qa_cache.TemplateCache)
    renders: qa_cache.RenderCache = field(default_factory=qa_cache.RenderCache)

    # --- read, normalize, link ------------------------------------------------------------------
    def load(self, docs_dir: Path, figures_dir: Path) -> Corpus:
        """Build the corpus once per distinct input, reporting its changes once at INFO."""
        self.docs_dir, self.figures_dir = docs_dir, figures_dir
        inputs = read_inputs(docs_dir, figures_dir)
        key = inputs.digest
        if key != self.corpus_key:
            try:
                self.corpus = build_site_corpus(inputs)
            except SourceErrors as errors:
                raise BuildError("source files cannot be built:\n  " +
                                 "\n  ".join(str(e) for e in errors.errors)) from None
            except SourceError as error:
                raise BuildError(f"source files cannot be built:\n  {error}") from None
            self.corpus_key = key
        if key not in self.reported:
            self.reported.add(key)
            self.report(self.corpus)
        return self.corpus

    @staticmethod
    def report(corpus: Corpus) -> None:
        """What a maintainer must act on as WARNINGs; the rest, which the build handled, in the content
        report (and at DEBUG, `mkdocs build -v`), under one summary line."""
        for change in corpus.changes:
            (log.warning if change.is_warning else log.debug)("%s", change)
        kinds = Counter(change.kind for change in corpus.changes)
        log.info("content: %d questions in the sources, %d on the site (%d new, %d moved, %d renamed, %d removed "
                 "upstream), %d changes (see topics/content-report/)", corpus.found, len(corpus.questions),
                 kinds["new"], kinds["moved"], kinds["renamed"], len(corpus.removed), len(corpus.changes))
        titled, answered, total = corpus.translated
        log.info("English edition: %d/%d titles and %d/%d answers translated", titled, total, answered, total)

    def start_edition(self, code: str, site_name: str) -> None:
        """Note the time, make jieba segment for the edition; the first edition forgets old caches."""
        self.timing[code] = [time.perf_counter(), None]
        self.use_search_dictionary(code)
        if code == qa_i18n.DEFAULT:
            self.site_name = site_name
            self.segmenter.new_build()
            self.renders.new_build()

    def use_search_dictionary(self, code: str = qa_i18n.DEFAULT) -> None:
        """Make jieba, which Material's search plugin segments Han text with, use the short-word list
        (in Traditional characters for the 繁體 edition)."""
        try:
            import jieba
        except ImportError:
            raise BuildError("jieba is not installed: the search index would not segment Chinese text. "
                             "Run: pip install -r requirements.txt") from None
        if self.segmenter is None:
            jieba.setLogLevel(logging.WARNING)  # not a line per dictionary load in the build log
            self.segmenter = qa_cache.SegmenterCache(jieba)
        self.segmenter.install()
        variant = qa_i18n.TRADITIONAL if code == qa_i18n.TRADITIONAL else qa_i18n.DEFAULT
        if variant not in self.dictionaries or not Path(self.dictionaries[variant]).exists():
            if variant == qa_i18n.TRADITIONAL:
                path = qa_search.search_dictionary(jieba, variant, qa_i18n.traditional_converter().convert)
            else:
                path = qa_search.search_dictionary(jieba)
            self.dictionaries[variant] = str(path)
        self.segmenter.use_dictionary(self.dictionaries[variant])

    # --- render ---------------------------------------------------------------------------------
    def write_pages(self) -> None:
        """Every edition's generated pages under docs/topics/ (and the 繁體 home page)."""
        home_page = (self.docs_dir / "index.md").read_text("utf-8")
        key = (self.corpus_key, home_page)
        if self.generated_key != key:  # each edition's build asks; the pages are the same for all
            self.generated_key, self.generated = key, qa_output.generated_pages(self.corpus, home_page)
        qa_output.write_generated_pages(self.docs_dir, self.generated)

    def edition_figures(self) -> tuple[Path, dict[str, bytes]]:
        """A folder holding imgs/en/ and imgs/zh-TW/ with the editions' drawings of the current corpus,
        and those drawings by their path under it."""
        folder = Path(tempfile.gettempdir()) / f"qa-figures-{self.corpus_key[:16]}"
        copies = {f"{ENGLISH_FIGURES}/{name}": data for name, data in self.corpus.english_drawings.items()}
        copies.update({f"{TRADITIONAL_FIGURES}/{name}": data for name, data in self.corpus.traditional_drawings.items()})
        for path, data in copies.items():
            target = folder / path
            if not target.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        return folder, copies

    def cache_rendering(self, page, config, files, code: str) -> None:
        """Route the page's Markdown rendering, which MkDocs runs next, through the render cache."""
        if self.site_key_for is not files:
            self.site_key_for, self.site_key = files, qa_cache.site_key(config, files, code)
        render = page.render
        page.render = lambda config, files: self.renders.render(page, config, files, self.site_key, render)

    def finish_content(self, html: str, src_uri: str, edition: qa_i18n.Edition) -> str:
        """Fold subheadings and link terms on topic pages, then formulas to MathML; raises MathError."""
        topic = qa_output.topic_of(self.corpus, src_uri)
        if topic is not None:
            html = qa_render.fold_subheadings(html)
            html = qa_render.link_terms(html, self.corpus.links, topic, edition)
        return render_math(html)[0]

    def end_template(self, template_name: str, output: str, code: str) -> None:
        """Keep each edition's 404 page; the last template ends an edition's build time."""
        if template_name == qa_output.NOT_FOUND:
            self.not_found[code] = output
        if code in self.timing:
            self.timing[code][1] = time.perf_counter()

    # --- check the output -----------------------------------------------------------------------
    def finish_site(self, site: Path, site_url: str, split_index: bool) -> None:
        """404 pages, anchor map, short links and search indexes per edition; then the timing line."""
        qa_output.write_not_found_pages(site, self.not_found, site_url)
        qa_output.write_anchor_pages(site, self.corpus)
        qa_output.write_study_catalogs(site, self.corpus)
        short = qa_output.write_short_pages(site, self.corpus, site_url, self.site_name)
        qa_output.drop_from_sitemap(site, "/topics/content-report/")
        qa_output.drop_from_sitemap(site, f"/topics/{qa_render.REMOVED_PREFIX}")
        if split_index:
            qa_i18n.split_search_index(site / qa_output.SEARCH_INDEX, {
                code: site / code / qa_output.SEARCH_INDEX for code in qa_i18n.EDITIONS if code != qa_i18n.DEFAULT})
        entries = self.finish_search(site)
        for code, (start, end) in self.timing.items():  # one line per edition
            if end:
                log.info("edition %s: %d questions, %d search entries, %d short links, built in %.2f s",
                         code, len(self.corpus.questions), entries.get(code, 0), short // len(qa_i18n.EDITIONS),
                         end - start)
        self.timing = {}

    def make_downloads(self, site: Path, config, languages) -> None:
        """Each edition's PDF, EPUB and Anki deck when QA_DOWNLOADS is set, and its downloads page's list."""
        start = time.perf_counter()
        try:
            kinds = qa_downloads.wanted_kinds()
            texts = qa_downloads.edition_texts(self.corpus, languages, self.site_name or config.site_name,
                                               config.site_description or "")
            made = qa_downloads.make_downloads(site, self.corpus, config.site_url or "/",
                                               Path(config.config_file_path).parent, texts, kinds)
        except (qa_downloads.DownloadError, qa_downloads_pdf.PdfError) as error:
            raise BuildError(f"downloads cannot be made: {error}") from None
        for item in made:
            log.info("download %s: %d KB in %.1f s", item.path.relative_to(site), item.path.stat().st_size // 1024,
                     item.seconds)
        if made:
            log.info("downloads made in %.1f s", time.perf_counter() - start)

    def write_offline(self, site: Path, config, languages) -> None:
        """The offline worker, each edition's manifest, offline notice and save list."""
        texts = qa_downloads.edition_texts(self.corpus, languages, self.site_name or config.site_name,
                                           config.site_description or "")
        on = qa_offline.enabled(self.command)
        sizes = qa_offline.write_offline(site, self.corpus, config.site_url or "/", texts, on)
        log.info("offline reading %s; a saved edition: %s", "on" if on else "off (the worker removes itself)",
                 ", ".join(f"{code} {size / 1024 / 1024:.1f} MB" for code, size in sizes.items()) or "-")

    def finish_search(self, site: Path) -> dict[str, int]:
        """Each edition's index holds its questions, their names and the variant table, cut into the
        files the site's search worker reads; the worker takes the place of the theme's, whose
        bundle gets its fixes (a theme whose code changed fails the build here)."""
        paths = qa_output.search_index_paths(site)
        key = (self.corpus_key, tuple(paths))
        if self.variants_key != key:  # the tables depend on the corpus (and the editions built) only
            self.variants, self.variants_key = qa_search_index.variant_tables(self.corpus, paths), key
        counts = {}
        for code, path in paths.items():
            index = qa_search_index.edition_index(json.loads(path.read_text(encoding="utf-8")), self.corpus, code,
                                                  self.variants[code])
            qa_search_shards.write(path.parent, qa_search_shards.sharded(index, qa_output.edition_path(code, "")))
            counts[code] = len(index["docs"])
        try:
            qa_search_worker.install(site)
        except qa_search_worker.PatchError as error:
            raise BuildError(str(error)) from None
        return counts
