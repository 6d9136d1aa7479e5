"""Dependencies point one way: core, accounts, investigations, then claims, then evidence, then the
apps that span them, then the site. A module importing a layer above its own fails here."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Lowest first. Apps on one row span the domain and do not import one another.
LAYERS = [
    {"core"},
    {"proofs"},
    {"accounts"},
    {"investigations"},
    {"claims"},
    {"evidence"},
    {"assessment"},
    {"teamwork"},
    {"dossiers", "imports", "api", "demo"},
    {"corroborate"},
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}


def _imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & RANK.keys()


@pytest.mark.parametrize("app", sorted(RANK))
def test_an_app_imports_only_the_layers_below_it(app):
    wrong = [
        f"{path.relative_to(ROOT)} imports {other}"
        for path in sorted((ROOT / app).rglob("*.py"))
        for other in _imported_apps(path)
        if other != app and RANK[other] >= RANK[app]
    ]
    assert wrong == []


def test_the_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from evidence.models import EvidenceItem\nimport claims.models\n")
    assert _imported_apps(module) == {"evidence", "claims"}
