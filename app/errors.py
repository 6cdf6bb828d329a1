"""Errors a user can act on, each carrying one sentence to show them."""


class UserError(Exception):
    """A rule a user could state in words was broken; the message says which, in their words."""


class DatabaseError(UserError):
    """The database file cannot be used as it is (locked, damaged, too new, unreadable)."""


class DatabaseInUseError(DatabaseError):
    """Another Tandem has this database open."""


class DatabaseDamagedError(DatabaseError):
    """SQLite's own integrity check found damage in the file."""


class NewerSchemaError(DatabaseError):
    """The file was written by a newer Tandem than this one."""


def explain(exc: BaseException) -> str | None:
    """A calm sentence for an expected failure from the disk or the database, or None for a bug."""
    if isinstance(exc, UserError):
        return str(exc)
    text = str(exc).lower()
    errno = getattr(exc, "errno", None)
    if errno == 28 or "database or disk is full" in text or "no space" in text:
        return "The disk is full. Free some space and try again; nothing was saved."
    if errno in (13, 30) or "readonly database" in text or "read-only" in text:
        return (
            "The database file is read-only, so nothing could be saved. Check the file's "
            "permissions, or copy it to a folder you can write to."
        )
    if "database is locked" in text or "database table is locked" in text:
        return (
            "The database is busy: another program is writing to it. Wait a moment and try "
            "again; nothing was saved."
        )
    if "malformed" in text or "not a database" in text or "disk i/o error" in text:
        return (
            "The database file is damaged or could not be read. Close Tandem and open it again: "
            "it will offer to restore the latest backup."
        )
    return None
