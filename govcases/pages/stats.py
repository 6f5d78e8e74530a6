"""The 统计 page: a practice type × province table and bar charts drawn as inline SVG at build time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from govcases.pages.render import md_attr, render
from govcases.records.library import Library

# Stands for the finder's address relative to the page; the MkDocs plugin puts in the real one (it differs
# between the served site, finder/, and the copy on disk, finder.html).
FINDER = "__GC_FINDER__"
HEAT_STEPS = 5  # shades of the heat table, lightest (fewest cases) first


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its label, count and the finder address listing those cases."""

    label: str
    count: int
    href: str


def finder_href(**params: str) -> str:
    """The finder with these filters set (its parameters: type, dim, province, city, county, level, year)."""
    return f"{FINDER}?{urlencode(params)}"


def bar_svg(title: str, bars: Sequence[Bar], unit: str = "个") -> str:
    """A horizontal bar chart as one line of SVG markup; each bar links to the finder. It takes the width it
    is given and places everything in percentages of it, with no viewBox: its text stays the page's size on
    a phone instead of shrinking with the drawing."""
    label, longest, row = 30, 58, 30  # label column and longest bar in % of the width; row height in px
    top = max((b.count for b in bars), default=0) or 1
    height = row * len(bars) + 8
    parts = [f'<svg class="gc-chart" role="group" aria-label="{md_attr(title)}（条形图）" '
             f'width="100%" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    for i, b in enumerate(bars):
        y = 4 + i * row
        w = max(0.5, longest * b.count / top) if b.count else 0
        name = f"{b.label}：{b.count}{unit}案例"
        parts.append(
            f'<a href="{md_attr(b.href)}" aria-label="{md_attr(name)}">'
            f'<text x="{label - 1.5}%" y="{y + 19}" text-anchor="end">{md_attr(b.label)}</text>'
            f'<rect x="{label}%" y="{y + 4}" width="{w:.2f}%" height="{row - 10}" rx="2"/>'
            f'<text x="{label + w + 1:.2f}%" y="{y + 19}" class="gc-chart__n">{b.count}</text></a>')
    parts.append("</svg>")
    return "".join(parts)


def bar_table(caption: str, head: str, bars: Sequence[Bar]) -> str:
    """The chart's numbers as a table (for screen readers, print and copying), with the same links."""
    rows = "".join(f'<tr><th scope="row">{md_attr(b.label)}</th><td><a href="{md_attr(b.href)}">{b.count}</a></td></tr>'
                   for b in bars)
    return (f'<table class="gc-chart-table"><caption>{md_attr(caption)}</caption><thead><tr><th scope="col">{head}'
            f'</th><th scope="col">案例数</th></tr></thead><tbody>{rows}</tbody></table>')


def heat_table(lib: Library) -> str:
    """Provinces (rows, most cases first) × practice types (columns); shaded cells link to the finder."""
    types = [t for t in lib.taxonomy.practice_types if any(t.id in c.record.practice_types for c in lib.cases)]
    counts: Counter[tuple[str, str]] = Counter(
        (c.record.place.province, t) for c in lib.cases for t in c.record.practice_types)
    per_province = Counter(c.record.place.province for c in lib.cases)
    provinces = sorted(per_province, key=lambda p: (-per_province[p], p))
    top = max(counts.values(), default=1)
    head = "".join(f'<th scope="col"><a href="{md_attr(finder_href(type=t.id))}">{md_attr(t.name)}</a></th>'
                   for t in types)
    rows = []
    for p in provinces:
        cells = []
        for t in types:
            n = counts[(p, t.id)]
            if not n:
                cells.append('<td class="gc-heat--0">0</td>')
                continue
            step = 1 + (HEAT_STEPS - 1) * (n - 1) // max(1, top - 1) if top > 1 else HEAT_STEPS
            href = md_attr(finder_href(type=t.id, province=p))
            cells.append(f'<td class="gc-heat--{step}"><a href="{href}" aria-label="{md_attr(p)}{md_attr(t.name)}：'
                         f'{n}个案例">{n}</a></td>')
        total = f'<td class="gc-heat__total"><a href="{md_attr(finder_href(province=p))}">{per_province[p]}</a></td>'
        rows.append(f'<tr><th scope="row">{md_attr(p)}</th>{"".join(cells)}{total}</tr>')
    return ('<div class="gc-heat-wrap" role="region" aria-label="实践类型与省份交叉表" tabindex="0">'
            '<table class="gc-heat"><caption>各省份各类实践的案例数（点击数字查看案例；一个案例可属多个类型）</caption>'
            f'<thead><tr><th scope="col">省份</th>{head}<th scope="col">案例合计</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def chart_slot(key: str) -> str:
    """Where a chart goes in the page; the plugin puts the SVG there after the page HTML is sanitized (whose
    allowlist has no SVG: the charts are drawn by this module from counts, not from record text)."""
    return f'<div class="gc-chart-slot" data-gc-chart="{key}"></div>'


def stats_page(lib: Library) -> tuple[str, dict[str, str]]:
    """The Markdown of stats/index.md and its charts (slot key → SVG)."""
    years = Counter(c.record.year for c in lib.cases)
    levels = Counter(c.record.level for c in lib.cases)
    dims = Counter(d for c in lib.cases for d in c.record.dimensions)
    by_year = [Bar(f"{y}年", years[y], finder_href(year=str(y))) for y in sorted(years)]
    by_level = [Bar(f"{lv}级", levels[lv], finder_href(level=lv)) for lv in lib.taxonomy.levels if levels[lv]]
    by_dim = [Bar(d.name, dims[d.id], finder_href(dim=d.id)) for d in lib.taxonomy.dimensions]
    charts = [
        ("按年份", "年份", by_year),
        ("按实施层级", "层级", by_level),
        ("按治理维度", "治理维度", by_dim),
    ]
    svgs = {f"stats-{i}": bar_svg(f"{title}的案例数", bars) for i, (title, _, bars) in enumerate(charts)}
    page = render("stats.md.j2", lib=lib, heat=heat_table(lib), charts=[
        (title, chart_slot(f"stats-{i}"), bar_table(f"{title}的案例数", head, bars))
        for i, (title, head, bars) in enumerate(charts)])
    return page, svgs
