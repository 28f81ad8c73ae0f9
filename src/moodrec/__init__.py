"""moodrec: music recommendation from the emotion of a face and a voice."""

from __future__ import annotations

__version__ = "0.1.0"


def _load_opensmile_library_first() -> None:
    """Load openSMILE's native library (voice features) before anything imports TensorFlow.

    Why: in a process where TensorFlow was imported first, openSMILE's library aborts the
    process at its first extraction (``malloc(): invalid size``; measured with TensorFlow 2.21
    and opensmile 2.6). Loaded first, both work. The person path loads the face model
    (TensorFlow) and reads the voice (openSMILE) in one process, so the package does it on
    import: a few milliseconds, without importing opensmile's Python package.
    """
    import ctypes
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("opensmile")
    if spec is None or not spec.submodule_search_locations:
        return
    for library in sorted(Path(spec.submodule_search_locations[0], "core", "bin").glob(
            "*/libSMILEapi.*")):
        try:
            ctypes.CDLL(str(library))
            return
        except OSError:  # another platform's build
            continue


_load_opensmile_library_first()
