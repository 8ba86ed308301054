"""Search step: the word list jieba segments Han text with when Material builds the search index.

jieba's precise mode splits a compound by context: 数据增强 is one word in one answer and 数据 +
增强 in a title. Material matches a query by splitting it greedily against the index's own words
and searching each part as a prefix, so an inconsistently split compound misses the question
that defines it. Limiting the dictionary to words of at most two characters splits every compound
the same way everywhere (measured with the query set in tests/search_queries.yml).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Iterable

MAX_WORD_LENGTH = 2


def short_words(lines: Iterable[str], max_length: int = MAX_WORD_LENGTH) -> list[str]:
    """The lines of a jieba dictionary ('word frequency tag') whose word is at most max_length long."""
    return [line for line in lines if line.strip() and len(line.split(" ", 1)[0]) <= max_length]


def search_dictionary(jieba_module, variant: str = "", convert=None) -> Path:
    """Write (once per jieba version and variant) the short-word dictionary next to jieba's cache.

    `convert` turns each line's word into another script (the 繁體 edition's dictionary).
    """
    source = Path(jieba_module.__file__).with_name("dict.txt")
    data = source.read_bytes()
    digest = hashlib.sha256(data + f"{MAX_WORD_LENGTH}{variant}".encode()).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / f"qa-search-dict-{variant or 'zh'}-{digest}.txt"
    if not target.exists():
        lines = short_words(data.decode("utf-8").splitlines(keepends=True))
        if convert is not None:
            words = convert("\n".join(line.split(" ", 1)[0] for line in lines)).split("\n")
            lines = [word + " " + line.split(" ", 1)[1] for word, line in zip(words, lines)]
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text("".join(lines), encoding="utf-8")
        partial.replace(target)
    return target
