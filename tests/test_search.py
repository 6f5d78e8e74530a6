"""Search: the Chinese analysis, the SQLite index and its cache, the `govcases search` contract, the dev set."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import devqueries
import pytest
from conftest import CORPUS, REPO

from govcases.cli import main
from govcases.records.library import Library, load_library
from govcases.search.analysis import (
    USERDICT,
    Synonyms,
    analyzer_for,
    bigrams,
    default_analyzer,
    model_names,
    read_userdict,
    short_place_names,
    type_names,
    write_material_userdict,
)
from govcases.search.freqtable import FreqTable

BRIEF_TERMS = ["四议两公开", "红白理事会", "村规民约", "三官一律", "网格员", "十联户", "积分超市", "小微权力清单",
               "一约四会"]
CJK_TERM = re.compile(r"[\u4e00-\u9fff]{2,}")


pytestmark = pytest.mark.usefixtures("private_cache")  # never the user's cache


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library(CORPUS)


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str, root: Path = CORPUS) -> tuple[int, str, str]:
    code = main(["--root", str(root), "search", *argv])
    out, err = capsys.readouterr()
    return code, out, err


# ---- analysis -----------------------------------------------------------------------------------


@pytest.mark.parametrize("term", BRIEF_TERMS)
def test_dictionary_words_stay_whole_in_a_sentence(term: str) -> None:
    words = default_analyzer().segment(f"村里依照规定成立了{term}并按程序推行")
    assert term in words


def test_every_practice_type_name_synonym_model_and_keyword_is_one_word(lib: Library) -> None:
    a = analyzer_for(lib)
    words = [w for t in lib.taxonomy.practice_types for w in (*type_names(t.name), *t.synonyms)]
    words += [w for c in lib.cases for w in (*model_names(c.record.model or ""), *c.record.keywords)]
    assert [w for w in words if CJK_TERM.fullmatch(w) and a.segment(w) != [w]] == []


def test_vocabulary_reaches_the_dictionary_with_no_other_edit(project: Path) -> None:
    taxonomy = project / "cases" / "_taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(text.replace("synonyms: [", "synonyms: [睦邻评理堂, ", 1), encoding="utf-8")
    record = project / "cases" / "sichuan-miyi-1357.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(re.sub(r"(?m)^keywords: \[", "keywords: [邻里守望岗, ", text), encoding="utf-8")
    lib = load_library(project)
    for word in ("睦邻评理堂", "邻里守望岗"):
        sentence = f"村里设了{word}来调处纠纷"
        assert word not in default_analyzer().segment(sentence)  # not in govcases/data/userdict.txt
        assert word in analyzer_for(lib).segment(sentence)


def test_every_dictionary_word_is_one_word() -> None:
    a = default_analyzer()
    assert [e.word for e in read_userdict() if a.segment(e.word) != [e.word]] == []


def test_index_tokens_hold_the_words_inside_long_words_at_the_same_position() -> None:
    toks = default_analyzer().words("成立红白理事会")
    assert ("红白理事会", 1) in toks and ("理事会", 1) in toks
    # a query is not split into pieces: that is what makes 积分制 find 828 pages elsewhere
    assert [t.text for t in default_analyzer().words("红白理事会", subwords=False)] == ["红白理事会"]


def test_positions_are_sequential_and_skip_punctuation() -> None:
    toks = default_analyzer().words("推行，四议两公开。", subwords=False)
    assert [(t.text, t.pos) for t in toks] == [("推行", 0), ("四议两公开", 1)]


def test_query_words_drop_fillers_and_join_unknown_characters() -> None:
    a = default_analyzer()
    assert a.query_words("积分制的案例") == ["积分制"]
    assert a.query_words("民约") == ["民约"]


def test_bigrams_make_every_substring_a_phrase() -> None:
    assert [t.text for t in bigrams("村规民约 2+333")] == ["村规", "规民", "民约", "2", "333"]


def test_synonyms_come_from_the_practice_types(lib: Library) -> None:
    syn = Synonyms.from_taxonomy(lib.taxonomy)
    assert "积分超市" in syn.of("爱心超市") and "积分制" in syn.of("积分管理")
    assert "移风易俗" in syn.of("红白理事会")  # a name with a slash is two words
    assert "移风易俗" in syn.around("彩礼") and syn.around("管理") == []


def test_short_place_names() -> None:
    assert short_place_names("凉山彝族自治州") == ["凉山彝族自治州", "凉山"]
    assert short_place_names("黔南布依族苗族自治州")[1] == "黔南"
    assert short_place_names("罗江区") == ["罗江区", "罗江"]


def test_lookup_table_cuts_exactly_like_the_full_dictionary(lib: Library) -> None:
    a = default_analyzer()
    a.write_table()
    table = FreqTable(a.table_path())
    texts = [s for c in lib.cases for s in re.split(r"[。；\n]", c.record.summary) if s.strip()]
    for text in texts + BRIEF_TERMS + ["网格员补贴", "民约", "1357模式"]:
        assert list(table.tokenizer_for(text).cut(text, HMM=False)) == list(a.jieba.cut(text, HMM=False))


def test_material_userdict_is_plain_jieba_format(tmp_path: Path) -> None:
    out = write_material_userdict(tmp_path / "d" / "userdict.txt")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(read_userdict(USERDICT)) and "红白理事会 1000 nz" in lines
    assert all(re.fullmatch(r"\S+ \d+ [a-z]+", line) for line in lines)  # no comments, no blank lines


# ---- search -------------------------------------------------------------------------------------


def _ids(query: str, **kw: str) -> list[str]:
    from govcases.search.query import search

    return [h.id for h in search(CORPUS, query, limit=50, **kw)]


def test_substring_query_finds_every_village_rules_case(lib: Library) -> None:
    from govcases.search.fields import record_body

    having = {c.id for c in lib.cases
              if "村规民约" in "\n".join([c.record.title, *c.record.keywords, record_body(c.record)])}
    assert len(having) >= 5
    assert having <= set(_ids("民约"))


def test_synonyms_find_the_points_case() -> None:
    assert "sichuan-luojiang-anjia-points" in _ids("爱心超市")
    assert "sichuan-luojiang-anjia-points" in _ids("积分管理")[:3]


def test_filters(lib: Library) -> None:
    points = {c.id for c in lib.cases if "points" in c.record.practice_types}
    assert set(_ids("村民", type="积分制")) <= points
    assert set(_ids("村民", type="points")) <= points
    assert all(i.startswith("sichuan-") for i in _ids("网格", province="四川"))
    assert _ids("网格", province="贵州省") == ["guizhou-longli-duowang"]


@pytest.mark.parametrize(("level", "forms"), [
    ("县", ["县级", "县级层面", "县一级", "区县", "区"]),
    ("乡镇", ["乡镇级", "乡", "镇", "街道"]),
    ("村", ["村级", "社区"]),
    ("市", ["市级", "地市"]),
    ("省", ["省级"]),
])
def test_levels_in_the_forms_the_site_writes(level: str, forms: list[str]) -> None:
    expected = _ids("村民", level=level)
    assert [_ids("村民", level=form) for form in forms] == [expected] * len(forms)


def test_provinces_and_types_by_short_name_and_synonym() -> None:
    assert _ids("村民", province="广西") == _ids("村民", province="广西壮族自治区") != []
    points = _ids("村民", type="points")
    assert [_ids("村民", type=t) for t in ("积分制", "爱心超市", "积分超市", "积分")] == [points] * 4


@pytest.mark.parametrize(("option", "value", "shown"), [
    ("--type", "公开",
     "“公开”可指不止一个实践类型；请改用其中之一：议事协商（consultation）、村务公开/小微权力（open-affairs）\n"),
    ("--province", "广", "“广”可指不止一个省份；请改用其中之一：广东省、广西壮族自治区\n"),
])
def test_a_filter_value_naming_several_entries_lists_them(option: str, value: str, shown: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "积分", option, value) == (2, "", shown)


def test_index_is_rebuilt_when_a_record_changes(tmp_path: Path) -> None:
    from govcases.search.query import search

    shutil.copytree(CORPUS / "cases", tmp_path / "cases")
    assert search(tmp_path, "鹦鹉螺") == []  # a new index object checks the records, as a new process does
    path = tmp_path / "cases" / "sichuan-miyi-1357.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: 鹦鹉螺", 1), encoding="utf-8")
    assert [h.id for h in search(tmp_path, "鹦鹉螺")] == ["sichuan-miyi-1357"]


def test_an_open_index_is_rechecked_after_fresh_for(tmp_path: Path) -> None:
    from govcases.search.query import CliIndex, search

    shutil.copytree(CORPUS / "cases", tmp_path / "cases")
    index = CliIndex(tmp_path)
    index.fresh_for = 3600.0
    assert search(index, "鹦鹉螺") == []
    path = tmp_path / "cases" / "sichuan-miyi-1357.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: 鹦鹉螺", 1), encoding="utf-8")
    assert search(index, "鹦鹉螺") == []  # checked moments ago: the open index is used as it is
    index.fresh_for = 0.0
    assert [h.id for h in search(index, "鹦鹉螺")] == ["sichuan-miyi-1357"]


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_a_damaged_index_file_is_dropped_and_rebuilt(tmp_path: Path, damage: str) -> None:
    from govcases.search.query import CliIndex, search

    shutil.copytree(CORPUS / "cases", tmp_path / "cases")
    first = CliIndex(tmp_path)
    assert [h.id for h in search(first, "多网合一")][:1] == ["guizhou-longli-duowang"]
    first.close()
    path = first.where / f"{first.key}.sqlite"
    data = path.read_bytes()
    path.write_bytes({"truncated": data[: len(data) // 2], "garbage": b"not an index " * 500, "empty": b""}[damage])
    again = CliIndex(tmp_path)
    assert [h.id for h in search(again, "多网合一")][:1] == ["guizhou-longli-duowang"]
    assert again.key == first.key and path.read_bytes() == data  # the same index, whole again, on disk
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []  # no temporary files left
    again.close()


def test_cache_lives_outside_the_repo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    from govcases.paths import cache_root

    assert run_cli(capsys, "积分制")[0] == 0
    assert REPO not in cache_root().resolve().parents
    assert (cache_root() / "index").is_dir()  # the search built its index there
    monkeypatch.delenv("GOVCASES_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_root() == tmp_path / "govcases"


def test_related_cases(lib: Library) -> None:
    from govcases.search.related import related

    for case in lib.cases:
        ids = related(lib, case.id)
        assert 3 <= len(ids) <= 5 and case.id not in ids and set(ids) <= set(lib.by_id)
    assert related(lib, "sichuan-miyi-mediation")[0] in {"sichuan-luojiang-disputes", "sichuan-lizhou-justice"}


# ---- the command line ---------------------------------------------------------------------------


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "积分制", "--json")
    hits = json.loads(out)
    assert code == 0 and hits and hits[0]["id"] == "sichuan-luojiang-anjia-points"
    for h in hits:
        assert {"id", "title", "url", "score"} <= h.keys()
        assert h["url"] == f"cases/{h['id']}/"
        assert isinstance(h["score"], float) and h["title"]
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_limit_and_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "调解", "--limit", "2")
    assert code == 0 and " 1. " in out and " 2. " in out and " 3. " not in out
    assert "cases/sichuan-miyi-mediation/" in out


def test_heading_says_how_many_matched_under_which_filters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "积分", "--level", "县级", "--limit", "3")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "共 4 个案例与“积分”相关（只看县级），按相关度列出前 3 个（加 --limit 4 可全部列出）："
    assert lines[3] == ("    四川省广元市利州区 · 县级 · 议事协商、村务公开/小微权力、集体经济等"
                        " · cases/sichuan-lizhou-sanmin-sangong/")
    assert "得分" not in out and len([line for line in lines if re.match(r" \d\. ", line)]) == 3
    code, out, _ = run_cli(capsys, "积分", "--limit", "6")
    assert out.splitlines()[0] == "共 6 个案例与“积分”相关，按相关度排列如下："


def test_json_hits_carry_level_and_types(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, "积分", "--level", "县级", "--limit", "1", "--json")
    hit = json.loads(out)[0]
    assert (hit["level"], hit["types"][:2]) == ("县", ["议事协商", "村务公开/小微权力"])


@pytest.mark.parametrize(("argv", "shown"), [
    (["积分", "--province", "北京"],
     "没有找到与“积分”相关的案例（只看北京市）。不加筛选有 6 个结果；去掉 --province 北京 再试。"),
    (["积分", "--type", "网格", "--province", "四川", "--level", "市"],
     "没有找到与“积分”相关的案例（只看网格化管理、四川省、市级）。不加筛选有 6 个结果；去掉 --level 市 有 2 个结果。"),
    (["积分", "--type", "网格", "--province", "广西", "--level", "村"],
     "没有找到与“积分”相关的案例（只看网格化管理、广西壮族自治区、村级）。不加筛选有 6 个结果；"
     "去掉 --province 广西 有 1 个结果。"),
    (["积分", "--province", "北京", "--level", "市"],
     "没有找到与“积分”相关的案例（只看北京市、市级）。不加筛选有 6 个结果；去掉全部筛选条件再试。"),
    (["火星殖民计划", "--level", "村"],
     "没有找到与“火星殖民计划”相关的案例（只看村级）。不加筛选也没有。可以换个说法，或用更短的词（如“积分”“调解”）。"),
    (["火星"], "没有找到与“火星”相关的案例。可以换个说法，或写实践类型（如“积分制”“村规民约”）。"),
])
def test_nothing_found_says_what_to_change(argv: list[str], shown: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, *argv) == (0, shown + "\n", "")


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_query_is_a_usage_error(query: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, query)
    assert code == 2 and "请给出检索词" in err and out == ""


@pytest.mark.parametrize("query", ["asdfqwer", "的的的", "？？？", "火星殖民计划"])
def test_nonsense_finds_nothing_with_a_message(query: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, query)
    assert code == 0 and "没有找到" in out
    code, out, _ = run_cli(capsys, query, "--json")
    assert code == 0 and json.loads(out) == []


@pytest.mark.parametrize(("option", "shown"), [
    ("--type", "没有“不存在”这个实践类型；请改用其中之一：积分制（points）、"),
    ("--province", "没有“不存在”这个省份；请改用其中之一：北京市、"),
    ("--level", "没有“不存在”这个层级；请改用其中之一：省、"),
])
def test_unknown_filter_lists_allowed_values(option: str, shown: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "积分", option, "不存在")
    assert code == 2 and err.startswith(shown)


def test_help_is_chinese_and_documents_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["search", "--help"])
    out = capsys.readouterr().out
    assert "退出码" in out and "--json" in out and "实践类型" in out


# ---- quality ------------------------------------------------------------------------------------


def test_dev_query_scores_count_best_at_3_and_mrr() -> None:
    def outcome(rank: int | None) -> devqueries.Outcome:
        return devqueries.Outcome("q", "cases/a/", rank, [], 0, 1)

    hits, mrr = devqueries.scores([outcome(1), outcome(3), outcome(4), outcome(None)])
    assert (hits, round(mrr, 6)) == (2, round((1 + 1 / 3 + 1 / 4) / 4, 6))


def test_both_eval_scripts_score_with_the_dev_query_outcome() -> None:
    import importlib.util

    for name in ("eval_search", "eval_site_search"):
        spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert module.scores is devqueries.scores, name
    assert module.Outcome is devqueries.Outcome  # the search box's outcomes are the command line's kind


def test_dev_queries_best_case_in_top_3() -> None:
    if not devqueries.DEFAULT_QUERIES.is_file():
        pytest.skip(f"{devqueries.DEFAULT_QUERIES} is not here")
    outcomes, _ = devqueries.evaluate(REPO, devqueries.DEFAULT_QUERIES)
    misses = [(o.query, o.best, o.rank) for o in outcomes if o.rank is None or o.rank > 3]
    assert len(outcomes) == 10 and misses == []
