"""Small fixture files in the publishers' formats, generated on the fly (never real data)."""

from __future__ import annotations

import io
import wave
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from moodrec.core.emotions import EMOTIONS, FER2013_CODES
from moodrec.fetch.layout import GROUPS, SOUNDTRACKS, STUDY, CsvSpec

USAGES = ("Training", "PublicTest", "PrivateTest")


def pixels(rng: np.random.Generator, count: int = 48 * 48) -> str:
    return " ".join(map(str, rng.integers(0, 256, count)))


def fer2013_frame(per_code: int = 2, seed: int = 0) -> pd.DataFrame:
    """The original 7-class layout ``emotion,pixels,Usage``, ``per_code`` rows per code."""
    rng = np.random.default_rng(seed)
    codes = [code for code in FER2013_CODES for _ in range(per_code)]
    return pd.DataFrame(
        {
            "emotion": codes,
            "pixels": [pixels(rng) for _ in codes],
            "Usage": [USAGES[i % 3] for i in range(len(codes))],
        }
    )


def face_data_frame(rows: int = 6, seed: int = 1) -> pd.DataFrame:
    """The project's ``face-data.csv`` layout, one row per kept class in turn."""
    rng = np.random.default_rng(seed)
    kept = [code for code, name in FER2013_CODES.items() if name in EMOTIONS]
    labels = [kept[i % len(kept)] for i in range(rows)]
    return pd.DataFrame(
        {
            "emotion_label": labels,
            "Usage": [USAGES[i % 3] for i in range(rows)],
            "pixels": [pixels(rng) for _ in labels],
            "emotion": [FER2013_CODES[c] for c in labels],
        }
    )


def wav_bytes(samples: int = 32) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(48_000)
        out.writeframes(np.zeros(samples, np.int16).tobytes())
    return buffer.getvalue()


def speech_name(actor: int, emotion: int = 1, statement: int = 1, repetition: int = 1) -> str:
    return f"03-01-{emotion:02d}-01-{statement:02d}-{repetition:02d}-{actor:02d}.wav"


def ravdess_zip(path: Path, actors: tuple[int, ...] = (1, 2), per_actor: int = 3) -> list[str]:
    """A Zenodo-like zip: ``Actor_NN/03-01-...wav``, plus song and readme files to be skipped.

    Returns the speech file names (``Actor_NN/name``) it holds.
    """
    names = []
    with zipfile.ZipFile(path, "w") as zf:
        for actor in actors:
            for emotion in range(1, per_actor + 1):
                name = f"Actor_{actor:02d}/{speech_name(actor, emotion)}"
                zf.writestr(name, wav_bytes())
                names.append(name)
            zf.writestr(f"Actor_{actor:02d}/03-02-01-01-01-01-{actor:02d}.wav", wav_bytes())
        zf.writestr("readme.txt", "not audio")
    return names


def _value(column: str, row: int) -> str:
    return f"{1 + (row % 6) * 0.5:.2f}"


def tiny_csv(spec: CsvSpec, rows: int = 3) -> pd.DataFrame:
    """A small table with the columns of ``spec`` (numbers where it wants numbers)."""
    if spec.probabilities:
        columns = [*spec.columns_also[:1], *EMOTIONS, *spec.columns_also[1:]]
    else:
        columns = list(spec.columns or ())
    data = {}
    for column in columns:
        if column in EMOTIONS:
            data[column] = [1 / len(EMOTIONS)] * rows
        elif column in spec.numeric:
            data[column] = [_value(column, r) for r in range(rows)]
        elif column in spec.columns_also:
            data[column] = [EMOTIONS[r % len(EMOTIONS)] for r in range(rows)]
        else:
            data[column] = [f"{r + 1:03d}" for r in range(rows)]
    return pd.DataFrame(data, columns=columns)


def write_tiny_csvs(folder: Path, rows: int = 3) -> dict[str, Path]:
    """One tiny CSV per soundtrack and study item: ``{item key: path}``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for item in (*SOUNDTRACKS, *STUDY):
        path = folder / f"{item.key}.csv"
        tiny_csv(item.spec, rows).to_csv(path, index=False)
        paths[item.key] = path
    return paths


def sources_yaml(path: Path, urls: dict[str, str]) -> Path:
    """A ``data_sources.yml`` with ``urls`` by item key (items of every group)."""
    lines = []
    for group, items in GROUPS.items():
        entries = [(item.key, urls[item.key]) for item in items if item.key in urls]
        if entries:
            lines.append(f"{group}:")
            lines += [f"  {key}:\n    url: {url}" for key, url in entries]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def leftovers(folder: Path) -> list[Path]:
    """Temporary files or folders that a fetch must never leave behind."""
    return [p for p in folder.rglob(".*") if p.name.endswith((".part", ".download", ".old"))]
