"""Cyclic garbage is collected on the GUI thread's timer, never by a worker's allocation."""

from __future__ import annotations

import gc

from pytestqt.qtbot import QtBot

from desktop.ui.gui_garbage import GuiThreadCollector, collect_due


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_the_collector_turns_automatic_collection_off_while_it_lives(qtbot: QtBot) -> None:
    gc.enable()
    collector = GuiThreadCollector()
    assert not gc.isenabled() and collector.timer.isActive()
    with qtbot.waitSignal(collector.destroyed):
        collector.deleteLater()
    assert gc.isenabled()
    gc.disable()  # as the test's fixture had it


def test_garbage_past_the_threshold_is_collected_when_the_timer_asks() -> None:
    gc.collect()
    threshold = gc.get_threshold()[0]
    for _ in range(threshold + 10):
        _Cycle()  # each a cycle: only the collector frees it
    assert gc.get_count()[0] > threshold
    assert collect_due() >= threshold  # what was due is freed, here, on this thread
    assert collect_due() == 0  # nothing more is due
