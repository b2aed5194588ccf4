#!/usr/bin/env bash
# The administration commands a hosting provider scripts against.
. "$(dirname "$0")/../lib/test-lib.sh"

cpt() { "$CPT_BIN" --config "$CPT_CONFIG" "$@" >"$TEST_TMP/out" 2>&1; }
out_has() { grep -qF -- "$1" "$TEST_TMP/out" || { echo "output lacks: $1"; cat "$TEST_TMP/out"; return 1; }; }
# What it adds goes to a shop of its own; the demo shops are only read.
test_shop_new || test_bail "no shop of its own"
DEMO_KEY=cpt_demo_${SHOP_CODE//-/_}

test_expect_success 'migrate a second time applies nothing and changes nothing' '
	before=$(sql "SELECT COUNT(*) FROM schema_migrations") &&
	cpt migrate && out_has "0 migrations applied" &&
	[ "$(sql "SELECT COUNT(*) FROM schema_migrations")" = "$before" ] &&
	[ "$before" = "$(ls "$SRC_DIR"/core/db/sql/*.sql | wc -l)" ]
'

test_expect_success 'every table is utf8mb4 and every shop-owned key starts with shop_id' '
	[ "$(sql "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = \"comptoir\" AND table_collation NOT LIKE \"utf8mb4%\"")" = 0 ] &&
	bad=$(sql "SELECT DISTINCT s.table_name FROM information_schema.statistics s
		JOIN information_schema.columns c ON c.table_schema = s.table_schema AND c.table_name = s.table_name AND c.column_name = \"shop_id\"
		WHERE s.table_schema = \"comptoir\" AND s.seq_in_index = 1 AND s.column_name <> \"shop_id\"
		AND s.index_name NOT LIKE \"k_%_id\" AND s.index_name NOT LIKE \"p\\_%\"
		AND s.index_name NOT IN (\"k_staff_sessions_seen\", \"k_login_failures_window\")") &&
	{ [ -z "$bad" ] || { echo "keys not starting with shop_id in: $bad"; false; }; }
'

test_expect_success 'shop list shows the configured shops with their ids' '
	cpt shop list && out_has "atelier" && out_has "cave.localhost" && out_has "$SHOP_HOST" &&
	[ "$(grep -c . "$TEST_TMP/out")" = "$(ls "$CPT_STACK_DIR"/etc/shops.d/*.yaml | wc -l)" ]
'

test_expect_success 'user add refuses an unknown role' '
	! COMPTOIR_PASSWORD=some-long-password cpt user add --shop atelier --email x@atelier.example --role admin &&
	out_has "usage:"
'

test_expect_success 'user add refuses a short password and an invalid e-mail' '
	! COMPTOIR_PASSWORD=short cpt user add --shop atelier --email y@atelier.example --role staff &&
	out_has "at least 10 characters" &&
	! COMPTOIR_PASSWORD=some-long-password cpt user add --shop atelier --email not-an-email --role staff &&
	[ "$(sql "SELECT COUNT(*) FROM staff_users WHERE email IN (\"y@atelier.example\", \"not-an-email\")")" = 0 ]
'

test_expect_success 'user add refuses an e-mail already used in the shop' '
	! COMPTOIR_PASSWORD=some-long-password cpt user add --shop atelier --email owner@atelier.example --role staff &&
	out_has "already exists"
'

test_expect_success 'user add refuses an unknown shop' '
	! COMPTOIR_PASSWORD=some-long-password cpt user add --shop nowhere --email z@x.example --role staff &&
	out_has "no shop '"'"'nowhere'"'"'"
'

test_expect_success 'the same e-mail may be staff of two shops, separately' '
	printf "two-shops-password\n" | "$CPT_BIN" --config "$CPT_CONFIG" user add --shop "$SHOP_CODE" \
		--email owner@atelier.example --role staff --locale en >"$TEST_TMP/out" 2>&1 &&
	out_has "added to $SHOP_CODE as staff" &&
	[ "$(sql "SELECT COUNT(*) FROM staff_users WHERE email = \"owner@atelier.example\"")" = 2 ]
'

test_expect_success 'user list shows the accounts of one shop only' '
	cpt user list --shop "$SHOP_CODE" && out_has "$SHOP_OWNER" && out_has "owner@atelier.example" &&
	! grep -q "picker@atelier.example" "$TEST_TMP/out"
'

test_expect_success 'the stored password is an argon2id hash' '
	[ "$(sql "SELECT COUNT(*) FROM staff_users WHERE password_hash NOT LIKE \"\$argon2id\$%\"")" = 0 ]
'

test_expect_success 'the demo keys of the README can be created, a too short key cannot' '
	cpt shop api-key --shop "$SHOP_CODE" --name demo --key "$DEMO_KEY" && out_has "$DEMO_KEY" &&
	! cpt shop api-key --shop "$SHOP_CODE" --name demo --key "$DEMO_KEY" && out_has "already exists" &&
	! cpt shop api-key --shop "$SHOP_CODE" --name short --key cpt_short &&
	[ "$(sql "SELECT COUNT(*) FROM api_keys WHERE name = \"short\"")" = 0 ] &&
	STATUS=$(curl -s -o "$BODY" -w "%{http_code}" -H "Host: $SHOP_HOST" \
		-H "Authorization: Bearer $DEMO_KEY" "http://127.0.0.1:$CPT_PORT/api/v1/products") &&
	test_status 200 &&
	cpt shop revoke-key --shop "$SHOP_CODE" --prefix "${DEMO_KEY:0:12}" &&
	STATUS=$(curl -s -o "$BODY" -w "%{http_code}" -H "Host: $SHOP_HOST" \
		-H "Authorization: Bearer $DEMO_KEY" "http://127.0.0.1:$CPT_PORT/api/v1/products") &&
	test_status 401
'

test_expect_success 'comptoir without a command prints its usage and fails' '
	! "$CPT_BIN" >"$TEST_TMP/out" 2>&1 && out_has "usage: comptoir" &&
	! "$CPT_BIN" frobnicate >"$TEST_TMP/out" 2>&1 && out_has "not a command"
'

test_expect_success 'work --once --interval 5 runs once, whatever the order of its options' '
	timeout 30 "$CPT_BIN" --config "$CPT_CONFIG" work --once --interval 5 >"$TEST_TMP/out" 2>&1 &&
	timeout 30 "$CPT_BIN" --config "$CPT_CONFIG" work --interval=5 --once >"$TEST_TMP/out" 2>&1
'

# Every subcommand, with a configuration that does not exist: a command line
# refused by the parser exits 2 before the configuration is read (1).
nowhere=$TEST_TMP/nowhere.yaml
for_each_command() {   # for_each_command STATUS TEXT ARGS…: every command refuses ARGS so
	local want=$1 text=$2 cmd rc
	shift 2
	for cmd in serve work migrate check-config "user add" "shop list" seed plugins; do
		# shellcheck disable=SC2086
		timeout 30 "$CPT_BIN" --config "$nowhere" $cmd "$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err"; rc=$?
		[ "$rc" = "$want" ] || { echo "$cmd $*: status $rc, wanted $want"; cat "$TEST_TMP/err"; return 1; }
		grep -qF -- "$text" "$TEST_TMP/err" || { echo "$cmd $*: stderr lacks $text"; cat "$TEST_TMP/err"; return 1; }
		grep -q "^usage: comptoir" "$TEST_TMP/err" || { echo "$cmd: no usage"; return 1; }
	done
}

test_expect_success 'every command refuses an unknown option by name, with its usage' '
	for_each_command 2 "unknown option --frobnicate" --frobnicate &&
	for_each_command 2 "unknown option --frobnicate=1" --frobnicate=1
'

test_expect_success 'every command answers --help on stdout with status 0, and --version' '
	for cmd in serve work migrate check-config user shop seed plugins; do
		"$CPT_BIN" --config "$nowhere" $cmd --help >"$TEST_TMP/out" 2>"$TEST_TMP/err" &&
		grep -q "^usage: comptoir.*$cmd" "$TEST_TMP/out" && [ ! -s "$TEST_TMP/err" ] &&
		"$CPT_BIN" --config "$nowhere" $cmd --version >"$TEST_TMP/out" &&
		grep -qx "comptoir [0-9][0-9.]*" "$TEST_TMP/out" || { echo "$cmd"; cat "$TEST_TMP/out" "$TEST_TMP/err"; return 1; }
	done &&
	"$CPT_BIN" --version >"$TEST_TMP/out" && grep -qx "comptoir [0-9][0-9.]*" "$TEST_TMP/out" &&
	"$CPT_BIN" --help >"$TEST_TMP/out" && grep -q "^usage: comptoir" "$TEST_TMP/out"
'

test_expect_success 'a missing value is named, and so is the value it would have eaten' '
	! "$CPT_BIN" --config "$nowhere" work --interval >"$TEST_TMP/out" 2>&1 &&
	out_has "work: --interval needs a value (SECONDS)" &&
	! "$CPT_BIN" --config "$nowhere" user add --shop --email x@atelier.example >"$TEST_TMP/out" 2>&1 &&
	out_has "user: --shop needs a value (CODE)" &&
	! "$CPT_BIN" --config >"$TEST_TMP/out" 2>&1 && out_has "--config needs a value"
'

test_expect_success 'numbers are whole numbers in range: --interval 5s is not 5' '
	for v in 5s 0 -1 86401 " 5" 5.0 0x10 99999999999999999999999; do
		"$CPT_BIN" --config "$nowhere" work --interval "$v" >"$TEST_TMP/out" 2>&1; rc=$?
		[ "$rc" = 2 ] || { echo "--interval \"$v\": status $rc"; return 1; }
		out_has "--interval must be a whole number from 1 to 86400" || return 1
	done
'

test_expect_success 'an option given twice, a flag given a value and a stray argument are refused' '
	! "$CPT_BIN" --config "$nowhere" work --interval 5 --interval 6 >"$TEST_TMP/out" 2>&1 &&
	out_has "--interval is given twice" &&
	! "$CPT_BIN" --config "$nowhere" work --once=yes >"$TEST_TMP/out" 2>&1 && out_has "--once takes no value" &&
	! "$CPT_BIN" --config "$nowhere" work now >"$TEST_TMP/out" 2>&1 && out_has "unexpected argument '"'"'now'"'"'"
'

# Types at a terminal: drives `user add` through a pseudo-terminal and
# prints everything the terminal showed.
at_terminal() {   # at_terminal PASSWORD1 PASSWORD2 ARGS…
	python3 - "$CPT_BIN" "$@" <<-'PY'
	import os, pty, select, sys, time
	binary, pw1, pw2, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
	pid, fd = pty.fork()
	if pid == 0:
	    os.environ.pop("COMPTOIR_PASSWORD", None)
	    os.execv(binary, [binary] + args)
	# Each answer goes after its prompt, or after 10 s without one, as a person
	# would type anyway.
	seen, answers, deadline = b"", [pw1, pw2], time.time() + 60
	asked = time.time()
	while time.time() < deadline:
	    r, _, _ = select.select([fd], [], [], 0.2)
	    if r:
	        try:
	            chunk = os.read(fd, 4096)
	        except OSError:
	            break
	        if not chunk:
	            break
	        seen += chunk
	    answered = 2 - len(answers)
	    if answers and (seen.count(b"assword") > answered or time.time() - asked > 10):
	        os.write(fd, answers.pop(0).encode() + b"\n")
	        asked = time.time()
	else:
	    os.kill(pid, 9)
	_, status = os.waitpid(pid, 0)
	sys.stdout.write(seen.decode(errors="replace"))
	sys.exit(os.waitstatus_to_exitcode(status))
	PY
}

test_expect_success 'user add at a terminal asks for the password twice and never shows it' '
	sql "DELETE FROM staff_users WHERE email IN (\"tty@cave.example\", \"tty2@cave.example\")" &&
	at_terminal "typed-at-a-tty" "typed-at-a-tty" --config "$CPT_CONFIG" user add --shop cave \
		--email tty@cave.example --role staff >"$TEST_TMP/out" 2>&1 &&
	out_has "Password:" && out_has "added to cave as staff" &&
	! grep -q "typed-at-a-tty" "$TEST_TMP/out" &&
	[ "$(sql "SELECT COUNT(*) FROM staff_users WHERE email = \"tty@cave.example\"")" = 1 ]
'

test_expect_success 'two different passwords at the terminal add nobody' '
	! at_terminal "typed-at-a-tty" "typed-at-a-tti" --config "$CPT_CONFIG" user add --shop cave \
		--email tty2@cave.example --role staff >"$TEST_TMP/out" 2>&1 &&
	out_has "the two passwords differ" &&
	[ "$(sql "SELECT COUNT(*) FROM staff_users WHERE email = \"tty2@cave.example\"")" = 0 ] &&
	sql "DELETE FROM staff_users WHERE email = \"tty@cave.example\""
'

test_done
