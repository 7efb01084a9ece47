"""Imports flow one way: errors/config → core → io | measures → practice → network → cli | web."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "netfolio"

# What each layer may import from netfolio (besides itself).
ALLOWED = {
    "errors": set(),
    "data": set(),
    "config": {"errors"},
    "core": {"errors", "config", "migrations"},
    "migrations": {"core", "errors"},
    "io": {"errors", "config", "core"},
    "measures": {"errors", "config", "core"},
    "practice": {"errors", "config", "core", "measures"},
    # The demo writes through core.bulk, the bulk writer it shares with the importers (in
    # core, not io, so that the demo never depends on io).
    "demo": {"errors", "config", "core"},
    "reports": {"errors", "config", "core", "measures", "practice"},
    "network": {"errors", "config", "core", "io", "measures", "practice", "demo", "reports",
                "team"},
    # Network.team: the facade's team half (it names Network only for type checking).
    "team": {"errors", "config", "core", "measures", "practice", "network"},
    # `netfolio serve` starts the web app; the web app never imports the CLI.
    "cli": {"errors", "config", "core", "io", "measures", "practice", "network", "demo", "reports",
            "team", "web"},
    "web": {"errors", "config", "core", "io", "measures", "practice", "network", "demo", "reports",
            "team"},
}


def layer_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py") if len(rel.parts) > 1 else rel.stem


def imported_layers(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "netfolio" and len(parts) > 1:
                found.add(parts[1])
    return found


MODULES = [p for p in PACKAGE.rglob("*.py") if layer_of(p) in ALLOWED]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_one_way(path: Path) -> None:
    layer = layer_of(path)
    bad = imported_layers(path) - ALLOWED[layer] - {layer}
    assert not bad, f"{path.relative_to(PACKAGE)} ({layer}) imports {sorted(bad)}"


def test_rich_only_in_cli() -> None:
    for path in PACKAGE.rglob("*.py"):
        if layer_of(path) == "cli":
            continue
        text = path.read_text(encoding="utf-8")
        assert "import rich" not in text and "from rich" not in text, path


def test_every_module_is_in_a_known_layer() -> None:
    layers = {layer_of(p) for p in PACKAGE.rglob("*.py")} - {"__init__", "__main__"}
    assert layers <= set(ALLOWED), layers - set(ALLOWED)


#: The read side: what the daily read commands import. None of it may import SQLAlchemy's
#: ORM or the models, directly or through another module (the lean read path,
#: :mod:`netfolio.core.read`, reads through the DB-API; importing the ORM costs more than the
#: reading). ``practice.team`` reads shared rows through the ORM in team mode and is left out.
READ_SIDE = (
    "netfolio.core.read", "netfolio.core.reader", "netfolio.core.practice_facts",
    "netfolio.core.me_record", "netfolio.core.people_search", "netfolio.core.search",
    "netfolio.core.snapshot", "netfolio.reports", "netfolio.network", "netfolio.cli.app",
    *sorted(f"netfolio.{p.parent.name}.{p.stem}" for layer in ("measures", "practice")
            for p in (PACKAGE / layer).glob("*.py")
            if p.stem != "__init__" and f"{layer}.{p.stem}" != "practice.team"),
    "netfolio.measures", "netfolio.practice",
)


def test_read_side_does_not_import_the_orm() -> None:
    """Each read-side module, imported in a fresh interpreter, leaves SQLAlchemy's ORM and
    ``netfolio.core.models`` unimported (checked one module at a time, in order)."""
    import subprocess
    import sys

    code = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    importlib.import_module(name)\n"
        "    bad = [m for m in ('sqlalchemy.orm', 'netfolio.core.models') if m in sys.modules]\n"
        "    if bad:\n"
        "        print(name, 'imports', bad)\n"
        "        raise SystemExit(1)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, *READ_SIDE], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
