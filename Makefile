# The two commands a fresh machine needs: `make run` and `make test`. Both set everything up.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# torch: the CPU build where there is no NVIDIA GPU (scripts/install-torch.sh says how).
TORCH_SPEC ?= torch==2.13.0
EXTRAS ?= models,ct2,ray,eval,dev
STAMP := $(VENV)/.ringkas-installed
SAMPLE ?= samples/kabupaten-tulungagung-posyandu.txt

.PHONY: install run test lint bench eval clean

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	bash scripts/install-torch.sh $(PY) '$(TORCH_SPEC)'
	$(PIP) install --quiet -e '.[$(EXTRAS)]'
	-bash scripts/install-chromium.sh
	touch $(STAMP)

run: install
	$(VENV)/bin/ringkas summarize $(SAMPLE) | $(PY) -m json.tool --no-ensure-ascii

test: install
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy

bench: install
	$(PY) benchmarks/bench_pipeline.py
	$(PY) benchmarks/bench_batch.py
	$(PY) benchmarks/bench_translate.py
	$(PY) benchmarks/bench_greedy.py

eval: install
	$(PY) benchmarks/eval_pfsa.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info src/*.egg-info
