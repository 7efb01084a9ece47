"""Reading an export's zip without trusting it: only the members asked for, and no zip bombs."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Sequence

from netfolio.errors import ImportError_


def read_members(
    data: bytes, filename: str, members: Sequence[str], *, limit: int, max_members: int,
    max_ratio: int,
) -> dict[str, bytes]:
    """The zip's files named ``members`` (lower-case base names, in any folder; the first of
    each name) by base name, and ``path:<base>``: each one's path in the zip.

    Refuses zip bombs: more than ``max_members`` members, more than ``limit`` bytes declared
    or unpacked, or a member unpacking beyond its declared size or ``max_ratio``:1."""
    found: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > max_members:
                raise ImportError_(f"refused: {len(infos):,} members in one zip", file=filename)
            declared = sum(
                i.file_size for i in infos if i.filename.rsplit("/", 1)[-1].lower() in members
            )
            if declared > limit:
                raise ImportError_(
                    f"refused: would unpack to {declared:,} bytes (limit "
                    f"{limit:,}): a zip bomb?",
                    file=filename,
                )
            budget = limit
            for info in infos:
                base = info.filename.rsplit("/", 1)[-1].lower()
                if info.is_dir() or base not in members or base in found:
                    continue
                found[base] = _read_member(zf, info, budget, filename, limit, max_ratio)
                budget -= len(found[base])
                found["path:" + base] = info.filename.encode()
    except ImportError_:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error) as exc:
        raise ImportError_(f"not a readable zip file ({exc})", file=filename) from None
    except (RuntimeError, NotImplementedError, ValueError, OSError) as exc:
        raise ImportError_(f"cannot read this zip ({exc})", file=filename) from None
    return found


def _read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, where: str, limit: int,
    max_ratio: int,
) -> bytes:
    """A member's bytes, refusing bombs: bounded by the budget, the declared size and a ratio."""
    if info.file_size > budget:
        raise ImportError_(
            f"refused: {info.filename} would unpack to {info.file_size:,} bytes "
            f"(limit {limit:,}): a zip bomb?",
            file=where,
        )
    ratio_limit = max(info.compress_size, 1) * max_ratio + 1024 * 1024
    chunks: list[bytes] = []
    total = 0
    with zf.open(info) as f:
        while True:
            chunk = f.read(1024 * 1024)
            if not chunk:
                break
            total += len(chunk)
            if total > budget or total > info.file_size or total > ratio_limit:
                raise ImportError_(
                    f"refused: {info.filename} unpacks beyond its declared size or a "
                    f"{max_ratio}:1 ratio: a zip bomb?",
                    file=where,
                )
            chunks.append(chunk)
    return b"".join(chunks)


__all__ = ["read_members"]
