"""One Tandem per database file: an OS file lock that a crashed process cannot leave behind."""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path
from typing import IO

from app.errors import DatabaseInUseError

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: IO[str]) -> bool:
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[str]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class InstanceLock:
    """Held while a database is open. The lock file outlives a crash (the OS lock does not), so
    finding the file but winning the lock means the last session ended uncleanly."""

    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + ".lock")
        self._handle: IO[str] | None = None
        self.recovered_stale = False

    def acquire(self) -> None:
        existed = self.path.exists()
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        handle = os.fdopen(fd, "r+", encoding="utf-8")
        if not _try_lock(handle):
            holder = self._describe(handle)
            handle.close()
            raise DatabaseInUseError(
                f"This database is already open in another Tandem{holder}. "
                "Close it there first, or open a different database."
            )
        self.recovered_stale = existed
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname()}))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        """A clean close: remove the file so the next start knows nothing went wrong."""
        if self._handle is None:
            return
        self.path.unlink(missing_ok=True)
        _unlock(self._handle)
        self._handle.close()
        self._handle = None

    @staticmethod
    def _describe(handle: IO[str]) -> str:
        try:
            handle.seek(0)
            holder = json.loads(handle.read() or "{}")
        except (OSError, ValueError):
            return ""
        if holder.get("host") == socket.gethostname():
            return f" (process {holder.get('pid')} on this computer)"
        return f" (on the computer {holder.get('host')})" if holder.get("host") else ""
