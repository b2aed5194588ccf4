#!/usr/bin/env bash
# Cancel (W4), automatic cancel of unpaid orders (W5), deleting a test
# order (W10), through nginx: a cancel gives the reserved stock back once,
# records a credit note due when the order has an invoice, writes its event
# and, when asked, the customer's e-mail, in one transaction; every refusal
# (a cancelled order again, a shipped one, a stale form, a real order
# deleted, another shop's order, no CSRF token) changes nothing; a cancel
# and a status change at once end in one of the two, never half of each;
# two `comptoir work` processes cancel 1,000 overdue orders, each once.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

# The other shop has a delay too, longer: its orders, as old as ours, are
# not overdue, so only a worker mixing shops up would touch them.
test_shop_new other "{storefront_prices: true, prices_include_vat: true, auto_cancel_unpaid_after: 30d}" ||
	test_bail "no second shop of its own"
OTHER_ID=$SHOP_ID OTHER_HOST=$SHOP_HOST OTHER_KEY=$SHOP_KEY
test_shop_new "" "{storefront_prices: true, prices_include_vat: true, auto_cancel_unpaid_after: 48h}" ||
	test_bail "no shop of its own"
KEY=$SHOP_KEY
EMAIL=lea.$RUN@example.fr

# order_json SKU QTY [TEST]: an order body of this script's customer.
order_json() {
	local test=${3:+', "test": true'}
	cat <<JSON
{"customer": {"first_name": "Léa", "last_name": "Girard", "email": "$EMAIL"},
 "billing_address": {"name": "Léa Girard", "line1": "3 quai Saint-Vincent", "postcode": "69001", "city": "Lyon", "country": "FR"},
 "lines": [{"sku": "$1", "quantity": $2}], "payment_method": "banktransfer", "carrier": "colissimo"$test}
JSON
}
# new_order SKU QTY [TEST]: prints the new order's code.
new_order() {
	order_json "$@" >"$TEST_TMP/o.json" && post_order "$TEST_TMP/o.json" >/dev/null && [ "$STATUS" = 201 ] &&
		jget code
}
ocol() { sql "SELECT $2 FROM orders WHERE shop_id = $SHOP_ID AND code = '$1'"; }
oid() { ocol "$1" id; }
reserved() { sql "SELECT stock_reserved FROM products WHERE shop_id = ${2:-$SHOP_ID} AND sku = '$1'"; }
# Everything an order action may write, of both shops: intake's tables
# (api-lib's checksum), the outbox, the shop log, the search terms.
state() {
	intake_state &&
	sql "CHECKSUM TABLE outbox, shop_log, order_search, order_notes EXTENDED" &&
	sql "SELECT COUNT(*) FROM outbox WHERE shop_id IN ($SHOP_ID, $OTHER_ID)"
}
same_state() {
	local after
	after=$(state)
	[ "$after" = "$1" ] || { echo "the database changed:"; diff <(echo "$1") <(echo "$after"); return 1; }
}
events() {
	sql "SELECT actor_type, actor_label, action, details FROM order_events
		WHERE shop_id = $SHOP_ID AND order_id = $(oid "$1") AND action <> 'order.created' ORDER BY id"
}
post_cancel() {
	http POST "/orders/$1/cancel" --data-urlencode "csrf=$CSRF" --data-urlencode "version=$2" \
		${3:+--data-urlencode "notify=1"}
}
post_delete() {
	http POST "/orders/$1/delete" --data-urlencode "csrf=$CSRF" --data-urlencode "version=$2"
}

test_expect_success 'products, an order of 3 through the intake API (3 reserved), staff logged in' '
	put_product W-LAMP "{\"name\": \"Lampe\", \"price\": 4500, \"vat_rate\": 2000, \"stock_on_hand\": 5000}" &&
	test_status 201 &&
	put_product W-CTRL "{\"name\": \"Témoin\", \"price\": 100, \"vat_rate\": 2000, \"stock_on_hand\": 100}" &&
	test_status 201 &&
	CODE=$(new_order W-LAMP 3) && [ -n "$CODE" ] && echo "$CODE" >"$TEST_TMP/code" &&
	[ "$(reserved W-LAMP)" = 3 ] &&
	login "$SHOP_STAFF" "$DEMO_PASSWORD" && test_status 303 &&
	CSRF=$(session_csrf) && [ -n "$CSRF" ] && echo "$CSRF" >"$TEST_TMP/csrf"
'
CODE=$(cat "$TEST_TMP/code" 2>/dev/null)
CSRF=$(cat "$TEST_TMP/csrf" 2>/dev/null)
[ -n "$CODE" ] && [ -n "$CSRF" ] || test_bail "no order or no session"

test_expect_success 'the order page leads to the confirmation, which says what a cancel will do' '
	http GET "/orders/$CODE" && test_status 200 &&
	body_has "href=\"/orders/$CODE/cancel\"" && body_has "Annuler la commande…" &&
	body_lacks "href=\"/orders/$CODE/delete\"" &&
	http GET "/orders/$CODE/cancel" && test_status 200 &&
	body_has "Une annulation est définitive." &&
	body_has "Le stock réservé pour cette commande est remis en vente" &&
	body_has "<li>3 × <span class=\"code\">W-LAMP</span> Lampe</li>" &&
	body_has "La commande n’a pas de facture : aucun avoir n’est dû." &&
	body_has "action=\"/orders/$CODE/cancel\"" && body_has "name=\"version\" value=\"0\"" &&
	body_has "name=\"notify\" value=\"1\" checked"
'

test_expect_success 'cancel, the customer told: status, version, stock back, one event, one e-mail' '
	post_cancel "$CODE" 0 notify && test_status 303 && header_has "^Location: /orders/$CODE#history" &&
	[ "$(ocol "$CODE" "status, version, credit_note_due, payment_state, shipping_state")" = \
	  "$(printf "cancelled\t1\t0\tunpaid\tunshipped")" ] &&
	[ "$(reserved W-LAMP)" = 0 ] &&
	[ "$(sql "SELECT stock_on_hand FROM products WHERE shop_id = $SHOP_ID AND sku = \"W-LAMP\"")" = 5000 ] &&
	[ "$(events "$CODE")" = "$(printf "staff\tstaff@%s.example\torder.cancelled\t%s" "$SHOP_CODE" \
	  "{\"from\":\"received\",\"to\":\"cancelled\",\"customer_told\":true,\"credit_note_due\":false,\"automatic\":false}")" ] &&
	[ "$(sql "SELECT kind, recipient, locale, template, state, subject FROM outbox WHERE shop_id = $SHOP_ID")" = \
	  "$(printf "email\t%s\tfr\torder_cancelled\tpending\tVotre commande %s : Annulée" "$EMAIL" "$(ocol "$CODE" number)")" ] &&
	sql "SELECT body FROM outbox WHERE shop_id = $SHOP_ID" | grep -qF "a été annulée." &&
	[ "$(sql "SELECT dedup_key FROM outbox WHERE shop_id = $SHOP_ID")" = \
	  "order:$(oid "$CODE"):event:$(sql "SELECT MAX(id) FROM order_events WHERE shop_id = $SHOP_ID")" ]
'

test_expect_success 'the history says it in words; the page offers no cancel any more' '
	http GET "/orders/$CODE" && test_status 200 &&
	body_has "Commande annulée ; stock réservé rendu ; client prévenu par e-mail" &&
	body_lacks "href=\"/orders/$CODE/cancel\"" &&
	body_has "Cette commande est déjà annulée"
'

test_expect_success 'a cancelled order cancelled again: 409, why in French, nothing written' '
	before=$(state) &&
	post_cancel "$CODE" 1 notify && test_status 409 &&
	body_has "Cette commande est déjà annulée : une annulation ne peut être ni défaite ni refaite." &&
	same_state "$before" && [ "$(reserved W-LAMP)" = 0 ]
'

test_expect_success 'an invoiced order, cancelled without the e-mail: credit note due, no message' '
	C2=$(new_order W-LAMP 2) && [ -n "$C2" ] && echo "$C2" >"$TEST_TMP/c2" &&
	sql "UPDATE orders SET invoice_number = \"F-$RUN\" WHERE shop_id = $SHOP_ID AND code = \"$C2\"" &&
	http GET "/orders/$C2/cancel" && test_status 200 &&
	body_has "La commande a une facture : un avoir sera dû, et noté comme tel." && body_has "(F-$RUN)" &&
	post_cancel "$C2" 0 && test_status 303 &&
	[ "$(ocol "$C2" "status, credit_note_due, invoice_number")" = "$(printf "cancelled\t1\tF-%s" "$RUN")" ] &&
	[ "$(events "$C2" | cut -f3,4)" = "$(printf "order.cancelled\t%s" \
	  "{\"from\":\"received\",\"to\":\"cancelled\",\"customer_told\":false,\"credit_note_due\":true,\"automatic\":false}")" ] &&
	[ "$(sql "SELECT COUNT(*) FROM outbox WHERE shop_id = $SHOP_ID")" = 1 ] &&
	[ "$(reserved W-LAMP)" = 0 ] &&
	http GET "/orders/$C2" && body_has "Commande annulée ; stock réservé rendu ; un avoir est dû"
'

test_expect_success 'a stale form: 409, the order changed meanwhile, nothing written' '
	C3=$(new_order W-LAMP 1) && [ -n "$C3" ] && echo "$C3" >"$TEST_TMP/c3" &&
	sql "UPDATE orders SET version = version + 1 WHERE shop_id = $SHOP_ID AND code = \"$C3\"" &&
	before=$(state) &&
	post_cancel "$C3" 0 notify && test_status 409 && body_has "La commande a changé entre-temps" &&
	same_state "$before" && [ "$(reserved W-LAMP)" = 1 ]
'
C3=$(cat "$TEST_TMP/c3" 2>/dev/null)

test_expect_success 'a shipped order cannot be cancelled: no button, the request refused, nothing written' '
	http POST "/orders/$C3/status" --data-urlencode "csrf=$CSRF" --data-urlencode "status=processing" \
		--data-urlencode "version=1" && test_status 303 &&
	http POST "/orders/$C3/status" --data-urlencode "csrf=$CSRF" --data-urlencode "status=shipped" \
		--data-urlencode "version=2" && test_status 303 &&
	http GET "/orders/$C3" && body_lacks "href=\"/orders/$C3/cancel\"" &&
	before=$(state) &&
	post_cancel "$C3" 3 && test_status 409 &&
	body_has "La commande ne peut pas passer de son état actuel à celui-ci." &&
	same_state "$before" && [ "$(ocol "$C3" status)" = shipped ] && [ "$(reserved W-LAMP)" = 1 ]
'

test_expect_success 'another shop'"'"'s order: the same 404 as none, for the page and both POSTs; nothing written' '
	HOST=$OTHER_HOST KEY=$OTHER_KEY put_product W-LAMP "{\"name\": \"Lampe\", \"price\": 4500,
		\"vat_rate\": 2000, \"stock_on_hand\": 50}" && [ "$STATUS" = 201 ] &&
	other=$(HOST=$OTHER_HOST KEY=$OTHER_KEY new_order W-LAMP 1 test) && [ -n "$other" ] &&
	before=$(state) &&
	post_cancel "$other" 0 && test_status 404 && cp "$BODY" "$TEST_TMP/404-other" &&
	post_cancel ZZZZZZZZ 0 && test_status 404 && cmp "$BODY" "$TEST_TMP/404-other" &&
	post_delete "$other" 0 && test_status 404 &&
	http GET "/orders/$other/cancel" && test_status 404 &&
	http GET "/orders/$other/delete" && test_status 404 &&
	same_state "$before" && [ "$(reserved W-LAMP "$OTHER_ID")" = 1 ]
'

test_expect_success 'without the CSRF token: 403 for cancel and delete, nothing written' '
	C4=$(new_order W-LAMP 1 test) && [ -n "$C4" ] && echo "$C4" >"$TEST_TMP/c4" &&
	before=$(state) &&
	http POST "/orders/$C4/cancel" --data-urlencode "version=0" && test_status 403 &&
	http POST "/orders/$C4/delete" --data-urlencode "csrf=not-the-token" --data-urlencode "version=0" &&
	test_status 403 &&
	same_state "$before"
'
C4=$(cat "$TEST_TMP/c4" 2>/dev/null)

test_expect_success 'a real order cannot be deleted: no button, the request refused (409), nothing written' '
	C5=$(new_order W-LAMP 1) && [ -n "$C5" ] &&
	http GET "/orders/$C5" && body_lacks "href=\"/orders/$C5/delete\"" &&
	before=$(state) &&
	post_delete "$C5" 0 && test_status 409 &&
	body_has "Seule une commande de test peut être supprimée : une vraie commande reste dans les comptes" &&
	same_state "$before" && [ "$(ocol "$C5" "status, version")" = "$(printf "received\t0")" ]
'

test_expect_success 'a test order is deleted: stock back, the order and all hanging on it gone, the shop log says who' '
	http GET "/orders/$C4" && body_has "href=\"/orders/$C4/delete\"" &&
	http GET "/orders/$C4/delete" && test_status 200 && body_has "La suppression est définitive." &&
	id=$(oid "$C4") && number=$(ocol "$C4" number) && r0=$(reserved W-LAMP) &&
	http POST "/orders/$C4/notes" --data-urlencode "csrf=$CSRF" --data-urlencode "note=à supprimer" &&
	test_status 303 &&
	[ "$(sql "SELECT COUNT(*) FROM order_search WHERE shop_id = $SHOP_ID AND order_id = $id")" -gt 0 ] &&
	post_delete "$C4" 1 && test_status 409 && body_has "La commande a changé entre-temps" &&
	post_delete "$C4" 0 && test_status 303 && header_has "^Location: /orders" &&
	[ "$(reserved W-LAMP)" = $((r0 - 1)) ] &&
	for t in orders:id order_lines:order_id order_addresses:order_id order_events:order_id order_notes:order_id \
		order_search:order_id outbox:order_id staff_recent_orders:order_id idempotency_keys:order_id; do
		n=$(sql "SELECT COUNT(*) FROM ${t%%:*} WHERE shop_id = $SHOP_ID AND ${t#*:} = $id") &&
		[ "$n" = 0 ] || { echo "${t%%:*}: $n rows left"; return 1; }
	done &&
	[ "$(sql "SELECT actor_type, actor_label, action, JSON_VALUE(details, \"$.code\"), JSON_VALUE(details, \"$.number\")
		FROM shop_log WHERE shop_id = $SHOP_ID")" = \
	  "$(printf "staff\tstaff@%s.example\torder.test_deleted\t%s\t%s" "$SHOP_CODE" "$C4" "$number")" ] &&
	http GET "/orders/$C4" && test_status 404 &&
	post_delete "$C4" 0 && test_status 404
'

test_expect_success 'a picker may neither cancel nor delete: 403' '
	C6=$(new_order W-LAMP 1 test) && [ -n "$C6" ] &&
	before=$(state) &&
	JAR=$TEST_TMP/picker login "$SHOP_PICKER" "$DEMO_PASSWORD" && test_status 303 &&
	csrf=$(JAR=$TEST_TMP/picker session_csrf) &&
	JAR=$TEST_TMP/picker http GET "/orders/$C6/cancel" && test_status 403 &&
	JAR=$TEST_TMP/picker http POST "/orders/$C6/cancel" --data-urlencode "csrf=$csrf" --data-urlencode "version=0" &&
	test_status 403 &&
	JAR=$TEST_TMP/picker http POST "/orders/$C6/delete" --data-urlencode "csrf=$csrf" --data-urlencode "version=0" &&
	test_status 403 &&
	same_state "$before"
'

test_expect_success 'a cancel and a status change at once, 20 times: one wins whole, the other is told' '
	cancelled=0 changed=0
	for i in $(seq 1 20); do
		c=$(new_order W-CTRL 1) && [ -n "$c" ] || return 1
		r0=$(reserved W-CTRL)
		curl -s -o "$TEST_TMP/race-cancel" -w "%{http_code}" -b "$JAR" -H "Host: $HOST" \
			--data-urlencode "csrf=$CSRF" --data-urlencode "version=0" --data-urlencode "notify=1" \
			"http://127.0.0.1:$CPT_PORT/orders/$c/cancel" >"$TEST_TMP/rc-cancel" &
		curl -s -o "$TEST_TMP/race-status" -w "%{http_code}" -b "$JAR" -H "Host: $HOST" \
			--data-urlencode "csrf=$CSRF" --data-urlencode "status=processing" --data-urlencode "version=0" \
			"http://127.0.0.1:$CPT_PORT/orders/$c/status" >"$TEST_TMP/rc-status" &
		wait
		rc=$(cat "$TEST_TMP/rc-cancel")/$(cat "$TEST_TMP/rc-status")
		acts=$(sql "SELECT GROUP_CONCAT(action ORDER BY id) FROM order_events WHERE shop_id = $SHOP_ID
			AND order_id = $(oid "$c") AND action <> \"order.created\"")
		mails=$(sql "SELECT COUNT(*) FROM outbox WHERE shop_id = $SHOP_ID AND order_id = $(oid "$c")")
		case $rc in
		303/409)
			grep -q "changé entre-temps" "$TEST_TMP/race-status" &&
			[ "$(ocol "$c" "status, version")" = "$(printf "cancelled\t1")" ] &&
			[ "$acts" = order.cancelled ] && [ "$mails" = 1 ] &&
			[ "$(reserved W-CTRL)" = $((r0 - 1)) ] ||
				{ echo "round $i, the cancel won: $(ocol "$c" "status, version") $acts $mails $(reserved W-CTRL)/$r0"; return 1; }
			cancelled=$((cancelled + 1)) ;;
		409/303)
			grep -q "changé entre-temps" "$TEST_TMP/race-cancel" &&
			[ "$(ocol "$c" "status, version")" = "$(printf "processing\t1")" ] &&
			[ "$acts" = order.status_changed ] && [ "$mails" = 0 ] &&
			[ "$(reserved W-CTRL)" = "$r0" ] ||
				{ echo "round $i, the status won: $(ocol "$c" "status, version") $acts $mails $(reserved W-CTRL)/$r0"; return 1; }
			changed=$((changed + 1)) ;;
		*)
			echo "round $i: answers $rc"; return 1 ;;
		esac
	done
	say "cancel won $cancelled times, the status change $changed times"
	[ "$(reserved W-CTRL)" = "$(sql "SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l JOIN orders o
		ON o.shop_id = l.shop_id AND o.id = l.order_id JOIN products p ON p.shop_id = l.shop_id AND p.id = l.product_id
		WHERE l.shop_id = $SHOP_ID AND p.sku = \"W-CTRL\" AND o.status <> \"cancelled\"")" ]
'

# ---- W5: two workers, 1,000 overdue unpaid orders ------------------------

N=1000
# Before the orders below are made overdue by SQL (which moves no counter).
test_expect_success 'the dashboard counters followed every cancel, race and test order deleted' '
	counts_exact "$SHOP_ID"
'

test_expect_success "$N overdue unpaid orders through the intake API, and orders that must stay" '
	order_json W-LAMP 2 >"$TEST_TMP/bulk.json" &&
	R0=$(reserved W-LAMP) && echo "$R0" >"$TEST_TMP/r0" &&
	mark=$(sql "SELECT MAX(id) FROM orders") &&
	seq 1 $N | xargs -P 4 -I{} curl -s -o /dev/null -w "%{http_code}\n" -H "Host: $HOST" \
		-H "Authorization: Bearer $KEY" -H "Content-Type: application/json" \
		--data-binary "@$TEST_TMP/bulk.json" "http://127.0.0.1:$CPT_PORT/api/v1/orders" >"$TEST_TMP/bulk.codes" &&
	[ "$(sort "$TEST_TMP/bulk.codes" | uniq -c | tr -s " ")" = " $N 201" ] &&
	[ "$(reserved W-LAMP)" = $((R0 + 2 * N)) ] &&
	[ "$(sql "UPDATE orders SET placed_at = NOW(6) - INTERVAL 3 DAY WHERE shop_id = $SHOP_ID AND id > $mark;
		SELECT ROW_COUNT()")" = $N ] &&
	fresh=$(new_order W-CTRL 1) && paid=$(new_order W-CTRL 1) && held=$(new_order W-CTRL 1) &&
	working=$(new_order W-CTRL 1) && waiting=$(new_order W-CTRL 1) &&
	sql "UPDATE orders SET placed_at = NOW(6) - INTERVAL 47 HOUR WHERE shop_id = $SHOP_ID AND code = \"$fresh\";
		UPDATE orders SET placed_at = NOW(6) - INTERVAL 3 DAY, payment_state = \"paid\", paid_cents = total_cents
			WHERE shop_id = $SHOP_ID AND code = \"$paid\";
		UPDATE orders SET placed_at = NOW(6) - INTERVAL 3 DAY, on_hold = 1, hold_reason = \"virement annoncé\"
			WHERE shop_id = $SHOP_ID AND code = \"$held\";
		UPDATE orders SET placed_at = NOW(6) - INTERVAL 3 DAY, status = \"processing\"
			WHERE shop_id = $SHOP_ID AND code = \"$working\";
		UPDATE orders SET placed_at = NOW(6) - INTERVAL 3 DAY, status = \"awaiting_payment\"
			WHERE shop_id = $SHOP_ID AND code = \"$waiting\"" &&
	for i in 1 2 3; do
		HOST=$OTHER_HOST KEY=$OTHER_KEY new_order W-LAMP 1 >/dev/null || return 1
	done &&
	sql "UPDATE orders SET placed_at = NOW(6) - INTERVAL 3 DAY WHERE shop_id = $OTHER_ID" &&
	echo "$fresh $paid $held $working" >"$TEST_TMP/kept" && echo "$waiting" >"$TEST_TMP/waiting"
'

# The rows that must not change: ours that stay, and the other shop's.
kept_state() {
	sql "SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', id, status, version, payment_state, on_hold, updated_at) ORDER BY id))
		FROM orders WHERE (shop_id = $SHOP_ID AND code IN ($(sed "s/\([A-Z0-9]*\)/'\1'/g; s/ /,/g" "$TEST_TMP/kept")))
		OR shop_id = $OTHER_ID" &&
	sql "SELECT stock_reserved FROM products WHERE shop_id = $OTHER_ID" &&
	sql "SELECT COUNT(*) FROM order_events WHERE shop_id = $OTHER_ID"
}

test_expect_success 'two comptoir work processes at once: each overdue order cancelled once, stock back once' '
	R0=$(cat "$TEST_TMP/r0") && waiting=$(cat "$TEST_TMP/waiting") &&
	kept=$(kept_state) && ctrl=$(reserved W-CTRL) &&
	mails0=$(sql "SELECT COUNT(*) FROM outbox WHERE shop_id = $SHOP_ID") || return 1
	"$CPT_BIN" --config "$CPT_CONFIG" work --once >"$TEST_TMP/w1.log" 2>&1 & p1=$!
	"$CPT_BIN" --config "$CPT_CONFIG" work --once >"$TEST_TMP/w2.log" 2>&1 & p2=$!
	wait $p1 && wait $p2 || { cat "$TEST_TMP"/w?.log; return 1; }
	n1=$(sed -n "s/.*shop $SHOP_CODE: cancelled \([0-9]*\) orders.*/\1/p" "$TEST_TMP/w1.log")
	n2=$(sed -n "s/.*shop $SHOP_CODE: cancelled \([0-9]*\) orders.*/\1/p" "$TEST_TMP/w2.log")
	say "the workers cancelled ${n1:-0} and ${n2:-0} orders"
	[ $((${n1:-0} + ${n2:-0})) = $((N + 1)) ] || { cat "$TEST_TMP"/w?.log;
		sql "SELECT code, status, payment_state, on_hold, version, placed_at FROM orders WHERE shop_id = $SHOP_ID
			AND status IN (\"received\", \"awaiting_payment\") AND placed_at < NOW(6) - INTERVAL 48 HOUR"; return 1; }
	[ "$(reserved W-LAMP)" = "$R0" ] &&
	[ "$(reserved W-CTRL)" = $((ctrl - 1)) ] &&
	[ "$(ocol "$waiting" status)" = cancelled ] &&
	[ "$(sql "SELECT COUNT(*) FROM order_events e JOIN orders o ON o.shop_id = e.shop_id AND o.id = e.order_id
		WHERE e.shop_id = $SHOP_ID AND e.action = \"order.cancelled\" AND o.status = \"cancelled\"
		AND JSON_VALUE(e.details, \"$.automatic\") = 1")" = $((N + 1)) ] &&
	[ "$(sql "SELECT COUNT(*) FROM (SELECT order_id FROM order_events WHERE shop_id = $SHOP_ID
		AND action = \"order.cancelled\" GROUP BY order_id HAVING COUNT(*) <> 1) x")" = 0 ] &&
	[ "$(sql "SELECT DISTINCT actor_type, actor_id IS NULL FROM order_events WHERE shop_id = $SHOP_ID
		AND action = \"order.cancelled\" AND JSON_VALUE(details, \"$.automatic\") = 1")" = "$(printf "system\t1")" ] &&
	[ "$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $SHOP_ID AND status = \"received\"
		AND placed_at < NOW(6) - INTERVAL 48 HOUR AND payment_state = \"unpaid\" AND on_hold = 0")" = 0 ] &&
	[ "$(sql "SELECT COUNT(*) FROM outbox WHERE shop_id = $SHOP_ID")" = $((mails0 + N + 1)) ] &&
	[ "$(kept_state)" = "$kept" ] &&
	sql "SELECT body FROM outbox WHERE shop_id = $SHOP_ID ORDER BY id DESC LIMIT 1" |
		grep -qF "son paiement n’étant pas arrivé à temps"
'

test_expect_success 'a second pass finds nothing more to cancel' '
	before=$(state) &&
	"$CPT_BIN" --config "$CPT_CONFIG" work --once >"$TEST_TMP/w3.log" 2>&1 &&
	! grep -q "shop $SHOP_CODE: cancelled" "$TEST_TMP/w3.log" &&
	same_state "$before"
'

test_expect_success 'the automatic cancel reads in words in the history' '
	c=$(sql "SELECT code FROM orders WHERE shop_id = $SHOP_ID AND status = \"cancelled\" ORDER BY id DESC LIMIT 1") &&
	http GET "/orders/$c" && test_status 200 &&
	body_has "Comptoir, automatiquement" &&
	body_has "Annulée automatiquement : impayée après le délai de la boutique ; stock réservé rendu"
'

test_done
