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
# CPT_CONFIG, CPT_MYSQL_SOCK, SRC_DIR.

set -u
test_count=0
test_failures=0
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/cpt-test.XXXXXX")
trap 'rm -rf "$TEST_TMP"' EXIT
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
	mariadb --no-defaults --socket="$CPT_MYSQL_SOCK" -uroot -N -B comptoir -e "$1"
}

# The CSRF token of the current session, read from a page that shows it.
session_csrf() {
	http GET /account && form_value csrf
}
