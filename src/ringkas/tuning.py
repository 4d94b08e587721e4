"""Tuning constants: batch sizes, row groups, chunk sizes and thread counts, set by measurement.

Unless a comment says otherwise, each value was measured on the project's 2-core AVX2 machine
(no AVX-512, no GPU) with opus-mt-id-en's shapes and random weights. The comment gives the reason
and the command that reruns the comparison; another machine may want other values: rerun it and
change the number here. GPU values are reasoned choices, not measurements (no GPU was available).
Code reads these as ``tuning.NAME`` when it needs them, so a benchmark or a test can set one.

This module imports nothing from ringkas (it sits below every layer).
"""

from __future__ import annotations

# -- batches of the seq2seq models (ringkas.models.seq2seq, both backends) --------------------

# Source tokens per batch. A backend that pads a batch as one block counts rows x longest; the
# greedy loop pads only within its length groups, so for it the budget counts real tokens, which
# bounds the cross-attention cache (24.6 KB a source token for opus-mt, 98 KB for NLLB-600M). More
# rows per batch means fewer reads of the output projection per token: 137 sentences in one batch
# (96-row decoder groups) 476 tok/s, in padded batches of <= 64 rows 407 (`python
# benchmarks/bench_greedy.py`: its first row against the others). GPU: twice the CPU budget, a choice.
TOKEN_BUDGET = {"cpu": 8192, "cuda": 16384}
MAX_BATCH = {"cpu": 256, "cuda": 256}
# Rows per batch on CPU when a model cannot use the greedy loop and ``generate`` decodes the whole
# batch padded to its longest source: wider batches pad more than they save. It is the setting
# of the first row of `python benchmarks/bench_greedy.py` (batches of <= 64 rows, padded budget).
GENERATE_MAX_BATCH_CPU = 64

# CTranslate2 on CPU re-reads the output projection (d_model x vocabulary) at every step, so longer
# batches pay off, at a cost in memory. Peak RSS and tokens/s of the ct2 row of
# `python benchmarks/bench_translate.py`, with these two values edited: 2048/64 369 MB 417/s;
# 4096/64 439 MB 615/s; 8192/128 531 MB 651/s. 4096/64 keeps most of the speed at a third less
# memory than 8192/128. On GPU, CTranslate2 takes TOKEN_BUDGET and MAX_BATCH["cuda"].
CT2_TOKEN_BUDGET_CPU = 4096
CT2_MAX_BATCH_CPU = 64
# One batch at a time comes from one caller, so one CTranslate2 worker holds every core as intra-op
# threads; more workers would only split the cores. Batch and thread settings all top out at
# 650-750 tok/s on this machine (`python benchmarks/bench_translate.py`, the ct2 row).
CT2_INTER_THREADS = 1

# -- the greedy loop (ringkas.models.greedy) -------------------------------------------------

# Rows per decoder group on CPU. Each group re-reads the decoder's weights every step (about
# 12 ms for opus-mt here), while a wider group pads cross-attention to a longer source:
# 64 rows 464 tok/s, 96 rows 476, 128 rows 474, median of 3 rounds over 137 sentences
# (`python benchmarks/bench_greedy.py`, which compares DECODER_ROWS_CPU=64,96,128).
DECODER_ROWS_CPU = 96
# On GPU a step's cost hardly depends on rows: one group takes up to this many (a choice).
DECODER_ROWS_GPU = 256
# Encoder sub-batches: padding is where the encoder's time goes, so they are small and
# length-tight; a row shorter than ENCODER_MIN_FILL of its sub-batch's longest starts a new one.
# Chosen, not measured one by one: `python benchmarks/bench_greedy.py --sweep ENCODER_ROWS=8,16,32`
# (or ENCODER_MIN_FILL=0.5,0.75,0.9) compares them.
ENCODER_ROWS = 16
ENCODER_MIN_FILL = 0.75
# Vocabulary rows per chunk of the output projection on CPU: [rows, 1024] logits stay in L2.
# 54,796 x 512 with 137 rows: 81 ms a step chunked, 141 ms for the whole product plus argmax
# (`python benchmarks/bench_greedy.py --sweep HEAD_CHUNK_CPU=1024,4096,65536` compares them in the
# whole loop). On GPU one chunk (the whole vocabulary) is best.
HEAD_CHUNK_CPU = 1024
# Rows that finished leave their group (the cache rows selected) once this share of the group is
# done: the copy costs about what a quarter of the rows' decoder steps saves.
# `python benchmarks/bench_greedy.py --sweep PRUNE_FINISHED_SHARE=0.1,0.25,0.5` compares them.
PRUNE_FINISHED_SHARE = 0.25

# On CPU with several threads, the loops run their independent pieces (decoder groups, head chunks,
# beam row blocks and bookkeeping) side by side, one thread each (ringkas.models.lanes),
# instead of splitting each small op over all threads: greedy loop 697 tok/s with two lanes against
# 604 with one (median of 3 rounds, `python benchmarks/bench_greedy.py --lanes`; two 64-row decoder
# groups alone: 39 ms a group's step side by side, 48 ms in turn). The encoder is not on lanes:
# its large products split well over intra-op threads (5.0 s against 5.3 s on lanes over 386
# IndoSum texts). False: torch's intra-op threads only, as before.
CPU_LANES = True
# On CPU the decoder attends with transformers' eager attention, the encoder with SDPA: torch's CPU
# SDPA kernel handles one query token a row poorly: greedy loop 720 tok/s eager against 678 with
# SDPA (median of 3 rounds, `python benchmarks/bench_greedy.py --attention`; a 64-row opus-mt
# decoder step 30.3-31.0 ms against 33.7-34.0). The encoder keeps SDPA: a 16-row sub-batch 185 ms
# with its flash kernel against 192 with the math one.
CPU_DECODER_EAGER_ATTENTION = True

# Beam search materialises the logits of this many rows x vocabulary entries at a time (64 MB of
# float32; opus-mt: 306 rows, NLLB: 65): one log_softmax and top-k over whole rows, where the
# greedy head reduces vocabulary chunks. Whole rows: 96 rows 60.6 ms a step against 75.3 chunked
# (2 threads; one thread 114 against 134); level at 192 rows, chunks ahead at 384
# (`python benchmarks/bench_greedy.py --beam-head`). The size is a choice of memory.
BEAM_LOGITS_ELEMENTS = 16 * 1024 * 1024

# -- small-row linears on CPU (ringkas.models.transformers_backend) --------------------------

# Up to this many rows, and for a multiple of FAST_LINEAR_ROW_MULTIPLE rows only, W @ x^T beats
# x @ W^T with MKL: 48 x 512 -> 2048 at 84 GFLOP/s instead of 78, 64 rows at 105 instead of 100; at
# other row counts it falls to 50-60 GFLOP/s while x @ W^T stays at 65-95. Above 96 rows the usual
# product is as fast or faster (`python benchmarks/bench_greedy.py --matmul`).
FAST_LINEAR_MAX_ROWS = 96
FAST_LINEAR_ROW_MULTIPLE = 16
# For the vocabulary projection the transposed product stays ahead up to hundreds of rows:
# 128 x 512 -> 54,796 in 50 ms instead of 91 (`python benchmarks/bench_greedy.py --matmul`).
FAST_LINEAR_MAX_ROWS_VOCAB = 512
# An output this wide is the vocabulary projection: its result is only added to and argmax-ed, so
# it stays in the transposed layout (a copy would cost what the faster product saved). A threshold
# between the widest hidden layer (4,096 for NLLB) and the smallest vocabulary, not a measurement.
FAST_LINEAR_VOCAB_WIDTH = 8192
# CPU decoder groups are cut at multiples of this many rows, where the kernels above are fastest.
DECODER_ROW_MULTIPLE_CPU = FAST_LINEAR_ROW_MULTIPLE

# -- ringkas batch (ringkas.run.units, ringkas.run.batch, ringkas.run.ray_engine) --------------

# Model-free documents per chunk sent to a worker process: big enough that pickling a chunk costs
# little beside about 2 ms of work a document, small enough that the workers stay balanced on
# small archives. A choice, checked by the 1- and 2-worker rows of `python benchmarks/bench_batch.py`
# (2 workers 1.55-1.72x the docs/s of one at 10,000 releases). Model runs use Options.chunk_docs.
BATCH_MODEL_FREE_CHUNK = 16
# Chunks per worker in flight: enough to keep every worker busy while the parent writes, and a
# bound, so that memory stays flat however large the archive is (the same peak RSS at 1,000 and
# 10,000 releases in `python benchmarks/bench_batch.py`). A choice.
BATCH_IN_FLIGHT_PER_WORKER = 2
# Units per Ray dataset: the driver holds one window of units (and their bytes) at a time, so its
# memory stays flat; each window starts its actors afresh (a wider one, less often). A choice, not
# measured (no cluster was available).
RAY_WINDOW = 20_000
