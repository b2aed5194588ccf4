#!/usr/bin/env bash
# The payment link (issue 14, P6, C3), the payment reminder (P7), bulk
# "mark paid" (L8) and the paid status (the payment state through the
# transition table). Through nginx: the link made from the order page and
# made again (the old one revoked); the customer's page /pay/TOKEN with the
# shop, the order, what is due after a partial payment and the bank
# transfer details; an unknown or revoked token and another shop's host
# answer 404 alike; a paid or cancelled order offers nothing; starting with
# a plugin that is not enabled, or cannot start, is refused and writes
# nothing. A payment that pays an order in "received" moves it to the
# shop's paid status ("processing") in its transaction, with the event, the
# counters and the e-mail; not when the table lacks that move. Bulk mark
# paid with one refusal. Two `comptoir work` at once remind each overdue
# unpaid order once, with a live link. The online start against
# tests/servers/stripe_server.py on this script's port + 9: a Checkout
# Session for what remains due, answered 303 to the provider.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

test_shop_new other || test_bail "no second shop of its own"
OTHER_ID=$SHOP_ID OTHER_HOST=$SHOP_HOST OTHER_KEY=$SHOP_KEY
SPORT=$((CPT_PORT + 9))   # the local Stripe server (0620 uses + 7)
APIKEY=sk_test_0640_$RUN
test_shop_new "" "{storefront_prices: true, prices_include_vat: true, payment_reminder_after: 3d}" "plugins:
  stripe:
    enabled: true
    settings: {secret_key: $APIKEY, webhook_secret: whsec_0640_$RUN, base_url: 'http://127.0.0.1:$SPORT'}
  banktransfer:
    enabled: true
    settings: {beneficiary: Boutique 0640, iban: BE68539007547034, bic: GEBABEBB, reference: order}
  cheque:
    enabled: false
    settings: {payable_to: Boutique 0640, address: 1 rue du Test}" || test_bail "no shop of its own"
KEY=$SHOP_KEY
EMAIL=lea.$RUN@example.fr
NB=$(printf "\302\240")   # money_format: a no-break space before the currency

"$PY" "$SRC_DIR/tests/servers/stripe_server.py" --port "$SPORT" --api-key "$APIKEY" \
	--webhook-secret "whsec_0640_$RUN" --host "$SHOP_HOST" >"$TEST_TMP/stripe.log" 2>&1 &
SPID=$!
test_at_exit "kill $SPID"
for i in $(seq 1 50); do
	curl -sf "http://127.0.0.1:$SPORT/_test/requests" >/dev/null && break
	sleep 0.1
done
# The Stripe server's API requests: how many, and the last one's FIELD.
stripe_requests() {
	curl -s "http://127.0.0.1:$SPORT/_test/requests" |
		"$PY" -c 'import json,sys; r=json.load(sys.stdin); print(len(r) if len(sys.argv) < 2 else r[-1][sys.argv[1]])' "$@"
}

# new_order QTY: an order of 12,00 € × QTY in our shop (or $HOST/$KEY's), prints its code.
new_order() {
	cat >"$TEST_TMP/o.json" <<JSON
{"customer": {"first_name": "Léa", "last_name": "Martin", "email": "$EMAIL"},
 "billing_address": {"name": "Léa Martin", "line1": "3 rue Haute", "postcode": "1000", "city": "Bruxelles", "country": "BE"},
 "lines": [{"sku": "P-LINK", "quantity": $1}], "payment_method": "banktransfer"}
JSON
	post_order "$TEST_TMP/o.json" >/dev/null && [ "$STATUS" = 201 ] && jget code
}
ocol() { sql "SELECT $2 FROM orders WHERE shop_id = $SHOP_ID AND code = '$1'"; }
# pay PATH CODE [curl args]: a payment block form, with the order's version.
pay() {
	local what=$1 code=$2
	shift 2
	http POST "/orders/$code/$what" --data-urlencode "csrf=$CSRF" \
		--data-urlencode "version=$(ocol "$code" version)" "$@"
}
# link CODE: makes the order's link again from its page; prints the token the page shows.
link() {
	http POST "/orders/$1/payment-link" --data-urlencode "csrf=$CSRF" && test_status 303 &&
	header_has "^Location: /orders/$1#paylink" && http GET "/orders/$1" && test_status 200 &&
	sed -n "s|.*value=\"https://$SHOP_HOST/pay/\([A-Za-z0-9_-]\{43\}\)\".*|\1|p" "$BODY" | head -n 1
}
# customer METHOD PATH [args]: a request of the customer's browser (no staff session).
customer() { JAR=$TEST_TMP/customer.jar http "$@"; }
# Everything the customer's page could write.
state() {
	sql "SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', id, status, version, paid_cents, payment_state, updated_at) ORDER BY id))
		FROM orders WHERE shop_id IN ($SHOP_ID, $OTHER_ID)" &&
	sql "SELECT COUNT(*) FROM payments WHERE shop_id IN ($SHOP_ID, $OTHER_ID)" &&
	sql "SELECT COUNT(*) FROM order_events WHERE shop_id IN ($SHOP_ID, $OTHER_ID)" &&
	sql "SELECT COUNT(*) FROM outbox WHERE shop_id IN ($SHOP_ID, $OTHER_ID)" &&
	sql "SELECT COUNT(*), COUNT(revoked_at) FROM payment_links WHERE shop_id IN ($SHOP_ID, $OTHER_ID)"
}
same_state() {
	local after
	after=$(state)
	[ "$after" = "$1" ] || { echo "the database changed:"; diff <(echo "$1") <(echo "$after"); return 1; }
}

test_expect_success 'a product, an order, a staff session; the order page offers to make the link' '
	put_product P-LINK "{\"name\": \"Affiche\", \"price\": 1200, \"vat_rate\": 2100, \"stock_on_hand\": 900}" &&
	test_status 201 &&
	HOST=$OTHER_HOST KEY=$OTHER_KEY put_product P-LINK "{\"name\": \"Affiche\", \"price\": 1200, \"vat_rate\": 2100,
		\"stock_on_hand\": 50}" && [ "$STATUS" = 201 ] &&
	A=$(new_order 2) && [ -n "$A" ] && echo "$A" >"$TEST_TMP/a" &&
	login "$SHOP_STAFF" "$DEMO_PASSWORD" && test_status 303 &&
	CSRF=$(session_csrf) && [ -n "$CSRF" ] && echo "$CSRF" >"$TEST_TMP/csrf" &&
	http GET "/orders/$A" && test_status 200 && body_has "id=\"paylink\"" &&
	body_has "Créer le lien de paiement" && body_has "action=\"/orders/$A/payment-link\"" &&
	body_lacks "/pay/" && [ "$(sql "SELECT COUNT(*) FROM payment_links WHERE shop_id = $SHOP_ID")" = 0 ]
'
A=$(cat "$TEST_TMP/a" 2>/dev/null)
CSRF=$(cat "$TEST_TMP/csrf" 2>/dev/null)
[ -n "$A" ] && [ -n "$CSRF" ] || test_bail "no order or no session"

test_expect_success 'the link: made from the page, shown to copy, random, one event; no CSRF token, nothing' '
	before=$(state) &&
	http POST "/orders/$A/payment-link" && test_status 403 && same_state "$before" &&
	T1=$(link "$A") && [ ${#T1} = 43 ] && echo "$T1" >"$TEST_TMP/t1" &&
	body_has "Lien à envoyer au client" && body_has "Créer un nouveau lien" &&
	[ "$(sql "SELECT COUNT(*), COUNT(revoked_at) FROM payment_links WHERE shop_id = $SHOP_ID
		AND token = \"$T1\" AND order_id = $(ocol "$A" id)")" = "$(printf "1\t0")" ] &&
	[ "$(sql "SELECT action, JSON_VALUE(details, \"$.revoked\") FROM order_events WHERE shop_id = $SHOP_ID
		ORDER BY id DESC LIMIT 1")" = "$(printf "order.payment_link_created\t0")" ] &&
	! grep -q "$T1" <<<"$(sql "SELECT details FROM order_events WHERE shop_id = $SHOP_ID")" &&
	[ "$(ocol "$A" version)" = 0 ]
'
T1=$(cat "$TEST_TMP/t1" 2>/dev/null)

test_expect_success 'the customer page after a partial payment: shop, order, what remains due, the transfer details' '
	pay payments "$A" --data-urlencode "amount=10,00" --data-urlencode "method=cheque" && test_status 303 &&
	customer GET "/pay/$T1" && test_status 200 &&
	body_has "<html lang=\"fr\">" && body_has "Boutique t-0640" &&
	body_has "Paiement de la commande $(ocol "$A" number)" &&
	body_has "<dd class=\"amount\">24,00${NB}€</dd>" && body_has "<dd class=\"amount\">10,00${NB}€</dd>" &&
	body_has "<dd class=\"amount\" id=\"due\">14,00${NB}€</dd>" &&
	body_has "BE68 5390 0754 7034" && body_has "GEBABEBB" && body_has "src=\"data:image/svg+xml;base64," &&
	body_lacks "/logout" && body_lacks "/start/banktransfer" && body_lacks "Chèque"
'

test_expect_success 'a staff member on the same browser sees the customer page, in the customer language' '
	sql "UPDATE orders SET customer_locale = \"en\" WHERE shop_id = $SHOP_ID AND code = \"$A\"" &&
	http GET "/pay/$T1" && test_status 200 && body_has "<html lang=\"en\">" && body_has "Remains due" &&
	body_has "€14.00" && body_lacks "/logout" &&
	sql "UPDATE orders SET customer_locale = \"fr\" WHERE shop_id = $SHOP_ID AND code = \"$A\""
'

test_expect_success 'an unknown token, a revoked one, another shop'"'"'s host: 404 alike; the new one works' '
	customer GET "/pay/$(head -c 32 /dev/urandom | base64 | tr "+/" "-_" | head -c 43)" && test_status 404 &&
	customer GET "/pay/short" && test_status 404 &&
	T2=$(link "$A") && [ ${#T2} = 43 ] && [ "$T2" != "$T1" ] && echo "$T2" >"$TEST_TMP/t2" &&
	[ "$(sql "SELECT JSON_VALUE(details, \"$.revoked\") FROM order_events WHERE shop_id = $SHOP_ID
		ORDER BY id DESC LIMIT 1")" = 1 ] &&
	customer GET "/pay/$T1" && test_status 404 &&
	customer GET "/pay/$T2" && test_status 200 && body_has "14,00${NB}€" &&
	HOST=$OTHER_HOST customer GET "/pay/$T2" && test_status 404 && body_lacks "14,00" &&
	[ "$(sql "SELECT COUNT(*), COUNT(revoked_at) FROM payment_links WHERE shop_id = $SHOP_ID")" = "$(printf "2\t1")" ]
'
T2=$(cat "$TEST_TMP/t2" 2>/dev/null)

# The form token is a cookie of the shop's host: on another host, none (403).
test_expect_success 'starting a payment: no form token 403; a plugin not enabled, without start, unknown: 404; nothing written' '
	customer GET "/pay/$T2" && csrf=$(form_value csrf) &&
	tok=$(sed -n "s/.*cpt_pay_csrf\t\([A-Za-z0-9_-]*\)$/\1/p" "$TEST_TMP/customer.jar") && [ -n "$tok" ] &&
	before=$(state) &&
	customer POST "/pay/$T2/start/banktransfer" && test_status 403 &&
	customer POST "/pay/$T2/start/cheque" --data-urlencode "csrf=$tok" && test_status 404 &&
	customer POST "/pay/$T2/start/banktransfer" --data-urlencode "csrf=$tok" && test_status 404 &&
	customer POST "/pay/$T2/start/nowhere" --data-urlencode "csrf=$tok" && test_status 404 &&
	customer POST "/pay/$T1/start/banktransfer" --data-urlencode "csrf=$tok" && test_status 404 &&
	HOST=$OTHER_HOST customer POST "/pay/$T2/start/banktransfer" --data-urlencode "csrf=$tok" && test_status 403 &&
	same_state "$before"
'

test_expect_success 'the online start: a button, a Checkout Session for what remains due, 303 to the provider' '
	customer GET "/pay/$T2" && test_status 200 && body_has "action=\"/pay/$T2/start/stripe\"" &&
	header_has "^Content-Security-Policy: .*form-action '"'"'self'"'"' https:;" &&
	tok=$(sed -n "s/.*cpt_pay_csrf\t\([A-Za-z0-9_-]*\)$/\1/p" "$TEST_TMP/customer.jar") && [ -n "$tok" ] &&
	n0=$(stripe_requests) && before=$(state) &&
	customer POST "/pay/$T2/start/stripe" --data-urlencode "csrf=$tok" && test_status 303 &&
	header_has "^Location: http://127.0.0.1:$SPORT/c/pay/cs_test_" &&
	[ "$(stripe_requests)" = $((n0 + 1)) ] && [ "$(stripe_requests path)" = /v1/checkout/sessions ] &&
	body=$(stripe_requests body) &&
	for kv in "client_reference_id=$A" "line_items%5B0%5D%5Bprice_data%5D%5Bunit_amount%5D=1400" \
		"success_url=https%3A%2F%2F$SHOP_HOST%2Fpay%2F$T2"; do
		case "&$body&" in *"&$kv&"*) ;; *) echo "the session lacks $kv: $body"; return 1 ;; esac
	done &&
	same_state "$before"
'

test_expect_success 'the online start refused: the plugin disabled for the shop (404), the page then without its button' '
	sql "UPDATE shop_plugins SET enabled = 0 WHERE shop_id = $SHOP_ID AND plugin = \"stripe\"" &&
	tok=$(sed -n "s/.*cpt_pay_csrf\t\([A-Za-z0-9_-]*\)$/\1/p" "$TEST_TMP/customer.jar") &&
	n0=$(stripe_requests) && before=$(state) &&
	customer POST "/pay/$T2/start/stripe" --data-urlencode "csrf=$tok" && test_status 404 &&
	customer GET "/pay/$T2" && test_status 200 && body_lacks "/start/stripe" && body_has "BE68 5390" &&
	header_has "^Content-Security-Policy: .*form-action '"'"'self'"'"';" &&
	[ "$(stripe_requests)" = "$n0" ] && same_state "$before" &&
	sql "UPDATE shop_plugins SET enabled = 1 WHERE shop_id = $SHOP_ID AND plugin = \"stripe\""
'

test_expect_success 'paid: the status moves to processing in the same transaction, event, e-mail, counters' '
	mails=$(sql "SELECT COUNT(*) FROM outbox WHERE shop_id = $SHOP_ID AND template = \"order_processing\"") &&
	[ "$(ocol "$A" status)" = received ] &&
	ev0=$(sql "SELECT MAX(id) FROM order_events WHERE shop_id = $SHOP_ID") &&
	pay payments "$A" --data-urlencode "amount=14,00" && test_status 303 &&
	[ "$(ocol "$A" "status, payment_state, paid_cents")" = "$(printf "processing\tpaid\t2400")" ] &&
	[ "$(sql "SELECT GROUP_CONCAT(action ORDER BY id) FROM order_events WHERE shop_id = $SHOP_ID
		AND id > $ev0")" = "order.payment_recorded,order.status_changed" ] &&
	[ "$(sql "SELECT JSON_VALUE(details, \"$.from\"), JSON_VALUE(details, \"$.to\"), actor_type FROM order_events
		WHERE shop_id = $SHOP_ID AND action = \"order.status_changed\"")" = "$(printf "received\tprocessing\tstaff")" ] &&
	[ "$(sql "SELECT COUNT(*) FROM outbox WHERE shop_id = $SHOP_ID AND template = \"order_processing\"")" = $((mails + 1)) ] &&
	[ "$(sql "SELECT COUNT(*) FROM outbox WHERE shop_id = $SHOP_ID AND template = \"order_payment_receipt\"")" = 1 ] &&
	counts_exact $SHOP_ID
'

test_expect_success 'a paid order'"'"'s page says so and offers nothing' '
	customer GET "/pay/$T2" && test_status 200 && body_has "Cette commande est payée" &&
	body_has "id=\"due\">0,00${NB}€" && body_lacks "BE68 5390" && body_lacks "<form" &&
	tok=$(sed -n "s/.*cpt_pay_csrf\t\([A-Za-z0-9_-]*\)$/\1/p" "$TEST_TMP/customer.jar") && before=$(state) &&
	customer POST "/pay/$T2/start/banktransfer" --data-urlencode "csrf=$tok" && test_status 404 &&
	same_state "$before"
'

test_expect_success 'a cancelled order'"'"'s page says it is closed and offers nothing' '
	C=$(new_order 1) && [ -n "$C" ] && TC=$(link "$C") && [ -n "$TC" ] &&
	customer GET "/pay/$TC" && test_status 200 && body_has "BE68 5390" &&
	http POST "/orders/$C/cancel" --data-urlencode "csrf=$CSRF" --data-urlencode "version=$(ocol "$C" version)" &&
	test_status 303 && [ "$(ocol "$C" status)" = cancelled ] &&
	customer GET "/pay/$TC" && test_status 200 && body_has "ne peut plus être payée ici" &&
	body_has "id=\"due\">12,00${NB}€" && body_lacks "BE68 5390" && body_lacks "<form"
'

test_expect_success 'without the move in the table, or from a status where the customer may not pay, a payment leaves the status' '
	D=$(new_order 1) && E=$(new_order 1) && [ -n "$D" ] && [ -n "$E" ] &&
	sql "DELETE FROM shop_status_transitions WHERE shop_id = $SHOP_ID AND from_code = \"received\"
		AND to_code = \"processing\"; UPDATE shops SET statuses_version = statuses_version + 1 WHERE id = $SHOP_ID" &&
	pay mark-paid "$D" && test_status 303 &&
	[ "$(ocol "$D" "status, payment_state")" = "$(printf "received\tpaid")" ] &&
	sql "INSERT INTO shop_status_transitions (shop_id, from_code, to_code) VALUES ($SHOP_ID, \"received\", \"processing\");
		UPDATE shops SET statuses_version = statuses_version + 1 WHERE id = $SHOP_ID" &&
	for to in processing shipped; do
		http POST "/orders/$E/status" --data-urlencode "csrf=$CSRF" --data-urlencode "status=$to" \
			--data-urlencode "version=$(ocol "$E" version)" && test_status 303 || return 1
	done &&
	[ "$(ocol "$E" status)" = shipped ] &&
	moves=$(sql "SELECT COUNT(*) FROM order_events WHERE shop_id = $SHOP_ID AND action = \"order.status_changed\"") &&
	sql "INSERT INTO shop_status_transitions (shop_id, from_code, to_code) VALUES ($SHOP_ID, \"shipped\", \"processing\");
		UPDATE shops SET statuses_version = statuses_version + 1 WHERE id = $SHOP_ID" &&
	pay mark-paid "$E" && test_status 303 &&
	sql "DELETE FROM shop_status_transitions WHERE shop_id = $SHOP_ID AND from_code = \"shipped\" AND to_code = \"processing\";
		UPDATE shops SET statuses_version = statuses_version + 1 WHERE id = $SHOP_ID" &&
	[ "$(ocol "$E" "status, payment_state")" = "$(printf "shipped\tpaid")" ] &&
	[ "$(sql "SELECT COUNT(*) FROM order_events WHERE shop_id = $SHOP_ID AND action = \"order.status_changed\"")" = "$moves" ] &&
	[ "$(sql "SELECT COUNT(*) FROM order_events WHERE shop_id = $SHOP_ID AND action = \"order.status_changed\"
		AND order_id = $(ocol "$D" id)")" = 0 ] &&
	echo "$D" >"$TEST_TMP/d" && counts_exact $SHOP_ID
'
D=$(cat "$TEST_TMP/d" 2>/dev/null)

test_expect_success 'bulk mark paid: two orders paid (their remaining amount, the paid status), one refused' '
	F=$(new_order 1) && G=$(new_order 3) && [ -n "$F" ] && [ -n "$G" ] &&
	pay payments "$G" --data-urlencode "amount=6,00" && test_status 303 &&
	http GET /orders && test_status 200 && body_has "<option value=\"mark_paid\">Marquer payée</option>" &&
	http POST /bulk --data-urlencode "csrf=$CSRF" --data-urlencode "action=mark_paid" --data-urlencode "scope=ticked" \
		--data-urlencode "o=$F:$(ocol "$F" version)" --data-urlencode "o=$G:$(ocol "$G" version)" \
		--data-urlencode "o=$A:$(ocol "$A" version)" && test_status 303 &&
	loc=$(sed -n "s/^Location: \(\/bulk\/[0-9]*\)\r$/\1/p" "$HEADERS") && [ -n "$loc" ] &&
	http GET "$loc" && test_status 200 && body_has "2 modifiée(s), 1 refusée(s)." &&
	body_has "<a href=\"/orders/$A\"><span class=\"code\">$A</span></a> — La commande est déjà entièrement payée." &&
	[ "$(ocol "$F" "status, payment_state, paid_cents")" = "$(printf "processing\tpaid\t1200")" ] &&
	[ "$(ocol "$G" "status, payment_state, paid_cents")" = "$(printf "processing\tpaid\t3600")" ] &&
	[ "$(sql "SELECT GROUP_CONCAT(amount_cents ORDER BY id) FROM payments WHERE shop_id = $SHOP_ID
		AND order_id = $(ocol "$G" id)")" = "600,3000" ] &&
	[ "$(sql "SELECT COUNT(*) FROM payments WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$A" id)")" = 2 ] &&
	echo "$F" >"$TEST_TMP/f" && counts_exact $SHOP_ID
'
F=$(cat "$TEST_TMP/f" 2>/dev/null)

# The overdue orders are made by SQL, which moves no counter: the counters
# were last checked above.
N=60
test_expect_success "$N orders unpaid for 4 days, and those that get no reminder" '
	mark=$(sql "SELECT COALESCE(MAX(id), 0) FROM orders WHERE shop_id = $SHOP_ID") &&
	for i in $(seq $N); do new_order 1 >/dev/null || return 1; done &&
	[ "$(sql "UPDATE orders SET placed_at = NOW(6) - INTERVAL 4 DAY WHERE shop_id = $SHOP_ID AND id > $mark;
		SELECT ROW_COUNT()")" = $N ] &&
	part=$(new_order 2) && fresh=$(new_order 1) && held=$(new_order 1) && working=$(new_order 1) &&
	linked=$(new_order 1) && TL=$(link "$linked") && [ -n "$TL" ] &&
	pay payments "$part" --data-urlencode "amount=5,00" && test_status 303 &&
	sql "UPDATE orders SET placed_at = NOW(6) - INTERVAL 4 DAY WHERE shop_id = $SHOP_ID AND code IN (\"$part\", \"$held\", \"$working\", \"$linked\");
		UPDATE orders SET placed_at = NOW(6) - INTERVAL 71 HOUR WHERE shop_id = $SHOP_ID AND code = \"$fresh\";
		UPDATE orders SET on_hold = 1, hold_reason = \"virement annoncé\" WHERE shop_id = $SHOP_ID AND code = \"$held\";
		UPDATE orders SET status = \"processing\" WHERE shop_id = $SHOP_ID AND code = \"$working\";
		UPDATE orders SET placed_at = NOW(6) - INTERVAL 4 DAY WHERE shop_id = $SHOP_ID AND code IN (\"$D\", \"$F\")" &&
	HOST=$OTHER_HOST KEY=$OTHER_KEY new_order 1 >/dev/null &&
	sql "UPDATE orders SET placed_at = NOW(6) - INTERVAL 4 DAY WHERE shop_id = $OTHER_ID" &&
	echo "$part $linked" >"$TEST_TMP/due" && echo "$fresh $held $working $D $F" >"$TEST_TMP/not" &&
	echo "$TL" >"$TEST_TMP/tl"
'

reminders() { sql "SELECT COUNT(*) FROM outbox WHERE shop_id = $1 AND template = \"payment_reminder\"${2:+ AND order_id = $2}"; }
test_expect_success 'two comptoir work at once: each overdue unpaid order reminded once, with its live link' '
	set -- $(cat "$TEST_TMP/due") && part=$1 linked=$2 && TL=$(cat "$TEST_TMP/tl") &&
	ev0=$(sql "SELECT COUNT(*) FROM order_events WHERE shop_id = $SHOP_ID AND action = \"order.payment_reminder_sent\"") &&
	[ "$ev0" = 0 ] || return 1
	"$CPT_BIN" --config "$CPT_CONFIG" work --once >"$TEST_TMP/w1.log" 2>&1 & p1=$!
	"$CPT_BIN" --config "$CPT_CONFIG" work --once >"$TEST_TMP/w2.log" 2>&1 & p2=$!
	wait $p1 && wait $p2 || { cat "$TEST_TMP"/w?.log; return 1; }
	n1=$(sed -n "s/.*shop $SHOP_CODE: reminded \([0-9]*\) orders.*/\1/p" "$TEST_TMP/w1.log")
	n2=$(sed -n "s/.*shop $SHOP_CODE: reminded \([0-9]*\) orders.*/\1/p" "$TEST_TMP/w2.log")
	say "the workers reminded ${n1:-0} and ${n2:-0} orders"
	[ $((${n1:-0} + ${n2:-0})) = $((N + 2)) ] &&
	[ "$(reminders $SHOP_ID)" = $((N + 2)) ] && [ "$(reminders $OTHER_ID)" = 0 ] &&
	[ "$(sql "SELECT COUNT(*) FROM (SELECT order_id FROM outbox WHERE shop_id = $SHOP_ID
		AND template = \"payment_reminder\" GROUP BY order_id HAVING COUNT(*) <> 1) x")" = 0 ] &&
	[ "$(sql "SELECT COUNT(*) FROM order_events WHERE shop_id = $SHOP_ID AND action = \"order.payment_reminder_sent\"
		AND actor_type = \"system\"")" = $((N + 2)) ] &&
	[ "$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $SHOP_ID AND payment_reminded_at IS NOT NULL")" = $((N + 2)) ] &&
	for c in $(cat "$TEST_TMP/not"); do [ "$(reminders $SHOP_ID "$(ocol "$c" id)")" = 0 ] || return 1; done &&
	[ "$(sql "SELECT COUNT(*) FROM payment_links WHERE shop_id = $SHOP_ID AND revoked_at IS NULL
		AND order_id = $(ocol "$linked" id)")" = 1 ] &&
	sql "SELECT body FROM outbox WHERE shop_id = $SHOP_ID AND template = \"payment_reminder\"
		AND order_id = $(ocol "$linked" id)" | grep -qF "https://$SHOP_HOST/pay/$TL" &&
	body=$(sql "SELECT CONCAT(subject, \" \", body) FROM outbox WHERE shop_id = $SHOP_ID
		AND template = \"payment_reminder\" AND order_id = $(ocol "$part" id)") &&
	grep -qF "Votre commande $(ocol "$part" number) attend son paiement" <<<"$body" &&
	grep -qF "il reste 19,00${NB}€ à régler" <<<"$body" &&
	tp=$(sed -n "s|.*https://$SHOP_HOST/pay/\([A-Za-z0-9_-]\{43\}\).*|\1|p" <<<"$body") && [ -n "$tp" ] &&
	customer GET "/pay/$tp" && test_status 200 && body_has "id=\"due\">19,00${NB}€"
'

test_expect_success 'a second pass reminds nobody again' '
	before=$(state) &&
	"$CPT_BIN" --config "$CPT_CONFIG" work --once >"$TEST_TMP/w3.log" 2>&1 &&
	! grep -q "shop $SHOP_CODE: reminded" "$TEST_TMP/w3.log" && same_state "$before"
'

test_done
