"""The one tree of netfolio's exceptions.

Every error netfolio raises on purpose derives from :class:`NetfolioError`, so a
caller can catch them all in one place; the CLI turns each into one line on
stderr and a non-zero exit.

    NetfolioError
     ├── ConfigError            a setting or database URL that cannot be used
     ├── DatabaseError          the database cannot be opened, upgraded or written
     │    └── BusyError         another writer held the ledger's lock past the busy timeout
     ├── ValidationError        a value a user gave is not acceptable (bad email, phone, date, ...)
     ├── NotFoundError          no person (or interaction, ask, field) matches
     │    └── PersonNotFound    ... with the closest names as suggestions
     ├── AmbiguousError         more than one person matches a name
     ├── ImportError_           a file cannot be imported (names the file, the line, what is wrong)
     └── SyncError              a sync source cannot be read (names the source, says why)
"""

from __future__ import annotations

from collections.abc import Sequence


class NetfolioError(Exception):
    """Base class of every error netfolio raises on purpose."""


class ConfigError(NetfolioError):
    """A setting, path or database URL that cannot be used."""


class DatabaseError(NetfolioError):
    """The database cannot be opened, upgraded or written."""


class BusyError(DatabaseError):
    """Another program held the ledger's write lock longer than the busy timeout (a long
    import, say): nothing was written, and trying again in a moment will work."""


class ValidationError(NetfolioError):
    """A value given by the user is not acceptable: a bad email, phone, date, intent..."""


class NotFoundError(NetfolioError):
    """Nothing matches what was asked for."""


class PersonNotFound(NotFoundError):
    """No person matches a name, email or id; ``suggestions`` holds the closest names."""

    def __init__(self, query: str, suggestions: Sequence[str] = ()) -> None:
        self.query = query
        self.suggestions = list(suggestions)
        msg = f"no person matches {query!r}"
        if self.suggestions:
            msg += "; did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(msg)


class AmbiguousError(NetfolioError):
    """More than one person matches; ``candidates`` holds ``(id, label)`` pairs."""

    def __init__(self, query: str, candidates: Sequence[tuple[int, str]]) -> None:
        self.query = query
        self.candidates = list(candidates)
        listed = "; ".join(f"#{pid} {label}" for pid, label in self.candidates)
        super().__init__(
            f"{query!r} matches {len(self.candidates)} people: {listed}. "
            "Name one by id (#N) or email."
        )


class ImportError_(NetfolioError):
    """A file cannot be imported. Names the file, the line (or card) and what is wrong."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.reason = message
        where = file or ""
        if line is not None:
            where += f", line {line}" if where else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)


class SyncError(NetfolioError):
    """A sync source cannot be read: the server is down, the password is wrong, the
    certificate is not trusted, no password is available. Names the source."""

    def __init__(self, message: str, *, source: str) -> None:
        self.source = source
        self.reason = message
        super().__init__(f"sync source {source!r}: {message}")


__all__ = [
    "AmbiguousError",
    "BusyError",
    "ConfigError",
    "DatabaseError",
    "ImportError_",
    "NetfolioError",
    "NotFoundError",
    "PersonNotFound",
    "SyncError",
    "ValidationError",
]
