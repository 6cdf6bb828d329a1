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
