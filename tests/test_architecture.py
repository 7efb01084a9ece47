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
