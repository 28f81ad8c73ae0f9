"""Voice-clip handling shared by ``audio_training`` and the inference code.

* :mod:`.naming` - voice-corpus file names (RAVDESS, EmoDB, EMOVO, URDU) parsed into their
  fields;
* :mod:`.io` - loading any WAV/FLAC (any rate, mono or stereo) as 22,050 Hz mono;
* :mod:`.features` - the study's 162 features (STFT computed once) and its augmentation;
* :mod:`.scaling` - a portable (JSON) standard scaler;
* :mod:`.datasets` - Kedro datasets: a lazily loaded folder of clips, a hyperopt checkpoint.
"""
