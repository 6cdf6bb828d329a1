"""Printed reports (ReportLab), and saving one without ever leaving a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from app.errors import UserError


def save(data: bytes, path: Path) -> Path:
    """Write data to path through a temporary file in the same folder, moved into place only
    once complete: a full disk or a crash leaves the old file (or none), never half of one."""
    path = Path(path).expanduser()
    if not path.parent.is_dir():
        raise UserError(f"The folder {path.parent} does not exist.")
    if path.is_dir():
        raise UserError(f"{path} is a folder; give a file name such as plan.pdf.")
    handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(partial, 0o644)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return path
