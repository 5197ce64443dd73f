"""``due --ics FILE``: the upcoming deadlines as a calendar file, reference and stage only."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from desktop.cli.support import EXIT_OK, catalogue_for, unlock
from desktop.sharing.deadline_calendar import save_deadline_calendar
from desktop.storage.files import check_output_path


def add_calendar_option(due: argparse.ArgumentParser) -> None:
    """Add ``--ics FILE`` (and ``--force`` to replace it) to the ``due`` command."""
    due.add_argument(
        "--ics",
        type=Path,
        metavar="FILE",
        help="save the upcoming deadlines as a calendar file for Outlook (reference and stage "
        "only)",
    )
    due.add_argument("--force", action="store_true", help="with --ics: replace the file")


def write_deadline_calendar(args: argparse.Namespace) -> int:
    """Write the upcoming deadlines to ``args.ics`` (checked before the vault is opened)."""
    target = check_output_path(args.ics, args.vault, args.force)
    catalogue = catalogue_for(args)
    with unlock(args) as vault:
        count = save_deadline_calendar(vault, catalogue, dt.datetime.now(dt.UTC), target)
    noun = "deadline" if count == 1 else "deadlines"
    print(f"Wrote {count} upcoming {noun} to {target}.", file=sys.stderr)
    return EXIT_OK
