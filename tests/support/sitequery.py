"""The site's query (govcases-query.js, the search worker's own functions) run under node on a built index."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("site_query.js")
NODE = shutil.which("node")


@dataclass(frozen=True)
class Result:
    """One page found: its site path, title, score and which query terms it has."""

    url: str
    title: str
    score: float
    terms: dict[str, bool]


def rank(site: Path, queries: list[str], limit: int = 50) -> dict[str, list[Result]]:
    """The pages each query finds in the index under `site` (search/gc/), best first."""
    if NODE is None:
        raise FileNotFoundError("node is not installed")
    done = subprocess.run([NODE, str(SCRIPT), str(site), json.dumps(queries, ensure_ascii=False), str(limit)],
                          capture_output=True, text=True, check=True, timeout=120)
    return {q: [Result(**r) for r in rs] for q, rs in json.loads(done.stdout).items()}


def write_files(files: dict[str, bytes], site: Path) -> Path:
    """Write index files (as govcases.search.sharded.build_index returns them) under `site`."""
    for rel, data in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return site


QUERY_JS = Path(__file__).resolve().parents[2] / "govcases" / "theme" / "assets" / "javascripts" / "govcases-query.js"


def cut(query: str, vocabulary: set[str]) -> list[str]:
    """govcases-query.js's cut of `query` against an index holding `vocabulary`."""
    if NODE is None:
        raise FileNotFoundError("node is not installed")
    script = ("const q = require(process.argv[1]); const v = new Set(JSON.parse(process.argv[2]));"
              "process.stdout.write(JSON.stringify(q.cut(process.argv[3], t => v.has(t))))")
    done = subprocess.run([NODE, "-e", script, str(QUERY_JS), json.dumps(sorted(vocabulary)), query],
                          capture_output=True, text=True, check=True, timeout=60)
    return list(json.loads(done.stdout))
