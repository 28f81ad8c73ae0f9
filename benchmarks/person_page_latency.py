"""Latency of the person page (`moodrec serve`) as a person meets it, in headless Chromium.

Starts `moodrec serve` on a free port over a temporary copy of the project (its conf, with the
raw data and the shipped models linked, so the mood history written is the copy's), uploads a
photo and a voice clip, and measures wall time in the browser:

1. **start**: from starting the command to the page's inputs drawn (Streamlit's start, a
   name given, the person service started);
2. **first answer**: clicking "Recommend music" to the answer drawn (the person service
   loads the configuration, the catalogue and the models on this first request);
3. **warm answer**: the same click again, ``--repeats`` times (median, min, max): the warm
   service's answer plus the page's own work (files, history, the plot, Streamlit's rerun);
4. **like**: clicking "Like" to the page redrawn with it kept.

Clicks are timed in the page, from the click event to the animation frame that shows the
result with Streamlit's run finished; ``warm_answer_driver_s`` is the same as Playwright sees
it (its checks before clicking and its round trips added).

    python benchmarks/person_page_latency.py --photo me.jpg --clip me.flac [--repeats 5]

Needs Debian's Chromium (MOODREC_CHROMIUM or /usr/bin/chromium) and playwright. The numbers
are recorded in docs/person_page.md with the machine that measured them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_project(folder: Path) -> Path:
    """The project's conf in ``folder``; raw data and models linked (read only)."""
    shutil.copy(ROOT / "pyproject.toml", folder)
    shutil.copytree(ROOT / "conf" / "base", folder / "conf" / "base")
    (folder / "conf" / "local").mkdir()
    (folder / "src").mkdir()
    (folder / "data").mkdir()
    (folder / "data" / "01_raw").symlink_to(ROOT / "data" / "01_raw")
    (folder / "models").symlink_to(ROOT / "models")
    return folder


def wait_healthy(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"no page at {url} after {timeout} s")


#: Streamlit has finished the run: no stale element, no running indicator.
FINISHED = ("!document.querySelector('[data-stale=\"true\"]') && "
            "!document.querySelector('[data-testid=\"stStatusWidget\"]')")


def drawn(page, shown: str = "true") -> None:
    """Until the page shows ``shown`` (a JavaScript condition) and Streamlit has finished the
    run, checked on every animation frame (a locator's wait polls at growing intervals, up to
    0.5 s apart, which would add up to 0.5 s to a measured time)."""
    page.wait_for_function(f"() => ({shown}) && {FINISHED}", polling="raf", timeout=120_000)


#: Keeps the time of the next click in the page (``window.clickedAt``, ms).
ON_NEXT_CLICK = ("() => document.addEventListener('click', () => { window.clickedAt = "
                 "performance.now(); }, {capture: true, once: true})")


def click_to_drawn(page, button, shown: str) -> tuple[float, float]:
    """Seconds from clicking ``button`` to ``shown`` drawn and the run finished: in the page
    (its click event to the animation frame that shows it: what the person waits) and as the
    driver sees it (also Playwright's own checks before it clicks, and its round trips)."""
    page.evaluate(ON_NEXT_CLICK)
    start = time.perf_counter()
    button.click()
    drawn_at = page.wait_for_function(f"() => ({shown}) && {FINISHED} && performance.now()",
                                      polling="raf", timeout=120_000).json_value()
    driver = time.perf_counter() - start
    return (drawn_at - page.evaluate("() => window.clickedAt")) / 1000, driver


def ask(page, mood_id: int) -> tuple[float, float]:
    """:func:`click_to_drawn` for "Recommend music" to answer ``mood_id`` drawn (the copy's
    history starts empty, so the n-th answer is mood n: its excerpts' keys name it)."""
    return click_to_drawn(page, page.get_by_role("button", name="Recommend music"),
                          f"document.querySelector('.st-key-excerpt-{mood_id}-1')")


def summary(times: list[float]) -> dict:
    return {"median": round(statistics.median(times), 3), "min": round(min(times), 3),
            "max": round(max(times), 3), "runs": len(times)}


def upload(page, which: int, path: Path) -> None:
    uploader = page.get_by_test_id("stFileUploader").nth(which)
    with page.expect_response(lambda r: "/_stcore/upload_file/" in r.url and r.ok):
        uploader.locator("input[type=file]").set_input_files(str(path))
    drawn(page)


def measure(args: argparse.Namespace, url: str, started: float) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("MOODREC_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        page.goto(url)
        page.get_by_role("textbox", name="Your name (or a profile name)").fill("bench")
        page.get_by_role("button", name="Continue").click()  # the page asks who it is for
        page.get_by_role("button", name="Recommend music").wait_for(timeout=60_000)
        result = {"start_s": round(time.perf_counter() - started, 2)}
        upload(page, 0, args.photo)
        upload(page, 1, args.clip)
        result["first_answer_s"] = round(ask(page, 1)[0], 3)
        warm = [ask(page, n) for n in range(2, args.repeats + 2)]
        result["warm_answer_s"] = summary([in_page for in_page, _ in warm])
        result["warm_answer_driver_s"] = summary([driver for _, driver in warm])
        result["like_s"] = round(click_to_drawn(
            page, page.get_by_role("button", name="Like").first,
            "Array.from(document.querySelectorAll('[data-testid=stBaseButton-primary]'))"
            ".some(b => b.innerText.trim() === 'Like')")[0], 3)
        browser.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photo", type=Path, required=True)
    parser.add_argument("--clip", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory(prefix="moodrec-page-bench-") as folder:
        project = copy_project(Path(folder))
        started = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "moodrec", "serve", "--port", str(port), "--project-dir",
             str(project)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url)
            print(json.dumps(measure(args, url, started), indent=2))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=15)


if __name__ == "__main__":
    main()
