"""Template pages and downloads. (stub until the templates work lands)"""

from __future__ import annotations

from typing import Any


def template_outputs(lib: Any) -> tuple[dict[str, str], dict[str, bytes]]:
    """Pages and download files for every practice template."""
    return {"templates/index.md": "# 模板下载\n\n模板即将上线。\n"}, {}


def templates_for_case(lib: Any, case_id: str) -> list[Any]:
    """Templates that cite the case `case_id`."""
    return []
