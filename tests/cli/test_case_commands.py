"""The workflow on the command line, through the same services as the window.

Each refusal is one line on stderr, exit 2, and leaves the vault unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from desktop.procedures.catalogue import load_catalogue
from desktop.storage.vault import create_vault
from tests.conftest import FAST_KDF, PASSPHRASE, run_cli, snapshot
from tests.factories import open_case_in

TALK = json.dumps(
    {
        "at": "08/06/2026 10:30",
        "mode": "telephone",
        "participants": "Alex Example; Sam Sample",
        "notes": "Fictional: discussed the referral.",
    }
)


def _vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    with create_vault(folder, PASSPHRASE, params=FAST_KDF) as vault:
        opened = dt.datetime(2026, 6, 8, 10, tzinfo=dt.UTC)
        open_case_in(vault, load_catalogue(), "CLI-1", opened_at=opened)
    return folder


def _files(folder: Path) -> dict[str, str]:
    """The vault's files and their hashes, but the lock (it names the last process)."""
    return {name: sha for name, sha in snapshot(folder).items() if name != "vault.lock"}


def _cli(folder: Path, *args: str) -> tuple[int, str, str]:
    done = run_cli("--vault", str(folder), *args)
    return done.returncode, done.stdout.strip(), done.stderr.strip()


@pytest.mark.slow
def test_escalate_record_resolve_and_refusals_through_the_services(tmp_path: Path) -> None:
    folder = _vault(tmp_path)
    before = _files(folder)
    code, _out, err = _cli(folder, "case", "escalate", "CLI-1")
    assert code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert "Stage 1 cannot end yet: still to record: When and how the discussion" in err
    assert _files(folder) == before
    code, out, err = _cli(
        folder, "case", "record", "CLI-1", "--field", f"discussion={TALK}",
        "--field", "recorded_on_files=yes", "--field", "outcome=unresolved",
    )  # fmt: skip
    assert (code, out) == (0, "Recorded the current stage of CLI-1; the case moved on."), err
    code, out, err = _cli(
        folder, "case", "escalate", "CLI-1", "--incomplete-because", "Fictional: urgent."
    )
    assert (code, out) == (0, "Escalated CLI-1 to stage 3."), err
    code, _out, err = _cli(folder, "case", "withdraw", "CLI-1")
    assert code == 2 and "--reason" in err and len(err.splitlines()) == 1
    code, out, err = _cli(
        folder, "case", "resolve", "CLI-1", "--refer", "policy-gaps",
        "--learning", "Fictional: share chronologies.", "--incomplete-because", "Fictional.",
    )  # fmt: skip
    assert (code, out) == (0, "Closed CLI-1 as resolved."), err
    code, out, err = _cli(folder, "export", "--case", "CLI-1")
    stages = json.loads(out)["cases"][0]["stages"]
    assert [s["incomplete_because"] for s in stages] == [None, "Fictional: urgent.", "Fictional."]
    assert stages[2]["fields"]["referred"] == {"policy-gaps": True}


def test_procedures_json_gives_each_stage_its_next_stages(tmp_path: Path) -> None:
    code, out, err = _cli(tmp_path / "unused", "procedures", "--json")
    assert code == 0, err
    cambs = next(p for p in json.loads(out) if p["id"] == "cambridgeshire-peterborough")
    stages = {s["id"]: s for s in cambs["tracks"][0]["stages"]}
    assert stages["3"]["next"] == ["4a", "4b"] and stages["4a"]["next"] == []
    assert (
        stages["4a"]["branch_guidance"]
        == '"a) Urgent resolution required - Resolution Panel Meeting"'
    )


def test_record_closes_a_case_with_its_reason_and_referrals(tmp_path: Path) -> None:
    """`case record` may withdraw (the reason is required) and refer at the close, as the form."""
    folder = _vault(tmp_path)
    code, out, err = _cli(
        folder, "case", "record", "CLI-1", "--field", "outcome=withdrawn",
        "--note", "Fictional: the other agency agreed.", "--refer", "policy-gaps",
        "--learning", "Fictional: share chronologies.", "--incomplete-because", "Fictional.",
    )  # fmt: skip
    assert (code, out) == (
        0,
        "Recorded the current stage of CLI-1; the case closed (withdrawn).",
    ), err
    fields = json.loads(_cli(folder, "export", "--case", "CLI-1")[1])["cases"][0]["stages"][0][
        "fields"
    ]
    assert fields["closing_note"] == "Fictional: the other agency agreed."
    assert (fields["referred"], fields["learning"]) == (
        {"policy-gaps": True},
        "Fictional: share chronologies.",
    )


def test_what_is_said_at_the_close_is_refused_while_the_stage_stays_open(tmp_path: Path) -> None:
    """On the old code --note and --learning were kept nowhere, silently, when nothing closed."""
    folder = _vault(tmp_path)
    before = _cli(folder, "export", "--case", "CLI-1")[1]
    code, out, err = _cli(
        folder, "case", "record", "CLI-1", "--field", "concern=Fictional concern.",
        "--learning", "Fictional: share chronologies.",
    )  # fmt: skip
    assert (code, out) == (2, "") and "said when the case closes" in err
    assert len(err.strip().splitlines()) == 1
    assert _cli(folder, "export", "--case", "CLI-1")[1] == before


@pytest.mark.slow
def test_a_stage_ended_incomplete_is_completed_later_from_the_command_line(
    tmp_path: Path,
) -> None:
    """On the old code only the window could complete a stage's records later."""
    folder = _vault(tmp_path)
    urgent = "Fictional: urgent, the records follow."
    assert _cli(folder, "case", "escalate", "CLI-1", "--incomplete-because", urgent)[0] == 0
    before = _files(folder)
    code, out, err = _cli(
        folder, "case", "complete", "CLI-1", "--stage", "1", "--field", f"discussion={TALK}"
    )
    assert (code, out) == (2, "") and len(err.splitlines()) == 1, err
    assert "still missing" in err and "give the reason" not in err
    assert _files(folder) == before
    code, out, err = _cli(
        folder, "case", "complete", "CLI-1", "--stage", "1", "--field", f"discussion={TALK}",
        "--field", "recorded_on_files=yes", "--note", "Fictional: written up on Monday.",
    )  # fmt: skip
    assert (code, out) == (0, "Completed the records of stage 1 of CLI-1."), err
    [first, _second] = json.loads(_cli(folder, "export", "--case", "CLI-1")[1])["cases"][0][
        "stages"
    ]
    assert first["incomplete_because"] is None
    assert _cli(folder, "case", "complete", "CLI-1", "--stage", "1")[0] == 2  # not incomplete now
