"""A small synthetic features table in the audio_training layout (no audio needed)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from moodrec.core.emotions import EMOTIONS


def voice_table(actors: int = 4, features: int = 6, copies: int = 1, seed: int = 0,
                corpora: tuple[str, ...] = ("ravdess",)) -> pd.DataFrame:
    """Per corpus, ``actors`` speakers (``<corpus>:01`` ...), each with every emotion x 2
    sentences, original plus ``copies`` augmented rows; ``mfcc_stats.*`` features carry the
    class (a shift per class) and the speaker (an offset)."""
    rng = np.random.default_rng(seed)
    rows = []
    for corpus in corpora:
        for actor in range(1, actors + 1):
            speaker = f"{corpus}:{actor:02d}"
            offset = rng.normal(scale=0.5, size=features)
            for k, label in enumerate(EMOTIONS):
                for sentence in ("1", "2"):
                    clip = f"{corpus}-{actor:02d}-{k}-{sentence}"
                    for variant in ["original", *(f"aug{i}" for i in range(1, copies + 1))]:
                        values = offset + k * 0.8 + rng.normal(scale=0.6, size=features)
                        rows.append({"file": f"{corpus}/{clip}.wav", "clip_id": clip,
                                     "corpus": corpus, "speaker": speaker, "variant": variant,
                                     "label": label, "sentence": sentence,
                                     **{f"mfcc_stats.f{i}": v for i, v in enumerate(values)}})
    return pd.DataFrame(rows)
