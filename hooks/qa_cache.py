"""Caches that outlive one build: every edition, and every `mkdocs serve` rebuild, runs in the same
process and would otherwise redo work whose inputs did not change (MkDocs has no incremental build).

Each cache is keyed by the content it stands for (template source, dictionary path, text, a page's
Markdown and the site around it), so a changed input is always recomputed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from jinja2 import BytecodeCache


class TemplateCache(BytecodeCache):
    """Compiled Jinja templates in memory: MkDocs makes a new Jinja environment for every build,
    which would compile the theme's ~40 templates again for each edition and each rebuild."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        """Fill the bucket from memory; Jinja compares the source checksum and recompiles on change."""
        data = self.compiled.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:
        """Keep a freshly compiled template."""
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class SegmenterCache:
    """jieba's loaded dictionaries and finished segmentations.

    Switching jieba's dictionary (one per Chinese edition) rebuilds its prefix table from disk, and
    Material's search plugin segments every page's text again on each build; both are kept here by
    dictionary and text.
    """

    def __init__(self, jieba_module) -> None:
        self.jieba = jieba_module
        self.tables: dict[str, tuple[dict, int]] = {}
        self.segments: dict[tuple[str, bytes | str], tuple[str, ...]] = {}
        self.previous: dict[tuple[str, bytes | str], tuple[str, ...]] = {}

    def new_build(self) -> None:
        """Keep only the segmentations the last build used, so a long `mkdocs serve` stays small."""
        self.previous, self.segments = self.segments, {}

    def use_dictionary(self, path: str) -> None:
        """Make `path` jieba's dictionary, loading it from disk only the first time."""
        tokenizer = self.jieba.dt
        if tokenizer.dictionary == path and tokenizer.initialized:
            return
        if tokenizer.initialized and tokenizer.dictionary not in self.tables:
            self.tables[tokenizer.dictionary] = (tokenizer.FREQ, tokenizer.total)
        if path in self.tables:
            tokenizer.dictionary = path
            tokenizer.FREQ, tokenizer.total = self.tables[path]
            tokenizer.initialized = True
        else:
            tokenizer.set_dictionary(path)
            tokenizer.initialize()
            self.tables[path] = (tokenizer.FREQ, tokenizer.total)

    def cut(self, sentence, cut_all: bool = False, HMM: bool = True, use_paddle: bool = False):
        """jieba.cut with the answer remembered per dictionary (the default arguments only)."""
        tokenizer = self.jieba.dt
        if cut_all or not HMM or use_paddle:
            return tokenizer.cut(sentence, cut_all=cut_all, HMM=HMM, use_paddle=use_paddle)
        key = (tokenizer.dictionary, sentence)
        words = self.segments.get(key) or self.previous.get(key)
        if words is None:
            words = tuple(tokenizer.cut(sentence))
        self.segments[key] = words
        return iter(words)

    def install(self) -> None:
        """Route jieba.cut, which Material's search plugin calls, through the cache."""
        if self.jieba.cut is not self.cut:
            self.jieba.cut = self.cut


@dataclass
class RenderedPage:
    """What MkDocs' Markdown rendering leaves on a page, with linked files named by path."""

    content: str
    toc: object
    title: str | None
    anchors: frozenset[str]
    links_to_anchors: dict[str, dict[str, str]] | None


class RenderCache:
    """Pages rendered by an earlier build, reused when nothing they depend on has changed.

    `mkdocs serve` renders every page of every edition again on each rebuild, while a change to
    one source changes only a few generated pages. A page's HTML, outline, anchors and links
    depend on its Markdown, its address, the site's files (links resolve against them) and the
    configuration: `site_key` stands for the last two, and the key holds them all.
    """

    def __init__(self) -> None:
        self.pages: dict[tuple, RenderedPage] = {}
        self.previous: dict[tuple, RenderedPage] = {}

    def new_build(self) -> None:
        """Keep only the pages the last build rendered."""
        self.previous, self.pages = self.pages, {}

    def render(self, page, config, files, site_key: str, render) -> None:
        """Fill `page` as `render(config, files)` would, from memory when the inputs are the same."""
        key = (site_key, page.file.src_uri, page.file.url, page.markdown)
        rendered = self.pages.get(key) or self.previous.get(key)
        if rendered is None:
            render(config, files)
            links = page.links_to_anchors
            rendered = RenderedPage(page.content, page.toc, page._title_from_render,
                                    frozenset(page.present_anchor_ids or ()),
                                    None if links is None else
                                    {file.src_uri: dict(anchors) for file, anchors in links.items()})
        else:
            page.content = rendered.content
            page.toc = rendered.toc
            page._title_from_render = rendered.title
            page.present_anchor_ids = set(rendered.anchors)
            if rendered.links_to_anchors is not None:
                page.links_to_anchors = {files.get_file_from_path(path): dict(anchors)
                                         for path, anchors in rendered.links_to_anchors.items()}
        self.pages[key] = rendered


def site_key(config, files, edition: str) -> str:
    """A digest of what every page's rendering shares: the configuration file, the edition and
    the settings MkDocs renders it with, and every file's source path and address."""
    digest = hashlib.sha256()
    with open(config.config_file_path, "rb") as source:
        digest.update(source.read())
    digest.update(repr((edition, config.site_url, config.use_directory_urls,
                        [str(extension) for extension in config.markdown_extensions])).encode())
    for file in sorted(files, key=lambda f: f.src_uri):
        digest.update(f"\0{file.src_uri}\0{file.url}".encode())
    return digest.hexdigest()
