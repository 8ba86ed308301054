"""Publishing: the Pages workflow checked offline, the site served under /REPO/ with nothing broken,
reproducible builds, and a normalizer that survives any source file."""

from __future__ import annotations

import http.server
import subprocess
import sys
from collections import deque
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import unquote, urldefrag, urljoin, urlparse
from urllib.request import urlopen

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, run_build, serve
from qa_render import STUDY_PAGES

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
def configured_site_url() -> str:
    """The site_url default in mkdocs.yml (the line reads: site_url: !ENV [SITE_URL, "…"])."""
    line = next(l for l in (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
                if l.startswith("site_url:"))
    return line.split('"')[1]


REPO_PATH = urlparse(configured_site_url()).path


def bin_path(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def test_workflow_matches_the_github_schema():
    result = subprocess.run([bin_path("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                             str(WORKFLOW)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_passes_zizmor_offline():
    result = subprocess.run([bin_path("zizmor"), "--offline", "--min-severity", "low", str(WORKFLOW)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_pins_actions_and_limits_permissions():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert workflow["permissions"] == {}
    uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert uses and all(len(use.split("@")[1]) == 40 for use in uses)
    text = WORKFLOW.read_text(encoding="utf-8")
    assert all(f"{use} # v" in text for use in uses)
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"]["cancel-in-progress"] is False
    assert {u.split("@")[0] for u in uses} >= {"actions/configure-pages", "actions/upload-pages-artifact",
                                               "actions/deploy-pages"}


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under /REPO/ the way GitHub Pages does: a missing path gets the root 404.html."""

    def translate_path(self, path):
        path = urlparse(path).path
        inside = path[len(REPO_PATH):] if path.startswith(REPO_PATH) else "\0missing"
        return super().translate_path("/" + inside)

    def send_head(self):
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().send_head()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def pages_server(site_build):
    with serve(site_build.site, PagesHandler) as url:
        yield url.rstrip("/") + REPO_PATH


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urlopen(url) as response:
            return response.status, response.read()
    except HTTPError as error:
        return error.code, error.read()


def test_every_page_of_every_edition_works_under_the_repository_path(pages_server, corpus):
    """Crawl from each edition's home: every page, link, anchor, image, stylesheet and script resolves."""
    start = [pages_server, pages_server + "en/", pages_server + "zh-TW/"]
    queue, seen, ids, pages, broken = deque(start), set(start), {}, {}, []
    anchors = []
    while queue:
        url = queue.popleft()
        status, body = fetch(url)
        if status != 200:
            broken.append(f"{status} {url}")
            continue
        if not (url.endswith("/") or url.endswith(".html")):
            continue
        soup = BeautifulSoup(body.decode("utf-8"), "html.parser")
        pages[url] = soup
        ids[url] = {element["id"] for element in soup.find_all(id=True)}
        for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for element in soup.find_all(tag):
                value = element.get(attribute)
                if not value or value.startswith(("mailto:", "javascript:")):
                    continue
                if tag == "link" and element.get("rel") in (["canonical"], ["alternate"]):
                    continue  # absolute addresses on the public site
                target, fragment = urldefrag(urljoin(url, value))
                if not target.startswith(pages_server):
                    continue
                if fragment and tag == "a":
                    anchors.append((url, target, unquote(fragment)))
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
    for source, target, fragment in anchors:
        if target in ids and not fragment.startswith("__"):
            assert fragment in ids[target], f"{source} -> {target}#{fragment}"
    counts = {edition: sum(1 for url in pages if url.startswith(pages_server + edition) and
                           (edition or not url.startswith((pages_server + "en/", pages_server + "zh-TW/"))))
              for edition in ("", "en/", "zh-TW/")}
    print(f"\npages crawled per edition: {counts}; resources checked: {len(seen)}; anchors: {len(anchors)}")
    assert not broken
    # topic pages, home, glossary, study pages, downloads (the content report is for maintainers: linked
    # from no page)
    expected = len(corpus.pages) + 3 + len(STUDY_PAGES)
    assert set(counts.values()) == {expected}


@pytest.mark.parametrize("path, heading", [("nope/", "找不到这个页面"), ("en/nope/", "Page not found"),
                                           ("zh-TW/topics/nope/", "找不到這個頁面")])
def test_custom_404_pages_work_under_the_repository_path(browser, pages_server, path, heading):
    tab = browser.new_page()
    response = tab.goto(pages_server + path, wait_until="networkidle")
    assert response is None or response.status in (200, 404)
    assert tab.locator("article h1").inner_text() == heading
    tab.close()


def test_two_builds_are_byte_identical(downloads_build, tmp_path, chromium_path):
    """Every file, the PDF, EPUB and Anki deck of each edition included."""
    again = run_build(ROOT, tmp_path / "site", QA_DOWNLOADS="1", CHROMIUM=chromium_path)
    assert again.returncode == 0
    site_build = downloads_build
    assert len(list(site_build.site.rglob("downloads/ai-video-qa-*"))) == 9
    first = {p.relative_to(site_build.site): p.read_bytes() for p in site_build.site.rglob("*") if p.is_file()}
    second = {p.relative_to(again.site): p.read_bytes() for p in again.site.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    differing = [str(path) for path in first if first[path] != second[path]]
    assert not differing


def test_repository_links_follow_the_repository_the_site_is_built_from(monkeypatch):
    """Like the site's address, the repository link and edit links come from the repository the
    workflow runs in: a fork's pencil leads to the fork."""
    env = yaml.safe_load(WORKFLOW.read_text("utf-8"))["jobs"]["build"]["env"]
    assert "github.repository" in env["REPO_URL"] and "github.event.repository.name" in env["REPO_NAME"]
    assert "default_branch" in env["EDIT_URI"]
    from mkdocs.config import load_config

    monkeypatch.setenv("REPO_URL", "https://github.com/someone/fork")
    monkeypatch.setenv("EDIT_URI", "edit/trunk/docs/")
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert config.repo_url == "https://github.com/someone/fork"
    assert config.edit_uri == "edit/trunk/docs/"
