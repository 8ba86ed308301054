"""`mkdocs serve` for real: after a source changes, the rebuilt site (which reuses what the earlier
build rendered) is exactly what a fresh `mkdocs build` of the changed sources gives."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import copy_project, run_build

LIVERELOAD = re.compile(rb"<script>[^<]*livereload\([^<]*</script>(?=</body>)")
COMPARED = (".html", ".json", ".xml")

pytestmark = pytest.mark.build  # each test runs mkdocs serve or a build


class Server:
    """A `mkdocs serve` process on a free port, with the lines it printed."""

    def __init__(self, project: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/ai-video-qa/"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=self.url)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"], cwd=project,
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.lines: list[str] = []
        threading.Thread(target=lambda: self.lines.extend(self.process.stdout), daemon=True).start()

    def wait_for(self, text: str, after: int = 0, seconds: float = 180) -> None:
        deadline = time.time() + seconds
        while not any(text in line for line in self.lines[after:]):
            assert self.process.poll() is None, "mkdocs serve stopped:\n" + "".join(self.lines[-20:])
            assert time.time() < deadline, f"no '{text}' from mkdocs serve:\n" + "".join(self.lines[-20:])
            time.sleep(0.1)

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return LIVERELOAD.sub(b"", response.read())

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(10)


def edit_and_compare(server: Server, project: Path, tmp_path: Path, source: str, addition: str) -> int:
    """Append to a source, wait for the rebuild, and compare every page with a fresh build."""
    seen = len(server.lines)
    path = project / "docs" / "sources" / source
    path.write_text(path.read_text(encoding="utf-8") + addition, encoding="utf-8")
    server.wait_for("Reloading browsers", after=seen)
    os.environ["SITE_URL"], saved = server.url, os.environ.get("SITE_URL")
    try:
        # New questions are not recorded; offline reading is off under serve, so off in the build too.
        fresh = run_build(project, tmp_path / f"fresh-{seen}", strict=False, QA_OFFLINE="0")
    finally:
        os.environ.pop("SITE_URL") if saved is None else os.environ.__setitem__("SITE_URL", saved)
    assert fresh.returncode == 0, fresh.output
    compared = 0
    for file in sorted(fresh.site.rglob("*")):
        if file.suffix in COMPARED:
            relative = file.relative_to(fresh.site).as_posix()
            assert server.get(relative) == file.read_bytes(), f"{relative} differs after editing {source}"
            compared += 1
    return compared


def test_serve_rebuild_after_a_source_edit_equals_a_fresh_build(tmp_path):
    project = copy_project(tmp_path / "project")
    server = Server(project)
    try:
        server.wait_for("Serving on")
        # A sentence in the last answer of one file: its page changes, the other pages come from the cache.
        compared = edit_and_compare(server, project, tmp_path, "models-and-frameworks.md",
                                    "\n补充一句：SVD 的时间层在图像模型之后单独训练。\n")
        assert compared > 30
        # Then a new question in the core file: titles, related questions and the glossary change too.
        edit_and_compare(server, project, tmp_path, "ai-video-core.md",
                         "\n## 36.什么是视频帧插值？\n\n在两帧之间生成中间帧，使运动更平滑。\n")
    finally:
        server.stop()
    assert not any("Traceback" in line for line in server.lines), "".join(server.lines)
