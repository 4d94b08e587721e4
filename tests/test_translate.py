"""Translation and abstractive-summary stages: alignment, reuse, clause splitting, chunking."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from ringkas.summary.abstractive import pack, summarize_articles
from ringkas.text.clauses import split_to_fit
from ringkas.text.sentences import split_paragraphs, split_sentences
from ringkas.models.translate import paragraph_segments, translate_articles
from ringkas.types import Article, Quote, Summary

RELEASE = (
    "Bupati Blitar, Rini Syarifah, menghadiri Rapat Koordinasi Daerah Dekranasda, Sabtu (24/12/22). "
    "Rakorda itu dihadiri Ketua Dekranasda Provinsi Jawa Timur.\n\n"
    "Kegiatan tersebut juga mengadakan sosialisasi dan bimbingan teknis, pelatihan kapasitas sumber daya "
    "manusia sentra industri kendang dan catur, pelatihan batik sutra di Universitas Ciputra Surabaya, "
    "serta uji kompetensi batik yang diikuti para pengrajin dari seluruh kecamatan di Kabupaten Blitar.\n\n"
    "“Dekranasda hadir sebagai wadah yang memberikan dukungan penuh kepada pengrajin,” ujar Rini."
)
OTHER = "Polisi menangkap dua orang tersangka pencurian.\n\nWarga berharap jalan segera diperbaiki."


def make_article(text: str) -> Article:
    """An Article with the lead's paragraph and sentence spans (no cleaning needed for these texts)."""
    paragraphs = split_paragraphs(text)
    return Article(text=text, paragraphs=tuple(paragraphs), sentences=tuple(split_sentences(text, paragraphs)))


def words_fit(limit: int):
    """A ``fits`` that allows at most ``limit`` words."""
    return lambda text: len(text.split()) <= limit


class EchoModel:
    """A fake model: 'translates' by echoing, and records what it was asked, to test the stages."""

    id = "echo@1"

    def __init__(self, limit: int = 1000, summary_words: int | None = None):
        self.limit, self.summary_words, self.calls = limit, summary_words, []

    def fits(self, text: str) -> bool:
        return len(text.split()) <= self.limit

    def generate(self, texts: Sequence[str]) -> list[str]:
        self.calls.append(list(texts))
        assert all(self.fits(t) for t in texts), "a text over the model's limit reached generate"
        if self.summary_words:
            return [" ".join(t.split()[: self.summary_words]) for t in texts]
        return [t.upper() for t in texts]


def words(text: str) -> list[str]:
    return text.split()


# -- clause splitting ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, limit, expected",
    [
        ("Rapat itu dihadiri bupati.", 10, ["Rapat itu dihadiri bupati."]),  # fits: never cut
        ("", 3, []),
        ("   ", 3, []),
        ("Ia datang ke rapat; ia pulang sore hari.", 5, ["Ia datang ke rapat;", "ia pulang sore hari."]),
        ("Ia membeli beras, gula, dan kopi di pasar.", 5, ["Ia membeli beras, gula,", "dan kopi di pasar."]),
        # no punctuation: cut before a clause word, not in the middle of a phrase
        ("Warga berharap jalan diperbaiki karena sering terjadi kecelakaan", 5,
         ["Warga berharap jalan diperbaiki", "karena sering terjadi kecelakaan"]),
        # a comma is preferred over a clause word even off-centre
        ("Menurut dia, harga beras yang dijual di pasar akan turun", 8,
         ["Menurut dia,", "harga beras yang dijual di pasar akan turun"]),
        # a clause word wins over the middle; "dandang" starts with "dan" but is no clause word
        ("Ibu memasak dan nasi besar pagi ini", 4, ["Ibu memasak", "dan nasi besar", "pagi ini"]),
        ("Ibu memasak dandang nasi besar pagi ini", 4, ["Ibu memasak dandang", "nasi besar pagi ini"]),
    ],
)
def test_split_to_fit(text: str, limit: int, expected: list[str]) -> None:
    assert [text[s:e] for s, e in split_to_fit(text, words_fit(limit))] == expected


def test_split_to_fit_cuts_a_word_longer_than_the_limit() -> None:
    text = "lihat https://example.org/" + "a" * 60
    pieces = [text[s:e] for s, e in split_to_fit(text, lambda t: len(t) <= 20)]
    assert all(len(p) <= 20 for p in pieces) and "".join(pieces) == text.replace(" ", "")


def test_split_with_the_real_tokenizer_covers_every_word(tiny_marian) -> None:
    sentence = make_article(RELEASE).sentences[2]
    text = RELEASE[sentence[0]:sentence[1]]
    assert not tiny_marian.fits(text)  # the case under test: longer than the model's 32 tokens
    pieces = [text[s:e] for s, e in split_to_fit(text, tiny_marian.fits)]
    assert len(pieces) > 1
    assert all(tiny_marian.fits(p) for p in pieces)
    assert [w for p in pieces for w in words(p)] == words(text)  # nothing dropped, nothing truncated


# -- alignment -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, paragraphs, sentences, expected",
    [
        ("A b. C d.", [(0, 9)], [(0, 4), (5, 9)], [["A b.", "C d."]]),
        ("A b. C d.", [(0, 9)], [], [["A b. C d."]]),  # no sentences: the paragraph is one segment
        ("A b. C d.", [(0, 9)], [(0, 4)], [["A b.", "C d."]]),  # text the splitter missed is kept
        ("A b.\n\nC d.", [(0, 4), (6, 10)], [(0, 4), (6, 10)], [["A b."], ["C d."]]),
        ("A b.\n\n", [(0, 4), (6, 6)], [(0, 4)], [["A b."], []]),  # an empty paragraph stays aligned
    ],
)
def test_paragraph_segments(text, paragraphs, sentences, expected) -> None:
    article = Article(text=text, paragraphs=tuple(paragraphs), sentences=tuple(sentences))
    assert [[text[s:e] for s, e in para] for para in paragraph_segments(article)] == expected


def _summary(article: Article, *indices: int) -> Summary:
    spans = tuple(article.sentences[i] for i in indices)
    return Summary("extractive-bm25-lead", " ".join(article.text[s:e] for s, e in spans), spans)


def test_translation_keeps_paragraphs_and_covers_every_word() -> None:
    article = make_article(RELEASE)
    model = EchoModel(limit=12)
    (tr,) = translate_articles([(article, _summary(article, 0), ())], model)
    assert len(tr.paragraphs) == len(article.paragraphs)
    for (s, e), english in zip(article.paragraphs, tr.paragraphs, strict=True):
        assert words(english) == words(article.text[s:e].upper())
    assert tr.model == "echo@1" and len(model.calls) == 1


def test_summary_and_quotes_reuse_sentence_translations() -> None:
    article = make_article(RELEASE)
    last = article.sentences[-1]
    quote_inside = RELEASE.index("Dekranasda hadir")
    quotes = (
        Quote("direct", last[0], last[1], RELEASE[last[0]:last[1]], "ujar", None),  # a whole sentence
        Quote("direct", quote_inside, quote_inside + 16, "Dekranasda hadir", "ujar", None),  # inside one
        Quote("indirect", article.sentences[0][0], article.sentences[1][1],  # two whole sentences
              RELEASE[article.sentences[0][0]:article.sentences[1][1]], None, None),
    )
    model = EchoModel()
    (tr,) = translate_articles([(article, _summary(article, 0, 1), quotes)], model)
    requested = model.calls[0]
    assert "Dekranasda hadir" in requested  # the quote inside a sentence is translated itself
    assert len(requested) == len(article.sentences) + 1  # everything else is reused
    assert tr.summary == tr.paragraphs[0]
    assert tr.quotes == (tr.paragraphs[-1], "DEKRANASDA HADIR", tr.paragraphs[0])


def test_abstractive_summary_is_translated_sentence_by_sentence() -> None:
    article = make_article(OTHER)
    summary = Summary("model:x@1", "Dua tersangka ditangkap. Jalan akan diperbaiki.", (), "x@1")
    model = EchoModel()
    (tr,) = translate_articles([(article, summary, ())], model)
    assert tr.summary == "DUA TERSANGKA DITANGKAP. JALAN AKAN DIPERBAIKI."
    assert {"Dua tersangka ditangkap.", "Jalan akan diperbaiki."} <= set(model.calls[0])


def test_many_articles_go_in_one_call_and_duplicates_once() -> None:
    a, b = make_article(RELEASE), make_article(OTHER)
    model = EchoModel()
    together = translate_articles([(a, _summary(a, 0), ()), (b, _summary(b, 0), ()), (b, _summary(b, 1), ())],
                                  model)
    assert len(model.calls) == 1
    assert len(model.calls[0]) == len(a.sentences) + len(b.sentences)
    assert together[1].paragraphs == together[2].paragraphs


def test_tiny_marian_translation_is_aligned_and_batch_independent(tiny_marian) -> None:
    a, b = make_article(RELEASE), make_article(OTHER)
    items = [(a, _summary(a, 0), ()), (b, _summary(b, 1), ())]
    together = translate_articles(items, tiny_marian)
    alone = [translate_articles([item], tiny_marian)[0] for item in items]
    assert together == alone
    for article, tr in zip((a, b), together, strict=True):
        assert len(tr.paragraphs) == len(article.paragraphs) and all(tr.paragraphs)
        assert tr.model == tiny_marian.id == "model@local greedy"


def test_empty_article() -> None:
    article = Article(text="", paragraphs=(), sentences=())
    (tr,) = translate_articles([(article, Summary("extractive-bm25-lead", "", ()), ())], EchoModel())
    assert (tr.paragraphs, tr.summary, tr.quotes, tr.en) == ((), None, (), "")


# -- abstractive summary ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "units, limit, expected",
    [
        (["a b", "c d", "e"], 10, ["a b c d e"]),
        (["a b", "c d", "e"], 4, ["a b c d", "e"]),
        (["a b c", "d e f"], 3, ["a b c", "d e f"]),  # never joined past the limit
        ([], 3, []),
    ],
)
def test_pack(units, limit, expected) -> None:
    assert pack(units, EchoModel(limit=limit)) == expected


def test_short_article_is_summarised_in_one_call() -> None:
    model = EchoModel(limit=1000, summary_words=4)
    (summary,) = summarize_articles([make_article(OTHER)], model)
    assert model.calls == [[" ".join(words(OTHER))]]
    assert summary.text == "Polisi menangkap dua orang"
    assert (summary.method, summary.model, summary.sentences) == ("model:echo@1", "echo@1", ())


def test_long_article_is_summarised_in_chunks_then_combined() -> None:
    model = EchoModel(limit=12, summary_words=3)
    long, short = make_article(RELEASE), make_article(OTHER)
    summaries = summarize_articles([long, short, Article("", (), ())], model)
    first_round = model.calls[0]
    assert len(first_round) > 3  # the long release did not fit: several chunks (plus the short one)
    assert [w for chunk in first_round[:-1] for w in words(chunk)] == words(RELEASE)  # all of it read
    assert len(model.calls) >= 2  # chunk summaries were combined in a further round
    assert summaries[0].text == "Bupati Blitar, Rini"  # the summary of the chunk summaries
    assert summaries[1].text == "Polisi menangkap dua"
    assert summaries[2].text == ""


def test_tiny_t5_summary_names_the_model(tiny_t5) -> None:
    articles = [make_article(RELEASE), make_article(OTHER)]
    summaries = summarize_articles(articles, tiny_t5)
    assert [s.method for s in summaries] == ["model:model@local greedy"] * 2
    assert all(s.text for s in summaries)
