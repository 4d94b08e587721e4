"""Tests of the PFSA-ID reader and scorer on a tiny snippet written here (not the corpus)."""

from __future__ import annotations

import pytest

from ringkas.eval.pfsa import parse_sentences, read_pfsa, rebuild_article, score, speaker_matches, split_articles
from ringkas.types import Mention, Quote, QuoteResult, Speaker

# Two articles in the corpus format. The first one's quote has its opening mark left at the end of
# the sentence before it, as the corpus's splitter did; its second quote is spoken by "Ia".
SNIPPET = """\
JAKARTA\tO
,\tO
KOMPAS\tO
—\tO
Bupati\tB-ROLE
Blitar\tL-AFFILIATION
Rini\tB-PERSON
Syarifah\tL-PERSON
hadir\tO
(\tO
8\tO
/\tO
3\tO
/\tO
2022\tO
)\tO
.\tO
”\tB-STATEMENT

Kami\tI-STATEMENT
siap\tI-STATEMENT
bekerja\tI-STATEMENT
.\tI-STATEMENT

Covid\tI-STATEMENT
-\tI-STATEMENT
19\tI-STATEMENT
harus\tI-STATEMENT
selesai\tI-STATEMENT
,\tI-STATEMENT
”\tL-STATEMENT
kata\tU-CUE
Rini\tU-PERSONCOREF
.\tO

Ia\tU-PERSONCOREF
menambahkan\tO
hal\tO
lain\tO
.\tO
”\tB-STATEMENT

Semua\tI-STATEMENT
lancar\tI-STATEMENT
,\tI-STATEMENT
”\tL-STATEMENT
ujarnya\tU-CUECOREF
.\tO

MALANG\tO
,\tO
KOMPAS\tO
—\tO
Presiden\tO
hadir\tO
.\tO
”\tB-STATEMENT

Harga\tI-STATEMENT
stabil\tI-STATEMENT
,\tI-STATEMENT
”\tL-STATEMENT
kata\tU-CUE
Presiden\tU-PERSONCOREF
.\tO
"""


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    path = tmp_path_factory.mktemp("pfsa") / "snippet.txt"
    path.write_text(SNIPPET, encoding="utf-8")
    return read_pfsa(str(path))


def test_articles_are_split_at_the_kompas_line():
    assert len(split_articles(parse_sentences(SNIPPET.splitlines()))) == 2


def test_rebuilt_text(articles):
    assert articles[0].text == (
        "JAKARTA, KOMPAS — Bupati Blitar Rini Syarifah hadir (8/3/2022).\n\n"
        "”Kami siap bekerja. Covid-19 harus selesai,” kata Rini.\n\n"
        "Ia menambahkan hal lain.\n\n"
        "”Semua lancar,” ujarnya."
    )
    spans = [articles[0].text[s:e] for s, e in articles[0].paragraphs]
    assert spans == articles[0].text.split("\n\n")


def test_gold_statements_and_speakers(articles):
    art = articles[0]
    texts = [art.text[g.start : g.end] for g in art.statements]
    assert texts == ["”Kami siap bekerja. Covid-19 harus selesai,”", "”Semua lancar,”"]
    # the mention after the quote; a pronoun gold ("Ia") means the person named before it
    assert [g.speaker for g in art.statements] == ["Rini", "Rini"]
    assert [g.speaker for g in articles[1].statements] == ["Presiden"]


def _quote(
    text: str, inner: str, name: str | None, role: str | None = None, mention: str | None = None
) -> Quote:
    start = text.index(inner)
    m = Mention(mention, 0, len(mention)) if mention else None
    return Quote("direct", start, start + len(inner), inner, "kata", Speaker(name, role, None, m, "named", 0))


@pytest.mark.parametrize(
    ("inner", "name", "matched", "right"),
    [
        ("Kami siap bekerja. Covid-19 harus selesai,", "Rini Syarifah", 1, 1),  # exact
        ("Covid-19 harus selesai,", "Rini Syarifah", 0, 0),  # 3 of 6 words: under 60%
        ("Kami siap bekerja. Covid-19 harus", "Rini Syarifah", 1, 1),  # 5 of 6 words
        ("Kami siap bekerja. Covid-19 harus selesai,", "Hendro", 1, 0),  # wrong speaker
        ("Kami siap bekerja. Covid-19 harus selesai,", None, 1, 0),  # no speaker
    ],
)
def test_score_first_quote(articles, inner, name, matched, right):
    art = articles[0]

    def extract(text, paragraphs):
        return QuoteResult((_quote(text, inner, name),))

    s = score([art], extract)
    assert (s.gold, s.predicted, s.matched, s.speaker_right) == (2, 1, matched, right)


def test_score_is_one_to_one(articles):
    art = articles[0]

    def extract(text, paragraphs):
        q = _quote(text, "Semua lancar,", "Rini Syarifah")
        return QuoteResult((q, q))

    s = score([art], extract)
    assert (s.predicted, s.matched) == (2, 1)
    assert s.precision == 0.5 and s.recall == 0.5 and s.f1 == 0.5


@pytest.mark.parametrize(
    ("gold", "name", "role", "mention", "ok"),
    [
        ("Rini", "Rini Syarifah", None, "Rini", True),
        ("Kombes Yusri Yunus", "Yusri Yunus", None, None, True),  # the rank is no name word
        ("Kombes Yusri Yunus", "Budi Santoso", "Kombes", None, False),
        ("Presiden", "Joko Widodo", "Presiden", "Presiden", True),  # role-only gold
        ("Presiden", "Joko Widodo", "Bupati", "Joko", False),
    ],
)
def test_speaker_matches(gold, name, role, mention, ok):
    assert speaker_matches(gold, name, role, mention) is ok


def test_rebuild_moves_only_an_opening_mark():
    # a closing mark after the full stop stays where it is
    sentences = [[("”", "B-STATEMENT"), ("Ya", "I-STATEMENT"), (".", "I-STATEMENT"), ("”", "L-STATEMENT")]]
    art = rebuild_article(sentences)
    assert art.text == "”Ya.”"
    assert art.text[art.statements[0].start : art.statements[0].end] == "”Ya.”"


def test_eval_command_reports_scores(tmp_path):
    from conftest import run_cli

    path = tmp_path / "mini.txt"
    path.write_text(SNIPPET, encoding="utf-8")
    result = run_cli(["eval", "pfsa", str(path)])
    assert result.exit_code == 0
    report = result.stdout
    assert "direct quotes  P " in report and "speaker accuracy" in report
    assert run_cli(["eval", "pfsa", str(tmp_path / "missing.txt")]).exit_code == 2
