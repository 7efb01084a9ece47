"""Exporters: the ledger out as vCard 4.0, CSV or the JSON ledger (everything, versioned).

Each writes through a temporary file beside the target, renamed into place only when
complete, so an interrupted export never leaves half a file under the name asked for.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from glob import escape as glob_escape
from pathlib import Path
from typing import IO, Any

from sqlalchemy.orm import Session

from netfolio.core.shapes import Plain
from netfolio.errors import ValidationError

#: Format names and the other words accepted for them.
EXPORT_FORMATS = {"vcard": ("vcf", "vcard4"), "csv": (), "json": ("ledger",)}


@dataclass
class ExportInfo(Plain):
    """What an export or backup wrote."""

    format: str
    path: str
    bytes: int
    people: int | None = None
    counts: dict[str, int] | None = None


def export_format(name: str) -> str:
    key = name.strip().lower()
    for fmt, aliases in EXPORT_FORMATS.items():
        if key == fmt or key in aliases:
            return fmt
    raise ValidationError(f"unknown export format {name!r}; choose one of: vcard, csv, json")


def write_atomically(path: Path, write: Callable[[IO[str]], Any], newline: str | None) -> int:
    """Write text through ``write(file)`` into a temporary file, then rename it to ``path``."""
    if path.is_dir():
        raise ValidationError(f"{path} is a folder: name a file")
    if not path.parent.exists():
        raise ValidationError(f"the folder {path.parent} does not exist")
    for stale in path.parent.glob(f".{glob_escape(path.name)}.*.part"):
        stale.unlink(missing_ok=True)  # left by a killed export to the same file
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise ValidationError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as out:
            write(out)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ValidationError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path.stat().st_size


def export_ledger(*, db_session: Session, format: str, path: Path) -> ExportInfo:
    """Write the ledger to ``path`` as ``vcard``, ``csv`` or ``json``."""
    fmt = export_format(format)
    result: dict[str, Any] = {}
    if fmt == "vcard":
        from netfolio.io.export.vcard import write_vcards

        size = write_atomically(
            path, lambda out: result.update(people=write_vcards(db_session=db_session, out=out)),
            newline="",
        )
        return ExportInfo(fmt, str(path), size, people=result["people"])
    if fmt == "csv":
        from netfolio.io.export.table import write_csv

        size = write_atomically(
            path, lambda out: result.update(people=write_csv(db_session=db_session, out=out)),
            newline="",
        )
        return ExportInfo(fmt, str(path), size, people=result["people"])
    from netfolio.io.export.ledger_json import write_ledger

    size = write_atomically(
        path, lambda out: result.update(write_ledger(db_session=db_session, out=out)),
        newline="\n",
    )
    return ExportInfo(fmt, str(path), size, people=result.get("people"), counts=result)


__all__ = ["EXPORT_FORMATS", "ExportInfo", "export_format", "export_ledger", "write_atomically"]
