"""MkDocs entry hook: maps the build events to the steps in qa_build, and nothing else."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

import qa_downloads
import qa_i18n
import qa_offline
import qa_output
import qa_render
import qa_sanitize
from qa_build import Build, BuildError
from qa_inputs import FIGURES_DIR, read_drawings
from qa_math import MathError

# Module globals survive `mkdocs serve` rebuilds; the build keys what it keeps by content.
build = Build()


def edition_code(config) -> str:
    """The edition being built: mkdocs-static-i18n builds one language after another."""
    plugin = config.plugins.get("i18n")
    return getattr(plugin, "current_language", None) or qa_i18n.DEFAULT


def current_edition(config) -> qa_i18n.Edition:
    return build.corpus.editions[edition_code(config)]


@contextmanager
def reported():
    """Input that cannot become a correct site stops the build with MkDocs' own error (no traceback)."""
    try:
        yield
    except BuildError as error:
        raise PluginError(str(error)) from None


def corpus_for(docs_dir: Path, figures_dir: Path):
    """The corpus of a project (also used by tests)."""
    with reported():
        return build.load(docs_dir, figures_dir)


def use_search_dictionary(code: str = qa_i18n.DEFAULT) -> None:
    """jieba segments with the site's short-word list of an edition (also used by tests)."""
    with reported():
        build.use_search_dictionary(code)


def on_startup(command, dirty):
    """Note whether this is `mkdocs serve`, where the offline worker is off."""
    build.command = command


def on_config(config):
    """Build the corpus; set the edition's navigation and interface text."""
    with reported():
        build.start_edition(edition_code(config), config.site_name)
    corpus_for(Path(config.docs_dir), Path(config.config_file_path).parent / FIGURES_DIR)
    edition = current_edition(config)
    config.nav = qa_render.navigation(build.corpus, edition) + [qa_downloads.navigation_entry(edition)]
    qa_output.apply_interface_text(config, edition)
    config.extra["qa_offline"] = qa_offline.enabled(build.command)
    return config


def on_pre_build(config):
    """Write every edition's generated pages under docs/topics/ (and the 繁體 home page)."""
    build.write_pages()


def on_env(env, config, files):
    """Reuse compiled theme templates across editions and `mkdocs serve` rebuilds."""
    env.bytecode_cache = build.templates
    return env


def on_files(files: Files, config):
    """Serve the drawings of the top-level imgs/ folder (and its subfolders) at /imgs/, the editions'
    copies at /imgs/en/ and /imgs/zh-TW/."""
    for name in read_drawings(build.figures_dir):
        files.append(File(f"{FIGURES_DIR}/{name}", str(build.figures_dir.parent), config.site_dir,
                          config.use_directory_urls))
    folder, copies = build.edition_figures()
    for path in sorted(copies):
        files.append(File(path, str(folder), config.site_dir, config.use_directory_urls))
    return files


def on_page_markdown(markdown, page, config, files):
    """Fill the home page's section list, and let the page reuse an earlier build's rendering."""
    build.cache_rendering(page, config, files, edition_code(config))
    if qa_output.SECTIONS_MARKER in markdown:
        edition = current_edition(config)
        sections = qa_render.render_sections(build.corpus, edition) + "\n\n" + qa_downloads.home_link(edition)
        return markdown.replace(qa_output.SECTIONS_MARKER, sections)
    return markdown


@event_priority(-100)  # last, after every plugin: what it returns is what readers get
def on_page_content(html, page, config, files):
    """Finish the page's HTML (terms, formulas to MathML), then pass it and its outline through the
    allowlist sanitizer; a formula that cannot be converted fails the build."""
    try:
        html = build.finish_content(html, page.file.src_uri, current_edition(config))
    except MathError as error:
        raise PluginError(f"{qa_output.formula_location(build.corpus, error.tex, page.file.src_uri)}: {error}") from None
    qa_output.clean_outline(page.toc)
    return qa_sanitize.clean_html(html)


def on_page_context(context, page, config, nav):
    """Point a generated page's edit link where a fix belongs, or drop it."""
    if page.edit_url and page.file.src_uri.startswith(f"{qa_output.GENERATED_DIR}/"):
        page.edit_url = qa_output.edit_url(build.corpus, page.file.src_uri, page.edit_url, edition_code(config))
    return context


def on_post_page(output, page, config):
    """Tidy the page's HTML (head alternates, search dialog name, lightbox script)."""
    return qa_output.tidy_page(output, config.extra["search_label"])


def on_pre_template(template, template_name, config):
    """The 404 page's language menu goes to each edition's home (it has no page of its own to
    translate; left alone it would point at whatever page was built last)."""
    # mkdocs-static-i18n sets the menu as an attribute of `extra` (which the theme reads first), not its item.
    alternates = getattr(config.extra, "alternate", None) or config.extra.get("alternate")
    if template_name == qa_output.NOT_FOUND and alternates:
        build.saved_alternates = alternates
        config.extra.alternate = qa_output.edition_homes(alternates, config.site_url or "/")
    return template


def on_post_template(output, template_name, config):
    """Keep each edition's 404 page, tidied as the pages are (no head alternates, whose sitemaps the
    theme would fetch from each edition's folder, where there is none); note build times."""
    if template_name == qa_output.NOT_FOUND:
        output = qa_output.tidy_page(output, config.extra["search_label"])
        if build.saved_alternates is not None:
            config.extra.alternate, build.saved_alternates = build.saved_alternates, None
    build.end_template(template_name, output, edition_code(config))
    return output


@event_priority(-110)  # after mkdocs-static-i18n has built every edition
def on_post_build(config):
    """Write the site-level files of every edition: 404 pages, anchor map, search indexes."""
    plugin = config.plugins.get("i18n")
    if plugin is not None and plugin.building:
        return  # an inner build of one edition; the outer build finishes the job
    with reported():
        build.finish_site(Path(config.site_dir), config.site_url or "/", split_index=plugin is not None)
        # The PDF, EPUB and Anki deck of each edition, when QA_DOWNLOADS asks for them.
        languages = getattr(getattr(plugin, "config", None), "languages", None)
        build.make_downloads(Path(config.site_dir), config, languages)
        # The offline worker, manifests and save lists last: the site's version covers every file.
        build.write_offline(Path(config.site_dir), config, languages)


def on_serve(server, config, builder):
    """Watch the docs folder but not the pages this hook generates into it, so a change rebuilds once."""
    server.unwatch(config.docs_dir)
    for path in qa_output.watched_paths(Path(config.docs_dir)):
        server.watch(str(path))
    return server
