"""The person page as a person uses it: `moodrec serve` driven by headless Chromium.

A real face photo and a real voice clip go in; the page must show each sense's emotion with
its probabilities, the plot, k excerpts with album, track, time range and reason; a like is
kept, seen in the history after a reload and in its CSV. A file that is not an image gets the
person path's own message next to the photo, the page still answers afterwards, and "delete my
history" empties the history. A photo taken with (Chromium's stand-in) camera reaches the
person path too. Every request the page makes stays on the machine. Screenshots go to
``build/ci-artifacts/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import expect

from moodrec.core.emotions import EMOTIONS
from moodrec.page.history import COLUMNS, History
from moodrec.person.errors import UnusableInputError
from moodrec.person.images import decode_grey
from tests.page.conftest import ARTIFACTS

pytestmark = pytest.mark.real_data
ANSWER_TIMEOUT_MS = 90_000  # the first answer imports the models' runtime
EXCERPT = re.compile(r"^(\d+)\. (.+), track (\S+) \[(\d\d:\d\d-\d\d:\d\d)\], similarity "
                     r"[01]\.\d{3}\n(.+)$")
PROBABILITY = re.compile(r"^(\w+) (\d+)%$")


def _open(browser, url: str):
    """A new page at ``url`` once the inputs are drawn; ``hosts`` collects every host the
    page asks anything of, ``errors`` its JavaScript errors."""
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    page.hosts, page.errors = set(), []
    page.on("request", lambda r: page.hosts.add(r.url.split("/")[2]) if "://" in r.url else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url)
    page.get_by_role("button", name="Recommend music").wait_for(timeout=30_000)
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
    uploader.get_by_text(path.name).wait_for()


def _screenshot(page, name: str) -> None:
    """The page's content, once Streamlit has finished drawing it, into :data:`ARTIFACTS`."""
    expect(page.locator("[data-stale='true']")).to_have_count(0)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
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


def test_a_photo_and_a_clip_give_music_and_a_like_is_kept(page_url, page_browser, page_project,
                                                           face_photo, voice_clip):
    page = _open(page_browser, page_url)
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
    shown = [EXCERPT.match(t.split("\nLike")[0].strip()) for t in excerpts.all_inner_texts()]
    assert all(shown), f"excerpts not as 'rank. album, track T [mm:ss-mm:ss] ...': {shown}"
    assert [int(m[1]) for m in shown] == [1, 2, 3] and all(m[5].strip() for m in shown)

    excerpts.first.get_by_role("button", name="Like").click()
    page.get_by_test_id("stBaseButton-primary").filter(has_text="Like").wait_for()
    assert _width(_chart(page, "your mood over time")) > 400
    page.get_by_test_id("stTable").get_by_text("(like)").wait_for()
    history = History(page_project / "data" / "09_person" / "mood_history.sqlite")
    kept = history.table()
    assert list(kept["album"]) == [m[2] for m in shown] and set(kept["goal"]) == {"uplift"}
    assert list(kept["feedback"].fillna("")) == ["like", "", ""]
    _face, _voice = kept.iloc[0][["face_emotion", "voice_emotion"]]
    assert (_face, _voice) == (_sense(page, "Face")[0], _sense(page, "Voice")[0])
    _screenshot(page, "person_page.png")

    page.reload()
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


def test_a_file_that_is_not_an_image_is_named_next_to_the_photo(page_url, page_browser,
                                                                page_project, tmp_path,
                                                                face_photo):
    notes = tmp_path / "notes.png"
    notes.write_bytes(b"a text file, not a picture\n" * 20)
    with pytest.raises(UnusableInputError) as expected:  # what the person path says of it
        decode_grey(notes.read_bytes(), name=notes.name, max_pixels=10**6)
    page = _open(page_browser, page_url)
    _upload(page, 0, "Upload a photo", notes)
    page.get_by_role("button", name="Recommend music").click()
    beside_photo = _column(page, "Your face").get_by_test_id("stAlert")
    beside_photo.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert beside_photo.inner_text().strip() == str(expected.value)
    assert page.get_by_text("no usable input: nothing to recommend from").count() == 1
    _screenshot(page, "person_page_not_an_image.png")

    _upload(page, 0, "Upload a photo", face_photo)  # replaces it; the page is still usable
    assert page.get_by_test_id("stFileUploader").first.get_by_text(notes.name).count() == 0
    page.get_by_role("button", name="Recommend music").click()
    page.get_by_role("heading", name="What we read").wait_for(timeout=ANSWER_TIMEOUT_MS)
    expect(_column(page, "Your face").get_by_test_id("stAlert")).to_have_count(0)

    history = History(page_project / "data" / "09_person" / "mood_history.sqlite")
    assert not history.table().empty
    delete = page.get_by_role("button", name="Delete my history")
    expect(delete).to_be_disabled()  # not without the box ticked
    page.get_by_text("Yes, delete everything").click()
    delete.click()
    page.get_by_text("Your history is deleted").wait_for()
    assert history.table().empty
    assert not page.errors, f"JavaScript errors: {page.errors}"
    page.close()


def test_a_photo_taken_with_the_camera_is_read_by_the_person_path(page_url, page_browser):
    """Chromium's stand-in camera shows a test pattern, not a face: the person path says so,
    next to the photo, naming the camera's picture."""
    page = _open(page_browser, page_url)
    page.get_by_role("tab", name="Take a photo").click()
    with page.expect_response(_uploaded):
        page.get_by_role("button", name="Take Photo").click()
    page.get_by_role("button", name="Recommend music").click()
    beside_photo = _column(page, "Your face").get_by_test_id("stAlert")
    beside_photo.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert beside_photo.inner_text().startswith("photo camera.jpg: no face found")
    assert not page.errors, f"JavaScript errors: {page.errors}"
    page.close()
