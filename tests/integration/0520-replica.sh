#!/usr/bin/env bash
# A read replica (database.replica): a MariaDB replica of the stack's
# MariaDB (tests/lib/replica.sh, GTID, row-based) is started for this
# script, and comptoir serve restarted with it in its configuration. To
# see which server answered, one order's customer is renamed on the
# replica only: the list shows the replica's name while it reads from the
# replica, the true one when it reads from the primary; the order page
# always shows the true one (it must show what was just written). Then
# the replica's SQL thread is stopped (new orders appear in the list from
# the primary, the log says so), started again (back to the replica), its
# server stopped (the back office answers, right), started again (back to
# it). Last, /_metrics' outbox depth. Everything is put back at the end.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"
export STACK_DIR=$CPT_STACK_DIR
. "$SRC_DIR/tools/lib/stack.sh"
. "$SRC_DIR/tests/lib/replica.sh"

MAX_LAG=2
MARK=Marque-de-la-réplique

# new_order LAST: an order of a customer named LAST, prints its code.
new_order() {
	cat >"$TEST_TMP/o.json" <<-JSON
	{"customer": {"first_name": "Rémi", "last_name": "$1", "email": "$1.$RUN@example.fr"},
	 "billing_address": {"name": "Rémi $1", "line1": "1 rue Neuve", "postcode": "69001", "city": "Lyon", "country": "FR"},
	 "lines": [{"sku": "R-MUG", "quantity": 1}], "payment_method": "banktransfer", "carrier": "colissimo"}
	JSON
	post_order "$TEST_TMP/o.json" >/dev/null && [ "$STATUS" = 201 ] && jget code
}

# comptoir serve again, every process, with the configuration as it is now.
server_restart() {
	comptoir_stop && comptoir_start
}

# list_until WHAT CONDITION: GET /orders until CONDITION (shell, on $BODY)
# holds for 2 x CPT_PROCS answers in a row (nginx takes turns between the
# processes), for at most 10 s past the lag bound.
list_until() {
	local i good=0
	for i in $(seq 1 $(((MAX_LAG + 10) * 10))); do
		http GET /orders && test_status 200 >/dev/null || return 1
		if eval "$2"; then
			good=$((good + 1))
			[ "$good" -ge $((2 * CPT_PROCS)) ] && { echo "$1 after $i requests"; return 0; }
		else
			good=0
			sleep 0.1
		fi
	done
	echo "never $1"; head -c 2000 "$BODY"; return 1
}
shows_mark() { grep -qF "$MARK" "$BODY"; }
# metric NAME: its value in this process's /_metrics (the one nginx chose).
metric() {
	curl -s -H "Host: $HOST" "http://127.0.0.1:$CPT_PORT/_metrics" | awk -v n="$1" '$1 == n { print $2 }'
}

LOG0=$(log_size)
test_shop_new || test_bail "no shop of its own"
KEY=$SHOP_KEY

test_expect_success 'setup: an order, then a replica of the database, in step' '
	put_product R-MUG "{\"name\": \"Tasse\", \"price\": 900, \"vat_rate\": 2000, \"stock_on_hand\": 1000}" &&
	test_status 201 &&
	CODE=$(new_order Primaire) && echo "$CODE" >"$TEST_TMP/code" &&
	replica_start &&
	[ "$(replica_sql comptoir -e "SELECT customer_last_name FROM orders WHERE shop_id = $SHOP_ID AND code = \"$CODE\"")" = Primaire ]
'
CODE=$(cat "$TEST_TMP/code" 2>/dev/null)

test_at_exit 'replica_stop'
test_at_exit 'replica_conf_off "$CPT_CONFIG" && server_restart >&2'
test_expect_success 'setup: the order renamed on the replica only; comptoir serve restarted with the replica' '
	replica_sql comptoir -e "UPDATE orders SET customer_last_name = \"$MARK\"
		WHERE shop_id = $SHOP_ID AND code = \"$CODE\"" &&
	[ "$(sql "SELECT customer_last_name FROM orders WHERE shop_id = $SHOP_ID AND code = \"$CODE\"")" = Primaire ] &&
	replica_conf_on "$CPT_CONFIG" "$MAX_LAG" && size=$(log_size) && server_restart &&
	wait_log_count "db: reads that may lag go to the replica (0 s behind)" "$size" "$CPT_PROCS" &&
	login "$SHOP_OWNER" "$DEMO_PASSWORD" && test_status 303
'

test_expect_success 'in step: the list reads from the replica (its SELECTs rise), /_metrics says so' '
	before=$(replica_sql -e "SHOW GLOBAL STATUS LIKE \"Com_select\"" | cut -f2) &&
	list_until "the replica'\''s name" shows_mark &&
	after=$(replica_sql -e "SHOW GLOBAL STATUS LIKE \"Com_select\"" | cut -f2) &&
	echo "replica Com_select $before -> $after" && [ $((after - before)) -ge $((2 * CPT_PROCS)) ] &&
	[ "$(metric comptoir_db_replica_in_use)" = 1 ] && [ "$(metric comptoir_db_replica_lag_seconds)" -le "$MAX_LAG" ] &&
	[ "$(metric "comptoir_db_reads_total{server=\"replica\"}")" -ge 1 ]
'

test_expect_success 'the CSV export and the search read from the replica too' '
	http GET /orders.csv && test_status 200 && body_has "$MARK" &&
	http GET "/search?q=R%C3%A9mi" && test_status 200 && body_has "$MARK"
'

test_expect_success 'the order page reads the primary: the true name, and an action shows at once' '
	http GET "/orders/$CODE" && test_status 200 && body_has Primaire && body_lacks "$MARK" &&
	csrf=$(session_csrf) &&
	http POST "/orders/$CODE/notes" --data-urlencode "csrf=$csrf" --data-urlencode "note=Vu sur le primaire" &&
	test_status 303 && http GET "/orders/$CODE" && test_status 200 && body_has "Vu sur le primaire"
'

test_expect_success 'the replica'\''s SQL thread stopped, new orders: the list shows them from the primary; the log says so once' '
	size=$(log_size) &&
	replica_sql -e "STOP SLAVE SQL_THREAD" &&
	A=$(new_order Arrivee-pendant-l-arret) && B=$(new_order Deuxieme-pendant-l-arret) &&
	list_until "the new orders from the primary" "! shows_mark && grep -q Arrivee-pendant-l-arret \"\$BODY\" && grep -q Deuxieme-pendant-l-arret \"\$BODY\"" &&
	wait_log_count "reads go to the primary: the replica.s SQL thread is not running" "$size" "$CPT_PROCS" &&
	[ "$(replica_sql comptoir -e "SELECT COUNT(*) FROM orders WHERE shop_id = $SHOP_ID AND customer_last_name LIKE \"%pendant-l-arret\"")" = 0 ] &&
	[ "$(metric comptoir_db_replica_in_use)" = 0 ] && [ "$(metric comptoir_db_replica_lag_seconds)" = NaN ] &&
	sleep 1.5 && [ "$(tail -c +$((size + 1)) "$CPT_LOG" | grep -c "reads go to the primary")" = "$CPT_PROCS" ]
'

test_expect_success 'the SQL thread started again: reads go back to the replica, which has the new orders' '
	size=$(log_size) &&
	replica_sql -e "START SLAVE SQL_THREAD" &&
	wait_log_count "db: reads that may lag go to the replica again" "$size" "$CPT_PROCS" &&
	list_until "back on the replica, caught up" "shows_mark && grep -q Arrivee-pendant-l-arret \"\$BODY\""
'

test_expect_success 'the replica server stopped: the back office answers, with the primary'\''s data' '
	size=$(log_size) &&
	replica_server_stop &&
	for i in $(seq 1 $((4 * CPT_PROCS))); do
		http GET /orders && test_status 200 && body_lacks "$MARK" && body_has Arrivee-pendant-l-arret || return 1
	done &&
	C=$(new_order Pendant-la-panne) &&
	list_until "the order taken while it is down" "grep -q Pendant-la-panne \"\$BODY\"" &&
	http GET /orders.csv && test_status 200 && body_has Pendant-la-panne && body_lacks "$MARK" &&
	http GET "/search?q=Pendant-la-panne" && test_status 200 && body_has Pendant-la-panne &&
	http GET "/orders/$CODE" && test_status 200 && body_has Primaire &&
	wait_log_count "reads go to the primary: the replica\(.s status\)\? cannot be" "$size" "$CPT_PROCS"
'

test_expect_success 'the replica server started again: reads go back to it, caught up' '
	size=$(log_size) &&
	replica_server_start &&
	wait_log_count "db: reads that may lag go to the replica again" "$size" "$CPT_PROCS" &&
	list_until "back on the replica, with the order taken meanwhile" "shows_mark && grep -q Pendant-la-panne \"\$BODY\""
'

test_expect_success 'nothing was written to the replica: no write refused by comptoir or by its server' '
	! tail -c +$((LOG0 + 1)) "$CPT_LOG" | grep -E "refused on the replica|read-only|command denied"
'

test_expect_success '/_metrics: the outbox depth, read through the index, as the database has it' '
	pending=$(sql "SELECT COUNT(*) FROM outbox WHERE state = \"pending\"") &&
	[ "$(metric comptoir_outbox_pending)" = "$pending" ] &&
	oldest=$(metric comptoir_outbox_oldest_pending_seconds) && [ -n "$oldest" ] &&
	want=$(sql "SELECT COALESCE(TIMESTAMPDIFF(SECOND, MIN(created_at), UTC_TIMESTAMP(6)), 0) FROM outbox WHERE state = \"pending\"") &&
	echo "pending $pending, oldest $oldest s (database: $want s)" &&
	[ $((oldest - want)) -le 2 ] && [ $((want - oldest)) -le 2 ] &&
	sql "EXPLAIN SELECT COUNT(*) FROM shops s STRAIGHT_JOIN outbox o FORCE INDEX (k_outbox_due)
		ON o.shop_id = s.id AND o.state = \"pending\"" >"$TEST_TMP/explain" &&
	cat "$TEST_TMP/explain" &&
	awk -F"\t" "\$3 == \"o\" { found = 1; if (\$4 != \"ref\" || \$6 != \"k_outbox_due\") exit 1 } END { exit !found }" "$TEST_TMP/explain"
'

test_done
