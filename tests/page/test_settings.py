"""The page's settings (moodrec.page.settings), as conf gives them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from moodrec.page.settings import PageSettingsError, check_page_settings

PERSON = {"person": {"goal": "uplift", "top_k": 4}}


def test_the_shipped_settings_are_valid(project_root: Path):
    page = yaml.safe_load((project_root / "conf/base/parameters_person_page.yml").read_text())
    settings = check_page_settings({**page, **PERSON})
    assert settings.shown_moods == page["person_page"]["shown_moods"]
    assert (settings.goal, settings.top_k) == ("uplift", 4)


@pytest.mark.parametrize("page, message", [
    (None, "parameters person_page: missing"),
    ({}, r"missing setting\(s\) \['shown_moods'\]"),
    ({"shown_moods": 5, "history": "h.sqlite"},  # the history is person.history now
     r"unknown setting\(s\) \['history'\]"),
    ({"shown_moods": 0}, "shown_moods = 0: must be a whole number"),
    ({"shown_moods": True}, "shown_moods = True"),
])
def test_a_wrong_setting_is_named(page, message):
    params = {**PERSON, **({"person_page": page} if page is not None else {})}
    with pytest.raises(PageSettingsError, match=message):
        check_page_settings(params)
