#!/usr/bin/env bash
# One command for a Linux machine with an NVIDIA GPU: the training step through WebGPU in headless
# Chromium on the real GPU (Vulkan), with step time, tokens/s and the fraction of the GPU's FP32
# peak (bench/gpu.ts; bench/README.md). Installs Chromium (and the Vulkan loader) with apt when
# missing, and the npm packages when node_modules is absent. Stops after 8 minutes in all.
#
#   bench/gpu.sh                      # T5 v1.1 small shape, batch 32, 128 input tokens, prompt 100
#   bench/gpu.sh --shape=8,64,20      # another batch, input length, prompt length
#   bench/gpu.sh --dry-run            # no GPU needed: WebGPU on SwiftShader, a tiny shape (plumbing only)
#   GPU_PEAK_TFLOPS=40 bench/gpu.sh   # a GPU the table does not know
set -euo pipefail
cd "$(dirname "$0")/.."

LIMIT_S=${GPU_BENCH_LIMIT_S:-480}
dry_run=false
for arg in "$@"; do [[ $arg == --dry-run ]] && dry_run=true; done

say() { printf 'bench/gpu.sh: %s\n' "$*" >&2; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    say "needs root to run: $*"; exit 1
  fi
}

if ! $dry_run; then
  if ! command -v nvidia-smi >/dev/null; then
    say "nvidia-smi not found: this script is for a machine with an NVIDIA GPU and its driver (or use --dry-run)."
    exit 1
  fi
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >&2
fi

command -v node >/dev/null || { say "Node.js 20 or later is needed (https://nodejs.org, or apt-get install nodejs npm)."; exit 1; }

# Chromium: CHROMIUM_PATH, else the usual places (tools/chromium.ts), else Debian/Ubuntu's package.
if [[ -z ${CHROMIUM_PATH:-} ]] && ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null \
  && ! command -v google-chrome >/dev/null && ! command -v google-chrome-stable >/dev/null; then
  if command -v apt-get >/dev/null; then
    say "installing chromium with apt-get"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-browser
  else
    say "no Chromium found and no apt-get: install Chrome or Chromium, or set CHROMIUM_PATH."
    exit 1
  fi
fi

# WebGPU on Linux goes through Vulkan: the loader, and the NVIDIA driver's ICD that it loads.
if ! $dry_run; then
  if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1' && command -v apt-get >/dev/null; then
    say "installing the Vulkan loader (libvulkan1) with apt-get"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libvulkan1
  fi
  if ! ls /usr/share/vulkan/icd.d/nvidia_icd*.json /etc/vulkan/icd.d/nvidia_icd*.json >/dev/null 2>&1; then
    say "warning: no NVIDIA Vulkan ICD (nvidia_icd.json) found; Chromium may fall back to SwiftShader. Install the driver's Vulkan part (e.g. libnvidia-gl-<version>)."
  fi
fi

[[ -d node_modules ]] || { say "installing npm packages (npm ci)"; npm ci --no-audit --no-fund; }

exec timeout --kill-after=10 "$LIMIT_S" npx tsx bench/gpu.ts "$@"
