"""Data files are read against their declared shapes; each refusal names the file and the real line."""

import pytest

from conftest import ROOT

from qa_catalog import CATALOG_SHAPE
from qa_i18n import PHRASES_SHAPE, SITE_SHAPE, STRINGS_SHAPE, TRANSLATIONS_SHAPE, chinese_strings, load_english
from qa_inputs import FORMULAS_SHAPE, load_figures
from qa_link import GLOSSARY_SHAPE
from qa_model import SourceError
from qa_schema import ANY, OPTIONAL_TEXT, TEXT, parse_data

ENTRY = {"id": TEXT, "note?": OPTIONAL_TEXT, "tags?": [TEXT]}


@pytest.mark.parametrize("text, shape, value", [
    ("", [ENTRY], []),
    ("- id: a\n", [ENTRY], [{"id": "a"}]),
    ("- id: 3\n  note: ''\n", [ENTRY], [{"id": "3", "note": ""}]),
    ("- {id: a, note: ~}\n", [ENTRY], [{"id": "a"}]),
    ("- {id: a, tags: [x, y]}\n", [ENTRY], [{"id": "a", "tags": ["x", "y"]}]),
    ("a: x\nb: y\n", {ANY: TEXT}, {"a": "x", "b": "y"}),
])
def test_good_data_is_read(text, shape, value):
    assert parse_data(text, "f.yml", shape) == value


@pytest.mark.parametrize("text, shape, line, message", [
    ("- [unclosed\n", [ENTRY], 2, "not valid YAML"),
    (b"- id: \xff\n", [ENTRY], 1, "not UTF-8"),
    ("id: a\n", [ENTRY], 1, "the file must be a list"),
    ("# note\n- id: a\n- note: x\n", [ENTRY], 3, "[2] lacks id"),
    ("- id: a\n\n- id: ''\n", [ENTRY], 3, "[2].id must not be empty"),
    ("- id: a\n  tag: x\n", [ENTRY], 2, "[1].tag: unknown field; expected one of: id, note, tags"),
    ("- id: a\n  tags: x\n", [ENTRY], 2, "[1].tags must be a list"),
    ("- id: a\n  tags:\n    - x\n    - [y]\n", [ENTRY], 4, "[1].tags[2] must be text, not a list"),
    ("- id: {a: b}\n", [ENTRY], 1, "[1].id must be text, not a mapping of fields"),
    ("a: x\nb:\n  c: d\n", {ANY: TEXT}, 3, "b must be text"),
    ("- id: a\n  id: b\n", [ENTRY], 2, "[1].id: given twice"),
])
def test_bad_data_names_the_line(text, shape, line, message):
    with pytest.raises(SourceError) as error:
        parse_data(text, "data/f.yml", shape)
    assert (error.value.source, error.value.line) == ("data/f.yml", line)
    assert message in error.value.message


@pytest.mark.parametrize("name, shape", [
    ("docs/sources/catalog.yml", CATALOG_SHAPE),
    ("docs/data/glossary.yml", GLOSSARY_SHAPE),
    ("docs/data/zh-TW-phrases.yml", PHRASES_SHAPE),
    ("docs/data/en/site.yml", SITE_SHAPE),
    ("docs/data/en/video-understanding.yml", TRANSLATIONS_SHAPE),
    ("imgs/formulas.yml", FORMULAS_SHAPE),
    ("docs/data/strings.yml", STRINGS_SHAPE),
])
def test_the_project_data_files_fit_their_shapes(name, shape):
    assert parse_data((ROOT / name).read_bytes(), name, shape)


def test_a_bad_formula_file_names_its_line():
    with pytest.raises(SourceError) as error:
        load_figures("a: x\nb: [y]\n".encode(), {})
    assert str(error.value).startswith("imgs/formulas.yml:2: b must be text")


def test_every_interface_string_has_an_english_form():
    """A key missing from en/site.yml would show the 简体 string in the English edition."""
    english = load_english({"site.yml": (ROOT / "docs/data/en/site.yml").read_bytes()}).site["strings"]
    assert sorted(set(chinese_strings()) - set(english)) == []
