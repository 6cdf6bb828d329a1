"""Regression: PySide6 6.12.0 on Python 3.11 dropped a reference to None on every void Qt call,
aborting the app with 'none_dealloc'. The pinned versions must not."""

import sys

from PySide6.QtWidgets import QWidget


def test_void_qt_calls_keep_none_alive(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for index in range(5000):
        widget.update()
        widget.setObjectName(f"w{index % 7}")
        widget.setToolTip("")
    after = sys.getrefcount(None)
    # A leak loses one reference per call (15,000 here); allow a little unrelated churn.
    assert after >= before - 100, f"None lost {before - after} references"
