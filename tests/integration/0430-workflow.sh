#!/usr/bin/env bash
# Working an order (issue 13): the status changes along the one table of
# allowed moves, each change with its history event and, when the customer
# is to be told, one message in the outbox, all in one transaction; a
# refused change (a forbidden move, a stale form, another shop's order)
# changes nothing; two staff changing one order at once: one wins, the
# other is told the order changed meanwhile.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

test_shop_new other || test_bail "no second shop of its own"
OTHER_ID=$SHOP_ID OTHER_HOST=$SHOP_HOST OTHER_KEY=$SHOP_KEY
test_shop_new || test_bail "no shop of its own"
KEY=$SHOP_KEY
EMAIL=ines.$RUN@example.fr

# new_order QTY: an order of this script's customer, prints its code.
new_order() {
	cat >"$TEST_TMP/o.json" <<JSON
{"customer": {"first_name": "Inès", "last_name": "Moreau", "email": "$EMAIL"},
 "billing_address": {"name": "Inès Moreau", "line1": "1 rue Neuve", "postcode": "69001", "city": "Lyon", "country": "FR"},
 "lines": [{"sku": "W-MUG", "quantity": $1}], "payment_method": "banktransfer", "carrier": "colissimo"}
JSON
	post_order "$TEST_TMP/o.json" >/dev/null && [ "$STATUS" = 201 ] && jget code
}

ocol() { sql "SELECT $2 FROM orders WHERE shop_id = $SHOP_ID AND code = '$1'"; }
# The order's footprint: its row, its events, the shop's outbox and stock.
state() {
	sql "SELECT MD5(CONCAT_WS('|', id, status, version, on_hold, payment_state, shipping_state, updated_at))
		FROM orders WHERE shop_id = $SHOP_ID AND code = '$1'" &&
	sql "SELECT COUNT(*), MAX(id) FROM order_events WHERE shop_id = $SHOP_ID" &&
	sql "SELECT COUNT(*), MD5(GROUP_CONCAT(CONCAT_WS('|', id, subject, body) ORDER BY id)) FROM outbox
		WHERE shop_id = $SHOP_ID" &&
	sql "SELECT stock_on_hand, stock_reserved FROM products WHERE shop_id = $SHOP_ID"
}
same_state() {
	local after
	after=$(state "$1")
	[ "$after" = "$2" ] || { echo "the database changed:"; diff <(echo "$2") <(echo "$after"); return 1; }
}
# post_status CODE STATUS VERSION [notify]: the status form, as the page sends it.
post_status() {
	http POST "/orders/$1/status" --data-urlencode "csrf=$CSRF" --data-urlencode "status=$2" \
		--data-urlencode "version=$3" ${4:+--data-urlencode "notify=1"}
}
last_event() {
	sql "SELECT actor_type, actor_label, action, details FROM order_events
		WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$1" id) ORDER BY id DESC LIMIT 1"
}

test_expect_success 'a product and an order through the intake API' '
	put_product W-MUG "{\"name\": \"Mug\", \"price\": 1200, \"vat_rate\": 2000, \"stock_on_hand\": 20}" &&
	test_status 201 &&
	CODE=$(new_order 2) && [ -n "$CODE" ] && echo "$CODE" >"$TEST_TMP/code" &&
	[ "$(ocol "$CODE" "status, version")" = "$(printf "received\t0")" ]
'
CODE=$(cat "$TEST_TMP/code" 2>/dev/null)
[ -n "$CODE" ] || test_bail "no order"

test_expect_success 'log in as staff; the page offers the moves the table allows, e-mail ticked' '
	login "$SHOP_STAFF" "$DEMO_PASSWORD" && test_status 303 &&
	CSRF=$(session_csrf) && [ -n "$CSRF" ] && echo "$CSRF" >"$TEST_TMP/csrf" &&
	http GET "/orders/$CODE" && test_status 200 &&
	body_has "action=\"/orders/$CODE/status\"" &&
	body_has "name=\"version\" value=\"0\"" &&
	body_has "<option value=\"awaiting_payment\">En attente de paiement</option>" &&
	body_has "<option value=\"processing\">En préparation</option>" &&
	body_lacks "<option value=\"shipped\">" && body_lacks "<option value=\"cancelled\">" &&
	body_has "name=\"notify\" value=\"1\" checked"
'

CSRF=$(cat "$TEST_TMP/csrf" 2>/dev/null)

test_expect_success 'received → processing, the customer told: status, version, event, one e-mail' '
	post_status "$CODE" processing 0 notify && test_status 303 &&
	header_has "^Location: /orders/$CODE#status" &&
	[ "$(ocol "$CODE" "status, version, payment_state, shipping_state")" = "$(printf "processing\t1\tunpaid\tunshipped")" ] &&
	[ "$(last_event "$CODE")" = "$(printf "staff\tstaff@%s.example\torder.status_changed\t{\"from\":\"received\",\"to\":\"processing\",\"customer_told\":true}" "$SHOP_CODE")" ] &&
	[ "$(sql "SELECT kind, recipient, locale, template, state, attempts, subject FROM outbox WHERE shop_id = $SHOP_ID")" = \
	  "$(printf "email\t%s\tfr\torder_processing\tpending\t0\tVotre commande %s : En préparation" "$EMAIL" "$(ocol "$CODE" number)")" ] &&
	sql "SELECT body FROM outbox WHERE shop_id = $SHOP_ID" | grep -qF "Bonjour Inès" &&
	[ "$(sql "SELECT dedup_key FROM outbox WHERE shop_id = $SHOP_ID")" = \
	  "order:$(ocol "$CODE" id):event:$(sql "SELECT MAX(id) FROM order_events WHERE shop_id = $SHOP_ID")" ] &&
	[ "$(sql "SELECT stock_on_hand, stock_reserved FROM products WHERE shop_id = $SHOP_ID")" = "$(printf "20\t2")" ]
'

test_expect_success 'the history says it in words' '
	http GET "/orders/$CODE" && test_status 200 &&
	body_has "Statut passé de Reçue à En préparation"
'

test_expect_success 'the same form sent again (stale version): 409, the order changed meanwhile, nothing written' '
	before=$(state "$CODE") &&
	post_status "$CODE" shipped 0 notify && test_status 409 &&
	body_has "La commande a changé entre-temps" &&
	same_state "$CODE" "$before"
'

test_expect_success 'a forbidden move (processing → received): 422, why in French, nothing written' '
	before=$(state "$CODE") &&
	post_status "$CODE" received 1 && test_status 422 &&
	body_has "La commande ne peut pas passer de son état actuel à celui-ci." &&
	same_state "$CODE" "$before"
'

test_expect_success 'cancelling is not a status change: refused, nothing written' '
	before=$(state "$CODE") &&
	post_status "$CODE" cancelled 1 && test_status 422 &&
	body_has "Pour annuler une commande, utilisez" &&
	same_state "$CODE" "$before"
'

test_expect_success 'an unknown status: refused, nothing written' '
	before=$(state "$CODE") &&
	post_status "$CODE" teleported 1 && test_status 422 && body_has "Cet état n’existe pas." &&
	same_state "$CODE" "$before"
'

test_expect_success 'without the box ticked, no e-mail; shipped → completed, then nothing more' '
	post_status "$CODE" shipped 1 && test_status 303 &&
	[ "$(last_event "$CODE" | cut -f4)" = "{\"from\":\"processing\",\"to\":\"shipped\",\"customer_told\":false}" ] &&
	[ "$(sql "SELECT COUNT(*) FROM outbox WHERE shop_id = $SHOP_ID")" = 1 ] &&
	post_status "$CODE" completed 2 && test_status 303 &&
	[ "$(ocol "$CODE" "status, version")" = "$(printf "completed\t3")" ] &&
	http GET "/orders/$CODE" && body_has "ne peut plus changer" && body_lacks "action=\"/orders/$CODE/status\"" &&
	before=$(state "$CODE") &&
	post_status "$CODE" delivered 3 && test_status 422 &&
	body_has "Une commande terminée ou annulée garde son état." &&
	same_state "$CODE" "$before"
'

test_expect_success 'another shop'"'"'s order: the same 404 as none, nothing written' '
	HOST=$OTHER_HOST KEY=$OTHER_KEY put_product W-MUG "{\"name\": \"Verre\", \"price\": 900,
		\"vat_rate\": 2000, \"stock_on_hand\": 5}" && [ "$STATUS" = 201 ] &&
	other=$(HOST=$OTHER_HOST KEY=$OTHER_KEY new_order 1) && [ -n "$other" ] &&
	obefore=$(sql "SELECT status, version FROM orders WHERE shop_id = $OTHER_ID AND code = \"$other\"") &&
	post_status "$other" processing 0 && test_status 404 && cp "$BODY" "$TEST_TMP/404-other" &&
	post_status ZZZZZZZZ processing 0 && test_status 404 &&
	cmp "$BODY" "$TEST_TMP/404-other" &&
	[ "$(sql "SELECT status, version FROM orders WHERE shop_id = $OTHER_ID AND code = \"$other\"")" = "$obefore" ]
'

test_expect_success 'without the CSRF token: 403, nothing written' '
	C2=$(new_order 1) && [ -n "$C2" ] && echo "$C2" >"$TEST_TMP/c2" &&
	before=$(state "$C2") &&
	http POST "/orders/$C2/status" --data-urlencode "status=processing" --data-urlencode "version=0" &&
	test_status 403 && same_state "$C2" "$before"
'
C2=$(cat "$TEST_TMP/c2" 2>/dev/null)

post_hold() {
	http POST "/orders/$1/hold" --data-urlencode "csrf=$CSRF" --data-urlencode "hold=$2" \
		--data-urlencode "version=$3" ${4:+--data-urlencode "reason=$4"}
}

test_expect_success 'hold without a reason: 422, why in French, nothing written' '
	before=$(state "$C2") &&
	post_hold "$C2" 1 0 "   " && test_status 422 && body_has "Indiquez pourquoi la commande est mise en attente." &&
	same_state "$C2" "$before"
'

test_expect_success 'hold with a reason: the flag, the reason, the event; the page says so' '
	post_hold "$C2" 1 0 " Client injoignable " && test_status 303 && header_has "^Location: /orders/$C2#hold" &&
	[ "$(ocol "$C2" "status, on_hold, hold_reason, version")" = "$(printf "received\t1\tClient injoignable\t1")" ] &&
	[ "$(last_event "$C2" | cut -f3,4)" = "$(printf "order.held\t{\"reason\":\"Client injoignable\"}")" ] &&
	http GET "/orders/$C2" && body_has "<p>En attente : Client injoignable</p>" &&
	body_has "Mise en attente : Client injoignable" && body_has "name=\"hold\" value=\"0\""
'

test_expect_success 'held again: 422, nothing written' '
	before=$(state "$C2") &&
	post_hold "$C2" 1 1 "Encore" && test_status 422 && body_has "La commande est déjà en attente." &&
	same_state "$C2" "$before"
'

test_expect_success 'resume: the flag and reason cleared, the event keeps the reason' '
	post_hold "$C2" 0 1 && test_status 303 &&
	[ "$(ocol "$C2" "on_hold, hold_reason, version")" = "$(printf "0\t\t2")" ] &&
	[ "$(last_event "$C2" | cut -f3,4)" = "$(printf "order.resumed\t{\"reason\":\"Client injoignable\"}")" ] &&
	before=$(state "$C2") &&
	post_hold "$C2" 0 2 && test_status 422 && body_has "La commande n’est pas en attente." &&
	same_state "$C2" "$before"
'

test_expect_success 'a completed order cannot be held: no form, and the request refused' '
	http GET "/orders/$CODE" && body_lacks "action=\"/orders/$CODE/hold\"" &&
	body_has "Une commande terminée ou annulée ne peut pas être mise en attente." &&
	before=$(state "$CODE") &&
	post_hold "$CODE" 1 3 "Vérifier" && test_status 422 &&
	body_has "Une commande terminée ou annulée ne peut pas être mise en attente." &&
	same_state "$CODE" "$before"
'

test_expect_success 'two staff at once on one order, ten times: one change wins, the other is told' '
	for i in 0 1 2 3 4 5 6 7 8 9; do
		c=$(new_order 1) && [ -n "$c" ] || return 1
		for to in processing awaiting_payment; do
			curl -s -o "$TEST_TMP/race-$to" -w "%{http_code}\n" -b "$JAR" -H "Host: $HOST" \
				--data-urlencode "csrf=$CSRF" --data-urlencode "status=$to" --data-urlencode "version=0" \
				--data-urlencode "notify=1" "http://127.0.0.1:$CPT_PORT/orders/$c/status" >"$TEST_TMP/rc-$to" &
		done
		wait
		codes=$(cat "$TEST_TMP/rc-processing" "$TEST_TMP/rc-awaiting_payment" | sort | tr "\n" " ") &&
		[ "$codes" = "303 409 " ] || { echo "answers: $codes"; return 1; }
		loser=$(grep -l "changé entre-temps" "$TEST_TMP"/race-* | wc -l) && [ "$loser" = 1 ] || return 1
		won=$(ocol "$c" status) && [ "$(ocol "$c" version)" = 1 ] || return 1
		[ "$(sql "SELECT COUNT(*) FROM order_events WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$c" id)
			AND action = \"order.status_changed\" AND JSON_VALUE(details, \"$.to\") = \"$won\"")" = 1 ] || return 1
		[ "$(sql "SELECT COUNT(*) FROM order_events WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$c" id)
			AND action = \"order.status_changed\"")" = 1 ] || return 1
		[ "$(sql "SELECT COUNT(*) FROM outbox WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$c" id)")" = 1 ] || return 1
	done
'

test_expect_success 'a picker may neither change a status nor hold: 403' '
	forget_cookies && login "$SHOP_PICKER" "$DEMO_PASSWORD" && test_status 303 &&
	csrf=$(session_csrf); before=$(state "$C2") &&
	http POST "/orders/$C2/status" --data-urlencode "csrf=$csrf" --data-urlencode "status=processing" \
		--data-urlencode "version=2" && test_status 403 && same_state "$C2" "$before" &&
	http POST "/orders/$C2/hold" --data-urlencode "csrf=$csrf" --data-urlencode "hold=1" \
		--data-urlencode "version=2" --data-urlencode "reason=x" && test_status 403 && same_state "$C2" "$before"
'

test_expect_success 'the dashboard counters hold what the orders say after the races and holds' '
	counts_exact "$SHOP_ID"
'

test_done
