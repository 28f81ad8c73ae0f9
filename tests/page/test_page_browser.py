"""The person page as a person uses it: `moodrec serve` driven by headless Chromium.

A person names themselves first; a real face photo and a real voice clip go in; the page must
show each sense's emotion with its probabilities, the plot, k offers with their title and
reason; a like is kept, seen in that person's history after a reload and in its CSV. A second
person sees none of the first one's history, and deleting theirs leaves the first one's. A
file that is not an image, named with Markdown, gets the person path's own message next to the
photo, as written, and the browser fetches nothing it names; a history that cannot be used is
said next to the history while the answer is shown. A photo taken with (Chromium's stand-in)
camera reaches the person path too. Every request the page makes stays on the machine, and
the page's server connects to nothing outside it. Served beyond this machine, the page shows
nothing before its token. Screenshots go to ``build/ci-artifacts/``.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import re
import socket
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import expect

from moodrec.core.emotions import EMOTIONS
from moodrec.person.history import COLUMNS, History
from tests.page.conftest import ARTIFACTS, TOKEN

pytestmark = pytest.mark.real_data
ANSWER_TIMEOUT_MS = 90_000  # the first answer imports the models' runtime
OFFER = re.compile(r"^(\d+)\. (.+), similarity [01]\.\d{3}\n(.+)$")
#: A legal file name that Markdown would make an image fetched from HOST.
MARKDOWN_NAME = "![p](https:markdown-host.invalid).png"
PROBABILITY = re.compile(r"^(\w+) (\d+)%$")


def _new_page(browser, url: str):
    """A new page (a browser session of its own) at ``url``; ``hosts`` collects every host the
    page asks anything of, ``errors`` its JavaScript errors."""
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    page.hosts, page.errors = set(), []
    page.on("request", lambda r: page.hosts.add(r.url.split("/")[2]) if "://" in r.url else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url)
    return page


def _name(page, person: str) -> None:
    """Say who is using the page; done when the inputs are drawn."""
    page.get_by_role("textbox", name="Your name (or a profile name)").fill(person)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Recommend music").wait_for(timeout=60_000)


def _open(browser, url: str, person: str):
    """A new page at ``url`` for ``person``, once the inputs are drawn."""
    page = _new_page(browser, url)
    _name(page, person)
    return page


def _uploaded(response) -> bool:
    """A file of the page's inputs is on the server (its widget value is sent next)."""
    return "/_stcore/upload_file/" in response.url and response.request.method == "PUT" \
        and response.ok


def _upload(page, which: int, tab: str, path: Path) -> None:
    """``path`` into the ``which``-th file uploader (0: photo, 1: voice), on its tab."""
    page.get_by_role("tab", name=tab).click()
    uploader = page.get_by_test_id("stFileUploader").nth(which)
    # Done when the file is on the server (its widget value is sent next): a click before
    # that would ask with the previous input.
    with page.expect_response(_uploaded):
        uploader.locator("input[type=file]").set_input_files(str(path))
    uploader.get_by_title(path.name, exact=True).wait_for()


def _settled(page) -> None:
    """Until Streamlit has finished its run: no stale element, no running indicator."""
    expect(page.locator("[data-stale='true']")).to_have_count(0)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)


def _screenshot(page, name: str) -> None:
    """The page's content, once Streamlit has finished drawing it, into :data:`ARTIFACTS`."""
    _settled(page)
    bottom = page.evaluate("() => Math.max(...Array.from(document.querySelectorAll("
                           "'[data-testid=stElementContainer]'), e => "
                           "e.getBoundingClientRect().bottom))")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(ARTIFACTS / name),
                    clip={"x": 0, "y": 0, "width": width, "height": bottom + 40})


def _column(page, title: str):
    return page.get_by_test_id("stColumn").filter(has=page.get_by_role("heading", name=title))


def _chart(page, name: str):
    """The drawing (Vega's SVG) of the chart named ``name`` for assistive technologies, once
    Vega has drawn it."""
    drawing = page.locator(f"[data-testid=stVegaLiteChart][aria-label='{name}'] svg.marks")
    drawing.wait_for()
    return drawing


def _width(drawing) -> float:
    return drawing.evaluate("e => e.getBoundingClientRect().width")


def _sense(page, name: str) -> tuple[str, dict[str, int]]:
    """The emotion a sense's column names and the percentages under it."""
    column = page.get_by_test_id("stColumn").filter(has_text=f"{name}: ").filter(
        has=page.get_by_test_id("stProgress")).last
    emotion = column.get_by_text(re.compile(f"^{name}: ")).inner_text().split(": ", 1)[1]
    shown = [PROBABILITY.match(t.strip()) for t in
             column.get_by_test_id("stProgress").all_inner_texts()]
    assert all(shown), f"{name}: probabilities not as 'emotion NN%': {shown}"
    return emotion, {m[1]: int(m[2]) for m in shown}


def _history(project: Path) -> History:
    return History(project / "data" / "09_person" / "history.sqlite")


def test_a_photo_and_a_clip_give_music_and_a_like_is_kept(page_url, page_browser, page_project,
                                                           face_photo, voice_clip):
    page = _open(page_browser, page_url, "Ada")
    _upload(page, 0, "Upload a photo", face_photo)
    _upload(page, 1, "Upload a clip", voice_clip)
    page.get_by_label("Excerpts (k)").fill("3")
    page.get_by_label("Excerpts (k)").press("Enter")
    page.get_by_test_id("stRadio").get_by_text("uplift").click()
    page.get_by_role("button", name="Recommend music").click()
    page.get_by_role("heading", name="What we read").wait_for(timeout=ANSWER_TIMEOUT_MS)

    for sense in ("Face", "Voice"):
        emotion, probabilities = _sense(page, sense)
        assert sorted(probabilities) == sorted(EMOTIONS), f"{sense}: {probabilities}"
        assert abs(sum(probabilities.values()) - 100) <= 3, f"{sense}: {probabilities}"
        assert probabilities[emotion] == max(probabilities.values()), f"{sense}: {emotion}"
    plane = _chart(page, "your mood on the valence-arousal plane")
    assert _width(plane) > 400
    assert plane.locator(".role-mark.mark-text text").all_text_contents() == ["1", "2", "3"]
    assert page.get_by_text(re.compile(r"^Goal: uplift: ")).count() == 1

    excerpts = page.locator("[class*='st-key-excerpt-']")
    assert excerpts.count() == 3
    shown = [OFFER.match(t.split("\nLike")[0].strip()) for t in excerpts.all_inner_texts()]
    assert all(shown), f"offers not as 'rank. title, similarity S\nreason': {shown}"
    assert [int(m[1]) for m in shown] == [1, 2, 3] and all(m[3].strip() for m in shown)

    excerpts.first.get_by_role("button", name="Like").click()
    page.get_by_test_id("stBaseButton-primary").filter(has_text="Like").wait_for()
    assert _width(_chart(page, "your mood over time")) > 400
    page.get_by_test_id("stTable").get_by_text("(like)").wait_for()
    kept = _history(page_project).table("Ada")
    assert list(kept["title"]) == [m[2] for m in shown] and set(kept["goal"]) == {"uplift"}
    assert list(kept["feedback"].fillna("")) == ["like", "", ""]
    _face, _voice = kept.iloc[0][["face_emotion", "voice_emotion"]]
    assert (_face, _voice) == (_sense(page, "Face")[0], _sense(page, "Voice")[0])
    _screenshot(page, "person_page.png")

    page.reload()  # a new visit: the page asks who it is for again
    _name(page, "Ada")
    page.get_by_role("heading", name="Your mood history").wait_for(timeout=30_000)
    table = page.get_by_test_id("stTable")
    table.get_by_text(f"#1 {shown[0][2]}").wait_for()
    assert "(like)" in table.inner_text() and "uplift" in table.inner_text()
    assert _width(_chart(page, "your mood over time")) > 400
    assert page.get_by_role("heading", name="What we read").count() == 0  # a new visit
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my history (CSV)").click()
    exported = pd.read_csv(download.value.path())
    assert list(exported.columns) == list(COLUMNS) and len(exported) == 3
    assert list(exported["feedback"].fillna("")) == ["like", "", ""]
    assert not page.errors, f"JavaScript errors: {page.errors}"
    assert page.hosts == {page_url.split("/")[2]}, f"the page reached out: {page.hosts}"
    page.close()


def test_a_second_person_sees_only_their_history_and_a_file_name_is_shown_as_written(
        page_url, page_browser, page_project, tmp_path, face_photo):
    """Bo, in a second browser session after Ada: a non-image named with Markdown, then a
    photo; Bo's history only; the history made unusable (a folder), then Bo deletes theirs."""
    history = _history(page_project)
    ada = history.table("Ada")
    assert not ada.empty, "the first test keeps Ada's answer"
    page = _new_page(page_browser, page_url)
    page.get_by_role("textbox", name="Your name (or a profile name)").wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Recommend music").count() == 0  # not before a name
    assert page.get_by_role("heading", name="Your mood history").count() == 0
    _name(page, "Bo")
    page.get_by_text("No moods yet").wait_for()  # nothing of Ada's

    notes = tmp_path / MARKDOWN_NAME
    notes.write_bytes(b"a text file, not a picture\n" * 20)
    _upload(page, 0, "Upload a photo", notes)
    page.get_by_role("button", name="Recommend music").click()
    beside_photo = _column(page, "Your face").get_by_test_id("stAlert")
    beside_photo.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert beside_photo.inner_text().startswith(f"photo {MARKDOWN_NAME}: ")  # as written
    assert beside_photo.locator("img, a").count() == 0
    assert page.get_by_text("no usable input: nothing to recommend from").count() == 1
    _screenshot(page, "person_page_not_an_image.png")

    _upload(page, 0, "Upload a photo", face_photo)  # replaces it; the page is still usable
    uploader = page.get_by_test_id("stFileUploader").first
    assert uploader.get_by_title(notes.name, exact=True).count() == 0
    page.get_by_role("button", name="Recommend music").click()
    page.get_by_role("heading", name="What we read").wait_for(timeout=ANSWER_TIMEOUT_MS)
    expect(_column(page, "Your face").get_by_test_id("stAlert")).to_have_count(0)
    expect(page.get_by_test_id("stTable").locator("tbody tr")).to_have_count(1)  # Bo's one
    assert history.table("Bo")["mood_id"].nunique() == 1
    assert "Ada" not in page.locator("body").inner_text()

    # The history file becomes a folder: the answer is still given, the history says why.
    moved = history.path.with_suffix(".moved")
    history.path.rename(moved)
    history.path.mkdir()
    try:
        page.get_by_test_id("stRadio").get_by_text("calm").click()
        _settled(page)
        page.get_by_role("button", name="Recommend music").click()
        problem = page.get_by_test_id("stAlert").filter(has_text="could not be used")
        problem.wait_for(timeout=ANSWER_TIMEOUT_MS)
        _settled(page)
        assert str(history.path) in problem.inner_text()
        expect(page.get_by_role("heading", name="What we read")).to_have_count(1)
        expect(page.get_by_text(re.compile(r"^Goal: calm"))).to_have_count(1)
    finally:
        history.path.rmdir()
        moved.rename(history.path)
    page.get_by_role("button", name="Recommend music").click()  # the file back: kept again
    expect(page.get_by_test_id("stTable").locator("tbody tr")).to_have_count(
        2, timeout=ANSWER_TIMEOUT_MS)  # nothing lost, the answer without a history not kept
    assert history.table("Bo")["mood_id"].nunique() == 2

    delete = page.get_by_role("button", name="Delete my history")
    expect(delete).to_be_disabled()  # not without the box ticked
    page.get_by_text("Yes, delete everything").click()
    delete.click()
    page.get_by_text("Your history is deleted").wait_for()
    assert history.table("Bo").empty
    assert history.table("Ada").equals(ada)  # Ada's untouched
    assert "markdown-host.invalid" not in page.hosts, f"fetched: {page.hosts}"
    assert page.hosts == {page_url.split("/")[2]}, f"the page reached out: {page.hosts}"
    assert not page.errors, f"JavaScript errors: {page.errors}"
    page.close()


def test_a_photo_taken_with_the_camera_is_read_by_the_person_path(page_url, page_browser):
    """Chromium's stand-in camera shows a test pattern, not a face: the person path says so,
    next to the photo, naming the camera's picture."""
    page = _open(page_browser, page_url, "Cy")
    page.get_by_role("tab", name="Take a photo").click()
    with page.expect_response(_uploaded):
        page.get_by_role("button", name="Take Photo").click()
    page.get_by_role("button", name="Recommend music").click()
    beside_photo = _column(page, "Your face").get_by_test_id("stAlert")
    beside_photo.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert beside_photo.inner_text().startswith("photo camera.jpg: no face found")
    assert not page.errors, f"JavaScript errors: {page.errors}"
    page.close()


def test_beyond_this_machine_nothing_is_shown_before_the_token(guarded_url, page_browser):
    page = _new_page(page_browser, guarded_url)
    token = page.get_by_role("textbox", name="Access token")
    token.wait_for(timeout=30_000)
    for hidden in ("Your name (or a profile name)", "Excerpts (k)"):
        assert page.get_by_label(hidden, exact=True).count() == 0
    assert page.get_by_role("heading", name="Your mood history").count() == 0
    token.fill("not-the-token-at-all")
    page.get_by_role("button", name="Open the page").click()
    page.get_by_text("Wrong token.").wait_for(timeout=30_000)
    assert page.get_by_role("textbox", name="Your name (or a profile name)").count() == 0
    token.fill(TOKEN)
    page.get_by_role("button", name="Open the page").click()
    page.get_by_role("textbox", name="Your name (or a profile name)").wait_for(timeout=30_000)
    assert page.get_by_role("textbox", name="Access token").count() == 0
    assert not page.errors, f"JavaScript errors: {page.errors}"
    page.close()


def _local(target) -> bool:
    """A socket address on this machine: a Unix socket's path, a loopback IP, ``localhost``."""
    if not isinstance(target, list):
        return target is None or isinstance(target, str) and (
            target == "localhost" or target.startswith("/") or _loopback(target))
    return _loopback(str(target[0]))


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _handshake(url: str, origin: str) -> bytes:
    """The first bytes of the answer to a WebSocket handshake with ``origin``."""
    host, port = url.split("/")[2].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {base64.b64encode(b'0' * 16).decode()}"
            f"\r\nSec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n".encode())
        return connection.recv(64)


def test_the_servers_connected_to_nothing_outside_this_machine(connections_log, page_url,
                                                               guarded_url):
    """Over the tests above (starts, answers, likes, reloads, the token): every connection and
    look-up the two servers' processes made, recorded in the processes themselves (last of
    the page's tests). The same recorder in a bare ``streamlit run --server.address=0.0.0.0``
    records its look-ups of checkip.amazonaws.com (docs/person_page.md)."""
    # A web page elsewhere opening the page's WebSocket: Streamlit checks the origin against
    # this machine's addresses (a UDP connect, which sends nothing, and the outside-address
    # look-up, which the page's process sends to a closed port of this machine).
    assert _handshake(page_url, origin="http://elsewhere.invalid").startswith(b"HTTP/1.1 403")
    calls = [json.loads(line) for line in connections_log.read_text().splitlines()]
    armed = {c["pid"] for c in calls if c["call"] == "armed"}
    assert len(armed) == 2, f"the connection recorder did not run in both servers: {armed}"
    outside = [c for c in calls if not _local(c["target"])
               and not (c["call"] == "connect" and c.get("type") == socket.SOCK_DGRAM)]
    assert not outside, f"the server reached out: {outside}"
