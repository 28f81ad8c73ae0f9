"""The face tables of the face_training tests serve the tests of :mod:`moodrec.core.faces`."""

from tests.pipelines.face_training.conftest import real_face_data, table  # noqa: F401
