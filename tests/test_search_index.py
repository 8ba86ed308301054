"""The search step's pieces: index shaping, glossary names, the variant table, and the fixes to
Material's search scripts (checked against the scripts the installed theme ships)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import qa_search_index as index_step
import qa_search_worker as worker_step
from qa_link import Term, check_defining_questions, parse_glossary
from qa_model import SourceError

import material

THEME_SCRIPTS = Path(material.__file__).parent / "templates" / "assets" / "javascripts"


def theme_script(pattern: str) -> str:
    (path,) = THEME_SCRIPTS.glob(pattern)
    return path.read_text(encoding="utf-8")


# --- index shaping -------------------------------------------------------------------------------

INDEX = {
    "config": {"lang": ["en"], "separator": "[\\s]+", "pipeline": [], "fields": {"title": {"boost": 1000}}},
    "docs": [
        {"location": "", "title": "首页", "text": "home"},
        {"location": "topics/a/", "title": "A", "text": ""},
        {"location": "topics/a/#q1", "title": "问题一", "text": "<p>答</p>"},
        {"location": "topics/a/#q2", "title": "问题二", "text": "<p>答</p>"},
        {"location": "topics/glossary/#lora", "title": "LoRA", "text": "定义"},
        {"location": "topics/content-report/", "title": "报告", "text": "log"},
    ],
}


@pytest.mark.parametrize("names, english, variants, kept, fields", [
    ({}, {}, None, ["q1", "q2"], {"title", "names"}),
    ({"q1": ["扩散模型", "diffusion model"]}, {}, None, ["q1", "q2"], {"title", "names"}),
    ({}, {"q2": "Question two"}, {"chars": "擴扩", "words": {}}, ["q1", "q2"], {"title", "names", "english"}),
])
def test_question_index_keeps_questions_only(names, english, variants, kept, fields):
    shaped = index_step.question_index(INDEX, {"q1", "q2"}, names, english, variants)
    assert [index_step.fragment(doc["location"]) for doc in shaped["docs"]] == kept
    assert set(shaped["config"]["fields"]) == fields
    assert shaped["config"].get("variants") == variants
    for doc in shaped["docs"]:
        anchor = index_step.fragment(doc["location"])
        assert ("names" in doc) == bool(names.get(anchor))
        assert doc.get("english") == english.get(anchor)
    assert INDEX["docs"][2] == {"location": "topics/a/#q1", "title": "问题一", "text": "<p>答</p>"}, "input changed"


@pytest.mark.parametrize("text, folded", [
    ("Fréchet Video Distance", "Frechet Video Distance"),
    ("LoRA", "LoRA"),
    ("扩散模型", "扩散模型"),
    ("Fréchet 距离", "Fréchet 距离"),
])
def test_ascii_folded(text, folded):
    assert index_step.ascii_folded(text) == folded


FVD = Term("fvd", "FVD", "Fréchet Video Distance", ("FVD",), "定义", "q1", 3)
LDM = Term("ldm", "LDM（潜在扩散模型）", "Latent Diffusion Model", ("LDM", "潜在扩散模型"), "定义", "q2", 9)


@pytest.mark.parametrize("term, english, convert, names", [
    (FVD, True, str, ["Fréchet Video Distance", "Fréchet Video Distance (FVD)", "FVD", "Frechet Video Distance",
                      "Frechet Video Distance (FVD)"]),
    (FVD, False, str, ["FVD", "Fréchet Video Distance", "Fréchet Video Distance (FVD)", "Frechet Video Distance",
                       "Frechet Video Distance (FVD)"]),
    (LDM, False, lambda text: text.replace("扩散", "擴散"),
     ["LDM（潜在擴散模型）", "LDM", "潜在擴散模型", "Latent Diffusion Model", "Latent Diffusion Model (LDM)"]),
    (LDM, True, str, ["Latent Diffusion Model", "Latent Diffusion Model (LDM)", "LDM"]),
])
def test_term_names(term, english, convert, names):
    assert index_step.term_names(term, english, convert) == names


def test_defining_names_skip_terms_whose_question_is_gone():
    names = index_step.defining_names([FVD, LDM], {"q1"}, english=True)
    assert set(names) == {"q1"} and "FVD" in names["q1"]


def forms_traditional(word):
    table = {"扩": "擴", "数": "數", "据": "據", "视": "視", "频": "頻"}
    plain = "".join(table.get(ch, ch) for ch in word)
    taiwan = {"视频": "影片", "数据": "資料"}.get(word, plain)
    return plain, taiwan


@pytest.mark.parametrize("words, chars, phrases", [
    (["扩散"], {"擴": "扩"}, {}),
    (["视频"], {"視": "视", "頻": "频"}, {"影片": "视频"}),
    (["数据", "视频"], {"數": "数", "據": "据", "視": "视", "頻": "频"}, {"影片": "视频", "資料": "数据"}),
    # A form that is itself a word of the index stays as typed.
    (["视频", "影片"], {"視": "视", "頻": "频"}, {}),
])
def test_variant_table_to_simplified(words, chars, phrases):
    table = index_step.variant_table(words, forms_traditional, str)
    assert dict(zip(table["chars"][::2], table["chars"][1::2])) == chars
    assert table["words"] == phrases


def test_variant_table_to_taiwan():
    def target(word):
        return forms_traditional(word)[1]

    table = index_step.variant_table(["视频", "扩散"], lambda word: (word, forms_traditional(word)[0]), target)
    assert dict(zip(table["chars"][::2], table["chars"][1::2])) == {"扩": "擴", "视": "視", "频": "頻"}
    assert table["words"] == {"视频": "影片", "視頻": "影片"}


# --- glossary ------------------------------------------------------------------------------------

GLOSSARY = """# comment
- id: fvd
  term: FVD
  en: Fréchet Video Distance
  match: [FVD]
  definition: 定义。
  question: q1
- id: lora
  term: LoRA
  en: Low-Rank Adaptation
  match: [LoRA]
  definition: 定义。
"""


@pytest.mark.parametrize("text, line, message", [
    (GLOSSARY, 8, r"\[2\] lacks question"),
    (GLOSSARY.replace("match: [FVD]", "match: FVD"), 5, r"\[1\].match must be a list"),
    (GLOSSARY.replace("- id: lora", "- id: fvd") + "  question: q2\n", 8, "used twice"),
    ("- [a, b]\n", 1, r"\[1\] must be a mapping of fields"),
    ("id: x\n", 1, "the file must be a list"),
])
def test_glossary_errors_name_the_entry_line(text, line, message):
    with pytest.raises(SourceError, match=message) as error:
        parse_glossary(text)
    assert error.value.line == line


def test_a_defining_question_that_left_the_site_is_reported_at_its_line():
    terms = parse_glossary(GLOSSARY + "  question: q2\n")
    assert [t.line for t in terms] == [2, 8]
    changes = check_defining_questions(terms, {"q1"})
    assert [(c.source, c.line) for c in changes] == [("data/glossary.yml", 8)]
    assert "q2" in changes[0].message


# --- fixes to the theme's scripts ----------------------------------------------------------------

def test_each_fix_applies_once_to_the_shipped_bundle():
    original = theme_script("bundle.*.min.js")
    patched = worker_step.patch_bundle(original)
    for patch in worker_step.BUNDLE_PATCHES:
        assert original.count(patch.old) == 1 and patch.new in patched
    assert patched.startswith(worker_step.PATCHED) and patched.endswith(original[-200:])
    assert worker_step.patch_bundle(patched) == patched, "patching twice changes the script again"


@pytest.mark.parametrize("patch", worker_step.BUNDLE_PATCHES, ids=lambda patch: patch.name[:40])
def test_a_changed_theme_fails_with_the_fix_named(patch):
    changed = theme_script("bundle.*.min.js").replace(patch.old, patch.old[::-1])
    with pytest.raises(worker_step.PatchError, match="mkdocs-material has changed") as error:
        worker_step.patch_bundle(changed, "bundle.x.min.js")
    assert patch.name in str(error.value) and "bundle.x.min.js" in str(error.value)


def test_install_needs_exactly_one_bundle(tmp_path):
    (tmp_path / "assets" / "javascripts" / "workers").mkdir(parents=True)
    with pytest.raises(worker_step.PatchError, match="expected one bundle"):
        worker_step.install(tmp_path)


def test_install_puts_the_site_worker_in_place_of_the_theme_one(tmp_path):
    scripts = tmp_path / "assets" / "javascripts"
    (scripts / "workers").mkdir(parents=True)
    (scripts / "lunr" / "min").mkdir(parents=True)
    (scripts / "bundle.x.min.js").write_text(theme_script("bundle.*.min.js"), encoding="utf-8")
    (scripts / "workers" / "search.x.min.js").write_text("lunr", encoding="utf-8")
    (scripts / "workers" / "questions.00000000.js").write_text("older", encoding="utf-8")
    changed = worker_step.install(tmp_path)
    assert [p.name for p in (scripts / "workers").iterdir()] == [worker_step.worker_name()]
    assert not (scripts / "lunr").exists() and set(changed) == {"bundle.x.min.js", worker_step.worker_name()}
    assert worker_step.install(tmp_path) == [], "installing twice changes the site again"
