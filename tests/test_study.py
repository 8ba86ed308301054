"""Study mode in Chromium: marks kept across reloads and editions, progress, practice with SM-2,
export and import of the reader's data."""

from __future__ import annotations

import json

import pytest

from qa_short_links import short_id

EDITIONS = ["", "en/", "zh-TW/"]


@pytest.fixture
def tab(browser, served_site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                                  accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(f"{error.message} {error.stack}"))
    page.errors = errors
    yield page
    assert errors == []
    context.close()


def study_state(tab) -> dict:
    return json.loads(tab.evaluate("localStorage.getItem('qa-study') || '{}'"))


# SM-2 with grades again/hard/good/easy = qualities 1/3/4/5: (previous item, grade) -> next item.
@pytest.mark.parametrize("item, grade, expected", [
    ({}, 3, {"reps": 1, "interval": 1, "ease": 2.5, "mark": "known"}),
    ({"reps": 1, "interval": 1, "ease": 2.5}, 3, {"reps": 2, "interval": 6, "ease": 2.5}),
    ({"reps": 2, "interval": 6, "ease": 2.5}, 3, {"reps": 3, "interval": 15, "ease": 2.5}),
    ({"reps": 2, "interval": 6, "ease": 2.5}, 4, {"reps": 3, "interval": 15, "ease": 2.6}),
    ({"reps": 2, "interval": 6, "ease": 2.5}, 2, {"reps": 3, "interval": 15, "ease": 2.36, "mark": "review"}),
    ({"reps": 5, "interval": 40, "ease": 2.5}, 1, {"reps": 0, "interval": 1, "ease": 2.5, "mark": "review"}),
    ({"reps": 3, "interval": 10, "ease": 1.3}, 2, {"reps": 4, "interval": 13, "ease": 1.3}),
])
def test_scheduler_follows_sm2(tab, served_site, item, grade, expected):
    tab.goto(f"{served_site}topics/practice/", wait_until="networkidle")
    result = tab.evaluate("([item, grade]) => window.qaStudy.schedule(item, grade, 100)", [item, grade])
    assert {key: result[key] for key in expected} == expected
    assert result["due"] == 100 + result["interval"]


def test_a_mark_is_kept_after_reload_and_in_every_edition(tab, served_site, corpus):
    question = next(q for q in corpus.questions if q.title.startswith("什么DiT"))
    page_id = corpus.page_of(question).spec.id
    tab.goto(f"{served_site}topics/{page_id}/", wait_until="networkidle")
    bar = tab.locator(f"h2[id='{question.anchor}'] + .qa-study")
    bar.locator(".qa-mark--review").tap()
    assert bar.locator(".qa-mark--review").get_attribute("aria-pressed") == "true"
    tab.reload(wait_until="networkidle")
    assert bar.locator(".qa-mark--review").get_attribute("aria-pressed") == "true"
    for prefix, label in (("en/", "To review"), ("zh-TW/", "待複習")):
        tab.goto(f"{served_site}{prefix}topics/{page_id}/", wait_until="networkidle")
        button = tab.locator(f"h2[id='{question.anchor}'] + .qa-study .qa-mark--review")
        assert button.get_attribute("aria-pressed") == "true" and button.inner_text() == label
    assert study_state(tab)["items"][corpus.short_ids[question.anchor]]["mark"] == "review"
    tab.goto(f"{served_site}en/topics/review/", wait_until="networkidle")
    tab.locator(".qa-review-app a").first.wait_for()
    assert "DiT" in tab.locator(".qa-review-app").inner_text()


def test_home_page_shows_progress_and_continue(tab, served_site, corpus):
    tab.goto(f"{served_site}topics/video-understanding/", wait_until="networkidle")
    tab.locator(".qa-study .qa-mark--known").first.tap()
    tab.goto(served_site, wait_until="networkidle")
    progress = tab.locator(".qa-progress")
    progress.wait_for()
    text = progress.inner_text()
    assert f"1/{len(corpus.questions)}" in text
    link = progress.locator("a").first
    assert "/topics/video-understanding/#" in link.get_attribute("href")


def test_practice_reveals_grades_and_the_due_count_changes(tab, served_site, corpus):
    tab.goto(f"{served_site}topics/video-editing/", wait_until="networkidle")
    tab.locator(".qa-study .qa-mark--review").first.tap()
    tab.goto(f"{served_site}en/topics/practice/", wait_until="networkidle")
    tab.select_option(".qa-practice__scope select", "due")
    tab.locator(".qa-practice__scope button").click()
    answer = tab.locator(".qa-card__answer")
    assert answer.is_hidden()
    tab.keyboard.press(" ")
    answer.wait_for(state="visible")
    assert answer.locator("p").count() >= 1  # the answer, taken from the question's own page
    # what a screen reader hears
    tab.wait_for_function("document.querySelector('.qa-sr[role=status]').textContent.includes('The answer is shown')")
    tab.keyboard.press("3")
    tab.locator(".qa-card").get_by_text("This round is done.").wait_for()
    item = next(iter(study_state(tab)["items"].values()))
    assert item["interval"] == 1 and item["due"] > tab.evaluate("window.qaStudy.today()")
    tab.goto(f"{served_site}en/", wait_until="networkidle")
    tab.locator(".qa-progress").wait_for()
    assert "0 due for review today" in tab.locator(".qa-progress").inner_text()


def test_export_clear_import_round_trip_and_a_bad_file_changes_nothing(tab, served_site, tmp_path, corpus):
    known_id = next(iter(corpus.short_ids.values()))
    tab.goto(f"{served_site}topics/video-editing/", wait_until="networkidle")
    tab.locator(".qa-study .qa-mark--known").nth(0).tap()
    tab.locator(".qa-study .qa-mark--review").nth(1).tap()
    before = study_state(tab)["items"]
    tab.goto(f"{served_site}topics/review/", wait_until="networkidle")
    with tab.expect_download() as download:
        tab.get_by_text("导出进度").click()
    exported = tmp_path / "progress.json"
    download.value.save_as(exported)
    assert json.loads(exported.read_text())["items"] == before
    tab.once("dialog", lambda dialog: dialog.accept())
    tab.get_by_text("清除进度").click()
    tab.wait_for_timeout(1200)
    assert study_state(tab) == {}
    bad = {
        "broken.json": "{not json",
        "version.json": json.dumps({"format": "ai-video-qa-study", "version": 9, "items": {}}),
        "unknown.json": json.dumps({"format": "ai-video-qa-study", "version": 1, "items": {"zzzzzz": {"mark": "known"}}}),
        "other.json": json.dumps({"hello": 1}),
        "no-version.json": json.dumps({"format": "ai-video-qa-study", "items": {}}),
        "array.json": json.dumps({"format": "ai-video-qa-study", "version": 1, "items": []}),
        "proto.json": '{"format": "ai-video-qa-study", "version": 1, "items": {"__proto__": {"mark": "known"}}}',
        "constructor.json": json.dumps({"format": "ai-video-qa-study", "version": 1, "items": {"constructor": {}}}),
        "types.json": json.dumps({"format": "ai-video-qa-study", "version": 1,
                                  "items": {known_id: {"mark": "review", "ease": "abc", "reps": "2", "due": 5}}}),
        "negative.json": json.dumps({"format": "ai-video-qa-study", "version": 1, "items": {known_id: {"due": -3}}}),
        "mark.json": json.dumps({"format": "ai-video-qa-study", "version": 1, "items": {known_id: {"mark": ""}}}),
        "last.json": json.dumps({"format": "ai-video-qa-study", "version": 1, "items": {}, "last": "hello"}),
    }
    for name, content in bad.items():
        (tmp_path / name).write_text(content)
        tab.set_input_files(".qa-data input[type=file]", str(tmp_path / name))
        message = tab.locator(".qa-data__message")
        message.wait_for()
        tab.wait_for_function("document.querySelector('.qa-data__message').textContent.length > 0")
        assert "未做任何更改" in message.inner_text(), name
        assert study_state(tab) == {}
        tab.evaluate("document.querySelector('.qa-data__message').textContent = ''")
    tab.set_input_files(".qa-data input[type=file]", str(exported))
    tab.wait_for_timeout(1500)
    assert study_state(tab)["items"] == before


def test_state_of_a_merged_copy_counts_and_a_vanished_question_is_ignored(tab, served_site, corpus):
    """Upstream changes: state kept under the id of a copy that was merged into a question counts
    for that question; state of a question no longer on the site is ignored and counted."""
    question = next(q for q in corpus.questions
                    if any(short_id(a) != corpus.short_ids[q.anchor] for a in q.aliases))
    alias = next(short_id(a) for a in question.aliases if short_id(a) != corpus.short_ids[question.anchor])
    tab.goto(f"{served_site}topics/review/", wait_until="networkidle")
    state = {"version": 1, "items": {alias: {"mark": "review"}, "gonegone": {"mark": "known"}}}
    tab.evaluate("s => localStorage.setItem('qa-study', JSON.stringify(s))", state)
    tab.reload(wait_until="networkidle")
    tab.locator(".qa-review-app a").first.wait_for()
    assert tab.locator(".qa-review-app a").all_inner_texts() == [question.title]
    assert "1 条记录" in tab.locator(".qa-gone").inner_text()


def test_an_empty_scope_says_so_and_blocked_storage_is_explained(tab, served_site):
    tab.goto(f"{served_site}en/topics/practice/", wait_until="networkidle")
    tab.select_option(".qa-practice__scope select", "review")
    tab.locator(".qa-practice__scope button").click()
    assert tab.locator(".qa-card").inner_text().startswith("Nothing in this scope yet")
    # A browser that refuses storage: marks do nothing harmful and the reader is told.
    tab.add_init_script("Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('no', 'SecurityError'); }})")
    tab.goto(f"{served_site}en/topics/video-editing/", wait_until="networkidle")
    theirs = len(tab.errors)  # the theme's own head script fails on storage too, before ours runs
    tab.locator(".qa-study .qa-mark--known").first.click()
    tab.mouse.wheel(0, 600)
    tab.wait_for_function("document.querySelector('.qa-sr[role=status]').textContent.includes('cannot be saved')")
    tab.wait_for_timeout(600)  # the scroll position is saved too
    assert len(tab.errors) == theirs
    tab.errors.clear()
