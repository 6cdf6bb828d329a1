"""Opening a database from the window: explains a locked, damaged or too-new file and offers
the way out (restoring the latest backup of a damaged one)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from app import backup, db, preferences
from app.clock import Clock
from app.errors import DatabaseDamagedError, UserError
from ui.errors import show_problem


def open_interactively(
    parent: QWidget | None, target: str, clock: Clock, *, quick_check_now: bool = True
) -> db.Store | None:
    """Open target, or say why not; None when it stays closed."""
    try:
        store = db.open_database(target, clock=clock, quick_check_now=quick_check_now)
    except DatabaseDamagedError as exc:
        return _offer_restore(parent, target, exc, clock)
    except (UserError, OSError) as exc:
        show_problem(parent, exc, "Cannot open the database")
        return None
    preferences.remember_database(target)
    if store.upgraded_from is not None:
        QMessageBox.information(
            parent,
            "Database upgraded",
            f"This database was upgraded for this version of Tandem (from schema "
            f"{store.upgraded_from}). A copy of the old file was kept among its backups.",
        )
    return store


def _offer_restore(
    parent: QWidget | None, target: str, exc: DatabaseDamagedError, clock: Clock
) -> db.Store | None:
    if db.is_url(target):
        show_problem(parent, exc, "Cannot open the database")
        return None
    path = Path(target)
    copies = backup.automatic_backups(path)
    if not copies:
        QMessageBox.critical(
            parent,
            "The database is damaged",
            f"{exc}\n\nThere is no backup of it. The file was left exactly as it is; a "
            "specialist may be able to recover it.",
        )
        return None
    stamp, latest = copies[-1]
    answer = QMessageBox.question(
        parent,
        "The database is damaged",
        f"{exc}\n\nTandem can keep the damaged file aside (nothing is deleted) and restore the "
        f"latest backup, from {stamp:%d %B %Y at %H:%M}. Changes made after that are not in it."
        "\n\nRestore the backup now?",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    try:
        aside = db.set_aside(path, clock.now())
        db.restore(latest, path)
    except (UserError, OSError) as error:
        show_problem(parent, error, "Could not restore the backup")
        return None
    QMessageBox.information(
        parent, "Backup restored", f"The backup was restored. The damaged file was kept as {aside}."
    )
    return open_interactively(parent, target, clock)
