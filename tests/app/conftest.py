"""The person fixtures (photos, clips, stand-in models, the real catalogue) serve the
pipeline's tests too."""

from tests.person.conftest import *  # noqa: F403 - pytest fixtures, re-exported
