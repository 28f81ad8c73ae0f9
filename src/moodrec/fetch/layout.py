"""What ``moodrec fetch-data`` puts under ``data/01_raw``, and what each file must contain.

The layout is the one ``conf/base/catalog_01_raw.yml`` reads::

    face-data.csv.gz            FER2013, 6 classes: emotion_label,Usage,pixels,emotion (gzip)
    ravdess/Actor_NN/03-01-EE-II-SS-RR-NN.wav|flac   RAVDESS speech, 24 actors x 60 clips
    soundtracks/{mean_ratings_set1,set1_tracklist,mean_ratings_set2,set2_tracklist}.csv
    study/{map,facial-recommendation,audio-recommendation}.csv

The expected counts are those of the full, published data sets; they are enforced unless the
caller asks for schema checks only (``--no-count-check``, for partial sets and test fixtures).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from moodrec.core.emotions import DROPPED, FER2013_CODES, SOUNDTRACK_RATING_COLUMNS

#: FER2013 codes the project keeps (all but ``disgust``), with their canonical names.
FER2013_KEPT: dict[int, str] = {c: n for c, n in FER2013_CODES.items() if n not in DROPPED}


@dataclass(frozen=True)
class CsvSpec:
    """A CSV kept byte-for-byte as published.

    Attributes:
        columns: the exact header, in order (``None`` when ``probabilities`` describes it).
        rows: data rows in the full published file.
        numeric: columns whose every value must parse as a number.
        probabilities: the file holds one probability column per emotion, in any spelling
            (checked with :func:`moodrec.core.emotions.probability_columns`), plus ``columns_also``.
        columns_also: other columns required next to the probability columns.
    """

    rows: int
    columns: tuple[str, ...] | None = None
    numeric: tuple[str, ...] = ()
    probabilities: bool = False
    columns_also: tuple[str, ...] = ()


@dataclass(frozen=True)
class FaceSpec:
    """The face table: FER2013 without ``disgust``, gzip-compressed CSV."""

    columns: tuple[str, ...] = ("emotion_label", "Usage", "pixels", "emotion")
    usage_rows: dict[str, int] = field(
        default_factory=lambda: {"Training": 28_273, "PublicTest": 3_533, "PrivateTest": 3_534}
    )
    pixels: int = 48 * 48
    pixel_sample: int = 64  # rows per 4,096 whose pixel values are range-checked (all are counted)

    @property
    def rows(self) -> int:
        return sum(self.usage_rows.values())


@dataclass(frozen=True)
class RavdessSpec:
    """RAVDESS speech: ``Actor_NN`` folders of ``03-01-EE-II-SS-RR-NN`` audio files."""

    actors: int = 24
    files_per_actor: int = 60


Spec = CsvSpec | FaceSpec | RavdessSpec


@dataclass(frozen=True)
class Item:
    """One thing to fetch.

    Attributes:
        group: the ``--only`` group it belongs to.
        key: its key under ``group`` in ``data_sources.yml``.
        target: its path under the destination folder.
        mirror_paths: where to look for it in a mirror folder, first match wins (the layout of
            ``../shared/data`` first, then the layout of ``data/01_raw`` itself).
        spec: what it must contain.
    """

    group: str
    key: str
    target: str
    mirror_paths: tuple[str, ...]
    spec: Spec


FACES = Item(
    "faces",
    "face_data",
    "face-data.csv.gz",
    ("face-data.csv.gz", "face-data.csv", "fer2013.csv"),
    FaceSpec(),
)
VOICES = Item(
    "voices",
    "ravdess_speech_zip",
    "ravdess",
    ("ravdess", "Audio_Speech_Actors_01-24.zip"),
    RavdessSpec(),
)


def _soundtrack(stem: str, spec: CsvSpec) -> Item:
    return Item(
        "soundtracks",
        stem,
        f"soundtracks/{stem}.csv",
        (f"soundtracks/{stem}.csv", f"{stem}.csv"),
        spec,
    )


def _study(stem: str, spec: CsvSpec) -> Item:
    return Item("study", stem, f"study/{stem}.csv", (f"seed/{stem}.csv", f"study/{stem}.csv"), spec)


_TRACKLIST = ("Nro", "Emotion", "Album name", "Track", "Min:Sec")

SOUNDTRACKS = (
    _soundtrack(
        "mean_ratings_set1",
        CsvSpec(
            rows=360,
            columns=(
                "number",
                "valence",
                "energy",
                "tension",
                *SOUNDTRACK_RATING_COLUMNS,
                "TARGET",
            ),
            numeric=("valence", "energy", "tension"),
        ),
    ),
    _soundtrack("set1_tracklist", CsvSpec(rows=360, columns=_TRACKLIST)),
    _soundtrack(
        "mean_ratings_set2",
        CsvSpec(
            rows=110,
            columns=(
                "Number",
                "Valence",
                "Energy",
                "Tension",
                *(column.capitalize() for column in SOUNDTRACK_RATING_COLUMNS),
                "Beauty",
                "Liking",
                "TARGET",
                "soundtrack",
                "link",
            ),
            numeric=("Valence", "Energy", "Tension"),
        ),
    ),
    _soundtrack("set2_tracklist", CsvSpec(rows=110, columns=_TRACKLIST)),
)

STUDY = (
    _study(
        "map",
        CsvSpec(rows=10, columns=("Mood", "Valence", "Arousal"), numeric=("Valence", "Arousal")),
    ),
    _study(
        "facial-recommendation",
        CsvSpec(rows=3_533, probabilities=True, columns_also=("emotion", "pred_label")),
    ),
    _study(
        "audio-recommendation",
        CsvSpec(rows=792, probabilities=True, columns_also=("pred_label", "label")),
    ),
)

#: ``--only`` group -> the items it fetches, in the order they are fetched.
GROUPS: dict[str, tuple[Item, ...]] = {
    "faces": (FACES,),
    "voices": (VOICES,),
    "soundtracks": SOUNDTRACKS,
    "study": STUDY,
}
