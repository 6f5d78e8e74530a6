"""The finder page (案例检索) driven in headless Chromium, the way an official would use it.

Serves the built site on 127.0.0.1, filters by 积分制 + 四川省, checks the cards against data/cases.json,
reloads and re-opens the URL, types a text query, clears, and checks that nothing is requested from any
other host. Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ARTIFACTS, Watch, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def cases(built_site: Path) -> list[dict]:
    return json.loads((built_site / "data" / "cases.json").read_text(encoding="utf-8"))["cases"]


def open_finder(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.wait_for_selector("#gc-finder[data-state=ready]", timeout=15_000)


def card_ids(page) -> list[str]:  # type: ignore[no-untyped-def]
    hrefs = page.locator("#gc-results .gc-card__title a").evaluate_all("as => as.map(a => a.href)")
    return [urlsplit(h).path.rstrip("/").rsplit("/", 1)[-1] for h in hrefs]


def place_label(case: dict) -> str:
    p = case["place"]
    return "".join(p.get(k) or "" for k in ("province", "city", "county", "town", "village"))


def view(page) -> dict:  # type: ignore[no-untyped-def]
    """What the user sees: the cards, the count line, the checked types and the chosen province."""
    return {
        "cards": card_ids(page),
        "status": page.inner_text("#gc-status"),
        "types": page.locator("input[name=type]:checked").evaluate_all("bs => bs.map(b => b.value)"),
        "province": page.input_value("#gc-province"),
        "kw": page.input_value("#gc-kw"),
    }


def test_filter_share_reload_and_text_query(chromium, site_server: str, cases: list[dict]) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    watch = Watch(context, site_server)
    page = context.new_page()
    open_finder(page, site_server + "finder/")
    assert page.inner_text("#gc-status") == f"共 {len(cases)} 个案例"
    assert len(card_ids(page)) == min(len(cases), 48)

    # Filter as a person does: click the 积分制 chip, pick 四川省 in the province list.
    page.locator("label.gc-chip", has_text="积分制").click()
    page.get_by_label("省份").select_option("四川省")
    expected = {c["id"] for c in cases if "points" in c["practice_types"] and c["place"]["province"] == "四川省"}
    assert expected, "the data should have 积分制 cases in 四川省"
    shown = view(page)
    assert set(shown["cards"]) == expected
    assert len(shown["cards"]) == len(expected)
    assert shown["status"] == f"找到 {len(expected)} 个案例（共 {len(cases)} 个）"
    assert page.get_attribute("#gc-status", "aria-live") == "polite"
    query = parse_qs(urlsplit(page.url).query)
    assert query["type"] == ["points"] and query["province"] == ["四川省"]

    # Each card: a title linking to cases/<id>/, place, summary and the 积分制 tag shown as active.
    by_id = {c["id"]: c for c in cases}
    for card in page.locator("#gc-results .gc-card").all():
        cid = urlsplit(card.locator(".gc-card__title a").get_attribute("href") or "").path.rstrip("/").split("/")[-1]
        rec = by_id[cid]
        assert card.locator(".gc-card__title a").get_attribute("href").endswith(f"/cases/{cid}/")
        assert "四川省" in card.locator(".gc-card__meta").inner_text()
        assert card.locator(".gc-card__summary").inner_text().strip()
        tag_texts = card.locator("a.gc-tag--type").all_inner_texts()
        assert tag_texts == rec["practice_type_names"]
        assert card.locator("a.gc-tag.is-active", has_text="积分制").count() == 1
    page.screenshot(path=str(ARTIFACTS / "finder-desktop-filtered.png"), full_page=True)

    # The card link opens the case page.
    first = shown["cards"][0]
    page.locator("#gc-results .gc-card__title a").first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path.endswith(f"/cases/{first}/")
    page.go_back()
    page.wait_for_selector("#gc-finder[data-state=ready]")
    assert view(page) == shown

    # Reload restores the view; so does opening the shared URL in a fresh browser context.
    filtered_url = page.url
    page.reload()
    page.wait_for_selector("#gc-finder[data-state=ready]")
    assert view(page) == shown
    other = chromium.new_context(viewport={"width": 1024, "height": 800})
    watch_other = Watch(other, site_server)
    shared = other.new_page()
    open_finder(shared, filtered_url)
    assert view(shared) == shown
    other.close()

    # A text query narrows further: the county of one of the cards, as someone would type it.
    word = next(c["place"].get("county") or c["place"].get("city") for c in cases if c["id"] in expected)
    page.get_by_role("searchbox", name="关键词").press_sequentially(word, delay=30)
    narrowed = {cid for cid in expected if word in place_label(by_id[cid]) or word in by_id[cid]["title"]
                or word in by_id[cid]["summary"]}
    page.wait_for_function("w => new URL(location.href).searchParams.get('kw') === w", arg=word)
    typed = view(page)
    assert set(typed["cards"]) >= narrowed and narrowed
    assert set(typed["cards"]) <= expected
    assert typed["status"].startswith(f"找到 {len(typed['cards'])} 个案例")
    assert page.locator("#gc-results mark", has_text=word).count() >= 1
    page.screenshot(path=str(ARTIFACTS / "finder-desktop-text.png"))
    page.reload()
    page.wait_for_selector("#gc-finder[data-state=ready]")
    assert view(page) == typed

    # A word found nowhere says so instead of showing an empty page.
    page.get_by_role("searchbox", name="关键词").fill("不存在的词语乙丙丁")
    assert card_ids(page) == []
    assert "没有符合条件的案例" in page.inner_text("#gc-status")

    # 清除筛选 brings back every case and a clean URL.
    page.get_by_role("button", name="清除筛选").click()
    assert page.inner_text("#gc-status") == f"共 {len(cases)} 个案例"
    assert urlsplit(page.url).query == ""
    assert page.locator("input[name=type]:checked").count() == 0

    assert watch.foreign() == [] and watch_other.foreign() == []
    assert any(u.endswith("/data/cases.json") for u in watch.urls)
    assert watch.errors == [] and watch_other.errors == []
    context.close()


def test_keyboard_and_back_button(chromium, site_server: str, cases: list[dict]) -> None:  # type: ignore[no-untyped-def]
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    watch = Watch(context, site_server)
    page = context.new_page()
    open_finder(page, site_server + "finder/")
    # Tab from the text box to the first type chip and tick it with the space bar.
    page.get_by_role("searchbox", name="关键词").focus()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "type":
            break
    chip = page.evaluate("document.activeElement.value")
    page.keyboard.press("Space")
    want = {c["id"] for c in cases if chip in c["practice_types"]}
    assert set(card_ids(page)) == want
    assert parse_qs(urlsplit(page.url).query)["type"] == [chip]
    # A county link without the levels above it fills them in; Back returns to the previous view.
    county_case = next(c for c in cases if c["place"].get("county"))
    county = county_case["place"]["county"]
    page.get_by_label("县（市、区）").select_option(county)
    assert page.input_value("#gc-province") == county_case["place"]["province"]
    assert page.input_value("#gc-city") == county_case["place"]["city"]
    page.go_back()
    assert set(card_ids(page)) == want
    assert page.input_value("#gc-county") == ""
    assert watch.foreign() == [] and watch.errors == []
    context.close()


def test_phone_viewport(chromium, site_server: str, cases: list[dict]) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    watch = Watch(context, site_server)
    page = context.new_page()
    open_finder(page, site_server + "finder/")
    # The filters are folded on a phone so the results are in reach; the toggle opens them.
    assert page.locator("#gc-filters").is_hidden()
    page.screenshot(path=str(ARTIFACTS / "finder-phone-initial.png"))
    page.get_by_role("button", name="筛选条件").click()
    assert page.get_attribute("#gc-toggle", "aria-expanded") == "true"
    page.locator("label.gc-chip", has_text="积分制").click()
    page.get_by_label("省份").select_option("四川省")
    expected = {c["id"] for c in cases if "points" in c["practice_types"] and c["place"]["province"] == "四川省"}
    assert set(card_ids(page)) == expected
    # Nothing sticks out sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#gc-status").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "finder-phone-filtered.png"))
    # A shared filtered URL opens with the filters unfolded.
    page.reload()
    page.wait_for_selector("#gc-finder[data-state=ready]")
    assert page.locator("#gc-filters").is_visible()
    assert set(card_ids(page)) == expected
    assert watch.foreign() == [] and watch.errors == []
    context.close()


def test_script_is_inert_on_other_pages(chromium, site_server: str) -> None:  # type: ignore[no-untyped-def]
    context = chromium.new_context()
    watch = Watch(context, site_server)
    page = context.new_page()
    page.goto(site_server + "cases/")
    page.wait_for_load_state("networkidle")
    assert not any(u.endswith("/data/cases.json") for u in watch.urls)
    assert watch.foreign() == [] and watch.errors == []
    context.close()
