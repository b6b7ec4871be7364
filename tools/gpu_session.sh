#!/usr/bin/env bash
# One GPU session, prepared on the CPU: run it once on the GPU machine, from the repository root, with $OUT an
# empty output folder and the tree to compare against copied to .base/ (the same repository at an earlier commit):
#
#     OUT=/some/folder bash tools/gpu_session.sh
#
# Steps (each bounded by `timeout`, the whole run by a deadline of GPU_SESSION_SECONDS, default 470 s; a step
# that fails does not stop the others; the last lines printed are a summary):
#   versions  the GPU, driver, CUDA, CuPy, NumPy, PyTorch                                   -> versions.txt
#   smoke     the fused kernels and col2im's scatter on CuPy against NumPy (tests/engine/test_fused.py) -> twins.log
#   bench     python -m minigan.bench --backend cupy --compare torch --batch 256, the base tree and this one in
#             turn: all GPU workloads (base, new), then, after the twins, dcgan-bn-28 and dcgan-28 again
#                                                                         -> bench.log, bench.json (every run)
#   twins     the default suite's CuPy twins: pytest -k cupy -n 8                                  -> twins.log
#   lessons   the lessons on CuPy (MINIGAN_BACKEND=cupy), the fast settings of tests/product/test_demos.py -> lessons.log
#   random    tests/pytorch/random_programs.py --n 500 --backend cupy --against numpy, where it exists -> random_programs.log
#   suite     the whole default suite on the host's NumPy and PyTorch, in the time left, failures named live
#             (SUITE_SELECT: a -k expression to narrow it)                                         -> suite.log
#   summary   each step's exit status and time, the bench table                                   -> summary.txt
# At most these 8 files, all small (logs are cut to their last 400 lines).
#
# What it needs there: python3 at /opt/torch/.venv/bin/python3 (or $PY) with NumPy, CuPy, PyTorch for CUDA, pytest
# and pytest-xdist; minigan is not installed (PYTHONPATH points at the tree).  `DRY_RUN=1` on a machine without a GPU
# runs every step on NumPy instead (the bench on the CPU, the lessons on NumPy, the random programs on the strict
# stand-in against NumPy) to check the script; there, make the steps
# small with BENCH_BATCH, BENCH_REPEATS, BENCH_ALL, BENCH_TARGET, TWINS_SELECT, TWINS_PATHS, TWINS_WORKERS.
set -o pipefail
export PYTHONUNBUFFERED=1 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

: "${OUT:?set OUT to the output folder}"
mkdir -p "$OUT"
ROOT=$(pwd)
PY=${PY:-/opt/torch/.venv/bin/python3}
[ -x "$PY" ] || PY=$(command -v python3)
DEADLINE=$((SECONDS + ${GPU_SESSION_SECONDS:-470}))
DRY=${DRY_RUN:-0}
BACKEND=cupy
[ "$DRY" = 1 ] && BACKEND=numpy
SCRATCH=$(mktemp -d)
export OUT ROOT PY DRY BACKEND SCRATCH
export MINIGAN_CACHE="$SCRATCH/cache" MINIGAN_DEMO_OUT="$SCRATCH/lesson-out" MPLBACKEND=Agg
declare -a NAMES=() CODES=() TIMES=()

left() { echo $((DEADLINE - SECONDS)); }

# step NAME LIMIT LOG COMMAND...: run COMMAND with a timeout of LIMIT s (less if the deadline is nearer), its output
# appended to $OUT/LOG and shown; record its exit status (124: timed out; 125: skipped, no time left).
step() {
    local name=$1 limit=$2 log=$3 start=$SECONDS rc
    shift 3
    local budget
    budget=$(left)
    [ "$budget" -lt "$limit" ] && limit=$budget
    if [ "$limit" -lt 5 ]; then
        echo "== $name: skipped, no time left" | tee -a "$OUT/$log"
        rc=125
    else
        echo "== $name ($(date -u +%H:%M:%S), up to ${limit}s): $*" | tee -a "$OUT/$log"
        timeout --kill-after=5 "$limit" bash -c '"$@"' step "$@" 2>&1 | tee -a "$OUT/$log"  # (functions too)
        rc=$?
        echo "== $name: exit $rc after $((SECONDS - start))s" | tee -a "$OUT/$log"
    fi
    NAMES+=("$name") CODES+=("$rc") TIMES+=($((SECONDS - start)))
    return 0
}

# --------------------------------------------------------------------------------------------------- versions
versions() {
    nvidia-smi --query-gpu=name,memory.total,driver_version,compute_cap --format=csv 2>&1 || echo "no nvidia-smi"
    nvidia-smi 2>&1 | head -15
    "$PY" - <<'EOF'
import platform, sys
print("python", sys.version.split()[0], platform.platform())
import numpy
print("numpy", numpy.__version__)
try:
    import cupy
    print("cupy", cupy.__version__, "CUDA runtime", cupy.cuda.runtime.runtimeGetVersion(),
          "driver", cupy.cuda.runtime.driverGetVersion(), "devices", cupy.cuda.runtime.getDeviceCount())
    props = cupy.cuda.runtime.getDeviceProperties(0)
    print("device 0:", props["name"].decode() if isinstance(props["name"], bytes) else props["name"])
except Exception as e:
    print("cupy: not usable:", type(e).__name__, e)
try:
    import torch
    print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available(),
          "cudnn", torch.backends.cudnn.version())
except Exception as e:
    print("torch: not usable:", type(e).__name__, e)
import os
print("cpus", os.cpu_count())
EOF
    local base="none at .base/"
    if [ -e "$ROOT/.base/.git" ]; then base=$(git -C "$ROOT/.base" rev-parse --short HEAD 2>/dev/null)
    elif [ -f "$ROOT/.base/COMMIT" ]; then base=$(cat "$ROOT/.base/COMMIT")
    elif [ -d "$ROOT/.base/minigan" ]; then base="a copy (no .git, no COMMIT file)"; fi
    echo "tree: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'); base: $base"
}
export -f versions
step versions 40 versions.txt versions

# --------------------------------------------------------------------------------------------------- smoke
# The fused kernels compile here for the first time (NVRTC, a second or so each): a failure shows at once.
step smoke 90 twins.log env PYTHONPATH="$ROOT" "$PY" -m pytest -q -p no:cacheprovider tests/engine/test_fused.py \
    --tb=short

# --------------------------------------------------------------------------------------------------- bench
# Base and new in turn, twice: a drift of the machine hits both.  Round 1 all GPU workloads, round 2 the target.
BENCH_ALL=${BENCH_ALL:-"dcgan-bn-28 dcgan-28 mlp-mnist mlp-ring op_overhead conv"}
BENCH_TARGET=${BENCH_TARGET-"dcgan-bn-28 dcgan-28"}
export BENCH_BATCH=${BENCH_BATCH:-256} BENCH_REPEATS=${BENCH_REPEATS:-7}
bench() {  # bench TREE LABEL ONLY...
    local tree=$1 label=$2
    shift 2
    cd "$tree" && env PYTHONPATH="$tree" "$PY" -m minigan.bench --backend "$BACKEND" --compare torch \
        --batch "$BENCH_BATCH" --repeats "$BENCH_REPEATS" --json "$SCRATCH/bench_$label.json" --only "$@"
}
export -f bench
bench_round() {  # bench_round N LIMIT ONLY...: the base tree (when there is one), then this one
    local n=$1 limit=$2
    shift 2
    if [ -d "$ROOT/.base/minigan" ]; then
        step "bench-base-$n" "$limit" bench.log bench "$ROOT/.base" "base$n" "$@"
    else
        echo "no base tree at .base/: this tree only" | tee -a "$OUT/bench.log"
    fi
    step "bench-new-$n" "$limit" bench.log bench "$ROOT" "new$n" "$@"
}
collect_bench() {  # every run's JSON into one file
    "$PY" - "$SCRATCH" "$OUT/bench.json" <<'EOF'
import glob, json, os, sys
runs = {}
for path in sorted(glob.glob(os.path.join(sys.argv[1], "bench_*.json"))):
    try:
        runs[os.path.basename(path)[6:-5]] = json.load(open(path))
    except Exception as e:
        runs[os.path.basename(path)] = {"error": repr(e)}
json.dump(runs, open(sys.argv[2], "w"), indent=1)
EOF
}
# shellcheck disable=SC2086
bench_round 1 110 $BENCH_ALL  # (a run cut short still has its finished workloads in bench.log: dcgan-bn-28 first)
collect_bench

# --------------------------------------------------------------------------------------------------- twins
# The default suite's CuPy twins (test ids with "cupy"); not -x: every failure is worth seeing in the one run.
export TWINS_SELECT=${TWINS_SELECT:-cupy} TWINS_PATHS=${TWINS_PATHS:-tests} TWINS_WORKERS=${TWINS_WORKERS:-8}
twins() {
    # shellcheck disable=SC2086
    env PYTHONPATH="$ROOT" "$PY" -m pytest -q -p no:cacheprovider -n "$TWINS_WORKERS" -k "$TWINS_SELECT" \
        --maxfail=60 --tb=line -rfE -W ignore::DeprecationWarning $TWINS_PATHS
}
export -f twins
step twins 120 twins.log twins

# --------------------------------------------------------------------------------------------------- bench, round 2
if [ -n "$BENCH_TARGET" ]; then  # (BENCH_TARGET= skips the second round)
    # shellcheck disable=SC2086
    bench_round 2 60 $BENCH_TARGET
    collect_bench
fi

# --------------------------------------------------------------------------------------------------- lessons
lessons() {
    env PYTHONPATH="$ROOT:$ROOT/tests:$ROOT/tests/product" MINIGAN_BACKEND="$BACKEND" "$PY" - "$SCRATCH" <<'EOF'
import os, sys, time, traceback
import minigan
from test_demos import DEVICE_RUNS, load  # the fast settings each lesson's own test uses
print("backend:", minigan.backend.backend_name())
failed = 0
for name, settings in DEVICE_RUNS.items():
    settings = dict(settings, verbose=False)
    if name != "03_why_topological_order":
        settings["out_dir"] = os.path.join(sys.argv[1], "lessons", name)
    start = time.perf_counter()
    try:
        r = load(name).run(**settings)
        assert isinstance(r, dict) and r, "no result"
        print(f"ok    {name:<34} {time.perf_counter() - start:6.1f} s", flush=True)
    except Exception as e:
        failed += 1
        print(f"FAIL  {name:<34} {time.perf_counter() - start:6.1f} s  {type(e).__name__}: {e}", flush=True)
        traceback.print_exc(limit=-3)
print(f"{len(DEVICE_RUNS) - failed} of {len(DEVICE_RUNS)} lessons ran")
sys.exit(1 if failed else 0)
EOF
}
export -f lessons
step lessons 80 lessons.log lessons

# --------------------------------------------------------------------------------------------------- random programs
if [ -f "$ROOT/tests/pytorch/random_programs.py" ]; then
    # (a dry run has no CuPy to set against NumPy: there the strict stand-in plays the device, as in the suite)
    RANDOM_BACKEND=$BACKEND
    [ "$DRY" = 1 ] && RANDOM_BACKEND=strict
    step random 60 random_programs.log env PYTHONPATH="$ROOT" "$PY" tests/pytorch/random_programs.py \
        --n 500 --backend "$RANDOM_BACKEND" --against numpy
else
    echo "tests/pytorch/random_programs.py is not in this tree: skipped" > "$OUT/random_programs.log"
fi

# --------------------------------------------------------------------------------------------------- suite
# The whole default suite on the host's own NumPy and PyTorch (a second environment), with whatever time is left.
# Each failure is named as it happens (-v, filtered): a run the deadline cuts short still says which tests failed.
# SUITE_SELECT, a -k expression, narrows it (say "not cupy" when the twins step above has run them).
export SUITE_PATHS=${SUITE_PATHS:-tests} SUITE_WORKERS=${SUITE_WORKERS:-16} SUITE_SELECT=${SUITE_SELECT:-}
suite() {
    # shellcheck disable=SC2086
    env PYTHONPATH="$ROOT" "$PY" -m pytest -v -p no:cacheprovider -n "$SUITE_WORKERS" -W ignore::DeprecationWarning \
        --tb=no ${SUITE_SELECT:+-k "$SUITE_SELECT"} $SUITE_PATHS 2>&1 | grep -E --line-buffered "FAILED|ERROR|Fatal|crashed|[0-9]+ (passed|failed)"
}
export -f suite
step suite 400 suite.log suite

# --------------------------------------------------------------------------------------------------- summary
{
    echo "gpu_session.sh: $(date -u), $SECONDS s; backend $BACKEND"
    for i in "${!NAMES[@]}"; do
        printf '%-14s exit %-4s %4ss\n' "${NAMES[$i]}" "${CODES[$i]}" "${TIMES[$i]}"
    done
    "$PY" - "$OUT/bench.json" <<'EOF'
import json, sys
try:
    runs = json.load(open(sys.argv[1]))
except Exception as e:
    sys.exit(f"no bench results: {e}")
print(f"{'run':<6} {'workload':<18} {'batch':>5} {'minigan ms':>10} {'torch ms':>9} {'ratio':>6}")
for label, run in runs.items():
    for r in run.get("results", []):
        if "minigan_ms" in r:
            print(f"{label:<6} {r['name']:<18} {r.get('batch', ''):>5} {r['minigan_ms']:>10.2f} "
                  f"{r.get('torch_ms', float('nan')):>9.2f} {r.get('ratio', float('nan')):>6.2f}")
        elif "us_per_op" in r or "minigan_us_per_op" in r:
            print(f"{label:<6} {r['name']:<18} {json.dumps({k: v for k, v in r.items() if k != 'name'})[:90]}")
EOF
    echo "smoke: $(sed -n '/^== smoke (/,/^== smoke:/p' "$OUT/twins.log" | grep -E "passed|failed|error" | tail -1)"
    echo "twins: $(sed -n '/^== twins (/,$p' "$OUT/twins.log" | grep -E "passed|failed|error" | tail -1)"
    echo "lessons: $(grep -E "lessons ran" "$OUT/lessons.log" | tail -1)"
    echo "random programs: $(tail -n 2 "$OUT/random_programs.log" | tr '\n' ' ')"
    echo "suite: $(grep -cE "FAILED|ERROR" "$OUT/suite.log") failing lines; $(grep -E "[0-9]+ (passed|failed)" "$OUT/suite.log" | tail -1)"
    echo "fused chains that fell back to op by op: $(cat "$OUT"/*.log | grep -c "runs op by op, not as one fused kernel")"
} 2>&1 | tee "$OUT/summary.txt"
for f in "$OUT"/*.log; do  # keep each log small: its last 400 lines
    [ "$(wc -l < "$f")" -gt 400 ] && { tail -n 400 "$f" > "$f.tmp" && mv "$f.tmp" "$f"; }
done
rm -rf "$SCRATCH"
exit 0
