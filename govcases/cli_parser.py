"""An argument parser that speaks Chinese: usage, headings, help and every usage error, with what to do."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn


class _Formatter(argparse.HelpFormatter):
    """argparse's layout with a Chinese `用法：` line."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


def _names(text: str) -> str:
    """argparse's `'validate', 'new'` as a Chinese list: validate、new."""
    return "、".join(re.findall(r"'([^']*)'", text)) or text


# argparse builds its messages in English; each is rewritten here (the parser has no hook for its wording).
_MESSAGES: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"the following arguments are required: (.*)"),
     lambda m: f"缺少参数 {m[1].replace(', ', '、')}；请在命令后面写上它"),
    (re.compile(r"argument 命令: invalid choice: '(.*)' \(choose from (.*)\)"),
     lambda m: f"没有“{m[1]}”这个命令；可用的命令：{_names(m[2])}"),
    (re.compile(r"argument (\S+): invalid choice: '(.*)' \(choose from (.*)\)"),
     lambda m: f"{m[1]} 的值不能是“{m[2]}”；可选：{_names(m[3])}"),
    (re.compile(r"unrecognized arguments: (.*)"),
     lambda m: f"不认识的参数 {m[1]}；请检查拼写，或把它移到正确的命令后面"),
    (re.compile(r"argument (\S+): expected one argument"),
     lambda m: f"{m[1]} 后面要写一个值"),
    (re.compile(r"argument (\S+): expected at least one argument"),
     lambda m: f"{m[1]} 后面至少要写一个值"),
    (re.compile(r"argument (\S+): ignored explicit argument '(.*)'"),
     lambda m: f"{m[1]} 不需要值，请删掉“{m[2]}”"),
    (re.compile(r"argument (\S+): invalid \S+ value: '(.*)'"),
     lambda m: f"{m[1]} 的值“{m[2]}”格式不对"),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"),
     lambda m: f"选项 {m[1]} 不明确，可能是 {m[2].replace(', ', '、')}；请写全"),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"),
     lambda m: f"{m[1]} 和 {m[2]} 不能同时使用"),
    (re.compile(r"argument (\S+): (.*)"), lambda m: f"{m[1]}：{m[2]}"),
]


def chinese(message: str) -> str:
    """An argparse error message in Chinese (a message already in Chinese passes through)."""
    for pattern, render in _MESSAGES:
        if m := pattern.fullmatch(message):
            return str(render(m))
    return message


class ChineseParser(argparse.ArgumentParser):
    """ArgumentParser whose usage, section headings, -h help and errors are Chinese; sub-commands inherit it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        """Print the usage line and the problem in Chinese, with where to read more; exit 2."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{chinese(message)}\n（运行 {self.prog} --help 查看用法）\n")
