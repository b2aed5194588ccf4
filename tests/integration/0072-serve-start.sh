#!/usr/bin/env bash
# comptoir serve at start and at a reload: what it refuses and what it says.
# A second server on a socket of its own, beside the stack's.
. "$(dirname "$0")/../lib/test-lib.sh"

etc=$TEST_TMP/etc
mkdir -p "$etc"
ln -s "$(dirname "$CPT_CONFIG")/shops.d" "$etc/shops.d"
sock=$TEST_TMP/serve.sock
log=$TEST_TMP/serve.log
# The stack's configuration, on another socket, with sed edits $1.
configure() {
	sed -e "s|^  socket: .*/comptoir.sock$|  socket: $sock|" -e "${1:-}" "$CPT_CONFIG" >"$etc/comptoir.yaml"
}
# Each test runs in a subshell: the server's pid is kept in a file.
start_serve() {
	: >"$log"
	"$CPT_BIN" --config "$etc/comptoir.yaml" serve >>"$log" 2>&1 &
	echo $! >"$TEST_TMP/pid"
}
serve_pid() { cat "$TEST_TMP/pid"; }
stop_serve() {
	local pid i
	[ -f "$TEST_TMP/pid" ] || return 0
	pid=$(serve_pid)
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	rm -f "$TEST_TMP/pid"
}
trap 'stop_serve; rm -rf "$TEST_TMP"' EXIT
# Waits up to 30 s for the log to show a line matching $1.
log_shows() {
	local i
	for i in $(seq 1 300); do
		grep -q -- "$1" "$log" && return 0
		kill -0 "$(serve_pid)" 2>/dev/null || { grep -q -- "$1" "$log"; return; }
		sleep 0.1
	done
	echo "the log never showed: $1"; cat "$log"; return 1
}
# serve that exits by itself, with status 1, saying $1.
refuses_to_start() {
	timeout 60 "$CPT_BIN" --config "$etc/comptoir.yaml" serve >"$log" 2>&1; rc=$?
	[ "$rc" = 1 ] || { echo "status $rc, wanted 1"; cat "$log"; return 1; }
	grep -qF -- "$1" "$log" || { echo "log lacks: $1"; cat "$log"; return 1; }
}

test_expect_success 'a socket that cannot be created is named, with the reason' '
	configure "s|^  socket: $sock\$|  socket: $TEST_TMP/no-such-folder/c.sock|" &&
	refuses_to_start "cannot create the socket $TEST_TMP/no-such-folder/c.sock (server.socket): No such file or directory" &&
	mkdir "$TEST_TMP/closed" && chmod 500 "$TEST_TMP/closed" &&
	configure "s|^  socket: $sock\$|  socket: $TEST_TMP/closed/c.sock|" &&
	if [ "$(id -u)" != 0 ]; then
		refuses_to_start "cannot create the socket $TEST_TMP/closed/c.sock (server.socket): Permission denied"
	fi
'

test_expect_success 'serve refuses a locale folder without the French catalogue, at its key' '
	configure "s|^  locale: .*|  locale: $TEST_TMP|" &&
	line=$(grep -n "^  locale: " "$etc/comptoir.yaml" | cut -d: -f1) &&
	refuses_to_start "$etc/comptoir.yaml:$line:11: paths.locale '"'"'$TEST_TMP'"'"': no readable fr/LC_MESSAGES/comptoir.mo"
'

test_expect_success 'the socket is created with mode 0770' '
	configure && start_serve && log_shows "serving 2 shops" &&
	[ "$(stat -c %a "$sock")" = 770 ] && [ -S "$sock" ]
'

test_expect_success 'a reload that changes restart-only keys names each of them' '
	configure "s|^  threads: .*|  threads: 3|; s|^  name: comptoir$|  name: comptoir_elsewhere|; s|^  idle_timeout: .*|  idle_timeout: 900|" &&
	kill -HUP "$(serve_pid)" && log_shows "reloaded: 2 shops" &&
	grep -q "reload: server.threads changed: takes effect at restart" "$log" &&
	grep -q "reload: database.name changed: takes effect at restart" "$log" &&
	[ "$(grep -c "takes effect at restart" "$log")" = 2 ] &&
	! grep -q "idle_timeout" "$log"
'

test_expect_success 'a reload onto another secret keeps the old one until restart, and says so' '
	: >"$log" &&
	(umask 077 && openssl rand -hex 32 >"$etc/other.key") &&
	configure "s|^  key_file: .*|  key_file: $etc/other.key|" &&
	kill -HUP "$(serve_pid)" && log_shows "reloaded: 2 shops" &&
	grep -q "reload: the secret of security.key_file changed: takes effect at restart" "$log" &&
	: >"$log" && kill -HUP "$(serve_pid)" && log_shows "reloaded: 2 shops" &&
	grep -q "security.key_file changed" "$log"
'

test_expect_success 'a reload onto a bad locale folder is refused, the old configuration kept' '
	: >"$log" &&
	configure "s|^  locale: .*|  locale: $TEST_TMP/nowhere|" &&
	kill -HUP "$(serve_pid)" && log_shows "reload failed" &&
	grep -q "paths.locale '"'"'$TEST_TMP/nowhere'"'"': No such file or directory" "$log" &&
	kill -0 "$(serve_pid)"
'

test_expect_success 'at SIGTERM serve removes the socket it created' '
	[ -S "$sock" ] && stop_serve && [ ! -e "$sock" ]
'

test_done
