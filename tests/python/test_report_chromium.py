"""The report as a person sees it: rendered in headless Chromium (Debian's ``chromium``), with
every phone-home switched off and no host name resolvable. Checks the sections, the console,
the page's own network requests (net log) and that markup in names is shown as text.

Skips only when Chromium is missing and cannot be installed (not root, no apt); under
``CI=true`` that is a failure instead."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from chromium import Page, Unavailable, executable, load
from jamlik.__main__ import main
from report_fixtures import MARKUP, markup_catalogue, small_data

pytest.importorskip("jinja2")

SECTIONS = ("summary", "god_och_jamlik_halsa", "god_kvalitet", "hallbart_och_uthalligt", "equity", "small-numbers",
            "source", "methods")


@pytest.fixture(scope="module")
def chromium() -> str:
    try:
        return executable()
    except Unavailable as e:
        if os.environ.get("CI") == "true":
            pytest.fail(f"chromium is required under CI=true: {e}")
        pytest.skip(f"chromium unavailable: {e}")


@pytest.fixture(scope="module")
def demo_page(chromium: str, demo_report: Path, tmp_path_factory: pytest.TempPathFactory) -> Page:
    """The report `make demo` writes (CLI defaults; rendered once, conftest.py), loaded with a
    screenshot."""
    work = tmp_path_factory.mktemp("demo")
    out = work / "demo-report.html"
    shutil.copy(demo_report, out)
    page = load(out, work)
    # Kept for a person to look at (and for the report engineer's design iterations).
    keep = os.environ.get("JAMLIK_REPORT_SCREENSHOT")
    if keep and page.screenshot:
        shutil.copy(page.screenshot, keep)
    return page


@pytest.fixture(scope="module")
def markup_page(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Page:
    """A report from a small --data file where Arboga's name and an indicator title are markup."""
    work = tmp_path_factory.mktemp("markup")
    data = small_data(work / "kolada.csv")
    catalogue = markup_catalogue(work / "catalogue.json")
    out = work / "markup.html"
    assert main(["report", "--data", str(data), "--catalogue", str(catalogue), "--out", str(out)]) == 0
    return load(out, work, screenshot=False)


def _text(dom: str) -> str:
    """The DOM's text with tags removed and entities left as written."""
    return re.sub(r"<[^>]+>", " ", dom)


def test_every_section_is_there(demo_page: Page) -> None:
    for section in SECTIONS:
        assert f'<section id="{section}"' in demo_page.dom, section
    assert "<h1>Arboga</h1>" in demo_page.dom
    assert "Region Västmanland" in demo_page.dom and "2023" in demo_page.dom
    assert demo_page.dom.count('class="synthetic') >= len(SECTIONS) + 1


def test_the_page_logs_nothing_and_requests_nothing(demo_page: Page, markup_page: Page) -> None:
    assert demo_page.console == [], demo_page.console
    assert markup_page.console == [], markup_page.console
    assert demo_page.requests == [] and markup_page.requests == [], (demo_page.requests, markup_page.requests)


def test_the_screenshot_is_a_drawn_page(demo_page: Page) -> None:
    assert demo_page.screenshot is not None
    png = demo_page.screenshot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1280, 9000)
    assert len(png) > 100_000  # text, tables and charts; a blank page compresses to a few kB


def test_markup_in_names_is_shown_as_text(markup_page: Page) -> None:
    dom = markup_page.dom
    # No element was made from the names: the only <script> would be the injected one.
    assert "<script" not in dom
    assert "<b>Co</b>" not in dom
    escaped = MARKUP.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _text(dom)
    assert text.count(escaped) >= 3  # the title, the heading, the indicator
    assert f"<h1>{escaped}</h1>" in dom


def test_the_checks_can_fail(chromium: str, tmp_path: Path) -> None:
    """The console and net-log checks see what a page with a script and remote assets does."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><link rel="stylesheet" href="https://fonts.example.org/a.css"></head>'
        '<body><img src="http://example.com/x.png"><script>console.log("hello")</script></body></html>',
        encoding="utf-8",
    )
    seen = load(page, tmp_path, screenshot=False)
    assert any('"hello"' in line for line in seen.console), seen.console
    assert set(seen.requests) == {"https://fonts.example.org/a.css", "http://example.com/x.png"}, seen.requests
