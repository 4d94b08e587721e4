"""Syndicated copies: which releases are one release (duplicate_of), in summarize, batch and --resume."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli
from releases import COPIES, DIFFERENT, FOLLOW_UP, ORIGINAL, SAME_TOPIC

import ringkas
from ringkas.cli.options import DUPLICATE_THRESHOLD
from ringkas.io.jsonl import dumps
from ringkas.run.duplicates import (DEFAULT_THRESHOLD, DuplicateIndex, Match, mark_line, shingles, signature)

ROOT = Path(__file__).resolve().parents[1]


def marks(texts: list[str], **options: object) -> list[tuple[str | None, int | None]]:
    records = list(ringkas.process_many([{"text": t, "id": f"r{i}"} for i, t in enumerate(texts)],
                                        translate=False, **options))
    return [(r["duplicate_of"], r["duplicate_similarity"]) for r in records]


@pytest.mark.parametrize("name", list(COPIES))
def test_a_copy_is_found(name: str) -> None:
    (first, copy) = marks([ORIGINAL, COPIES[name]])
    assert first == (None, None)
    assert copy[0] == "r0" and 60 <= copy[1] <= 100


@pytest.mark.parametrize("name", list(DIFFERENT))
def test_another_release_of_the_same_office_is_not_a_copy(name: str) -> None:
    assert marks([ORIGINAL, DIFFERENT[name]]) == [(None, None), (None, None)]


def test_an_exact_copy_scores_100_and_every_copy_joins_the_first_record() -> None:
    texts = [ORIGINAL, FOLLOW_UP, *COPIES.values(), SAME_TOPIC, FOLLOW_UP]
    got = marks(texts)
    assert got[0] == got[1] == got[-2] == (None, None)
    assert [of for of, _ in got[2:-2]] == ["r0"] * len(COPIES)
    assert got[2] == ("r0", 100) and got[-1] == ("r1", 100)


@pytest.mark.parametrize("threshold, expected", [
    (0, [None, None, None]),  # off
    (0.99, [None, "r0", None]),  # only the exact copy
    (DEFAULT_THRESHOLD, [None, "r0", "r0"]),
])
def test_the_threshold(threshold: float, expected: list[str | None]) -> None:
    got = marks([ORIGINAL, COPIES["exact copy"], COPIES["a changed paragraph"]], duplicate_threshold=threshold)
    assert [of for of, _ in got] == expected


def test_a_copy_of_a_copy_joins_the_first_record_of_the_group() -> None:
    index = DuplicateIndex()
    sig = [signature(ringkas.process(t, translate=False)["text"]) for t in
           (ORIGINAL, COPIES["a cut paragraph"], COPIES["an added paragraph"])]
    assert index.add("a", sig[0]) is None
    assert index.add("b", sig[1]) == Match("a", index.match(sig[1]).similarity)  # type: ignore[union-attr]
    found = index.add("c", sig[2])
    assert found is not None and found.of == "a" and len(index) == 1  # only first records are indexed


@pytest.mark.parametrize("text, expected", [
    ("", set()),
    ("Bupati hadir.", {b"bupati hadir"}),
    ("Satu dua tiga empat lima", {b"satu dua tiga empat lima"}),
    ("Satu dua, TIGA empat lima enam!", {b"satu dua tiga empat lima", b"dua tiga empat lima enam"}),
    ("— ... !", set()),
])
def test_shingles(text: str, expected: set[bytes]) -> None:
    assert shingles(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "— ... !", None])
def test_no_words_no_signature(text: str | None) -> None:
    assert signature(text) is None


def test_mark_line_writes_what_the_serialiser_writes() -> None:
    record = ringkas.process(ORIGINAL, translate=False)
    line = dumps(record)
    assert mark_line(line, None) == line
    record.update(duplicate_of="abc\"def", duplicate_similarity=87)
    assert mark_line(line, Match("abc\"def", 87)) == dumps(record)
    with pytest.raises(ValueError, match="must end with the duplicate fields"):
        mark_line('{"id":"x"}', Match("y", 90))


def test_the_command_line_and_options_defaults_are_the_library_default() -> None:
    assert DUPLICATE_THRESHOLD == DEFAULT_THRESHOLD == ringkas.Options().duplicate_threshold


# -- batch, --resume ------------------------------------------------------------------------------


def archive(folder: Path) -> Path:
    folder.mkdir()
    texts = [ORIGINAL, FOLLOW_UP, *COPIES.values(), SAME_TOPIC]
    for i, text in enumerate(texts * 3):  # 27 documents: exact repeats under other names, and a day changed
        (folder / f"rilis-{i:02d}.txt").write_text(text.replace("Rabu", "Rabu" if i < 9 else "Kamis"), encoding="utf-8")
    return folder


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_batch_marks_what_summarize_marks(tmp_path: Path) -> None:
    folder = archive(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    result = run_cli(["-q", "batch", str(folder), "-o", str(out), "--workers", "1", "--no-translate"])
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == run_cli(["-q", "summarize", str(folder), "--no-translate"]).stdout
    records = lines_of(out)
    assert sum(r["duplicate_of"] is None for r in records) == 3  # original, follow-up, same topic ("Kamis": copies)
    assert {r["duplicate_of"] for r in records[1:9]} == {None, records[0]["id"]}


@pytest.mark.parametrize("kept", [0, 1, 5, 12, 26])
def test_resume_rebuilds_the_index_from_the_output(tmp_path: Path, kept: int) -> None:
    folder = archive(tmp_path / "in")
    clean, out = tmp_path / "clean.jsonl", tmp_path / "out.jsonl"
    argv = ["-q", "batch", str(folder), "--workers", "1", "--no-translate"]
    assert run_cli([*argv, "-o", str(clean)]).exit_code == 0
    lines = clean.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:kept]))  # a run stopped after `kept` records
    assert run_cli([*argv, "-o", str(out), "--resume"]).exit_code == 0
    assert out.read_bytes() == clean.read_bytes()


@pytest.mark.slow
def test_two_workers_mark_what_one_marks(tmp_path: Path) -> None:
    folder = archive(tmp_path / "in")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    for out, workers in ((one, "1"), (two, "2")):
        assert run_cli(["-q", "batch", str(folder), "-o", str(out), "--workers", workers,
                        "--no-translate"]).exit_code == 0
    assert two.read_bytes() == one.read_bytes()


# -- start-up ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("documents, imported", [
    (1, []),
    (2, ["datasketch", "numpy", "scipy"]),  # the second document brings in MinHash LSH
])
def test_datasketch_comes_only_with_a_second_document(tmp_path: Path, documents: int, imported: list[str]) -> None:
    inputs = [str(tmp_path / f"{i}.txt") for i in range(documents)]
    for path, text in zip(inputs, (ORIGINAL, FOLLOW_UP), strict=False):
        Path(path).write_text(text, encoding="utf-8")
    code = ("import sys\nfrom ringkas.cli import main\n"
            "try:\n    main(['-q', 'summarize', '--no-translate', *sys.argv[1:]])\n"
            "except SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
            "print(sorted(m for m in ('datasketch', 'numpy', 'scipy', 'sqlite3', 'platformdirs') if m in sys.modules),"
            " file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code, *inputs], capture_output=True, text=True, check=False,
                            cwd=ROOT, env={"RINGKAS_MODELS": "/nonexistent", "PATH": "/usr/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1] == str(imported)


# -- the review page ----------------------------------------------------------------------------------


def _page_records() -> list[dict]:
    texts = [ORIGINAL, FOLLOW_UP, COPIES["a cut paragraph"], COPIES["exact copy"]]
    return list(ringkas.process_many(texts, translate=False))


def test_the_review_page_links_copies_both_ways_and_groups_them() -> None:
    from ringkas.review.render import render_records

    records = _page_records()
    html = render_records(records)
    assert html.count('<dt>Copy of</dt>') == 2 and html.count('<dt>Copies</dt>') == 1
    assert '<a href="#r3">record 3</a>' in html and '<a href="#r1">Blitar' in html
    order = [int(n) for n in re.findall(r"Record (\d+) of 4", html)]
    assert order == [1, 2, 3, 4]
    grouped = [int(n) for n in re.findall(r"Record (\d+) of 4", render_records(records, group=True))]
    assert grouped == [1, 3, 4, 2]


@pytest.mark.parametrize("duplicate_of, similarity, shown", [
    ("nobody", 80, "<code>nobody</code> (80% similar)"),  # no such record on the page: no link
    ("<script>x</script>", None, "<code>&lt;script&gt;x&lt;/script&gt;</code></dd>"),
    (17, 80, None),  # not an id: nothing shown
    ("", 80, None),
])
def test_a_bad_duplicate_of_is_shown_as_text_or_not_at_all(duplicate_of: object, similarity: object,
                                                           shown: str | None) -> None:
    from ringkas.review.render import render_records

    record = dict(_page_records()[1], duplicate_of=duplicate_of, duplicate_similarity=similarity)
    html = render_records([record])
    assert (shown in html) if shown else ("<dt>Copy of</dt>" not in html)


def test_render_group_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text("".join(dumps(r) + "\n" for r in _page_records()), encoding="utf-8")
    result = run_cli(["render", str(path), "--group"])
    assert result.exit_code == 0, result.stderr
    assert [int(n) for n in re.findall(r"Record (\d+) of 4", result.stdout)] == [1, 3, 4, 2]
