"""Peak memory and time of one request on hostile inputs (issue 19, family 1).

Makes, in a temporary folder: a PNG whose header declares 40000x40000 pixels (1.5 MB of
zlib-compressed zero rows), one of 30000x30000, an 8000x6000 colour JPEG (48 MP: a photo just
under ``person.face.max_pixels``), a 30-minute FLAC (a RAVDESS sentence
repeated, 16 kHz mono), and a good photo and 3 s clip (``person_latency``'s); then runs, each
in a new process, ``moodrec recommend`` on them (and ``moodrec read`` on a folder with the
40000x40000 PNG beside good photos) and reports the exit status, wall time and peak resident
memory (GNU ``time``'s ``%M``) of each.

    python benchmarks/hostile_inputs.py            # the table of docs/reliability.md
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("KEDRO_DISABLE_TELEMETRY", "1")


def png_bomb(path: Path, side: int) -> Path:
    """A valid grey 8-bit PNG of ``side`` x ``side`` black pixels, compressed row by row."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    packer = zlib.compressobj(9)
    row = b"\x00" * (side + 1)  # filter byte + pixels
    parts = [packer.compress(row * 1000) for _ in range(side // 1000)]
    parts += [packer.compress(row * (side % 1000)), packer.flush()]
    with path.open("wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0,
                                                                    0, 0, 0)))
        out.write(chunk(b"IDAT", b"".join(parts)) + chunk(b"IEND", b""))
    return path


def big_jpeg(path: Path, width: int, height: int) -> Path:
    """A colour JPEG of ``width`` x ``height`` (a smooth gradient: a photo at the bound)."""
    import cv2
    import numpy as np

    x = np.linspace(0, 255, width).astype(np.uint8)[None, :]
    y = np.linspace(0, 255, height).astype(np.uint8)[:, None]
    picture = np.dstack(np.broadcast_arrays(x, y, x // 2 + y // 2))
    cv2.imwrite(str(path), picture, [cv2.IMWRITE_JPEG_QUALITY, 90])
    return path


def long_flac(path: Path, minutes: float) -> Path:
    """A RAVDESS sentence (actor 22) repeated for ``minutes``, 16 kHz mono FLAC."""
    import numpy as np
    import soundfile

    from moodrec.audio.io import load_audio

    sentence = load_audio(ROOT / "data/01_raw/ravdess/Actor_22/03-01-03-01-01-01-22.flac",
                          sr=16000)
    repeats = int(np.ceil(minutes * 60 * 16000 / sentence.size))
    soundfile.write(path, np.tile(sentence, repeats)[: int(minutes * 60 * 16000)], 16000)
    return path


def peak_of(arguments: list[str]) -> tuple[int, float, float, str, str]:
    """Exit status, wall seconds, peak MiB, stdout and stderr of one moodrec command.

    The peak is GNU time's (``%M``): its child is forked from the small ``time`` process, not
    from this one (a child's ``ru_maxrss`` starts from its parent's size at the fork)."""
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "PEAK_KB %M", sys.executable, "-m", "moodrec",
                           *arguments], cwd=ROOT, capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    wall = time.perf_counter() - start
    lines = done.stderr.rstrip().splitlines()
    peak = int(lines[-1].split()[1]) / 1024
    return done.returncode, wall, peak, done.stdout, "\n".join(lines[:-1])


def main() -> int:
    from person_latency import make_clip, make_photo

    os.chdir(ROOT)  # (make_clip reads ../shared/data)
    with tempfile.TemporaryDirectory(prefix="moodrec-hostile-") as folder:
        here = Path(folder)
        photo = make_photo(here, ROOT / "data/01_raw/face-data.csv.gz")
        clip = make_clip(here)
        cases = {
            "good photo + good clip": ["--face", str(photo), "--voice", str(clip)],
            "40000x40000 PNG + good clip": ["--face", str(png_bomb(here / "bomb40k.png", 40000)),
                                            "--voice", str(clip)],
            "30000x30000 PNG + good clip": ["--face", str(png_bomb(here / "bomb30k.png", 30000)),
                                            "--voice", str(clip)],
            "8000x6000 colour JPEG (48 MP, under the bound) + good clip": [
                "--face", str(big_jpeg(here / "big.jpg", 8000, 6000)), "--voice", str(clip)],
            "30-minute FLAC": ["--voice", str(long_flac(here / "long30min.flac", 30))],
        }
        photos = here / "photos"
        photos.mkdir()
        for number in range(3):
            os.link(photo, photos / f"good{number}.jpg")
        os.link(here / "bomb40k.png", photos / "bomb40k.png")
        print("| case | exit | wall s | peak MiB | what it says (last line of stderr) |")
        print("|---|---:|---:|---:|---|")
        rows = [(name, ["recommend", *args]) for name, args in cases.items()]
        rows.append(("`moodrec read` folder: 3 good photos + the 40000x40000 PNG",
                     ["read", str(photos)]))
        for name, arguments in rows:
            status, wall, peak, out, err = peak_of(arguments)
            lines = [x for x in err.strip().splitlines() if "moodrec" in x or "error" in x.lower()]
            said = " / ".join(lines[-3:])[:300] or f"{len(err.splitlines())} stderr lines"
            print(f"| {name} | {status} | {wall:.1f} | {peak:.0f} | {said} |")
            if name.startswith("`moodrec read`"):
                print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
