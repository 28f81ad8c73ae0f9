"""Light inference: the shipped models through ONNX Runtime, without TensorFlow or
scikit-learn (their imports cost ~4.4 s and ~1 s on the project's 2-core machine).

* :mod:`.face` - :class:`~.face.OnnxFaceModel`, called like the Keras face model;
* :mod:`.voice` - :class:`~.voice.OnnxVoiceModel`, a
  :class:`~moodrec.audio.voice_reader.VoiceReader` like the pickled ``VoiceModel``;
* :mod:`.export` - how the training pipelines write those files (imports TensorFlow,
  tf2onnx and skl2onnx when called: training only);
* :mod:`.runtime` - opening a file and reading the manifest the export wrote into it.

Each ``.onnx`` file carries a JSON manifest in its metadata (key ``moodrec``): what it reads,
its classes and, for the voice, the feature settings and temperature, so that one file is the
whole model and cannot disagree with a separate settings file.
"""
