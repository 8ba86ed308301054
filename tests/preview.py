"""Preview the built site the way GitHub Pages serves it: under its path (/ai-video-qa/, from
site_url) and with the root 404.html answering every missing address, so the 404 pages, short
links and each edition's folder behave as they will once published.

Usage:  mkdocs build && python tests/preview.py [--port 8000] [--site site]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_publish import REPO_PATH, PagesHandler  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--site", type=Path, default=Path(__file__).resolve().parent.parent / "site")
    options = parser.parse_args()
    if not (options.site / "404.html").exists():
        sys.exit(f"no built site in {options.site}: run `mkdocs build` first")
    handler = functools.partial(PagesHandler, directory=str(options.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", options.port), handler)
    print(f"serving {options.site} at http://127.0.0.1:{options.port}{REPO_PATH} (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
