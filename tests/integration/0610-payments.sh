#!/usr/bin/env bash
# Payments (issue 14): the order page's payment block records payments,
# partial and several, marks paid and not paid, refunds by hand; the
# payment state follows the amounts in the same transaction, with its
# event and, once paid, one receipt in the outbox; a refused action
# changes nothing. Bank reconciliation: a statement of 5 lines (CAMT.053,
# then CSV) matches 3 unpaid orders of this shop, the matches are
# confirmed in one action, the same statement uploaded twice records
# nothing twice, and another shop's order is never matched nor reachable.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

test_shop_new other || test_bail "no second shop of its own"
OTHER_ID=$SHOP_ID OTHER_HOST=$SHOP_HOST OTHER_KEY=$SHOP_KEY
test_shop_new || test_bail "no shop of its own"
KEY=$SHOP_KEY
EMAIL=paul.$RUN@example.fr

# new_order QTY: an order of 12,00 € × QTY, prints its code.
new_order() {
	cat >"$TEST_TMP/o.json" <<JSON
{"customer": {"first_name": "Paul", "last_name": "Lambert", "email": "$EMAIL"},
 "billing_address": {"name": "Paul Lambert", "line1": "3 rue Haute", "postcode": "1000", "city": "Bruxelles", "country": "BE"},
 "lines": [{"sku": "P-CARD", "quantity": $1}], "payment_method": "banktransfer"}
JSON
	post_order "$TEST_TMP/o.json" >/dev/null && [ "$STATUS" = 201 ] && jget code
}
ocol() { sql "SELECT $2 FROM orders WHERE shop_id = $SHOP_ID AND code = '$1'"; }
npay() { sql "SELECT COUNT(*) FROM payments WHERE shop_id = $SHOP_ID ${1:+AND $1}"; }
receipts() { sql "SELECT COUNT(*) FROM outbox WHERE shop_id = $SHOP_ID AND template = 'order_payment_receipt'"; }
# Everything an action may write, to prove a refusal wrote nothing.
state() {
	sql "SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', id, version, paid_cents, payment_state, updated_at) ORDER BY id))
		FROM orders WHERE shop_id IN ($SHOP_ID, $OTHER_ID)" &&
	sql "SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM payments WHERE shop_id IN ($SHOP_ID, $OTHER_ID)" &&
	sql "SELECT COUNT(*) FROM order_events WHERE shop_id IN ($SHOP_ID, $OTHER_ID)" &&
	sql "SELECT COUNT(*) FROM outbox WHERE shop_id IN ($SHOP_ID, $OTHER_ID)" &&
	sql "SELECT COUNT(*) FROM statement_lines WHERE shop_id IN ($SHOP_ID, $OTHER_ID)"
}
same_state() {
	local after
	after=$(state)
	[ "$after" = "$1" ] || { echo "the database changed:"; diff <(echo "$1") <(echo "$after"); return 1; }
}
# pay PATH CODE [curl args]: a payment form as the page sends it, with the order's version.
pay() {
	local what=$1 code=$2
	shift 2
	http POST "/orders/$code/$what" --data-urlencode "csrf=$CSRF" \
		--data-urlencode "version=$(ocol "$code" version)" "$@"
}

test_expect_success 'a product, orders through the API, a staff session' '
	put_product P-CARD "{\"name\": \"Cartes de visite\", \"price\": 1200, \"vat_rate\": 2100, \"stock_on_hand\": 500}" &&
	test_status 201 &&
	A=$(new_order 2) && [ -n "$A" ] && echo "$A" >"$TEST_TMP/a" &&
	[ "$(ocol "$A" "total_cents, paid_cents, payment_state")" = "$(printf "2400\t0\tunpaid")" ] &&
	login "$SHOP_STAFF" "$DEMO_PASSWORD" && test_status 303 &&
	CSRF=$(session_csrf) && [ -n "$CSRF" ] && echo "$CSRF" >"$TEST_TMP/csrf"
'
A=$(cat "$TEST_TMP/a" 2>/dev/null)
CSRF=$(cat "$TEST_TMP/csrf" 2>/dev/null)
[ -n "$A" ] && [ -n "$CSRF" ] || test_bail "no order or no session"

test_expect_success 'the order page shows the payment block and its forms' '
	http GET "/orders/$A" && test_status 200 &&
	body_has "id=\"payments\"" && body_has "Aucun paiement enregistré" &&
	body_has "action=\"/orders/$A/payments\"" && body_has "action=\"/orders/$A/mark-paid\"" &&
	body_lacks "action=\"/orders/$A/refunds\"" && body_lacks "action=\"/orders/$A/mark-unpaid\""
'

test_expect_success 'a partial payment: state partly paid, the payment listed, its event, no receipt yet' '
	pay payments "$A" --data-urlencode "amount=10,00" --data-urlencode "method=cheque" \
		--data-urlencode "reference=CHQ 0042" --data-urlencode "comment=Remis en main propre" &&
	test_status 303 && header_has "^Location: /orders/$A#payments" &&
	[ "$(ocol "$A" "paid_cents, payment_state, version")" = "$(printf "1000\tpartially_paid\t1")" ] &&
	[ "$(sql "SELECT kind, amount_cents, method, provider_reference, comment, actor_label FROM payments
		WHERE shop_id = $SHOP_ID")" = "$(printf "payment\t1000\tcheque\tCHQ 0042\tRemis en main propre\tstaff@%s.example" "$SHOP_CODE")" ] &&
	[ "$(sql "SELECT action FROM order_events WHERE shop_id = $SHOP_ID ORDER BY id DESC LIMIT 1")" = order.payment_recorded ] &&
	[ "$(receipts)" = 0 ] &&
	http GET "/orders/$A" && body_has "CHQ 0042" && body_has "Remis en main propre" && body_has "Payée en partie" &&
	body_has "Paiement de 10,00"
'

test_expect_success 'refused and unchanged: a malformed amount, more than due, a stale form' '
	before=$(state) &&
	pay payments "$A" --data-urlencode "amount=douze" && test_status 422 &&
	body_has "Le montant est illisible" && same_state "$before" &&
	pay payments "$A" --data-urlencode "amount=14,01" && test_status 422 &&
	body_has "Le montant dépasse ce qui reste dû (14,00" && same_state "$before" &&
	pay payments "$A" --data-urlencode "amount=0" && test_status 422 && same_state "$before" &&
	http POST "/orders/$A/payments" --data-urlencode "csrf=$CSRF" --data-urlencode "version=0" \
		--data-urlencode "amount=1,00" && test_status 409 && body_has "La commande a changé entre-temps" &&
	same_state "$before"
'

test_expect_success 'the rest: paid, two payments, exactly one receipt in the outbox' '
	pay payments "$A" --data-urlencode "amount=14" --data-urlencode "method=banktransfer" && test_status 303 &&
	[ "$(ocol "$A" "paid_cents, payment_state")" = "$(printf "2400\tpaid")" ] &&
	[ "$(npay "order_id = $(ocol "$A" id)")" = 2 ] && [ "$(receipts)" = 1 ] &&
	[ "$(sql "SELECT recipient, subject FROM outbox WHERE shop_id = $SHOP_ID AND template = \"order_payment_receipt\"")" = \
	  "$(printf "%s\tVotre commande %s est réglée" "$EMAIL" "$(ocol "$A" number)")" ] &&
	before=$(state) &&
	pay mark-paid "$A" && test_status 422 && body_has "déjà entièrement payée" && same_state "$before"
'

test_expect_success 'refund by hand: partly refunded; a refund above what was paid refused, unchanged' '
	pay refunds "$A" --data-urlencode "amount=5,00" --data-urlencode "comment=Geste commercial" && test_status 303 &&
	[ "$(ocol "$A" "paid_cents, payment_state")" = "$(printf "1900\tpartially_refunded")" ] &&
	[ "$(sql "SELECT kind, amount_cents FROM payments WHERE shop_id = $SHOP_ID ORDER BY id DESC LIMIT 1")" = "$(printf "refund\t-500")" ] &&
	before=$(state) &&
	pay refunds "$A" --data-urlencode "amount=19,01" && test_status 422 &&
	body_has "Le remboursement dépasse ce qui a été payé (19,00" && same_state "$before" &&
	pay mark-unpaid "$A" && test_status 422 && body_has "enregistrez plutôt un remboursement" && same_state "$before" &&
	pay refunds "$A" --data-urlencode "amount=19" && test_status 303 &&
	[ "$(ocol "$A" "paid_cents, payment_state")" = "$(printf "0\trefunded")" ] && [ "$(receipts)" = 1 ]
'

test_expect_success 'mark paid, then mark not paid (a bounced cheque): the state follows, one receipt more' '
	B=$(new_order 3) && [ -n "$B" ] &&
	pay mark-paid "$B" --data-urlencode "method=cheque" && test_status 303 &&
	[ "$(ocol "$B" "paid_cents, payment_state")" = "$(printf "3600\tpaid")" ] && [ "$(receipts)" = 2 ] &&
	http GET "/orders/$B" && body_has "action=\"/orders/$B/mark-unpaid\"" &&
	pay mark-unpaid "$B" && test_status 303 &&
	[ "$(ocol "$B" "paid_cents, payment_state")" = "$(printf "0\tunpaid")" ] &&
	[ "$(sql "SELECT GROUP_CONCAT(CONCAT(kind, amount_cents) ORDER BY id) FROM payments
		WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$B" id)")" = "payment3600,reversal-3600" ] &&
	before=$(state) && pay mark-unpaid "$B" && test_status 422 && same_state "$before"
'

test_expect_success 'another shop'"'"'s order: 404 like none, on the page and the forms, nothing written' '
	HOST=$OTHER_HOST KEY=$OTHER_KEY put_product P-CARD "{\"name\": \"Autre\", \"price\": 1700, \"vat_rate\": 2100, \"stock_on_hand\": 50}" &&
	[ "$STATUS" = 201 ] &&
	X=$(HOST=$OTHER_HOST KEY=$OTHER_KEY new_order 1) && [ -n "$X" ] && echo "$X" >"$TEST_TMP/x" &&
	before=$(state) &&
	http GET "/orders/$X" && test_status 404 &&
	http POST "/orders/$X/mark-paid" --data-urlencode "csrf=$CSRF" --data-urlencode "version=0" && test_status 404 &&
	http POST "/orders/$X/payments" --data-urlencode "csrf=$CSRF" --data-urlencode "version=0" \
		--data-urlencode "amount=17" && test_status 404 &&
	same_state "$before"
'
X=$(cat "$TEST_TMP/x" 2>/dev/null)

test_expect_success 'without the CSRF token: 403, nothing written (forms and upload)' '
	before=$(state) &&
	http POST "/orders/$A/payments" --data-urlencode "version=$(ocol "$A" version)" --data-urlencode "amount=1" &&
	test_status 403 &&
	printf "2026-12-01;24,00;%s;x\n" "$A" >"$TEST_TMP/one.csv" &&
	http POST /payments/reconcile -F "csrf=nope" -F "statement=@$TEST_TMP/one.csv;type=text/csv" && test_status 403 &&
	same_state "$before"
'

# ogm N: the structured communication of order number N.
ogm() {
	local base check
	base=$(printf %010d "$1") && check=$((10#$base % 97)) && [ "$check" != 0 ] || check=97
	printf '+++%s/%s/%s%02d+++' "${base:0:3}" "${base:3:4}" "${base:7:3}" "$check"
}
# rf REF: the ISO 11649 creditor reference carrying REF.
rf() { python3 -c 'import sys; r=sys.argv[1]; n=int("".join(str(int(c,36)) for c in r+"RF00")); print("RF%02d%s" % (98-n%97, r))' "$1"; }

# Orders C1..C4 and a statement naming them, and the other shop's X:
# C1 by its code, C2 by its structured communication, C3 by an RF
# reference, each for its amount due; C4 by its code for the wrong
# amount; X (another shop's) for its exact amount.
statement_orders() {
	local i
	for i in 1 2 3 4; do new_order "$i" || return 1; done
}

test_expect_success 'a CAMT.053 statement of 5 lines: 3 matches proposed, 2 lines listed unmatched' '
	codes=$(statement_orders) && set -- $codes && [ $# = 4 ] && echo "$codes" >"$TEST_TMP/camt-codes" &&
	C1=$1 C2=$2 C3=$3 C4=$4 && rf3=$(rf "$C3") && ogm2=$(ogm "$(ocol "$C2" number)") &&
	entry() { printf "<Ntry><Amt Ccy=\"EUR\">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-12-01</Dt></BookgDt><AcctSvcrRef>%s</AcctSvcrRef><NtryDtls><TxDtls><RmtInf>%s</RmtInf></TxDtls></NtryDtls></Ntry>" "$@"; } &&
	{ printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt>" &&
	  entry 12.00 "$RUN-1" "<Ustrd>Commande $C1 merci</Ustrd>" &&
	  entry 24.00 "$RUN-2" "<Strd><CdtrRefInf><Ref>$ogm2</Ref></CdtrRefInf></Strd>" &&
	  entry 36.00 "$RUN-3" "<Strd><CdtrRefInf><Ref>$rf3</Ref></CdtrRefInf></Strd>" &&
	  entry 40.00 "$RUN-4" "<Ustrd>$C4</Ustrd>" &&
	  entry 17.00 "$RUN-5" "<Ustrd>$X</Ustrd>" &&
	  printf "</Stmt></BkToCstmrStmt></Document>\n"; } >"$TEST_TMP/statement.xml" &&
	http POST /payments/reconcile -F "csrf=$CSRF" -F "statement=@$TEST_TMP/statement.xml;type=text/xml" &&
	test_status 303 && header_has "^Location: /payments/reconcile?added=5&debits=0" &&
	[ "$(sql "SELECT COUNT(*) FROM statement_lines WHERE shop_id = $SHOP_ID")" = 5 ] &&
	http GET "/payments/reconcile?added=5&debits=0" && test_status 200 && body_has "Relevé lu : 5 nouvelles lignes" &&
	[ "$(grep -c "name=\"line\"" "$BODY")" = 3 ] &&
	body_has "href=\"/orders/$C1\"" && body_has "href=\"/orders/$C2\"" && body_has "href=\"/orders/$C3\"" &&
	body_lacks "href=\"/orders/$C4\"" && body_lacks "$X\"" &&
	body_has "La commande $C4 est citée, mais il reste 48,00" && body_has "Aucune commande impayée n’est citée."
'
set -- $(cat "$TEST_TMP/camt-codes" 2>/dev/null)
C1=$1 C2=$2 C3=$3 C4=$4

test_expect_success 'confirmed in one action: 3 payments, 3 orders paid, 3 receipts; the 2 others stay listed' '
	http GET /payments/reconcile &&
	lines=$(sed -n "s/.*name=\"line\" value=\"\([0-9]*\)\".*/--data-urlencode line=\1/p" "$BODY") &&
	echo "$lines" >"$TEST_TMP/lines" &&
	r0=$(receipts) &&
	http POST /payments/reconcile/confirm --data-urlencode "csrf=$CSRF" $lines && test_status 303 &&
	header_has "^Location: /payments/reconcile?recorded=3&skipped=0" &&
	[ "$(npay "provider = \"statement\"")" = 3 ] &&
	[ "$(ocol "$C1" payment_state)$(ocol "$C2" payment_state)$(ocol "$C3" payment_state)" = paidpaidpaid ] &&
	[ "$(ocol "$C4" payment_state)" = unpaid ] &&
	[ "$(sql "SELECT payment_state FROM orders WHERE shop_id = $OTHER_ID AND code = \"$X\"")" = unpaid ] &&
	[ "$(receipts)" = $((r0 + 3)) ] &&
	[ "$(sql "SELECT method, provider_event_id, DATE_FORMAT(received_on, \"%Y-%m-%d\") FROM payments
		WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$C1" id)")" = "$(printf "banktransfer\tref:%s-1\t2026-12-01" "$RUN")" ] &&
	http GET /payments/reconcile && [ "$(grep -c "name=\"line\"" "$BODY")" = 0 ] &&
	body_has "$C4" && body_has "$X"
'

test_expect_success 'the same statement again: no line added, nothing recorded; a replayed confirm records nothing' '
	before=$(state) &&
	http POST /payments/reconcile -F "csrf=$CSRF" -F "statement=@$TEST_TMP/statement.xml;type=text/xml" &&
	test_status 303 && header_has "added=0&debits=0" &&
	http POST /payments/reconcile/confirm --data-urlencode "csrf=$CSRF" $(cat "$TEST_TMP/lines") && test_status 303 &&
	header_has "recorded=0&skipped=3" &&
	same_state "$before" && [ "$(npay "provider = \"statement\"")" = 3 ]
'

test_expect_success 'a CSV statement (French decimals, a title line): 5 lines, 3 matched, confirmed once' '
	codes=$(statement_orders) && set -- $codes && [ $# = 4 ] &&
	{ printf "date;montant;référence;libellé\r\n" &&
	  printf "02/12/2026;12,00;%s;VIR SEPA\r\n" "$1" &&
	  printf "02/12/2026;24,00;%s;VIR SEPA\r\n" "$(ogm "$(ocol "$2" number)")" &&
	  printf "2026-12-02;\"36,00\";%s;\"Paiement \"\"cartes\"\"\"\r\n" "$(rf "$3")" &&
	  printf "2026-12-02;1 000,00;%s;trop\r\n" "$4" &&
	  printf "2026-12-02;17,00;;%s\r\n" "$X" &&
	  printf "2026-12-03;-9,90;;FRAIS BANCAIRES\r\n"; } >"$TEST_TMP/statement.csv" &&
	http POST /payments/reconcile -F "csrf=$CSRF" -F "statement=@$TEST_TMP/statement.csv;type=text/csv" &&
	test_status 303 && header_has "added=5&debits=1" &&
	http GET /payments/reconcile && [ "$(grep -c "name=\"line\"" "$BODY")" = 3 ] &&
	lines=$(sed -n "s/.*name=\"line\" value=\"\([0-9]*\)\".*/--data-urlencode line=\1/p" "$BODY") &&
	http POST /payments/reconcile/confirm --data-urlencode "csrf=$CSRF" $lines && test_status 303 &&
	header_has "recorded=3" &&
	[ "$(ocol "$1" payment_state)$(ocol "$2" payment_state)$(ocol "$3" payment_state)$(ocol "$4" payment_state)" = paidpaidpaidunpaid ] &&
	[ "$(npay "provider = \"statement\"")" = 6 ] &&
	before=$(state) &&
	http POST /payments/reconcile -F "csrf=$CSRF" -F "statement=@$TEST_TMP/statement.csv;type=text/csv" &&
	test_status 303 && header_has "added=0&debits=1" &&
	http POST /payments/reconcile/confirm --data-urlencode "csrf=$CSRF" $lines && header_has "recorded=0" &&
	same_state "$before" &&
	[ "$(sql "SELECT COUNT(*) FROM payments WHERE shop_id = $OTHER_ID")" = 0 ]
'

test_expect_success 'malformed, oversized or missing statements: a clear error in French, nothing recorded' '
	before=$(state) &&
	printf "2026-12-01;douze;X;Y\n" >"$TEST_TMP/bad.csv" &&
	http POST /payments/reconcile -F "csrf=$CSRF" -F "statement=@$TEST_TMP/bad.csv;type=text/csv" && test_status 422 &&
	body_has "Ligne 1 : « douze » n’est pas un montant" && body_has "Rien n’a été enregistré." &&
	printf "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"x\">]><Document><BkToCstmrStmt/></Document>" >"$TEST_TMP/dtd.xml" &&
	http POST /payments/reconcile -F "csrf=$CSRF" -F "statement=@$TEST_TMP/dtd.xml;type=text/xml" && test_status 422 &&
	body_has "DTD" &&
	printf "<Document><BkToCstmrStmt><Stmt><Ntry><Amt Ccy=\"EUR\">1.00</Amt>" >"$TEST_TMP/cut.xml" &&
	http POST /payments/reconcile -F "csrf=$CSRF" -F "statement=@$TEST_TMP/cut.xml;type=text/xml" && test_status 422 &&
	body_has "XML bien formé" &&
	head -c 300000 /dev/zero | tr "\\0" "x" >"$TEST_TMP/big.csv" &&
	http POST /payments/reconcile -F "csrf=$CSRF" -F "statement=@$TEST_TMP/big.csv;type=text/csv" && test_status 413 &&
	body_has "trop volumineux (256 Kio au plus)" &&
	http POST /payments/reconcile -F "csrf=$CSRF" && test_status 422 && body_has "Choisissez le fichier" &&
	same_state "$before"
'

test_expect_success 'a cancelled order named with its exact amount is not matched, and nothing is recorded' '
	C5=$(new_order 2) && [ -n "$C5" ] &&
	http POST "/orders/$C5/cancel" --data-urlencode "csrf=$CSRF" --data-urlencode "version=$(ocol "$C5" version)" &&
	test_status 303 && [ "$(ocol "$C5" status)" = cancelled ] &&
	printf "date;montant;référence;libellé\r\n2026-12-04;24,00;%s;VIR SEPA\r\n" "$C5" >"$TEST_TMP/cancelled.csv" &&
	http POST /payments/reconcile -F "csrf=$CSRF" -F "statement=@$TEST_TMP/cancelled.csv;type=text/csv" &&
	test_status 303 && header_has "added=1&debits=0" &&
	http GET /payments/reconcile && [ "$(grep -c "name=\"line\"" "$BODY")" = 0 ] &&
	[ "$(npay "order_id = $(ocol "$C5" id)")" = 0 ] && [ "$(ocol "$C5" payment_state)" = unpaid ]
'

test_expect_success 'pickers may not reconcile' '
	forget_cookies && login "$SHOP_PICKER" "$DEMO_PASSWORD" && test_status 303 &&
	http GET /payments/reconcile && test_status 403
'

test_expect_success 'the dashboard counters followed every payment, refund and mark paid / not paid' '
	counts_exact "$SHOP_ID"
'

test_done
