"""Voice-clip handling shared by ``audio_training`` and the inference code.

* :mod:`.naming` - RAVDESS file names (``MM-VV-EE-II-SS-RR-AA``) parsed into their fields;
* :mod:`.io` - loading any WAV/FLAC (any rate, mono or stereo) as 22,050 Hz mono;
* :mod:`.features` - the study's 162 features (STFT computed once) and its augmentation;
* :mod:`.scaling` - a portable (JSON) standard scaler;
* :mod:`.datasets` - Kedro datasets: a lazily loaded folder of clips, a hyperopt checkpoint.
"""

from moodrec.audio.features import FEATURE_NAMES, VARIANTS, clip_features, extract_features
from moodrec.audio.io import AudioReadError, load_audio
from moodrec.audio.naming import RavdessNameError, parse_ravdess_name
from moodrec.audio.scaling import apply_scaler, fit_scaler

__all__ = [
    "FEATURE_NAMES",
    "VARIANTS",
    "AudioReadError",
    "RavdessNameError",
    "apply_scaler",
    "clip_features",
    "extract_features",
    "fit_scaler",
    "load_audio",
    "parse_ravdess_name",
]
