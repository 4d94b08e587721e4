#!/usr/bin/env bash
# Install torch into the given Python's environment, the CPU build where there is no NVIDIA GPU.
# PyPI's Linux wheel of torch is the CUDA build (about 5 GB with its libraries), so without a GPU
# the CPU build comes from PyTorch's own index, unless a wheel already lies on this machine
# (pip's find-links, as on the project's development machines), which pip then takes.
set -euo pipefail
py=${1:?usage: install-torch.sh PYTHON [SPEC]}
spec=${2:-torch==2.13.0}
cpu_index=${TORCH_CPU_INDEX:-https://download.pytorch.org/whl/cpu}

if "$py" -c "import torch" 2>/dev/null; then
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if command -v nvidia-smi >/dev/null 2>&1 \
   || "$py" -m pip download --quiet --no-deps --no-index --dest "$tmp" "$spec" >/dev/null 2>&1; then
  "$py" -m pip install --quiet "$spec"
else
  echo "install-torch: no NVIDIA GPU: the CPU build of $spec from $cpu_index"
  "$py" -m pip install --quiet "$spec" --index-url "$cpu_index"
fi
