"""Writing a file so that it appears whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from app.errors import UserError


@contextlib.contextmanager
def replaced_on_success(path: Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; it becomes path only if the block ends
    without an error, so a failed or cancelled export never leaves a half-written file. A block
    that deletes the temporary file means there is nothing to keep: path is removed then."""
    if not path.parent.is_dir():
        raise UserError(f"The folder {path.parent} does not exist.")
    if path.is_dir():
        raise UserError(f"{path} is a folder; choose a file name.")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    except OSError as exc:
        raise UserError(f"Tandem cannot write into {path.parent}: {exc.strerror or exc}.") from exc
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        if partial.exists():
            os.replace(partial, path)
        else:
            path.unlink(missing_ok=True)
    finally:
        partial.unlink(missing_ok=True)
