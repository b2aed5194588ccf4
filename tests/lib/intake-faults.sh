# intake-faults.sh: the database faults of the intake tests (0350, 0360)
# and the checks they share, sourced after api-lib.sh. Set before use:
#   P       the script's prefix: its SKUs and external references start
#           with "$P-", and every request's external_reference is its own
#   SKUS    the script's SKUs, comma-separated
# The streams are files written by intake_load.py run.

LOAD="$API_LIB/intake_load.py"

# fault_setup: an API key, 24 products with plenty of stock.
fault_setup() {
	[ -n "$KEY" ] || { echo "no API key"; return 1; }
	for sku in ${SKUS//,/ }; do
		put_product "$sku" "{\"name\": \"Article $sku\", \"price\": 1290, \"vat_rate\": 2000,
			\"weight\": 80, \"stock_on_hand\": 1000000}" && test_status 201 || return 1
	done
}

# kill_connections SECONDS PAUSE: for SECONDS, every PAUSE seconds, kills
# one of comptoir's connections to MariaDB (one running a statement if
# any, else any), as a failover or a proxy reset would. Prints the number
# of connections killed.
kill_connections() {
	mariadb --no-defaults --socket="$CPT_MYSQL_SOCK" -uroot -N -B <<-SQL
	DELIMITER //
	BEGIN NOT ATOMIC
	  DECLARE stop DATETIME(6) DEFAULT NOW(6) + INTERVAL $1 SECOND;
	  DECLARE victim BIGINT;
	  DECLARE kills INT DEFAULT 0;
	  WHILE NOW(6) < stop DO
	    SET victim = (SELECT id FROM information_schema.processlist WHERE user = 'comptoir'
	      ORDER BY command = 'Query' DESC, RAND() LIMIT 1);
	    IF victim IS NOT NULL THEN
	      BEGIN
	        -- it may have gone already
	        DECLARE CONTINUE HANDLER FOR SQLEXCEPTION BEGIN END;
	        EXECUTE IMMEDIATE CONCAT('KILL CONNECTION ', victim);
	        SET kills = kills + 1;
	      END;
	    END IF;
	    DO SLEEP($2);
	  END WHILE;
	  SELECT kills;
	END//
	SQL
}

# sql_stdin: runs the SQL of its standard input, as sql does.
sql_stdin() {
	mariadb --no-defaults --socket="$CPT_MYSQL_SOCK" -uroot -N -B comptoir
}

# answered_pairs FILE…: "(code, external_reference)" of the 201 answers,
# one a line, for an SQL row list.
answered_pairs() {
	"$PY" - "$@" <<-PY
	import json, sys
	for path in sys.argv[1:]:
	    for l in open(path, encoding="utf-8"):
	        r = json.loads(l)
	        if r["status"] == 201:
	            print("('%s','%s')" % (r["code"], json.loads(r["body"])["external_reference"]))
	PY
}

# whole_once FILE…: every order answered 201 in the streams is in the
# database under its own request, whole: number, 3 lines, 2 addresses, its
# event; and no request has two orders.
whole_once() {
	local n got dups
	answered_pairs "$@" | sort -u >"$TEST_TMP/pairs"
	n=$(wc -l <"$TEST_TMP/pairs")
	[ "$n" -gt 0 ] || { echo "no order answered 201"; return 1; }
	# Thousands of pairs: more than one argument may hold.
	got=$(sql_stdin <<-SQL
	SELECT COUNT(*) FROM orders o WHERE (o.code, o.external_reference) IN ($(paste -sd, "$TEST_TMP/pairs"))
		AND o.number IS NOT NULL
		AND (SELECT COUNT(*) FROM order_lines l WHERE l.shop_id = o.shop_id AND l.order_id = o.id) = 3
		AND (SELECT COUNT(*) FROM order_addresses a WHERE a.shop_id = o.shop_id AND a.order_id = o.id) = 2
		AND (SELECT COUNT(*) FROM order_events e WHERE e.shop_id = o.shop_id AND e.order_id = o.id
			AND e.action = 'order.created') = 1
	SQL
	) || return 1
	dups=$(sql "SELECT COUNT(*), IFNULL(SUM(n), 0) FROM (SELECT COUNT(*) n FROM orders
		WHERE external_reference LIKE '$P-%' GROUP BY shop_id, external_reference HAVING n > 1) d")
	echo "$n orders answered 201, $got of them whole in the database;" \
		"requests with more than one order, and their orders: $dups"
	[ "$got" = "$n" ] && [ "$dups" = "0	0" ]
}

# stock_matches: the reserved stock of each product of the script is the
# sum of the quantities of the order lines that reserved it.
stock_matches() {
	local bad
	bad=$(sql "SELECT p.sku, p.stock_reserved, IFNULL(SUM(l.quantity), 0) FROM products p
		LEFT JOIN order_lines l ON l.shop_id = p.shop_id AND l.product_id = p.id AND l.reserved_stock = 1
		WHERE p.sku LIKE '$P-%' GROUP BY p.shop_id, p.id
		HAVING p.stock_reserved <> IFNULL(SUM(l.quantity), 0)") || return 1
	[ -z "$bad" ] || { echo "sku, reserved, sum of lines: $bad"; return 1; }
}

# no_stray_orders FILE…: the database holds no order of the script that
# the clients do not know of: at most one per request left unanswered (or
# answered 5xx), none for a request answered otherwise.
no_stray_orders() {
	"$PY" - "$@" <<-PY >"$TEST_TMP/unanswered" || return 1
	import json, sys
	for path in sys.argv[1:]:
	    for l in open(path, encoding="utf-8"):
	        r = json.loads(l)
	        if r["status"] == 0 or r["status"] >= 500:
	            print(json.loads(r["body"])["external_reference"])
	PY
	local in_db answered unknown
	in_db=$(sql "SELECT COUNT(*) FROM orders WHERE external_reference LIKE '$P-%'")
	answered=$(answered_pairs "$@" | sort -u | wc -l)
	unknown=$(sort -u "$TEST_TMP/unanswered" | wc -l)
	echo "$in_db orders in the database, $answered answered 201, $unknown requests unanswered or 5xx"
	[ "$in_db" -ge "$answered" ] && [ "$in_db" -le $((answered + unknown)) ]
}

# retry_keyed FILE: sends again, with its key, every request of the stream
# that carried one and got no answer or a 5xx; each must now be answered
# 201 (taken then, or now), and the checks above still hold.
retry_keyed() {
	"$PY" "$LOAD" retry --port "$CPT_PORT" --key "$KEY" --in "$1" --skip-keyless \
		--out "$TEST_TMP/retry.jsonl" || return 1
	touch "$TEST_TMP/retry.jsonl"
	"$PY" "$LOAD" summary "$TEST_TMP/retry.jsonl"
	! grep -v '"status": 201' "$TEST_TMP/retry.jsonl" | head -n 3 | grep . &&
		whole_once "$1" "$TEST_TMP/retry.jsonl" && stock_matches
}

# fault_cleanup: deletes what the script wrote (its orders with their
# lines, addresses and events, its keys' answers, customers, products and
# API key); the shop's order counter keeps its value.
fault_cleanup() {
	sql "DELETE k FROM idempotency_keys k WHERE k.idem_key LIKE '$P-%';
		DELETE FROM orders WHERE external_reference LIKE '$P-%';
		DELETE FROM customers WHERE email LIKE '$P-%@example.fr';
		DELETE FROM products WHERE sku LIKE '$P-%';
		DELETE FROM api_keys WHERE name = '$KEY_NAME'"
}
