"""The MkDocs adapter: the only module that imports MkDocs; it hands generated pages and files to a build."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from .errors import ValidationFailed
from .library import load_library
from .site import SiteOutput, build_site

log = logging.getLogger("mkdocs.plugins.govcases")


class GovcasesConfig(Config):
    """Plugin options in mkdocs.yml."""

    root = c.Optional(c.Type(str))  # project folder holding cases/ and templates/; default: mkdocs.yml's folder


class GovcasesPlugin(BasePlugin[GovcasesConfig]):
    """Validates every record before MkDocs touches site/, then adds the generated pages and files."""

    def __init__(self) -> None:
        self.output: SiteOutput | None = None
        self.root: Path | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # on_config runs before MkDocs cleans site_dir: a bad record stops the build with site/ untouched.
        self.root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        try:
            lib = load_library(self.root)
        except ValidationFailed as exc:
            for problem in exc.problems:
                log.error(str(problem))
            raise PluginError(exc.report().splitlines()[-1]) from None
        self.output = build_site(lib)
        self._share_dictionary(config)
        return config

    def _share_dictionary(self, config: MkDocsConfig) -> None:
        """Give Material's search the same domain dictionary as the command-line index (one analysis)."""
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if search is None or getattr(search.config, "jieba_dict_user", None):
            return  # no search plugin, or the site owner chose a dictionary
        from .analysis import cache_root, write_material_userdict

        search.config.jieba_dict_user = str(write_material_userdict(cache_root() / "material-userdict.txt"))

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


class _Download(File):
    """A generated file copied as it is, even a `.md` one (a Markdown download is not a page)."""

    def is_documentation_page(self) -> bool:
        return False


def _add(files: Files, file: File) -> None:
    if files.get_file_from_path(file.src_uri) is not None:
        raise PluginError(f"docs/{file.src_uri} clashes with a generated page; remove it from docs/")
    files.append(file)
