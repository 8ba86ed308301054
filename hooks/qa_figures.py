"""Each edition's copies of the drawings, made at build time so each drawing is kept once in imgs/:
the English one with its Chinese texts replaced from data/en/figure-labels.yml, the 繁體 one with its
texts converted as the edition's pages are."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from typing import Callable

from qa_i18n import FIGURE_LABELS_FILE
from qa_model import Change

SVG_NS = "http://www.w3.org/2000/svg"
TEXT_TAGS = {f"{{{SVG_NS}}}{name}" for name in ("text", "tspan", "title", "desc")}
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Full-width punctuation left in a text without Han characters reads oddly among English words.
FULL_WIDTH = str.maketrans({"，": ", ", "：": ": ", "（": " (", "）": ") ", "；": "; ", "、": ", "})
LABELS_FILE = f"data/en/{FIGURE_LABELS_FILE}"


def _replace(text: str | None, labels: dict[str, str], missing: list[str]) -> str | None:
    if not text or not text.strip():
        return text
    core = text.strip()
    if not HAN.search(core):
        replaced = core.translate(FULL_WIDTH).strip()
    elif core in labels:
        replaced = labels[core]
    else:
        missing.append(core)
        return text
    start = text[: len(text) - len(text.lstrip())]
    end = text[len(text.rstrip()):]
    return start + replaced + end


def english_drawing(svg: bytes, labels: dict[str, str]) -> tuple[bytes, list[str]]:
    """The drawing with each text that has Chinese in it replaced; the texts no label covers."""
    ElementTree.register_namespace("", SVG_NS)
    ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ElementTree.fromstring(svg)
    missing: list[str] = []
    for element in root.iter():
        if element.tag in TEXT_TAGS:
            element.text = _replace(element.text, labels, missing)
            for child in element:
                child.tail = _replace(child.tail, labels, missing)
    root.set("lang", "en")
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=False), missing


def english_drawings(drawings: dict[str, bytes], labels: dict[str, dict[str, str]]) \
        -> tuple[dict[str, bytes], list[Change]]:
    """English copies of the SVG drawings by file name, and a report line for each untranslated text."""
    copies, changes = {}, []
    for name, data in sorted(drawings.items()):
        if not name.endswith(".svg"):
            continue
        stem = name[:-4]
        try:
            copies[name], missing = english_drawing(data, labels.get(stem, {}))
        except ElementTree.ParseError as error:
            changes.append(Change("figure", f"imgs/{name}", error.position[0],
                                  f"not readable as SVG ({error}); the English edition shows the Chinese drawing"))
            continue
        for text in missing:  # at the drawing's entry, or the top of the file when it has none
            changes.append(Change("figure", LABELS_FILE, getattr(labels.get(stem), "line", 1),
                                  f"'{stem}': no English label for '{text}'; the English drawing shows it in Chinese"))
    return copies, changes


def converted_drawing(svg: bytes, convert: Callable[[str], str], lang: str) -> bytes:
    """The drawing with every text passed through `convert` (e.g. to 繁體), marked with its language."""
    ElementTree.register_namespace("", SVG_NS)
    ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ElementTree.fromstring(svg)
    for element in root.iter():
        if element.tag in TEXT_TAGS:
            if element.text and HAN.search(element.text):
                element.text = convert(element.text)
            for child in element:
                if child.tail and HAN.search(child.tail):
                    child.tail = convert(child.tail)
    root.set("lang", lang)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=False)


def traditional_drawings(drawings: dict[str, bytes], convert: Callable[[str], str]) -> dict[str, bytes]:
    """繁體 copies of the SVG drawings by file name (a drawing that is not readable SVG is copied as it
    is; the English copies report it)."""
    copies = {}
    for name, data in sorted(drawings.items()):
        if name.endswith(".svg"):
            try:
                copies[name] = converted_drawing(data, convert, "zh-Hant-TW")
            except ElementTree.ParseError:
                copies[name] = data
    return copies
