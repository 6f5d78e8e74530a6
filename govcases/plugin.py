"""The MkDocs adapter: the only module that imports MkDocs; it hands generated pages and files to a build."""

from __future__ import annotations

import json
import logging
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

from govcases.pages.build import SiteOutput, build_site
from govcases.pages.csp import with_policy
from govcases.pages.sanitize import sanitize
from govcases.pages.stats import FINDER
from govcases.publish import Publisher, PublishError, docs_clashes
from govcases.records.errors import ValidationFailed
from govcases.records.library import Library, load_library

log = logging.getLogger("mkdocs.plugins.govcases")


class GovcasesConfig(Config):
    """Plugin options in mkdocs.yml."""

    root = c.Optional(c.Type(str))  # project folder holding cases/ and templates/; default: mkdocs.yml's folder


class GovcasesPlugin(BasePlugin[GovcasesConfig]):
    """Validates every record before MkDocs touches site/, then adds the generated pages and files."""

    def __init__(self) -> None:
        self.output: SiteOutput | None = None
        self.root: Path | None = None
        self.lib: Library | None = None
        self.static = False  # the sharded search index (govcases.search.sharded) instead of Material's
        self.docs: list[Any] = []
        self.csp: dict[str, bool] | None = None  # with_policy's options, None for no policy
        self._words: Any = None  # a case's own words for the search index, kept between builds (cache.Table)

    @event_priority(50)  # before Material's search plugin reads its options (whatever the plugin order)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # on_config runs before MkDocs cleans site_dir: a bad record stops the build with site/ untouched.
        self.root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        publisher = _publisher(config)  # one build at a time, built beside site/ and swapped in when complete
        try:
            lib = load_library(self.root)
        except ValidationFailed as exc:
            for problem in exc.problems:
                log.error(str(problem))
            summary = exc.report().splitlines()[-1]
            raise PluginError(f"{summary}；请按上面各行的说明修改后重新构建（site/ 未做任何改动）") from None
        self.lib = lib
        self.output = build_site(lib)
        if not _offline(config):  # only a page opened from disk needs the finder's data as a script
            self.output.files.pop("data/cases.js", None)
        for message in (clashes := docs_clashes(Path(config.docs_dir), self.output, config.use_directory_urls)):
            log.error(message)
        if clashes:
            raise PluginError(f"docs/ 中有 {len(clashes)} 个文件与生成的页面冲突，网站未改动")
        if publisher is not None:
            config.site_dir = str(publisher.start())
        # The third layer: a script policy on every page; not under `mkdocs serve`, whose live-reload script
        # is added to each page as it is served and could not be allowed by a hash.
        self.csp = None if _serving(config) else {"from_disk": _offline(config)}
        # Small theme overrides shipped with the package (see govcases/theme/); the site's own custom_dir,
        # if any, stays first.
        position = 1 if config.theme.custom_dir else 0
        config.theme.dirs.insert(position, str(Path(__file__).parent / "theme"))
        # The 汇编 and print buttons and the print layout of case pages, shipped with the theme folder.
        for script in ("assets/javascripts/govcases-study.js",):
            if script not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(script)
        if "assets/stylesheets/govcases-study.css" not in config.extra_css:
            config.extra_css.append("assets/stylesheets/govcases-study.css")
        # The copy opened from disk (offline plugin) keeps Material's one-file index: a browser cannot
        # fetch index files from file:// pages.
        # A site whose own theme folder has a main.html replaces ours, which points the search box at
        # the govcases worker (govcases/theme/main.html): such a site keeps Material's index too.
        own_main = bool(config.theme.custom_dir) and (Path(config.theme.custom_dir) / "main.html").is_file()
        self.static = _material_search(config) is not None and not _offline(config) and not own_main
        self.docs, self._words = [], None
        if not self.static:
            self._share_analysis(config)
            return config
        from govcases.search.analysis import analyzer_for
        from govcases.search.sharded_site import case_words_table

        config.extra["govcases_worker"] = "assets/javascripts/govcases-search.js"
        self._words = case_words_table(self.root, analyzer_for(lib))
        # Material's search would still cut every page with jieba for a search_index.json that
        # on_post_build replaces: about a third of a build at 1,000 cases. Its other events stay
        # (it writes the options the search box reads).
        search = _material_search(config)
        events = config.plugins.events["page_context"]
        events[:] = [m for m in events if getattr(m, "__self__", None) is not search]
        return config

    def on_page_content(self, html: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        html = sanitize(html)  # the second layer: whatever escaping missed is cut to an allowlist here
        if "gc-chart-slot" in html and self.output is not None:
            fragments = self.output.fragments
            html = _SLOT.sub(lambda m: fragments.get(m.group(1), ""), html)
        if FINDER in html:  # links written as raw HTML (the 统计 page's charts) to the finder
            finder = files.get_file_from_path("finder.md")
            html = html.replace(FINDER, get_relative_url(finder.url, page.url) if finder else "")
        if self.static:
            from govcases.search.sharded import page_doc

            tags = [str(t) for t in page.meta.get("tags") or []]
            self.docs.append(page_doc(self.lib, page.url, str(page.title or ""), html, tags, self._words))
        return html

    @event_priority(-90)  # after other plugins changed the page: the hashes are those of its final scripts
    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        return output if self.csp is None else with_policy(output, **self.csp)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if self.csp is None or not template_name.endswith(".html"):  # 404.html, not sitemap.xml
            return output_content
        return with_policy(output_content, **self.csp)

    def _share_analysis(self, config: MkDocsConfig) -> None:
        """Give Material's search the same domain dictionary as the command-line index (one analysis) and
        the weights of the fields on_post_build adds; options the site owner set in mkdocs.yml win."""
        search = _material_search(config)
        if search is None:
            return
        from govcases.search.material import search_fields

        for name, spec in search_fields().items():
            search.config.fields.setdefault(name, spec)
        if not search.config.jieba_dict_user:
            from govcases.paths import cache_root
            from govcases.search.analysis import project_vocabulary, write_material_userdict

            words = project_vocabulary(self.lib) if self.lib is not None else ()
            path = write_material_userdict(cache_root() / "material-userdict.txt", vocabulary=words)
            search.config.jieba_dict_user = str(path)

    @event_priority(-50)  # after Material's search wrote its index, before its offline plugin inlines it (-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Add the project's analysis to the search box's index (see govcases.search.material)."""
        path = Path(config.site_dir) / "search" / "search_index.json"
        if self.lib is None or _material_search(config) is None or not path.is_file():
            return
        if self.static:
            from govcases.search.analysis import analyzer_for
            from govcases.search.sharded_site import write_index

            write_index(Path(config.site_dir), self.docs, self.root or Path.cwd(), analyzer_for(self.lib))
            if self._words is not None:
                self._words.save()
            return
        from govcases.search.material import enrich

        index = enrich(json.loads(path.read_text(encoding="utf-8")), self.lib)
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

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

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        assert self.root is not None
        for folder in ("cases", "templates"):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
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
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(offline is not None and getattr(offline, "config", {}).get("enabled", True))


class _Download(File):
    """A generated file copied as it is, even a `.md` one (a Markdown download is not a page)."""

    def is_documentation_page(self) -> bool:
        return False


def _add(files: Files, file: File) -> None:
    if files.get_file_from_path(file.src_uri) is not None:
        raise PluginError(f"docs/{file.src_uri} 与网站自动生成的页面同名；请把它从 docs/ 删除或改名")
    files.append(file)
