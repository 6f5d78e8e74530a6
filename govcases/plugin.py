"""The MkDocs adapter: the only module that imports MkDocs; it wires MkDocs' events to the stages' functions."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from govcases.pages.build import SiteOutput, build_site, download_scripts
from govcases.pages.csp import with_policy
from govcases.pages.sanitize import sanitize
from govcases.pages.stats import FINDER
from govcases.pages.typeset import join_lines
from govcases.paths import CASES_DIR, TEMPLATES_DIR, cache_root
from govcases.publish import Publisher, PublishError, docs_clashes
from govcases.records.errors import ValidationFailed
from govcases.records.library import Library, load_library
from govcases.search import material
from govcases.search.sharded import exclude_table_heads
from govcases.search.sharded_site import SiteIndex

log = logging.getLogger("mkdocs.plugins.govcases")

THEME = Path(__file__).parent / "theme"  # overrides, the search worker and the finder's script and style
WORKER = "assets/javascripts/govcases-search.js"
SITE_JS = "assets/javascripts/govcases-site.js"  # the site root for the finder's and the study tools' scripts
INPUT_JS = "assets/javascripts/govcases-input.js"  # a search on any change of the box's text, not only keyup
DOWNLOAD_JS = "assets/javascripts/govcases-download.js"  # Chinese download names in the copy opened from disk
RESULTS_JS = "assets/javascripts/govcases-results.js"  # Material's index only: results without zero-width spaces
FINDER_JS, FINDER_CSS = "assets/finder.js", "assets/finder.css"  # the 案例检索 page's (govcases/theme/assets/)
STUDY_JS, STUDY_CSS = "assets/javascripts/govcases-study.js", "assets/stylesheets/govcases-study.css"


class GovcasesConfig(Config):
    """Plugin options in mkdocs.yml."""

    # The project folder holding cases/ and templates/, relative to mkdocs.yml's folder; default: that folder.
    root = c.Optional(c.Dir(exists=True))
    # The search box's index: `sharded` (small files fetched as a query needs them, for a served site) or
    # `material` (Material's one-file index with the project's words, for a copy opened from disk). Default:
    # material for the offline copy (GOVCASES_OFFLINE, Material's offline plugin) and for a site whose own
    # main.html replaces ours (ours points the search box at the sharded index's worker), else sharded.
    search = c.Optional(c.Choice(("sharded", "material")))


class GovcasesPlugin(BasePlugin[GovcasesConfig]):
    """Validates every record before MkDocs touches site/, then adds the generated pages and files."""

    def __init__(self) -> None:
        self.lib: Library | None = None
        self.output: SiteOutput | None = None
        self.index: SiteIndex | None = None  # the sharded index of this build; None with Material's
        self.csp: dict[str, bool] | None = None  # with_policy's options, None for no policy

    @event_priority(50)  # before Material's search plugin reads its options (whatever the plugin order)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # on_config runs before MkDocs cleans site_dir: a bad record stops the build with site/ untouched.
        root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        publisher = _publisher(config)  # one build at a time, built beside site/ and swapped in when complete
        try:
            self.lib = load_library(root)
        except ValidationFailed as exc:
            for problem in exc.problems:
                log.error(str(problem))
            summary = exc.report().splitlines()[-1]
            raise PluginError(f"{summary}；请按上面各行的说明修改后重新构建（site/ 未做任何改动）") from None
        self.output = build_site(self.lib)
        if not _offline(config):  # only a page opened from disk needs the finder's data as a script
            self.output.files.pop("data/cases.js", None)
        else:  # … and the downloads as scripts, to save them under their Chinese names
            self.output.files.update(download_scripts(self.output.files))
        for message in (clashes := docs_clashes(Path(config.docs_dir), self.output, config.use_directory_urls)):
            log.error(message)
        if clashes:
            raise PluginError(f"docs/ 中有 {len(clashes)} 个文件与生成的页面冲突，网站未改动")
        if publisher is not None:
            config.site_dir = str(publisher.start())
        # The third layer: a script policy on every page; not under `mkdocs serve`, whose live-reload script
        # is added to each page as it is served and could not be allowed by a hash.
        self.csp = None if _serving(config) else {"from_disk": _offline(config)}
        # The site's own custom_dir, if any, stays first.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
        _add_once(config.extra_javascript, SITE_JS)  # before the scripts that call it
        _add_once(config.extra_javascript, FINDER_JS)
        _add_once(config.extra_javascript, INPUT_JS)
        if _offline(config):
            _add_once(config.extra_javascript, DOWNLOAD_JS)
        _add_once(config.extra_css, FINDER_CSS)
        # The 汇编 and print buttons and the print layout of case pages, shipped with the theme folder.
        _add_once(config.extra_javascript, STUDY_JS)
        _add_once(config.extra_css, STUDY_CSS)
        search = _material_search(config)
        self.index = None
        if search is None:
            return config
        if self.search_mode(config) == "material":
            material.configure(search.config, self.lib, cache_root() / "material-userdict.txt")
            _add_once(config.extra_javascript, RESULTS_JS)
            return config
        config.extra["govcases_worker"] = WORKER
        self.index = SiteIndex(self.lib)
        # Material's search would still cut every page with jieba for a search_index.json that
        # on_post_build replaces; its other events stay (it writes the options the search box reads).
        events = config.plugins.events["page_context"]
        events[:] = [m for m in events if getattr(m, "__self__", None) is not search]
        return config

    def search_mode(self, config: MkDocsConfig) -> str:
        """The `search` option, or its default for this site (see GovcasesConfig.search)."""
        if self.config.search:
            return str(self.config.search)
        custom = config.theme.custom_dir
        own_main = bool(custom) and (Path(custom) / "main.html").is_file()
        return "material" if _offline(config) or own_main else "sharded"

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.output is not None
        not_in_nav = config.not_in_nav
        for path, text in self.output.pages.items():
            # Inclusion is set here because MkDocs always excludes /templates/ (its theme-override
            # folder) from files whose inclusion is undecided, and our template pages live there.
            hidden = not_in_nav is not None and not_in_nav.match_file(path)
            inclusion = InclusionLevel.NOT_IN_NAV if hidden else InclusionLevel.INCLUDED
            _add(files, File.generated(config, path, content=text, inclusion=inclusion))
        for path, data in self.output.files.items():
            _add(files, _Download.generated(config, path, content=data, inclusion=InclusionLevel.INCLUDED))
        return files

    def on_page_content(self, html: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        html = sanitize(html)  # the second layer: whatever escaping missed is cut to an allowlist here
        html = exclude_table_heads(join_lines(html))  # column labels are no page's content
        if "gc-chart-slot" in html and self.output is not None:  # charts drawn by the build, kept from the sanitizer
            fragments = self.output.fragments
            html = _SLOT.sub(lambda m: fragments.get(m.group(1), ""), html)
        if FINDER in html:  # links written as raw HTML (the 统计 page's charts) to the finder
            finder = files.get_file_from_path("finder.md")
            html = html.replace(FINDER, get_relative_url(finder.url, page.url) if finder else "")
        if self.index is not None:
            tags = [str(t) for t in page.meta.get("tags") or []]
            self.index.add_page(page.url, str(page.title or ""), html, tags)
        return html

    @event_priority(-90)  # after other plugins changed the page: the hashes are those of its final scripts
    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        return output if self.csp is None else with_policy(output, **self.csp)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if self.csp is None or not template_name.endswith(".html"):  # 404.html, not sitemap.xml
            return output_content
        return with_policy(output_content, **self.csp)

    @event_priority(-50)  # after Material's search wrote its index, before its offline plugin inlines it (-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the search box's index: the sharded one, or Material's with the project's words added."""
        path = Path(config.site_dir) / "search" / "search_index.json"
        if self.lib is None or _material_search(config) is None or not path.is_file():
            return
        if self.index is not None:
            self.index.write(Path(config.site_dir))
        else:
            material.enrich_file(path, self.lib)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        assert self.lib is not None
        for folder in (CASES_DIR, TEMPLATES_DIR):
            if (self.lib.root / folder).is_dir():
                server.watch(str(self.lib.root / folder))
        return server


_SLOT = re.compile(r'<div class="gc-chart-slot" data-gc-chart="([a-z0-9-]+)"></div>')


def _material_search(config: MkDocsConfig) -> Any:
    """Material's search plugin when the build uses it and it is on, else None."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is None or not type(search).__module__.startswith("material.") or not search.config.enabled:
        return None
    return search


def _publisher(config: MkDocsConfig) -> Publisher | None:
    """A locked Publisher for this build, wired to MkDocs' last post_build handler and to build errors; None
    under `mkdocs serve`, which builds into a private temporary folder of its own."""
    if _serving(config):
        return None
    publisher = Publisher(Path(config.site_dir))
    try:
        publisher.lock()
    except PublishError as exc:
        raise PluginError(str(exc)) from None
    config.plugins.events["build_error"].append(lambda error: publisher.abandon())
    config.plugins.events["post_build"].append(lambda config: publisher.finish(config.strict))  # after all others
    return publisher


def _serving(config: MkDocsConfig) -> bool:
    """True under `mkdocs serve`, which sets site_url to its own address."""
    host, port = config.dev_addr
    return str(config.site_url or "").startswith((f"http://{host}:{port}", f"http://[{host}]:{port}"))


def _offline(config: MkDocsConfig) -> bool:
    # the copy opened from disk: a browser cannot fetch index files from file:// pages
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    enabled = offline is not None and getattr(offline, "config", {}).get("enabled", True)
    return bool(enabled) or os.environ.get("GOVCASES_OFFLINE", "").lower() in ("1", "true", "yes")


def _add_once(scripts: list[Any], path: str) -> None:
    if path not in [str(s) for s in scripts]:
        scripts.append(path)


class _Download(File):
    """A generated file copied as it is, even a `.md` one (a Markdown download is not a page)."""

    def is_documentation_page(self) -> bool:
        return False


def _add(files: Files, file: File) -> None:
    if files.get_file_from_path(file.src_uri) is not None:
        raise PluginError(f"docs/{file.src_uri} 与网站自动生成的页面同名；请把它从 docs/ 删除或改名")
    files.append(file)
