"""netfolio: build your network like an index fund.

A local-first relationship manager: small, regular, generous contact with a broad spread
of people, kept up for years, and value pulled from it only rarely and respectfully.

    from netfolio import Network
    net = Network()                      # the default ledger in your data directory
    net.add("Ana Núñez", emails=["ana@example.org"], title="Cardiologist")
    net.log(["Ana Núñez"], when="yesterday", intent="catch_up", channel="call")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from netfolio.errors import (
    AmbiguousError,
    ConfigError,
    DatabaseError,
    ImportError_,
    NetfolioError,
    NotFoundError,
    PersonNotFound,
    ValidationError,
)

if TYPE_CHECKING:
    from netfolio.network import Network

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Network pulls in SQLAlchemy; load it only when someone asks for it.
    if name == "Network":
        from netfolio.network import Network

        return Network
    raise AttributeError(f"module 'netfolio' has no attribute {name!r}")


__all__ = [
    "AmbiguousError",
    "ConfigError",
    "DatabaseError",
    "ImportError_",
    "NetfolioError",
    "Network",
    "NotFoundError",
    "PersonNotFound",
    "ValidationError",
    "__version__",
]
