"""Take the screenshots from the real app with fictional demo data, at laptop sizes and modes.

    python scripts/screenshots.py docs/screenshots          (make screenshots)

Each set runs in its own process under its own Xvfb screen (xvfb-run):

    docs/screenshots/                     1366 x 768: the README's pictures and the documents
    docs/screenshots/1280x720/            1280 x 720
    docs/screenshots/1366x768-scale-1.5/  1366 x 768 with QT_SCALE_FACTOR=1.5
    docs/screenshots/1366x768-14pt/       1366 x 768 with a 14-point font
    docs/screenshots/1366x768-dark/       1366 x 768 with a dark palette (Fusion)

Windows are sized as on a laptop whose taskbar and title bars take 80 pixels
of the height. One set alone, under a display:
    python scripts/screenshots.py --one 1366x768 normal OUT [--documents]
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SETS = (  # size, mode, subfolder (the first set also renders the documents)
    ("1366x768", "normal", ""),
    ("1280x720", "normal", "1280x720"),
    ("1366x768", "scale-1.5", "1366x768-scale-1.5"),
    ("1366x768", "14pt", "1366x768-14pt"),
    ("1366x768", "dark", "1366x768-dark"),
)


def _one_set(size: str, mode: str, out: Path, documents: bool) -> None:
    """Take one set in a new process under its own Xvfb screen of ``size``."""
    env = {**os.environ}
    env.pop("QT_QPA_PLATFORM", None)  # a real X server, not offscreen
    if mode == "scale-1.5":
        env["QT_SCALE_FACTOR"] = "1.5"
    subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            f"-screen 0 {size}x24",
            sys.executable,
            __file__,
            "--one",
            size,
            mode,
            str(out),
            *(["--documents"] if documents else []),
        ],
        env=env,
        check=True,
    )


def main() -> int:
    """Take every set, or the one named after --one (then under the current display)."""
    if sys.argv[1:2] == ["--one"]:
        size, mode, folder = sys.argv[2:5]
        from screenshot_views import take_set  # the app's modules, in this process only

        width, height = (int(n) for n in size.split("x"))
        take_set(Path(folder), width, height, mode, documents="--documents" in sys.argv)
        return 0
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    for size, mode, sub in SETS:
        folder = out / sub if sub else out
        print(f"Taking {size} {mode} into {folder}/ ...", flush=True)
        _one_set(size, mode, folder, documents=not sub)
    print(f"Screenshots written to {out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
