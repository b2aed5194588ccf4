# test-lib.sh: readable shell tests printing TAP, in the manner of git's t/.
#
#   . "$(dirname "$0")/../lib/test-lib.sh"
#   test_expect_success 'what it proves' '
#       http GET /login && test_status 200
#   '
#   test_done
#
# The stack (MariaDB, comptoir serve, nginx) is started by tools/test; its
# whereabouts arrive in the environment: CPT_PORT, CPT_STACK_DIR, CPT_BIN,
# CPT_CONFIG, CPT_MYSQL_SOCK, SRC_DIR, and CPT_PROCS: how many comptoir
# serve processes answer behind nginx (tools/lib/stack.sh, STACK_PROCS).
# "The server" of a test is all of them: signal it with server_signal.

set -u
CPT_PROCS=${CPT_PROCS:-1}
export STACK_PROCS=$CPT_PROCS   # for the scripts that source tools/lib/stack.sh
test_count=0
test_failures=0
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/cpt-test.XXXXXX")
TEST_NAME=$(basename "$0" .sh)
# test_at_exit COMMAND: runs COMMAND when the script ends, however it ends
# (the last registered first), as git's test_when_finished does. Scripts
# register their clean-ups here rather than setting their own EXIT trap.
test_at_exit_cmds=()
test_at_exit() { test_at_exit_cmds=("$1" "${test_at_exit_cmds[@]}"); }
test_exit_() {
	local c
	for c in "${test_at_exit_cmds[@]}"; do eval "$c"; done
	rm -rf "$TEST_TMP"
}
trap test_exit_ EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
HOST=${HOST:-atelier.localhost}
BODY=$TEST_TMP/body
HEADERS=$TEST_TMP/headers
JAR=$TEST_TMP/cookies
STATUS=
DEMO_PASSWORD=comptoir-demo

say() { printf '# %s\n' "$*"; }

# The body runs in a function (so `return 1` ends it) in a subshell (so
# its variables do not leak into the next test).
test_run_() {
	eval "$1"
}

test_expect_success() {
	local desc=$1 body=$2 out
	test_count=$((test_count + 1))
	out=$TEST_TMP/out.$test_count
	if (test_run_ "$body") >"$out" 2>&1; then
		printf 'ok %d - %s\n' "$test_count" "$desc"
	else
		test_failures=$((test_failures + 1))
		printf 'not ok %d - %s\n' "$test_count" "$desc"
		sed 's/^/#   /' "$out" | tail -n 40
	fi
}

# test_expect_failure 'what should hold' 'body': a known breakage, as in
# git: TAP "# TODO", shown but not counted as a failure; when the body
# passes, the line says the breakage vanished (then make it
# test_expect_success).
test_expect_failure() {
	local desc=$1 body=$2 out
	test_count=$((test_count + 1))
	out=$TEST_TMP/out.$test_count
	if (test_run_ "$body") >"$out" 2>&1; then
		printf 'ok %d - %s # TODO known breakage vanished\n' "$test_count" "$desc"
	else
		printf 'not ok %d - %s # TODO known breakage\n' "$test_count" "$desc"
		sed 's/^/#   /' "$out" | tail -n 40
	fi
}

test_done() {
	printf '1..%d\n' "$test_count"
	[ "$test_failures" -eq 0 ]
	exit $?
}

# http METHOD PATH [curl args…]: one request through nginx with this
# test's cookie jar and Host; sets STATUS, writes $BODY and $HEADERS.
http() {
	local method=$1 path=$2
	shift 2
	STATUS=$(curl -s -o "$BODY" -D "$HEADERS" -w '%{http_code}' -X "$method" \
		-b "$JAR" -c "$JAR" -H "Host: $HOST" "$@" "http://127.0.0.1:$CPT_PORT$path")
}

test_status() {
	[ "$STATUS" = "$1" ] || { echo "status $STATUS, wanted $1"; head -c 2000 "$BODY"; return 1; }
}

body_has() {
	grep -qF -- "$1" "$BODY" || { echo "body lacks: $1"; head -c 3000 "$BODY"; return 1; }
}

body_lacks() {
	! grep -qF -- "$1" "$BODY" || { echo "body has: $1"; return 1; }
}

header_has() {
	grep -qi -- "$1" "$HEADERS" || { echo "headers lack: $1"; cat "$HEADERS"; return 1; }
}

# The value of a hidden form field in the last body: form_value csrf
form_value() {
	sed -n "s/.*name=\"$1\" value=\"\([^\"]*\)\".*/\1/p" "$BODY" | head -n 1
}

# login EMAIL PASSWORD: fetches the form then posts it; leaves STATUS.
login() {
	local csrf
	http GET /login || return 1
	csrf=$(form_value csrf)
	http POST /login --data-urlencode "csrf=$csrf" --data-urlencode "email=$1" \
		--data-urlencode "password=$2"
}

forget_cookies() { rm -f "$JAR"; }

sql() {
	mariadb --no-defaults --socket="$CPT_MYSQL_SOCK" -uroot -N -B comptoir -e "$1" || return
	# Rows written by hand bypass the desk's read cache (core/db/read_cache.h):
	# raise every shop's desk version, as comptoir's own writes do.
	case $1 in
	*INSERT*|*UPDATE*|*DELETE*|*REPLACE*|*TRUNCATE*)
		mariadb --no-defaults --socket="$CPT_MYSQL_SOCK" -uroot -N -B comptoir -e "INSERT INTO
			desk_versions (shop_id, version) SELECT id, 1 FROM shops ON DUPLICATE KEY UPDATE
			version = version + 1" 2>/dev/null || :
	esac
}

# counts_exact SHOP_ID: the dashboard's counters (order_counts, order_hours)
# hold what the orders table says, row for row, the sales by the shop's own
# statuses (flag sale), and every order's `closed` (what the list hides)
# follows its status's flags (final, cancels); prints the difference.
counts_exact() {
	local kept real sale="SELECT code FROM shop_statuses WHERE shop_id = $1 AND FIND_IN_SET('sale', flags)" bad
	bad=$(sql "SELECT GROUP_CONCAT(CONCAT(o.code, ' ', o.status, ' closed=', o.closed)) FROM orders o
		LEFT JOIN shop_statuses s ON s.shop_id = o.shop_id AND s.code = o.status WHERE o.shop_id = $1
		AND o.closed <> IF(FIND_IN_SET('final', s.flags), IF(FIND_IN_SET('cancels', s.flags), 2, 1), 0)") || return 1
	[ "$bad" = NULL ] || { echo "orders whose closed does not follow their status: $bad"; return 1; }
	kept=$(sql "SELECT status, on_hold, payment_state, shipping_state, n FROM order_counts
		WHERE shop_id = $1 AND n <> 0 ORDER BY 1, 2, 3, 4;
		SELECT hour, n, sales, sales_cents FROM order_hours
		WHERE shop_id = $1 AND (n <> 0 OR sales <> 0 OR sales_cents <> 0) ORDER BY 1") || return 1
	real=$(sql "SELECT status, on_hold, payment_state, shipping_state, COUNT(*) FROM orders
		WHERE shop_id = $1 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
		SELECT DATE_FORMAT(placed_at, '%Y-%m-%d %H:00:00') h, COUNT(*), SUM(status IN ($sale)),
		SUM(IF(status IN ($sale), total_cents, 0)) FROM orders WHERE shop_id = $1 GROUP BY h ORDER BY 1") || return 1
	[ "$kept" = "$real" ] && return 0
	echo "the counters differ from the orders (< counters, > orders):"
	diff <(echo "$kept") <(echo "$real") | head -n 20
	return 1
}

# The CSRF token of the current session, read from a page that shows it.
session_csrf() {
	http GET /account && form_value csrf
}

# test_bail MESSAGE: the script cannot go on (its setup failed).
test_bail() {
	printf 'Bail out! %s\n' "$*"
	exit 1
}

# The log of comptoir serve; log_size is where the next lines will start.
CPT_LOG=${CPT_STACK_DIR:-}/log/comptoir.log
log_size() { stat -c %s "$CPT_LOG"; }

# wait_log PATTERN OFFSET: waits (up to 10 s) until the log has, after
# byte OFFSET (from log_size), a line matching the grep pattern.
wait_log() {
	local i
	for i in $(seq 1 100); do
		tail -c +"$(($2 + 1))" "$CPT_LOG" | grep -q -- "$1" && return 0
		sleep 0.1
	done
	echo "the log never said: $1"; tail -n 5 "$CPT_LOG"; return 1
}

# wait_log_count PATTERN OFFSET N: waits (up to 10 s) until the log has,
# after byte OFFSET, N lines matching PATTERN (one per process, say).
wait_log_count() {
	local i
	for i in $(seq 1 100); do
		[ "$(tail -c +"$(($2 + 1))" "$CPT_LOG" | grep -c -- "$1")" -ge "$3" ] && return 0
		sleep 0.1
	done
	echo "the log never said $3 times: $1"; tail -n 5 "$CPT_LOG"; return 1
}

# others_settle: with several comptoir serve processes, the others learn of
# a change to a staff member (language, account disabled) when their check
# of the session is older than sessions.cache_seconds (1 s by default):
# waits for that documented bound; with one process, nothing to wait for.
others_settle() {
	local s
	[ "${CPT_PROCS:-1}" -gt 1 ] || return 0
	s=$(sed -n 's/^  cache_seconds: *//p' "$CPT_CONFIG")
	sleep "${s:-1}.1"
}

# The pids of the comptoir serve processes, one a line.
server_pids() {
	local i
	cat "$CPT_STACK_DIR/run/comptoir.pid" || return 1
	for i in $(seq 2 "$CPT_PROCS"); do cat "$CPT_STACK_DIR/run/comptoir-$i.pid" || return 1; done
}

# server_signal SIG: sends SIG to every comptoir serve process.
server_signal() {
	local pids
	pids=$(server_pids) && kill -"$1" $pids
}

# server_reload: SIGHUP to every comptoir serve process, and waits until
# the log says each reloaded the shops (fails if a reload was refused).
server_reload() {
	local size
	size=$(log_size) && server_signal HUP &&
		wait_log_count "reloaded: \|reload failed" "$size" "$CPT_PROCS" || return 1
	! tail -c +"$((size + 1))" "$CPT_LOG" | grep -q "reload failed" ||
		{ echo "the reload was refused:"; tail -c +"$((size + 1))" "$CPT_LOG"; return 1; }
}

# test_shop_new [NAME [SETTINGS [YAML]]]: a shop of this script's own, so that it
# neither sees nor leaves anything in another's. Its code is t-NNNN (the
# script's number) or t-NNNN-NAME, its host CODE.localhost, its settings
# the YAML flow mapping SETTINGS (default: the print shop's, storefront
# prices and prices with VAT), YAML more lines of its file (a `workflow:`
# preset …). Writes the shop file, reloads comptoir serve
# and creates the accounts owner@, staff@ and picker@CODE.example (password
# $DEMO_PASSWORD) and an API key. Sets SHOP_CODE, SHOP_ID, SHOP_HOST,
# SHOP_KEY, SHOP_OWNER, SHOP_STAFF, SHOP_PICKER, and HOST; the shop, its
# file and every row of it are removed when the script ends.
#   test_shop_new || test_bail "no shop of its own"
test_shop_new() {
	local code=t-${TEST_NAME%%-*}${1:+-$1} settings=${2:-"{storefront_prices: true, prices_include_vat: true}"}
	local file=$CPT_STACK_DIR/etc/shops.d/$code.yaml r
	test_shop_remove "$code" || return 1
	cat >"$file" <<-YAML || return 1
	# Written by tests/lib/test-lib.sh for $TEST_NAME; removed at its end.
	code: $code
	name: Boutique $code
	hosts: [$code.localhost]
	currency: EUR
	locale: fr
	timezone: Europe/Paris
	legal:
	  company: Boutique $code SAS
	settings: $settings
	${3:-}
	YAML
	test_at_exit "test_shop_remove $code"
	server_reload >&2 || return 1
	SHOP_CODE=$code
	SHOP_HOST=$code.localhost
	SHOP_ID=$(sql "SELECT id FROM shops WHERE code = '$code'")
	[ -n "$SHOP_ID" ] || { echo "test_shop_new: no row for shop $code" >&2; return 1; }
	for r in owner staff picker; do
		COMPTOIR_PASSWORD=$DEMO_PASSWORD "$CPT_BIN" --config "$CPT_CONFIG" user add \
			--shop "$code" --email "$r@$code.example" --role "$r" >/dev/null || return 1
	done
	SHOP_OWNER=owner@$code.example SHOP_STAFF=staff@$code.example SHOP_PICKER=picker@$code.example
	SHOP_KEY=$("$CPT_BIN" --config "$CPT_CONFIG" shop api-key --shop "$code" --name "$TEST_NAME") &&
		[ -n "$SHOP_KEY" ] || { echo "test_shop_new: no API key for $code" >&2; return 1; }
	HOST=$SHOP_HOST
}

# test_shop_remove CODE: the shop's file goes (and comptoir serve forgets
# the shop), then every row of it, in every table that has a shop_id.
test_shop_remove() {
	local code=$1 file=$CPT_STACK_DIR/etc/shops.d/$1.yaml id t del=
	if [ -f "$file" ]; then
		rm -f "$file" && server_reload >&2 || return 1
	fi
	id=$(sql "SELECT id FROM shops WHERE code = '$code'") || return 1
	[ -n "$id" ] || return 0
	for t in $(sql "SELECT table_name FROM information_schema.columns WHERE table_schema = DATABASE()
		AND column_name = 'shop_id' AND table_name <> 'shops'"); do
		del="$del DELETE FROM \`$t\` WHERE shop_id = $id;"
	done
	sql "SET foreign_key_checks = 0; $del DELETE FROM shops WHERE id = $id; SET foreign_key_checks = 1"
}
