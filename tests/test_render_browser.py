"""The review page in a real headless Chromium: highlights and legend visible, no script runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ringkas.review import render

# The record builder of the unit tests (tests/ is on sys.path: pytest's rootdir-relative import).
from test_render import DIRECT_RINI, INDIRECT_ZAENAL, PEOPLE, UNRESOLVED, XSS_ATTR, XSS_SCRIPT, make_record

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "install-chromium.sh"
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} missing: run scripts/install-chromium.sh (Debian chromium)"
)


def review_records() -> list[dict]:
    """A translated record with three speakers, one without translation carrying XSS, and an error."""
    en = [
        "Blitar – Blitar Regent Rini Syarifah attended the Dekranasda Rakorda, Saturday (24/12/22).",
        "“Dekranasda is here as a forum for craftsmen,” said Rini.",
        "Zaenal Arifin said Dekranasda cannot work alone without support from the government.",
        "“We ask for your support,” he concluded.",
    ]
    translated = make_record(quotes=[DIRECT_RINI, INDIRECT_ZAENAL, UNRESOLVED], en=en)
    translated["summary"]["en"] = en[0]
    mention = translated["text"].index("ujar Rini") + len("ujar ")
    translated["quotes"][0]["speaker"]["mention_span"] = [mention, mention + len("Rini")]
    paras = ["Jakarta – Pesan " + XSS_SCRIPT + " dikirim.", "“Kami menolak " + XSS_ATTR + " itu,” kata Budi."]
    hostile = make_record(
        paras=paras,
        quotes=[("“Kami menolak " + XSS_ATTR + " itu,”", "direct", None, XSS_ATTR)],
        people=PEOPLE,
        title="Judul " + XSS_SCRIPT,
        warnings=["translation skipped: model not installed " + XSS_ATTR],
        id="rec-2",
    )
    failed = {
        "schema": "ringkas.record/1",
        "id": "rec-3",
        "source": "bad.html",
        "warnings": [],
        "error": {"type": "InputError", "message": "document is empty " + XSS_SCRIPT},
    }
    return [translated, hostile, failed]


def colour_of(locator) -> str:
    """The computed --c speaker colour of an element, as the rgb() string the browser reports."""
    return locator.evaluate("e => getComputedStyle(e).borderLeftColor")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (dev extra)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.mark.browser
@needs_chromium
def test_review_page_in_chromium(browser, tmp_path):
    page_path = tmp_path / "review.html"
    records = tmp_path / "records.jsonl"
    records.write_text("\n".join(json.dumps(r) for r in review_records()) + "\n", encoding="utf-8")
    assert render.render_file(records, page_path) == 3

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, dialogs, requests = [], [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_path.as_uri())
    page.wait_for_load_state("load")

    # highlights: one per quote start in record 1, coloured by speaker, direct vs indirect styles differ
    first = page.locator("#r1")
    direct = first.locator("a.q.direct").first
    indirect = first.locator("a.q.indirect").first
    assert direct.is_visible() and indirect.is_visible()
    assert direct.evaluate("e => getComputedStyle(e).borderBottomStyle") == "solid"
    assert indirect.evaluate("e => getComputedStyle(e).borderBottomStyle") == "dashed"
    colours = {
        first.locator(f"a.q.k{k}").first.evaluate("e => getComputedStyle(e).borderBottomColor")
        for k in range(3)
    }
    assert len(colours) == 3

    # legend: visible, names its speakers, and a highlight links to its entry
    legend = first.locator("section.legend")
    assert legend.is_visible()
    assert legend.locator("li.spk").count() == 3
    assert "Rini Syarifah" in legend.inner_text() and "Unresolved speaker" in legend.inner_text()
    direct.click()
    assert page.evaluate("location.hash") == "#r1-s1"
    faded = first.locator("a.q.k1").first.evaluate("e => getComputedStyle(e).opacity")
    assert float(faded) < 1  # the other speakers fade while one is targeted

    # the speaker's mention in the text is marked in the speaker's colour
    mention = first.locator("td.id b.mention").first
    assert mention.is_visible() and mention.inner_text() == "Rini"
    assert mention.evaluate("e => getComputedStyle(e).color") == colour_of(first.locator("li.spk.k0"))

    # English beside the original, and the reason where there is none
    assert first.locator("td.en").nth(1).inner_text().startswith("“Dekranasda is here")
    second = page.locator("#r2")
    assert "translation skipped: model not installed" in second.locator("td.en.empty").inner_text()

    # hostile text renders as text; nothing runs, nothing is fetched
    assert XSS_SCRIPT in second.locator("h2").inner_text()
    assert XSS_ATTR in second.locator("section.legend").inner_text()
    assert page.locator("#r2 img, script").count() == 0
    assert "document is empty " + XSS_SCRIPT in page.locator("#r3 .error").inner_text()
    assert dialogs == []
    assert errors == []
    assert requests == [page_path.as_uri()]

    shot_dir = Path(os.environ.get("RINGKAS_SCREENSHOT_DIR") or tmp_path)
    shot_dir.mkdir(parents=True, exist_ok=True)
    page.goto(page_path.as_uri())  # clear the :target fade before the picture
    page.screenshot(path=str(shot_dir / "review.png"), full_page=True)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.screenshot(path=str(shot_dir / "review-print.png"), full_page=True)
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 420, "height": 900})
    page.screenshot(path=str(shot_dir / "review-narrow.png"), full_page=True)
    assert (shot_dir / "review.png").stat().st_size > 10_000
    page.close()


@needs_chromium
def test_install_script_is_quick_when_chromium_is_present():
    result = subprocess.run(["sh", str(SCRIPT)], check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "already installed" in result.stdout


@pytest.mark.parametrize(
    "uid, has_apt, expected",
    [
        (0, False, "apt-get not found"),  # not Debian
        (1000, True, "not root and no passwordless sudo"),
        (0, True, "apt-get update failed"),  # offline archive: a stub apt-get that fails
    ],
)
def test_install_script_exits_0_with_a_reason_when_it_cannot_install(tmp_path, uid, has_apt, expected):
    sh = shutil.which("sh")
    if not sh:
        pytest.skip("no sh")
    stubs = tmp_path / "bin"
    stubs.mkdir()
    (stubs / "id").write_text(f"#!{sh}\necho {uid}\n")
    if has_apt:
        (stubs / "apt-get").write_text(f"#!{sh}\nexit 100\n")
    for stub in stubs.iterdir():
        stub.chmod(0o755)
    env = {"PATH": str(stubs), "CHROMIUM": str(tmp_path / "no-chromium")}
    result = subprocess.run(
        [sh, str(SCRIPT)], check=False, capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 0
    assert expected in result.stderr
