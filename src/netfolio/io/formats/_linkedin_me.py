"""Who the user is in a LinkedIn export (:class:`Me`: profile URLs and names), and the
parties of a message: found in the invitations you sent and received and in Profile.csv."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from netfolio.core.identity import fold_name
from netfolio.io.formats import _csv
from netfolio.io.normalise import normalise_linkedin_url
from netfolio.io.records import PersonRef


@dataclass
class Me:
    urls: set[str]
    names: set[str]

    @classmethod
    def of(cls, urls: Iterable[str], names: Iterable[str]) -> Me:
        if isinstance(urls, str):
            urls = [urls]
        if isinstance(names, str):
            names = [names]
        return cls(
            {u for u in (normalise_linkedin_url(x) for x in urls) if u},
            {fold_name(n) for n in names if fold_name(n)},
        )

    def __bool__(self) -> bool:
        return bool(self.urls or self.names)

    def is_me(self, who: Party) -> bool:
        if who.url and who.url in self.urls:
            return True
        return bool(self.names and who.name and fold_name(who.name) in self.names)


@dataclass(frozen=True)
class Party:
    """One participant of a LinkedIn message: profile URL and/or name."""

    url: str | None
    name: str | None

    @property
    def key(self) -> str:
        return self.url or "name:" + fold_name(self.name)

    def ref(self) -> PersonRef:
        return PersonRef(linkedin_url=self.url, name=self.name)


def parties(names: str | None, urls: str | None) -> list[Party]:
    """Pair the ``TO`` names with ``RECIPIENT PROFILE URLS`` (both comma-separated)."""
    url_list = [u for u in (normalise_linkedin_url(x) for x in (urls or "").split(",")) if u]
    name_list = [n.strip() for n in (names or "").split(",") if n.strip()]
    if len(url_list) <= 1 and names and len(name_list) != len(url_list):
        name_list = [names.strip()]  # one recipient whose name holds a comma
    if url_list and len(name_list) != len(url_list):
        return [Party(u, None) for u in url_list]
    if not url_list:
        return [Party(None, n) for n in name_list]
    return [Party(u, n) for u, n in zip(url_list, name_list, strict=True)]


def me_from_invitations(table: _csv.CsvTable) -> set[str]:
    """Profile URLs of the user: the inviter of outgoing, the invitee of incoming invitations."""
    c_dir = table.col("Direction")
    c_inviter, c_invitee = table.col("inviterProfileUrl"), table.col("inviteeProfileUrl")
    found: Counter[str] = Counter()
    for _line, row in table.rows():
        direction = row[c_dir].strip().upper() if c_dir is not None and c_dir < len(row) else ""
        col = (
            c_inviter if direction == "OUTGOING" else c_invitee if direction == "INCOMING" else None
        )
        if col is not None and col < len(row):
            url = normalise_linkedin_url(row[col])
            if url:
                found[url] += 1
    return set(found)


def me_from_profile(table: _csv.CsvTable) -> set[str]:
    c_first, c_last = table.col("First Name"), table.col("Last Name")
    for _line, row in table.rows():
        parts = [row[i].strip() for i in (c_first, c_last) if i is not None and i < len(row)]
        name = " ".join(p for p in parts if p)
        if name:
            return {name}
    return set()


__all__ = ["Me", "Party", "me_from_invitations", "me_from_profile", "parties"]
