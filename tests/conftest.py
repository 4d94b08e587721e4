"""Shared pytest fixtures. Each group of fixtures is marked by the feature that owns it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# -- tiny seq2seq models (translation, abstractive summary) ----------------------------------
#
# Random-weight Marian and T5 models with real tokenizers, built locally from SentencePiece
# trained on Indonesian text: no download, no committed weights, well under two seconds.

TINY_MODEL_MAX_TOKENS = 32  # small, so that sentence splitting and chunking are exercised

TINY_MODEL_TEXT = """\
Bupati Blitar menghadiri rapat koordinasi daerah Dekranasda di Kota Batu, Sabtu.
Kegiatan itu bertujuan memberikan laporan pelaksanaan program kerja tahun ini.
Pemerintah kabupaten mengadakan sosialisasi dan bimbingan teknis bagi para pengrajin.
"Dekranasda hadir sebagai wadah yang memberikan dukungan penuh kepada pengrajin," ujar Rini.
Ia meminta seluruh keluarga besar dekranasda menjadikan tema itu pelecut semangat.
Pelatihan batik sutra diadakan di Surabaya, tetapi uji kompetensi digelar di Blitar.
Menteri mengatakan bahwa harga beras akan turun karena panen raya sudah dimulai.
Warga berharap jalan yang rusak segera diperbaiki sehingga perjalanan menjadi lancar.
Kepala dinas kesehatan menyampaikan bahwa vaksinasi berjalan dengan baik dan aman.
Polisi menangkap dua orang tersangka pencurian sepeda motor di pasar kota.
"""


def _tiny_corpus() -> list[str]:
    """Lines of Indonesian text: the fixture's own and the repository's samples/*.txt (only files
    of the repository, so the tiny tokenizers are the same on every machine)."""
    lines = TINY_MODEL_TEXT.splitlines()
    for path in sorted((ROOT / "samples").glob("*.txt")):
        lines += path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line for line in lines if line.strip()]


def _train_sentencepiece(lines: list[str], vocab_size: int = 400, **ids: int) -> bytes:
    """A small unigram SentencePiece model trained on ``lines``, as bytes (the benchmark uses it too)."""
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=buf, vocab_size=vocab_size, model_type="unigram",
        character_coverage=1.0, hard_vocab_limit=False, minloglevel=2, num_threads=1, bos_id=-1, **ids,
    )
    return buf.getvalue()


def save_marian_tokenizer(folder: Path, proto: bytes, *, model_max_length: int, vocab_size: int | None = None) -> int:
    """Write a MarianTokenizer over SentencePiece ``proto`` into ``folder``; returns the vocabulary size.

    ``<pad>`` comes last, as in opus-mt (the decoder starts from it). With ``vocab_size`` the
    vocabulary is padded with filler pieces, never produced, up to that size (the benchmark's real shape).
    """
    import sentencepiece as spm
    from transformers import MarianTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    for name in ("source.spm", "target.spm"):
        (folder / name).write_bytes(proto)
    sp = spm.SentencePieceProcessor(model_proto=proto)
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    for i in range(len(vocab), (vocab_size or len(vocab) + 1) - 1):
        vocab[f"<filler{i}>"] = i
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    MarianTokenizer(vocab=str(folder / "vocab.json"), source_spm=str(folder / "source.spm"),
                    target_spm=str(folder / "target.spm"), model_max_length=model_max_length).save_pretrained(folder)
    return len(vocab)


def build_tiny_marian(folder: Path) -> Path:
    """Save a random-weight MarianMT model with a real MarianTokenizer into ``folder``."""
    import torch
    from transformers import MarianConfig, MarianMTModel

    proto = _train_sentencepiece(_tiny_corpus(), eos_id=0, unk_id=1, pad_id=-1)
    size = save_marian_tokenizer(folder, proto, model_max_length=TINY_MODEL_MAX_TOKENS)
    torch.manual_seed(0)
    config = MarianConfig(
        vocab_size=size, d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=64,
        pad_token_id=size - 1, eos_token_id=0, decoder_start_token_id=size - 1, init_std=0.5,
    )
    MarianMTModel(config).save_pretrained(folder)
    return folder


def build_tiny_t5(folder: Path) -> Path:
    """Save a random-weight T5 model with a real (SentencePiece unigram) T5Tokenizer into ``folder``."""
    import sentencepiece as spm
    import torch
    from transformers import T5Config, T5ForConditionalGeneration, T5Tokenizer

    folder.mkdir(parents=True, exist_ok=True)
    proto = _train_sentencepiece(_tiny_corpus(), pad_id=0, eos_id=1, unk_id=2)
    sp = spm.SentencePieceProcessor(model_proto=proto)
    pieces = [(sp.id_to_piece(i), sp.get_score(i)) for i in range(sp.get_piece_size())]
    T5Tokenizer(vocab=pieces, extra_ids=0, model_max_length=TINY_MODEL_MAX_TOKENS).save_pretrained(folder)
    torch.manual_seed(0)
    config = T5Config(
        vocab_size=len(pieces), d_model=32, d_kv=16, d_ff=64, num_layers=1, num_decoder_layers=1,
        num_heads=2, pad_token_id=0, eos_token_id=1, decoder_start_token_id=0, initializer_factor=5.0,
    )
    T5ForConditionalGeneration(config).save_pretrained(folder)
    return folder


def build_tiny_nllb(folder: Path) -> Path:
    """Save a random-weight M2M100 (NLLB) model with a character-level NllbTokenizer into ``folder``."""
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    chars = sorted(set("".join(_tiny_corpus())) - set(" \n"))
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for piece in ["▁", *chars, *("▁" + c for c in chars)]:
        vocab.setdefault(piece, len(vocab))
    tokenizer = NllbTokenizer(vocab=vocab, merges=[], model_max_length=TINY_MODEL_MAX_TOKENS * 4)
    tokenizer.save_pretrained(folder)  # the language codes (ind_Latn, eng_Latn, ...) come built in
    torch.manual_seed(0)
    config = M2M100Config(
        vocab_size=len(tokenizer), d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=256,
        pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2, init_std=0.5,
    )
    M2M100ForConditionalGeneration(config).save_pretrained(folder)
    return folder


@pytest.fixture()
def empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty model store that RINGKAS_MODELS points at."""
    root = tmp_path / "store"
    root.mkdir()
    monkeypatch.setenv("RINGKAS_MODELS", str(root))
    return root


@pytest.fixture(scope="session")
def tiny_nllb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of a tiny random NLLB (M2M100) translation model with NLLB's language codes."""
    return build_tiny_nllb(tmp_path_factory.mktemp("tiny-nllb") / "model")


@pytest.fixture(scope="session")
def tiny_marian_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of a tiny random MarianMT translation model (input limit TINY_MODEL_MAX_TOKENS)."""
    return build_tiny_marian(tmp_path_factory.mktemp("tiny-marian") / "model")


@pytest.fixture(scope="session")
def tiny_t5_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of a tiny random T5 summarisation model (input limit TINY_MODEL_MAX_TOKENS)."""
    return build_tiny_t5(tmp_path_factory.mktemp("tiny-t5") / "model")


@pytest.fixture(scope="session")
def tiny_marian(tiny_marian_dir: Path):
    """The tiny Marian model loaded on CPU (a ringkas.models.seq2seq.Seq2SeqModel)."""
    from ringkas.models.loader import load_model

    return load_model(tiny_marian_dir, task="translation", device="cpu")


@pytest.fixture(scope="session")
def tiny_t5(tiny_t5_dir: Path):
    """The tiny T5 model loaded on CPU as a summariser (a ringkas.models.seq2seq.Seq2SeqModel)."""
    from ringkas.models.loader import load_model

    return load_model(tiny_t5_dir, task="summarization", device="cpu")


# -- the translation cache -------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test its own user cache folder: no test reads another's translations, none writes ~/.cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


# -- the command line ------------------------------------------------------------------------


def run_cli(args: list[str], input=None, env: dict[str, str] | None = None, catch_exceptions: bool = False):
    """Run ``ringkas ARGS`` in this process through Click's CliRunner; a ``click.testing.Result``.

    ``result.stdout`` and ``result.stderr`` are kept apart (Click 8.2+), ``result.exit_code`` is the
    status the process would exit with. ``input`` is what stdin holds (bytes, text or a file object).
    An exception that escapes the command (only with ``--debug``) is raised, unless ``catch_exceptions``.
    """
    from click.testing import CliRunner

    from ringkas.cli.app import cli

    return CliRunner().invoke(cli, args, input=input, env=env, catch_exceptions=catch_exceptions,
                             prog_name="ringkas")
