"""Shared fixtures: a real MkDocs build of the site, the question corpus, and Chromium."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "tests")]

COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "site", "__pycache__", ".pytest_cache", "topics",
                                     "node_modules")


# Fixtures that build the real site with MkDocs: a test that uses one is a "build" test.
BUILD_FIXTURES = {"site_build", "downloads_build", "served_site", "hostile", "served_hostile", "anchor_takeover",
                  "changed_source_build", "pages_server", "built"}


def pytest_collection_modifyitems(items):
    """Mark each test by what it needs: `browser` (Chromium), `build` (a real MkDocs build), or
    `unit` (in-process steps only): `python -m pytest tests -m unit` is the quick run."""
    for item in items:
        names = set(item.fixturenames)
        if "browser" in names:
            item.add_marker(pytest.mark.browser)
        elif names & BUILD_FIXTURES or item.get_closest_marker("build"):
            item.add_marker(pytest.mark.build)
        else:
            item.add_marker(pytest.mark.unit)


@dataclass
class Build:
    """The result of one `mkdocs build --strict`: exit code, everything it printed, the output folder."""

    returncode: int
    output: str
    site: Path


def run_build(root: Path, site: Path, strict: bool = True, **environ: str) -> Build:
    """Build the project at `root` with the real MkDocs CLI into `site` (verbose: the content report's
    lines are in its output at DEBUG), with `environ` added."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1", **environ)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *(["--strict"] if strict else []), "--verbose", "--site-dir", str(site)],
        cwd=root, env=env, capture_output=True, text=True, timeout=600)
    return Build(result.returncode, result.stdout + result.stderr, site)


def record_questions(root: Path) -> str:
    """Record a project's questions with the maintainers' command (after its sources changed)."""
    result = subprocess.run([sys.executable, "hooks/qa_output.py", "record"], cwd=root, capture_output=True,
                            text=True, timeout=300, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def copy_project(target: Path) -> Path:
    """A private copy of the project, to build with altered sources."""
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    return target


@pytest.fixture(scope="session")
def site_build(tmp_path_factory) -> Build:
    """The real site, built once per test session."""
    build = run_build(ROOT, tmp_path_factory.mktemp("site"))
    assert build.returncode == 0, build.output
    return build


@pytest.fixture(scope="session")
def downloads_build(tmp_path_factory, chromium_path) -> Build:
    """The real site with every edition's PDF, EPUB and Anki deck, built once per test session."""
    build = run_build(ROOT, tmp_path_factory.mktemp("downloads"), QA_DOWNLOADS="1", CHROMIUM=chromium_path)
    assert build.returncode == 0, build.output
    return build


@pytest.fixture(scope="session")
def corpus():
    """The question corpus the hooks build from the repository's sources."""
    import qa_hooks

    return qa_hooks.corpus_for(ROOT / "docs", ROOT / "imgs")


def find_chromium() -> str | None:
    """Debian's Chromium, or one named by CHROMIUM."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Chromium for browser tests: skipped with a reason locally, an error under CI."""
    path = find_chromium()
    if path is None:
        message = "no Chromium found (install Debian's 'chromium' or set CHROMIUM=/path)"
        if os.environ.get("CI"):
            pytest.fail("browser tests cannot be skipped in CI: " + message)
        pytest.skip(message)
    return path


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser(chromium_path):
    """A headless Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, headless=True,
                                              args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@contextlib.contextmanager
def serve(folder: Path, handler_class=None):
    """A folder on a local HTTP server for the duration of the block; yields its base URL."""
    handler = functools.partial(handler_class or QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def served_site(site_build):
    """The built site on a local HTTP server; yields its base URL."""
    with serve(site_build.site) as url:
        yield url


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request to the test output."""

    def log_message(self, *args):
        pass
