"""``person``: one person's photos and/or voice clips -> fused mood -> goal-aware, explained music.

``kedro run --pipelines person --params face_image=me.jpg,voice_clip=me.wav,goal=uplift``
(several files: ``face_image=a.jpg:b.jpg``); ``moodrec recommend`` and the person's page run
these same nodes (:mod:`moodrec.app.service`). The models are the ONNX exports the training
pipelines write (``face_model_onnx``, ``audio_model_onnx``: ONNX Runtime, no TensorFlow or
scikit-learn at a person's request), and the emotion points and the ranked excerpts are the
ones ``va_mapping`` and ``recommendation`` write: kedro-viz draws each line from training to
a person's answer.
"""

from kedro.pipeline import Node, Pipeline

from .nodes import check_person_request, read_person_face, read_person_voice, recommend_for_person


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=check_person_request,
                inputs=["params:person", "person_photos", "person_voice_clips",
                        "recommendable_excerpts"],
                outputs="person_request",
                name="check_person_request",
            ),
            Node(
                func=read_person_face,
                inputs=["person_request", "person_photos", "face_model_onnx", "person_history"],
                outputs="person_face_reading",
                name="read_person_face",
            ),
            Node(
                func=read_person_voice,
                inputs=["person_request", "person_voice_clips", "audio_model_onnx",
                        "person_voice_profile", "person_history"],
                outputs="person_voice_reading",
                name="read_person_voice",
            ),
            Node(
                func=recommend_for_person,
                inputs=["person_request", "person_face_reading", "person_voice_reading",
                        "emotion_va_points", "recommendable_excerpts", "person_history",
                        "params:person", "params:recommendation", "params:va_mapping"],
                outputs="person_recommendation",
                name="recommend_for_person",
            ),
        ]
    )
