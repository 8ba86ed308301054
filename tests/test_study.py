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


# SM-2 with grades again/hard/good/easy = qualities 1/3/4/5, where again comes back in this round
# (interval 0), hard past the first pass grows by a fifth and easy adds 30 %: (item, grade) -> next.
@pytest.mark.parametrize("item, grade, expected", [
    ({}, 1, {"reps": 0, "interval": 0, "ease": 2.5}),
    ({}, 2, {"reps": 1, "interval": 1, "ease": 2.36}),
    ({}, 3, {"reps": 1, "interval": 1, "ease": 2.5}),
    ({}, 4, {"reps": 1, "interval": 6, "ease": 2.6}),
    ({"reps": 1, "interval": 1, "ease": 2.5}, 3, {"reps": 2, "interval": 6, "ease": 2.5}),
    ({"reps": 2, "interval": 6, "ease": 2.5}, 3, {"reps": 3, "interval": 15, "ease": 2.5}),
    ({"reps": 2, "interval": 6, "ease": 2.5}, 4, {"reps": 3, "interval": 20, "ease": 2.6}),
    ({"reps": 2, "interval": 6, "ease": 2.5}, 2, {"reps": 3, "interval": 7, "ease": 2.36}),
    ({"reps": 5, "interval": 40, "ease": 2.5}, 1, {"reps": 0, "interval": 0, "ease": 2.5}),
    ({"reps": 3, "interval": 10, "ease": 1.3}, 2, {"reps": 4, "interval": 12, "ease": 1.3}),
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
    bar = tab.locator(f"h2[id='{question.anchor}'] .qa-tools")
    bar.locator(".qa-mark--review").tap()
    assert bar.locator(".qa-mark--review").get_attribute("aria-pressed") == "true"
    tab.reload(wait_until="networkidle")
    assert bar.locator(".qa-mark--review").get_attribute("aria-pressed") == "true"
    for prefix, label in (("en/", "To review"), ("zh-TW/", "待複習")):
        tab.goto(f"{served_site}{prefix}topics/{page_id}/", wait_until="networkidle")
        button = tab.locator(f"h2[id='{question.anchor}'] .qa-mark--review")
        assert button.get_attribute("aria-pressed") == "true" and button.get_attribute("aria-label").startswith(label)
    assert study_state(tab)["items"][corpus.short_ids[question.anchor]]["mark"] == "review"
    tab.goto(f"{served_site}en/topics/review/", wait_until="networkidle")
    tab.locator(".qa-review-app a").first.wait_for()
    assert "DiT" in tab.locator(".qa-review-app").inner_text()


def test_home_page_shows_progress_and_continue(tab, served_site, corpus):
    tab.goto(f"{served_site}topics/video-understanding/", wait_until="networkidle")
    tab.locator(".qa-mark--known").first.tap()
    tab.goto(served_site, wait_until="networkidle")
    progress = tab.locator(".qa-progress")
    progress.wait_for()
    text = progress.inner_text()
    assert f"1/{len(corpus.questions)}" in text
    link = progress.locator("a").first
    assert "/topics/video-understanding/#" in link.get_attribute("href")


def test_practice_reveals_grades_and_the_due_count_changes(tab, served_site, corpus):
    tab.goto(f"{served_site}topics/video-editing/", wait_until="networkidle")
    tab.locator(".qa-mark--review").first.tap()
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
    tab.locator(".qa-mark--known").nth(0).tap()
    tab.locator(".qa-mark--review").nth(1).tap()
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
    tab.locator(".qa-mark--known").first.click()
    tab.mouse.wheel(0, 600)
    tab.wait_for_function("document.querySelector('.qa-sr[role=status]').textContent.includes('cannot be saved')")
    tab.wait_for_timeout(600)  # the scroll position is saved too
    assert len(tab.errors) == theirs
    tab.errors.clear()


def test_practice_on_a_phone_shows_when_each_grade_returns_and_sums_up_the_round(tab, served_site, corpus):
    tab.goto(f"{served_site}topics/video-editing/", wait_until="networkidle")
    first = tab.locator("h2[data-short]").first.get_attribute("data-short")
    tab.locator(".qa-mark--review").first.tap()
    tab.goto(f"{served_site}topics/practice/", wait_until="networkidle")
    assert not [k for k in tab.locator(".qa-keys").all() if k.is_visible()]  # no keyboard hints on touch
    tab.select_option(".qa-practice__scope select", "due")
    tab.locator(".qa-practice__scope button").tap()
    tab.locator(".qa-card .md-button--primary").tap()
    grades = tab.locator(".qa-grades .md-button")
    grades.first.wait_for()
    labels = [b.inner_text().split("\n") for b in grades.all()]
    assert [label[-1] for label in labels] == ["本轮再练", "1 天", "1 天", "6 天"]  # when each grade brings it back
    assert not any(label[0].startswith(("1", "2", "3", "4")) for label in labels)
    grades.nth(0).tap()  # again: the same question later in this round
    tab.locator(".qa-card .md-button--primary").tap()
    grades.first.wait_for()
    grades.nth(2).tap()  # good
    summary = tab.locator(".qa-summary")
    summary.wait_for()
    text = summary.inner_text()
    assert "本轮评分 2 次" in text and "忘记 1" in text and "良好 1" in text and "明天到期：1 题" in text
    assert study_state(tab)["items"][first]["mark"] == "review"  # the reader's own mark stays
    tab.goto(f"{served_site}topics/review/", wait_until="networkidle")
    tab.locator(".qa-review-app a").first.wait_for()


def test_practice_keyboard_hints_show_on_a_desktop(browser, served_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(f"{served_site}en/topics/practice/", wait_until="networkidle")
    assert tab.locator(".qa-keys").first.is_visible()
    tab.locator(".qa-practice__scope button").click()
    assert "(space)" in tab.locator(".qa-card .md-button--primary").inner_text()
    context.close()


def test_new_questions_come_shuffled_in_an_order_kept_after_reload(tab, served_site):
    def first_title():
        tab.goto(f"{served_site}topics/practice/", wait_until="networkidle")
        tab.locator(".qa-practice__scope button").tap()
        return tab.locator(".qa-card h2").inner_text()

    first = first_title()
    assert first == first_title()  # the same order after a reload
    tab.evaluate("localStorage.setItem('qa-study-order', '12345')")
    one = first_title()
    tab.evaluate("localStorage.setItem('qa-study-order', '67890')")
    assert one != first_title()  # the order comes from the reader's own seed, not the catalog


def test_home_invites_until_something_is_marked_then_shows_bars(tab, served_site, corpus):
    tab.goto(f"{served_site}topics/video-editing/", wait_until="networkidle")
    tab.goto(served_site, wait_until="networkidle")
    progress = tab.locator(".qa-progress")
    progress.wait_for()
    assert progress.locator(".qa-bar").count() == 0 and "✓" in progress.inner_text()
    assert "0/" not in progress.inner_text()
    tab.goto(f"{served_site}topics/video-editing/", wait_until="networkidle")
    tab.locator(".qa-mark--known").first.tap()
    tab.goto(served_site, wait_until="networkidle")
    progress.wait_for()
    bars = progress.locator(".qa-bar")
    assert bars.count() == len(corpus.sections)
    widths = bars.evaluate_all("bars => bars.map(b => b.firstChild.getBoundingClientRect().width)")
    assert sum(1 for w in widths if w > 0) == 1


@pytest.mark.parametrize("prefix", EDITIONS)
def test_share_and_marks_sit_on_the_title_line_on_a_phone(tab, served_site, prefix):
    tab.goto(f"{served_site}{prefix}topics/video-editing/", wait_until="networkidle")
    for heading in tab.locator("article h2[data-short]").all()[:5]:
        box = heading.bounding_box()
        tools = heading.locator(".qa-tools").bounding_box()
        assert tools["y"] < box["y"] + 40 and tools["x"] + tools["width"] <= 390  # beside the title's first line
        assert heading.locator(".qa-share, .qa-mark").count() == 3
        assert heading.locator(".headerlink").count() == 0  # one link per question: the short one


def test_an_import_over_existing_progress_asks_and_can_merge(tab, served_site, tmp_path, corpus):
    ids = list(corpus.short_ids.values())[:4]
    mine = {ids[0]: {"mark": "review"}, ids[1]: {"reps": 1, "interval": 1, "ease": 2.5, "due": 100},
            ids[2]: {"mark": "known", "reps": 2, "interval": 6, "ease": 2.5, "due": 200}}
    theirs = {ids[0]: {"reps": 1, "interval": 1, "ease": 2.5, "due": 150},  # reviewed; no mark
              ids[1]: {"mark": "known", "reps": 2, "interval": 6, "ease": 2.6, "due": 300},  # reviewed later
              ids[2]: {"reps": 1, "interval": 1, "ease": 2.5, "due": 50},  # reviewed earlier
              ids[3]: {"mark": "review"}}
    exported = tmp_path / "theirs.json"
    exported.write_text(json.dumps({"format": "ai-video-qa-study", "version": 1, "items": theirs, "last": None}))
    tab.goto(f"{served_site}topics/review/", wait_until="networkidle")
    tab.evaluate("s => localStorage.setItem('qa-study', JSON.stringify(s))", {"version": 1, "items": mine})
    tab.reload(wait_until="networkidle")
    tab.set_input_files(".qa-data input[type=file]", str(exported))
    buttons = tab.locator(".qa-data__message button")
    buttons.first.wait_for()
    assert buttons.all_inner_texts() == ["合并", "替换", "取消"]
    assert study_state(tab)["items"] == mine  # nothing changes before the reader chooses
    buttons.nth(2).tap()
    assert "未做任何更改" in tab.locator(".qa-data__message").inner_text()
    assert study_state(tab)["items"] == mine
    tab.set_input_files(".qa-data input[type=file]", str(exported))
    buttons.first.wait_for()
    buttons.first.tap()
    tab.wait_for_timeout(300)
    merged = study_state(tab)["items"]
    assert merged[ids[0]] == {"reps": 1, "interval": 1, "ease": 2.5, "due": 150, "mark": "review"}  # mark kept
    assert merged[ids[1]] == theirs[ids[1]]  # the later review wins
    assert merged[ids[2]] == mine[ids[2]]
    assert merged[ids[3]] == theirs[ids[3]]
    tab.wait_for_load_state("networkidle")
    tab.wait_for_timeout(900)  # the page reloads after an import
    tab.set_input_files(".qa-data input[type=file]", str(exported))
    buttons.nth(1).wait_for()
    buttons.nth(1).tap()
    tab.wait_for_timeout(300)
    assert study_state(tab)["items"] == theirs
