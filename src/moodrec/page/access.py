"""Who may see the page and whose history it shows, asked before anything else is drawn.

* The page's token (:data:`TOKEN_ENV`), when ``moodrec serve`` was given one: required
  whenever the page listens beyond this machine (``docs/person_page.md``);
* the person's name (a name or a profile, :func:`moodrec.person.history.check_person`): the
  page shows, exports and deletes only that person's history.

And :func:`plain`: every string a person or a catalogue supplied, made literal for Streamlit's
Markdown (file names, names, titles), so that ``![p](https:HOST).png`` is shown as written and
nothing is fetched.
"""

from __future__ import annotations

import hmac
import re
import time

import streamlit as st

from moodrec.page.command import TOKEN_ENV
from moodrec.person.history import PersonNameError, check_person

PERSON_KEY, GRANTED_KEY = "person", "granted"
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


def plain(text: object) -> str:
    """``text`` as literal Markdown: every ASCII punctuation character backslash-escaped
    (CommonMark's escape, which also stops Streamlit's ``:colour[...]``, ``:emoji:`` and
    ``$math$``)."""
    return _PUNCTUATION.sub(r"\\\1", str(text))


def token_granted(expected: str) -> bool:
    """Whether this browser session gave ``expected``; asks for it otherwise (a wrong token
    costs a second, to slow guessing)."""
    if st.session_state.get(GRANTED_KEY):
        return True
    with st.form("token_form"):
        given = st.text_input("Access token", type="password",
                              help=f"the page's token ({TOKEN_ENV} where it was started)")
        sent = st.form_submit_button("Open the page")
    if sent:
        if hmac.compare_digest(given.encode(), expected.encode()):
            st.session_state[GRANTED_KEY] = True
            st.rerun()
        time.sleep(1.0)
        st.error("Wrong token.")
    return False


def _change_person() -> None:
    """Forget who this session was and what it showed (the answer was theirs)."""
    granted = st.session_state.get(GRANTED_KEY)
    st.session_state.clear()
    st.session_state[GRANTED_KEY] = granted


def person_named() -> str | None:
    """The person this browser session is for; asks for a name until one is given."""
    person = st.session_state.get(PERSON_KEY)
    if person:
        who, change = st.columns([5, 1], vertical_alignment="center")
        who.markdown(f"Your history: **{plain(person)}**")
        change.button("Change person", on_click=_change_person, key="change_person")
        return person
    with st.form("person_form"):
        name = st.text_input("Your name (or a profile name)", max_chars=64,
                             help="your answers and likes are kept under this name, on this "
                             "machine; only this name's history is shown")
        sent = st.form_submit_button("Continue")
    if sent:
        try:
            st.session_state[PERSON_KEY] = check_person(name)
        except PersonNameError as err:
            st.error(plain(err))
        else:
            st.rerun()
    return None
