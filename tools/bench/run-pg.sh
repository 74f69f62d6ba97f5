#!/usr/bin/env bash
# tools/bench/run-pg.sh - schemadiff vs Alembic vs migra vs the bare catalog read, on PostgreSQL.
#
# Usage: tools/bench/run-pg.sh [--save] [N ...]        (default N: 100 1000 5000)
#
# Environment:
#   SCHEMADIFF            schemadiff binary (default build/schemadiff; build it --buildtype=release)
#   PYTHON                Python with SQLAlchemy 1.4 + Alembic 1.8 + psycopg2 (default /usr/bin/python3)
#   MIGRA                 migra command (default tools/bench/node/node_modules/.bin/migra, from
#                         `cd tools/bench/node && npm install @pgkit/migra`)
#   BENCH_RUNS            timed runs per command for schemadiff and the floor (default 10)
#   BENCH_SLOW_RUNS       Alembic and migra runs when N < 1000 (default 3; once at N >= 1000)
#   BENCH_ALEMBIC_MAX_N   skip Alembic above this N (default 5000)
#   BENCH_MIGRA_MAX_N     skip migra above this N (default 5000)
#   BENCH_SEED            generator seed (default 20200519)
#   BENCH_WORKDIR         generated files (default tools/bench/out, git-ignored)
#   BENCH_NO_HYPERFINE=1  time with the Python loop even when hyperfine is installed
#
# Starts a throwaway cluster with tools/pg-cluster (always stopped on exit).  See the
# PostgreSQL section of tools/bench/README.md for what is measured and the targets.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
SCHEMADIFF=${SCHEMADIFF:-$root/build/schemadiff}
PYTHON=${PYTHON:-/usr/bin/python3}
MIGRA=${MIGRA:-$here/node/node_modules/.bin/migra}
BENCH_RUNS=${BENCH_RUNS:-10}
BENCH_SLOW_RUNS=${BENCH_SLOW_RUNS:-3}
BENCH_ALEMBIC_MAX_N=${BENCH_ALEMBIC_MAX_N:-5000}
BENCH_MIGRA_MAX_N=${BENCH_MIGRA_MAX_N:-5000}
BENCH_SEED=${BENCH_SEED:-20200519}
BENCH_WORKDIR=${BENCH_WORKDIR:-$here/out}

save=0
sizes=()
for a in "$@"; do
	case "$a" in
	--save) save=1 ;;
	-h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*[!0-9]*|'') echo "run-pg.sh: not a table count: '$a'" >&2; exit 2 ;;
	*) sizes+=("$a") ;;
	esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 5000)

TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "run-pg.sh: $TIME not found (apt-get install time)" >&2; exit 2; }
[ -x "$SCHEMADIFF" ] || { echo "run-pg.sh: $SCHEMADIFF not found (meson setup build --buildtype=release && ninja -C build, or set SCHEMADIFF)" >&2; exit 2; }
bindir=$("$root/tools/pg-cluster" bindir) || { echo "run-pg.sh: no PostgreSQL binaries (initdb, pg_ctl)" >&2; exit 2; }
PSQL=$bindir/psql
[ -x "$PSQL" ] || PSQL=$(command -v psql) || { echo "run-pg.sh: psql not found" >&2; exit 2; }
have_migra=1
if ! [ -x "$MIGRA" ] && ! command -v "$MIGRA" >/dev/null 2>&1; then
	echo "run-pg.sh: warning: $MIGRA not found (cd tools/bench/node && npm install @pgkit/migra); migra columns will be '-'" >&2
	have_migra=0
fi
have_hf=0
[ -n "${BENCH_NO_HYPERFINE:-}" ] || ! command -v hyperfine >/dev/null || have_hf=1

mkdir -p "$BENCH_WORKDIR"
notes=()

# The floor is generated from src/introspect/pg.c: check that the committed copy is current,
# and time the queries of today's pg.c in any case.
floor_sql=$here/pg_floor.sql
if ! "$PYTHON" "$here/gen_pg_floor.py" "$root/src/introspect/pg.c" --check "$floor_sql"; then
	floor_sql=$BENCH_WORKDIR/pg_floor.sql
	"$PYTHON" "$here/gen_pg_floor.py" "$root/src/introspect/pg.c" -o "$floor_sql"
	notes+=("tools/bench/pg_floor.sql is OUT OF DATE with src/introspect/pg.c: timed a regenerated copy")
fi

# ---- the throwaway cluster ----
cluster=$(mktemp -d /tmp/sd-bench-pg.XXXXXX)
stop_cluster() { "$root/tools/pg-cluster" stop "$cluster" >/dev/null 2>&1 || true; rm -rf "$cluster" 2>/dev/null || true; }
trap stop_cluster EXIT
trap 'exit 130' INT TERM
echo "starting a throwaway cluster in $cluster" >&2
env_line=$("$root/tools/pg-cluster" start "$cluster")
# PGHOST=... PGPORT=... PGUSER=...
for kv in $env_line; do export "${kv?}"; done
# Each database is loaded in ONE transaction, which locks every table, index and TOAST
# relation it creates: about 7 locks per table, more than the default lock table
# (max_locks_per_transaction 64 x 100 connections) holds from N = 1000 or so.  Raise it and
# restart (pg_ctl restart keeps the options pg-cluster started the server with).
max_n=$(printf '%s\n' "${sizes[@]}" | sort -n | tail -n1)
locks=$(( (max_n * 10 + 99) / 100 ))
[ "$locks" -ge 256 ] || locks=256
"$PSQL" -X -q -d postgres -c "ALTER SYSTEM SET max_locks_per_transaction = $locks" >/dev/null
if [ "$(id -u)" -eq 0 ]; then
	runuser -u postgres -- "$bindir/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 -m fast restart >/dev/null
else
	"$bindir/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 -m fast restart >/dev/null
fi
pg_version=$("$PSQL" -X -A -t -d postgres -c 'SHOW server_version')
notes+=("cluster: tools/pg-cluster defaults + max_locks_per_transaction=$("$PSQL" -X -A -t -d postgres -c 'SHOW max_locks_per_transaction') (one-transaction loads)")

# median_s CMD... : "MEDIAN MIN": median and fastest wall time in seconds over BENCH_RUNS runs
# (1 warm-up), output discarded.  Client CPU time says little here (the server does most of
# the work); on a busy machine the fastest run is the steadier figure.
median_s() {
	if [ $have_hf = 1 ]; then
		local j="$BENCH_WORKDIR/hf.json"
		hyperfine -N --style none --warmup 1 --runs "$BENCH_RUNS" --export-json "$j" \
			-- "$(printf '%q ' "$@")" >/dev/null 2>&1 || { echo "- -"; return; }
		"$PYTHON" -c 'import json,sys; r = json.load(open(sys.argv[1]))["results"][0]; print("%.4f %.4f" % (r["median"], r["min"]))' "$j"
	else
		"$PYTHON" - "$BENCH_RUNS" "$@" <<'EOF'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
ts = []
for _ in range(runs):
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ts.append(time.perf_counter() - t)
    if r.returncode not in (0, 1):
        print("- -"); sys.exit(0)
print("%.4f %.4f" % (statistics.median(ts), min(ts)))
EOF
	fi
}

# rss_mb CMD... : peak RSS in MB of one run (the client process; the server's is not counted)
rss_mb() {
	local kb
	"$TIME" -f %M -o "$BENCH_WORKDIR/rss.txt" "$@" >/dev/null 2>&1 || true
	kb=$(tail -n1 "$BENCH_WORKDIR/rss.txt" 2>/dev/null || true)
	awk -v k="$kb" 'BEGIN { if (k ~ /^[0-9]+$/) printf "%.1f", k / 1024; else print "-" }'
}

median_list() { sort -g | awk '{ a[NR] = $1 } END { if (!NR) print "-"; else print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else print "-" }'; }
fmt_s() { awk -v a="$1" 'BEGIN { if (a ~ /^[0-9.]+$/) printf "%.3f s", a; else print a }'; }

rows=()
for n in "${sizes[@]}"; do
	d="$BENCH_WORKDIR/pg$n"
	mkdir -p "$d"
	echo "N=$n: generating" >&2
	"$PYTHON" "$here/gen_schema.py" "$n" "$d" --seed "$BENCH_SEED" --dialect postgresql
	nchanges=$(wc -l < "$d/changes.txt")
	old=sd_old_$n new=sd_new_$n
	load_t=()
	for db in "$old:old.pg.sql" "$new:new.pg.sql"; do
		"$PSQL" -X -q -d postgres -c "DROP DATABASE IF EXISTS ${db%%:*}" -c "CREATE DATABASE ${db%%:*}" >/dev/null
		t0=$(date +%s.%N)
		"$PSQL" -X -q -1 -v ON_ERROR_STOP=1 -d "${db%%:*}" -f "$d/${db#*:}" >/dev/null
		load_t+=("$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')")
	done
	# a production database has been vacuumed and analyzed; without it the catalog queries'
	# plans depend on whether autovacuum has got round to the fresh catalogs yet
	for db in "$old" "$new"; do
		"$PSQL" -X -q -d "$db" -c "VACUUM ANALYZE" >/dev/null
	done
	notes+=("N=$n: loading old / new with one psql -1 -f each: ${load_t[0]} s / ${load_t[1]} s, then VACUUM ANALYZE (not part of any figure)")
	sd_old=postgresql:///$old sd_new=postgresql:///$new
	sa_old="postgresql+psycopg2://$PGUSER@/$old?host=$PGHOST&port=$PGPORT"
	mg_old="postgresql://$PGUSER@localhost/$old?host=$PGHOST&port=$PGPORT"
	mg_new="postgresql://$PGUSER@localhost/$new?host=$PGHOST&port=$PGPORT"

	# not timed: no false positives (the NEW database equals new.pg.json), and the reviews
	echo "N=$n: schemadiff" >&2
	set +e
	"$SCHEMADIFF" diff --exit-code "$sd_new" "$d/new.pg.json" > "$d/sd_self.txt" 2>&1
	self=$?
	"$SCHEMADIFF" diff "$sd_old" "$d/new.pg.json" > "$d/sd_review_file.txt" 2> "$d/sd_err.txt"
	rc_f=$?
	"$SCHEMADIFF" diff "$sd_old" "$sd_new" > "$d/sd_review_db.txt" 2>> "$d/sd_err.txt"
	rc_d=$?
	set -e
	[ "$self" = 0 ] || notes+=("N=$n: schemadiff diff --exit-code NEW-db new.pg.json exited $self (expected 0): $(head -c 300 "$d/sd_self.txt" | tr '\n' ' ')")
	[ "$rc_f$rc_d" = 00 ] || notes+=("N=$n: schemadiff diff failed ($rc_f/$rc_d): $(head -c 300 "$d/sd_err.txt")")
	lines_f=$(wc -l < "$d/sd_review_file.txt") lines_d=$(wc -l < "$d/sd_review_db.txt")

	read -r sd_f sd_f_min < <(median_s "$SCHEMADIFF" diff "$sd_old" "$d/new.pg.json")
	read -r sd_d sd_d_min < <(median_s "$SCHEMADIFF" diff "$sd_old" "$sd_new")
	read -r sd_i sd_i_min < <(median_s "$SCHEMADIFF" introspect "$sd_old")
	rss_f=$(rss_mb "$SCHEMADIFF" diff "$sd_old" "$d/new.pg.json")
	rss_d=$(rss_mb "$SCHEMADIFF" diff "$sd_old" "$sd_new")

	echo "N=$n: floor" >&2
	floor_cmd=("$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -o /dev/null -d "$old" -f "$floor_sql")
	"${floor_cmd[@]}" || notes+=("N=$n: the floor script failed")
	read -r floor floor_min < <(median_s "${floor_cmd[@]}")
	floor_rss=$(rss_mb "${floor_cmd[@]}")

	runs=$BENCH_SLOW_RUNS
	[ "$n" -lt 1000 ] || runs=1
	al_t=- al_rss=- al_ops=-
	if [ "$n" -le "$BENCH_ALEMBIC_MAX_N" ]; then
		echo "N=$n: alembic ($runs run(s))" >&2
		ts=()
		for ((i = 0; i < runs; i++)); do
			line=$("$PYTHON" "$here/alembic_compare.py" "$sa_old" "$d/new_metadata_pg.py")
			ts+=("$(sed -n 's/.*total_s=\([0-9.]*\).*/\1/p' <<<"$line")")
			al_rss=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' <<<"$line" | awk '{ printf "%.1f", $1 / 1024 }')
			al_ops=$(sed -n 's/.*diffs=\([0-9]*\).*/\1/p' <<<"$line")
			al_import=$(sed -n 's/.*import_s=\([0-9.]*\).*/\1/p' <<<"$line")
		done
		al_t=$(printf '%s\n' "${ts[@]}" | median_list)
		notes+=("N=$n: Alembic MetaData import $(fmt_s "$al_import") (not included)")
	else
		notes+=("N=$n: Alembic skipped (BENCH_ALEMBIC_MAX_N=$BENCH_ALEMBIC_MAX_N)")
	fi

	mg_t=- mg_rss=- mg_lines=-
	if [ $have_migra = 1 ] && [ "$n" -le "$BENCH_MIGRA_MAX_N" ]; then
		echo "N=$n: migra ($runs run(s))" >&2
		ts=()
		for ((i = 0; i < runs; i++)); do
			set +e
			"$TIME" -f "%e %M" -o "$BENCH_WORKDIR/migra_time.txt" \
				"$MIGRA" "$mg_old" "$mg_new" --unsafe true > "$d/migra.sql" 2> "$d/migra_err.txt"
			rc=$?
			set -e
			# migra exits 2 when there are differences
			if [ $rc -ne 0 ] && [ $rc -ne 2 ]; then
				notes+=("N=$n: migra failed (exit $rc): $(grep -v '^Command exited' "$d/migra_err.txt" | head -c 300 | tr '\n' ' ')")
				ts=()
				break
			fi
			read -r t kb < <(tail -n1 "$BENCH_WORKDIR/migra_time.txt")
			ts+=("$t")
			mg_rss=$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')
		done
		[ ${#ts[@]} -eq 0 ] || { mg_t=$(printf '%s\n' "${ts[@]}" | median_list); mg_lines=$(grep -c ';$' "$d/migra.sql" || true); }
	elif [ $have_migra = 1 ]; then
		notes+=("N=$n: migra skipped (BENCH_MIGRA_MAX_N=$BENCH_MIGRA_MAX_N)")
	fi

	load_avg=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
	notes+=("N=$n: load average $load_avg when done (fastest runs: intro $(fmt_s "$sd_i_min"), floor $(fmt_s "$floor_min"), ratio $(ratio "$sd_i_min" "$floor_min"); db↔file $(fmt_s "$sd_f_min"), db↔db $(fmt_s "$sd_d_min"))")
	rows+=("| $n | $nchanges | $(fmt_s "$sd_i") | $(fmt_s "$floor") | $(ratio "$sd_i" "$floor") | $(fmt_s "$sd_f") | $(fmt_s "$al_t") | $(ratio "$al_t" "$sd_f") | $(fmt_s "$sd_d") | $(fmt_s "$mg_t") | $(ratio "$mg_t" "$sd_d") | $rss_f / $rss_d | $floor_rss | $al_rss | $mg_rss | $lines_f / $al_ops | $lines_d / $mg_lines |")
	for db in "$old" "$new"; do
		"$PSQL" -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null || true
	done
done

report() {
	echo "## schemadiff PostgreSQL benchmark ($(date -u +%Y-%m-%d), $(uname -m), $(nproc) CPUs, PostgreSQL $pg_version, schemadiff $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?'))"
	echo
	echo "Wall-clock medians of $BENCH_RUNS runs (schemadiff, floor; hyperfine=$have_hf); Alembic and migra: median of $BENCH_SLOW_RUNS runs below N=1000, one run from N=1000."
	echo "intro = \`schemadiff introspect\` of the OLD database (JSON to /dev/null); floor = pg_floor.sql by psql on the same database."
	echo "db↔file = \`schemadiff diff postgresql:///old new.pg.json\`; Alembic = produce_migrations (compare_type, compare_server_default) + render_python_code on the same database, MetaData import excluded."
	echo "db↔db = \`schemadiff diff postgresql:///old postgresql:///new\`; migra = \`migra OLD NEW --unsafe true\` (@pgkit/migra, Node.js $(node --version 2>/dev/null || echo '?'))."
	echo "RSS: peak resident set of the client process (MB); the server's memory is not counted."
	echo
	echo "| N | changes | sd intro | floor | intro/floor | sd db↔file | Alembic | Alembic/sd | sd db↔db | migra | migra/sd | sd RSS MB file / db | floor RSS MB | Alembic RSS MB | migra RSS MB | review lines / Alembic ops | review lines / migra stmts |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
	echo
	echo "Targets: intro/floor ≤ 1.2; Alembic/sd ≥ 30; migra/sd ≥ 10; sd RSS < 100 MB at N=5000."
	if [ ${#notes[@]} -gt 0 ]; then
		echo
		printf -- '- %s\n' "${notes[@]}"
	fi
}

report
if [ $save = 1 ]; then
	mkdir -p "$here/results"
	out="$here/results/pg-$(date -u +%Y%m%d-%H%M%S).md"
	report > "$out"
	echo "saved $out" >&2
fi
