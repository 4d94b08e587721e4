#!/usr/bin/env bash
# The model tests under the floor of the tested ranges in pyproject.toml (transformers 5.6.0,
# ctranslate2 4.8.2), in a venv of their own, so that CI checks both ends of each range: the main
# venv holds the newest versions the ranges admit.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${FLOOR_VENV:-.venv-floor}
test -x "$VENV/bin/python" || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
bash scripts/install-torch.sh "$VENV/bin/python" 'torch==2.13.0'
"$VENV/bin/python" -m pip install --quiet 'transformers==5.6.0' 'ctranslate2==4.8.2' -e '.[models,dev]'
"$VENV/bin/python" -c "import transformers, ctranslate2; print('floor: transformers', transformers.__version__, 'ctranslate2', ctranslate2.__version__)"
"$VENV/bin/python" -m pytest -q tests/test_greedy.py tests/test_beam.py tests/test_lanes.py tests/test_decoding.py tests/test_models.py tests/test_translate.py tests/test_ct2.py
