#!/usr/bin/env bash
# tools/bench/run.sh - schemadiff vs Alembic vs the bare catalog read, on generated schemas.
#
# Usage: tools/bench/run.sh [--save] [N ...]        (default N: 100 1000 5000 10000)
#
# Environment:
#   SCHEMADIFF            schemadiff binary (default build/schemadiff)
#   PYTHON                Python with SQLAlchemy 1.4 + Alembic 1.8 (default /usr/bin/python3)
#   BENCH_RUNS            timed runs per command for schemadiff and the floor (default 10)
#   BENCH_ALEMBIC_RUNS    Alembic runs when N < 5000 (default 3; once at N >= 5000)
#   BENCH_ALEMBIC_MAX_N   skip Alembic above this N (default 10000; see README for times)
#   BENCH_SEED            generator seed (default 20200519)
#   BENCH_WORKDIR         generated files (default tools/bench/out, git-ignored)
#   BENCH_NO_HYPERFINE=1  time with the Python loop even when hyperfine is installed
#
# See tools/bench/README.md for what is measured and the targets.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
SCHEMADIFF=${SCHEMADIFF:-$root/build/schemadiff}
PYTHON=${PYTHON:-/usr/bin/python3}
BENCH_RUNS=${BENCH_RUNS:-10}
BENCH_ALEMBIC_RUNS=${BENCH_ALEMBIC_RUNS:-3}
BENCH_ALEMBIC_MAX_N=${BENCH_ALEMBIC_MAX_N:-10000}
BENCH_SEED=${BENCH_SEED:-20200519}
BENCH_WORKDIR=${BENCH_WORKDIR:-$here/out}

save=0
sizes=()
for a in "$@"; do
	case "$a" in
	--save) save=1 ;;
	-h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*[!0-9]*|'') echo "run.sh: not a table count: '$a'" >&2; exit 2 ;;
	*) sizes+=("$a") ;;
	esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 5000 10000)

command -v sqlite3 >/dev/null || { echo "run.sh: sqlite3 CLI not found (apt-get install sqlite3)" >&2; exit 2; }
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "run.sh: $TIME not found (apt-get install time)" >&2; exit 2; }
have_sd=1
if [ ! -x "$SCHEMADIFF" ]; then
	echo "run.sh: warning: $SCHEMADIFF not found or not executable; schemadiff columns will be '-'" >&2
	echo "run.sh: hint: meson setup build && ninja -C build, or set SCHEMADIFF" >&2
	have_sd=0
fi
have_hf=0
[ -n "${BENCH_NO_HYPERFINE:-}" ] || ! command -v hyperfine >/dev/null || have_hf=1

mkdir -p "$BENCH_WORKDIR"

# median_s CMD... : "WALL CPU": median wall time and mean user+system CPU time, in seconds,
# over BENCH_RUNS runs (1 warm-up), output discarded.  CPU time is the steadier figure on a
# busy machine.
median_s() {
	if [ $have_hf = 1 ]; then
		local j="$BENCH_WORKDIR/hf.json"
		hyperfine -N --style none --warmup 1 --runs "$BENCH_RUNS" --export-json "$j" \
			-- "$(printf '%q ' "$@")" >/dev/null 2>&1 || { echo "- -"; return; }
		"$PYTHON" -c 'import json,sys; r = json.load(open(sys.argv[1]))["results"][0]; print("%.4f %.4f" % (r["median"], r["user"] + r["system"]))' "$j"
	else
		"$PYTHON" - "$BENCH_RUNS" "$@" <<'EOF'
import resource, statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
ts = []
r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
for _ in range(runs):
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ts.append(time.perf_counter() - t)
    if r.returncode not in (0, 1):
        print("- -"); sys.exit(0)
r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) / runs
print("%.4f %.4f" % (statistics.median(ts), cpu))
EOF
	fi
}

# rss_mb CMD... : peak RSS in MB of one run
rss_mb() {
	local kb
	"$TIME" -f %M -o "$BENCH_WORKDIR/rss.txt" "$@" >/dev/null 2>&1 || true
	kb=$(tail -n1 "$BENCH_WORKDIR/rss.txt" 2>/dev/null || true)
	awk -v k="$kb" 'BEGIN { if (k ~ /^[0-9]+$/) printf "%.1f", k / 1024; else print "-" }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else print "-" }'; }
fmt_s() { awk -v a="$1" 'BEGIN { if (a ~ /^[0-9.]+$/) printf "%.3f s", a; else print a }'; }

prepare() { # N -> dir with old.db, new.json, new_metadata.py
	local n=$1 d="$BENCH_WORKDIR/n$1"
	mkdir -p "$d"
	"$PYTHON" "$here/gen_schema.py" "$n" "$d" --seed "$BENCH_SEED"
	local sum
	sum=$(cat "$d/old.sql" | cksum)
	if [ ! -f "$d/old.db" ] || [ "$(cat "$d/old.sum" 2>/dev/null)" != "$sum" ]; then
		echo "  building old.db for N=$n (sqlite3; ~75 s at N=10000)" >&2
		rm -f "$d/old.db"
		sqlite3 "$d/old.db" < "$d/old.sql"
		echo "$sum" > "$d/old.sum"
	fi
	echo "$d"
}

rows=()
notes=()
for n in "${sizes[@]}"; do
	echo "N=$n: generating" >&2
	d=$(prepare "$n")
	url="sqlite:///$d/old.db"   # $d is absolute: sqlite:////abs/path
	nchanges=$(wc -l < "$d/changes.txt")

	sd_t=- sd_cpu=- sd_rss=- sd_lines=- intro_t=- intro_cpu=-
	if [ $have_sd = 1 ]; then
		echo "N=$n: schemadiff" >&2
		# not timed: the output must be a review of the generated changes, and new.json
		# must load and compare equal to itself
		set +e
		"$SCHEMADIFF" diff "$url" "$d/new.json" > "$d/sd_review.txt" 2> "$d/sd_err.txt"
		rc=$?
		"$SCHEMADIFF" diff --exit-code "$d/new.json" "$d/new.json" > /dev/null 2>&1
		self=$?
		set -e
		if [ $rc -ne 0 ]; then
			notes+=("N=$n: schemadiff diff failed (exit $rc): $(head -c 300 "$d/sd_err.txt")")
		else
			sd_lines=$(wc -l < "$d/sd_review.txt")
			[ "$self" = 0 ] || notes+=("N=$n: schemadiff diff --exit-code new.json new.json exited $self (expected 0: no changes)")
			read -r sd_t sd_cpu < <(median_s "$SCHEMADIFF" diff "$url" "$d/new.json")
			sd_rss=$(rss_mb "$SCHEMADIFF" diff "$url" "$d/new.json")
			read -r intro_t intro_cpu < <(median_s "$SCHEMADIFF" introspect "$url")
		fi
	fi

	echo "N=$n: floor" >&2
	read -r floor_t floor_cpu < <(median_s sqlite3 -readonly "$d/old.db" ".read $here/floor.sql")
	floor_rss=$(rss_mb sqlite3 -readonly "$d/old.db" ".read $here/floor.sql")

	al_t=- al_rss=- al_diffs=- al_import=-
	if [ "$n" -le "$BENCH_ALEMBIC_MAX_N" ]; then
		runs=$BENCH_ALEMBIC_RUNS
		[ "$n" -lt 5000 ] || runs=1
		echo "N=$n: alembic ($runs run(s))" >&2
		ts=()
		for ((i = 0; i < runs; i++)); do
			line=$("$PYTHON" "$here/alembic_compare.py" "$d/old.db" "$d/new_metadata.py")
			ts+=("$(sed -n 's/.*total_s=\([0-9.]*\).*/\1/p' <<<"$line")")
			al_rss=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' <<<"$line" | awk '{ printf "%.1f", $1 / 1024 }')
			al_diffs=$(sed -n 's/.*diffs=\([0-9]*\).*/\1/p' <<<"$line")
			al_import=$(sed -n 's/.*import_s=\([0-9.]*\).*/\1/p' <<<"$line")
		done
		al_t=$(printf '%s\n' "${ts[@]}" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
	else
		notes+=("N=$n: Alembic skipped (BENCH_ALEMBIC_MAX_N=$BENCH_ALEMBIC_MAX_N)")
	fi

	rows+=("| $n | $nchanges | $(fmt_s "$sd_t") ($(fmt_s "$sd_cpu")) | $(fmt_s "$intro_t") ($(fmt_s "$intro_cpu")) | $(fmt_s "$floor_t") ($(fmt_s "$floor_cpu")) | $(ratio "$sd_t" "$floor_t") ($(ratio "$sd_cpu" "$floor_cpu")) | $(fmt_s "$al_t") | $(ratio "$al_t" "$sd_t") | $sd_rss | $floor_rss | $al_rss | $sd_lines / $al_diffs |")
	[ "$al_import" = - ] || notes+=("N=$n: Alembic MetaData import $(fmt_s "$al_import") (not included)")
done

report() {
	echo "## schemadiff benchmark ($(date -u +%Y-%m-%d), $(uname -m), $(nproc) CPUs, SQLite $(sqlite3 --version | cut -d' ' -f1))"
	echo
	echo "Wall-clock medians of $BENCH_RUNS runs (schemadiff, floor), mean user+system CPU time in parentheses; Alembic: median of $BENCH_ALEMBIC_RUNS runs below N=5000, one run from N=5000."
	echo "Alembic time = produce_migrations (comparison, compare_type and compare_server_default on) + render_python_code, in-process; import of the MetaData module excluded."
	echo
	echo "| N | changes | schemadiff diff | sd introspect | floor | sd/floor | Alembic | Alembic/sd | sd RSS MB | floor RSS MB | Alembic RSS MB | review lines / Alembic ops |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
	if [ ${#notes[@]} -gt 0 ]; then
		echo
		printf -- '- %s\n' "${notes[@]}"
	fi
}

report
if [ $save = 1 ]; then
	mkdir -p "$here/results"
	out="$here/results/$(date -u +%Y%m%d-%H%M%S).md"
	report > "$out"
	echo "saved $out" >&2
fi
