"""openSMILE functionals through its C library, without ``opensmile``'s Python front end.

Why: ``import opensmile`` imports audinterface, audobject and pandas (~0.5 s on the project's
2-core machine) only to wrap one call of the library. This module loads the package's own
ctypes binding (``opensmile/core/lib.py``, which needs only numpy) by its file, without
running the package's ``__init__``, and feeds it exactly what ``opensmile.Smile
.process_signal`` feeds it: the same configuration files and options, the signal as 16-bit
samples. The values are the same to the last bit (tests/audio/test_light_features.py
compares them on real clips).
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import numpy as np

#: openSMILE's feature-set configurations (``opensmile.FeatureSet`` values), by name.
CONFIGS: dict[str, str] = {
    "eGeMAPSv02": "egemaps/v02/eGeMAPSv02",
    "ComParE_2016": "compare/ComParE_2016",
}
_SOURCE, _SINK = "extsource", "extsink"  # the component names of the shared .inc files


@cache
def _package_folder() -> Path:
    spec = importlib.util.find_spec("opensmile")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the opensmile package is not installed (pip install opensmile)")
    return Path(spec.submodule_search_locations[0])


@cache
def _binding() -> ModuleType:
    """``opensmile/core/lib.py`` (its ``OpenSMILE`` class), loaded as a module of its own."""
    name = "moodrec_opensmile_binding"
    path = _package_folder() / "core" / "lib.py"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"openSMILE's binding not found at {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _options(config_root: Path, sample_rate: int | None) -> dict[str, object]:
    """The options ``opensmile.Smile`` gives the library for functionals."""
    options: dict[str, object] = {
        "sink": config_root / "shared/standard_external_data_output_single.conf.inc",
        "sinkLevel": "func",
        "bufferModeRbConf": config_root / "shared/BufferModeRb.conf.inc",
        "frameModeFunctionalsConf": config_root / "shared/FrameModeFunctionals.conf.inc",
        "source": config_root / "shared/standard_external_wave_input.conf.inc",
    }
    if sample_rate is not None:
        options.update(sampleRate=sample_rate, nBits=16)
    return {key: str(value) for key, value in options.items()}


def _instance(feature_set: str, sample_rate: int | None):
    if feature_set not in CONFIGS:
        raise ValueError(f"unknown openSMILE feature set {feature_set!r}; expected one of "
                         f"{', '.join(CONFIGS)}")
    root = _package_folder() / "core" / "config"
    smile = _binding().OpenSMILE()
    smile.initialize(config_file=str(root / f"{CONFIGS[feature_set]}.conf"),
                     options=_options(root, sample_rate), loglevel=2, debug=False)
    return smile


@cache
def feature_names(feature_set: str) -> tuple[str, ...]:
    """The names of the feature set's functionals, in the library's order."""
    smile = _instance(feature_set, None)
    try:
        count = smile.external_sink_get_num_elements(_SINK)
        return tuple(smile.external_sink_get_element_name(_SINK, i) for i in range(count))
    finally:
        smile.free()


def functionals(signal: np.ndarray, sr: int, feature_set: str) -> np.ndarray:
    """The functionals of a mono float signal (-1..1) as float32 (NaN if it is too short)."""
    samples = np.asarray(signal, np.float32).copy()
    samples *= 32768
    rows: list[np.ndarray] = []
    smile = _instance(feature_set, sr)
    try:
        smile.external_sink_set_callback_ex(
            _SINK, lambda data, meta: rows.append(data.reshape(-1).copy()))
        smile.external_audio_source_write_data(_SOURCE, bytes(samples.astype(np.int16)))
        smile.external_audio_source_set_eoi(_SOURCE)
        smile.run()
    finally:
        smile.free()
    if not rows:
        return np.full(len(feature_names(feature_set)), np.nan, np.float32)
    return rows[0]
