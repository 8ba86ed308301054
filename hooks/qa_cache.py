"""Caches that outlive one build: every edition, and every `mkdocs serve` rebuild, runs in the same
process and would otherwise redo work whose inputs did not change.

Each cache is keyed by the content it stands for (template source, dictionary path, text), so a
changed input is always recomputed.
"""

from __future__ import annotations

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
