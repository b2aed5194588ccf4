#!/usr/bin/env bash
# The customer and the addresses of an order edited from its page (D6),
# with the address check (D11): a good form writes the order's customer
# columns, its addresses and ONE history event with each changed field
# before and after; format problems are warnings, saved; missing required
# fields, a stale form, a completed order, another shop's order and a form
# without its CSRF token change nothing; two edits at once: one wins, the
# other is told the order changed meanwhile.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

test_shop_new other || test_bail "no second shop of its own"
OTHER_ID=$SHOP_ID OTHER_HOST=$SHOP_HOST OTHER_KEY=$SHOP_KEY
test_shop_new || test_bail "no shop of its own"
KEY=$SHOP_KEY
EMAIL=ines.$RUN@example.fr

# new_order: an order of this script's customer, prints its code.
new_order() {
	cat >"$TEST_TMP/o.json" <<JSON
{"customer": {"first_name": "Inès", "last_name": "Moreau", "email": "$EMAIL"},
 "billing_address": {"name": "Inès Moreau", "line1": "1 rue Neuve", "postcode": "69001", "city": "Lyon", "country": "FR"},
 "lines": [{"sku": "E-MUG", "quantity": 1}], "payment_method": "banktransfer", "carrier": "colissimo"}
JSON
	post_order "$TEST_TMP/o.json" >/dev/null && [ "$STATUS" = 201 ] && jget code
}

ocol() { sql "SELECT $2 FROM orders WHERE shop_id = ${3:-$SHOP_ID} AND code = '$1'"; }
addresses() {
	sql "SELECT kind, name, company, line1, line2, postcode, city, region, country, phone FROM order_addresses
		WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$1" id) ORDER BY kind"
}
# Everything an edit may write, for this shop: orders, addresses, events, search words.
state() {
	sql "SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', id, version, customer_title, customer_first_name,
		customer_last_name, customer_email, customer_phone, updated_at) ORDER BY id)) FROM orders WHERE shop_id = ${1:-$SHOP_ID}" &&
	sql "SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', order_id, kind, name, company, line1, line2, postcode, city,
		region, country, phone) ORDER BY order_id, kind)) FROM order_addresses WHERE shop_id = ${1:-$SHOP_ID}" &&
	sql "SELECT COUNT(*), MAX(id) FROM order_events WHERE shop_id = ${1:-$SHOP_ID}" &&
	sql "SELECT COUNT(*), MD5(GROUP_CONCAT(CONCAT_WS('|', order_id, kind, term) ORDER BY order_id, kind, term))
		FROM order_search WHERE shop_id = ${1:-$SHOP_ID}"
}
unchanged() {
	local after
	after=$(state "${2-}")
	[ "$after" = "$1" ] || { echo "the database changed:"; diff <(echo "$1") <(echo "$after"); return 1; }
}
last_event() {
	sql "SELECT actor_type, actor_label, action, details FROM order_events
		WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$1" id) ORDER BY id DESC LIMIT 1"
}

# The form as the page fills it for this script's order; post_edit CODE
# VERSION [field=value …] sends it with those fields changed.
FIELDS="customer_title customer_first_name customer_last_name customer_email customer_phone
	billing_name billing_company billing_line1 billing_line2 billing_postcode billing_city billing_region billing_country billing_phone
	shipping_name shipping_company shipping_line1 shipping_line2 shipping_postcode shipping_city shipping_region shipping_country shipping_phone"
post_edit() {
	local code=$1 version=$2 f kv args=()
	declare -A v=([customer_first_name]="Inès" [customer_last_name]=Moreau [customer_email]=$EMAIL
		[billing_name]="Inès Moreau" [billing_line1]="1 rue Neuve" [billing_postcode]=69001 [billing_city]=Lyon
		[billing_country]=FR [shipping_name]="Inès Moreau" [shipping_line1]="1 rue Neuve"
		[shipping_postcode]=69001 [shipping_city]=Lyon [shipping_country]=FR)
	shift 2
	for kv in "$@"; do v[${kv%%=*}]=${kv#*=}; done
	for f in $FIELDS; do args+=(--data-urlencode "$f=${v[$f]-}"); done
	http POST "/orders/$code/addresses" ${CSRF:+--data-urlencode "csrf=$CSRF"} --data-urlencode "version=$version" "${args[@]}"
}

test_expect_success 'a product and an order through the intake API' '
	put_product E-MUG "{\"name\": \"Mug\", \"price\": 1200, \"vat_rate\": 2000, \"stock_on_hand\": 20}" &&
	test_status 201 &&
	CODE=$(new_order) && [ -n "$CODE" ] && echo "$CODE" >"$TEST_TMP/code" &&
	[ "$(ocol "$CODE" version)" = 0 ]
'
CODE=$(cat "$TEST_TMP/code" 2>/dev/null)
[ -n "$CODE" ] || test_bail "no order"

test_expect_success 'log in as staff; the order page leads to the form, filled with the order' '
	login "$SHOP_STAFF" "$DEMO_PASSWORD" && test_status 303 &&
	CSRF=$(session_csrf) && [ -n "$CSRF" ] && echo "$CSRF" >"$TEST_TMP/csrf" &&
	http GET "/orders/$CODE" && test_status 200 &&
	body_has "href=\"/orders/$CODE/addresses\">Modifier le client et les adresses</a>" &&
	body_has "Les adresses et les numéros de téléphone ont la forme attendue." &&
	http GET "/orders/$CODE/addresses" && test_status 200 &&
	body_has "action=\"/orders/$CODE/addresses\"" && body_has "name=\"version\" value=\"0\"" &&
	body_has "name=\"customer_email\" type=\"email\" value=\"$EMAIL\"" &&
	body_has "name=\"shipping_line1\" type=\"text\" value=\"1 rue Neuve\"" &&
	body_has "<legend>Adresse de livraison</legend>"
'
CSRF=$(cat "$TEST_TMP/csrf" 2>/dev/null)

test_expect_success 'an edit: the order'"'"'s customer columns, its addresses, one event with before and after, the search words' '
	events=$(sql "SELECT COUNT(*) FROM order_events WHERE shop_id = $SHOP_ID") &&
	post_edit "$CODE" 0 "customer_phone=06 12 34 56 78" "shipping_line1=8 quai Perrache" shipping_postcode=69002 &&
	test_status 303 && header_has "^Location: /orders/$CODE#addresses" &&
	[ "$(ocol "$CODE" "version, customer_title, customer_first_name, customer_last_name, customer_email, customer_phone")" = \
	  "$(printf "1\t\tInès\tMoreau\t%s\t+33612345678" "$EMAIL")" ] &&
	[ "$(addresses "$CODE")" = "$(printf "billing\tInès Moreau\t\t1 rue Neuve\t\t69001\tLyon\t\tFR\t\nshipping\tInès Moreau\t\t8 quai Perrache\t\t69002\tLyon\t\tFR\t")" ] &&
	[ "$(sql "SELECT COUNT(*) FROM order_events WHERE shop_id = $SHOP_ID")" = $((events + 1)) ] &&
	[ "$(last_event "$CODE")" = "$(printf "staff\tstaff@%s.example\torder.addresses_changed\t%s" "$SHOP_CODE" \
	  "{\"changes\":{\"customer.phone\":{\"from\":\"\",\"to\":\"+33612345678\"},\"shipping.line1\":{\"from\":\"1 rue Neuve\",\"to\":\"8 quai Perrache\"},\"shipping.postcode\":{\"from\":\"69001\",\"to\":\"69002\"}}}")" ] &&
	http GET "/search?q=0612345678" && body_has "/orders/$CODE"
'

test_expect_success 'the history says it in words' '
	http GET "/orders/$CODE" && test_status 200 &&
	body_has "Client et adresses modifiés : Client, Téléphone “” → “+33612345678”; Adresse de livraison, Rue et numéro “1 rue Neuve” → “8 quai Perrache”; Adresse de livraison, Code postal “69001” → “69002”"
'

test_expect_success 'the same form again: nothing to record, no event, the version kept' '
	before=$(state) &&
	post_edit "$CODE" 1 "customer_phone=+33 6 12 34 56 78" "shipping_line1=8 quai Perrache" shipping_postcode=69002 &&
	test_status 303 && unchanged "$before"
'

test_expect_success 'a postcode and a telephone of the wrong shape: saved, with warnings on the page before shipping' '
	post_edit "$CODE" 1 "customer_phone=+33 6 12 34 56 78" "shipping_line1=8 quai Perrache" shipping_postcode=6900 \
		shipping_phone=12 billing_postcode=2A004 && test_status 303 &&
	[ "$(ocol "$CODE" version)" = 2 ] &&
	[ "$(addresses "$CODE" | cut -f1,6,10)" = "$(printf "billing\t2A004\t\nshipping\t6900\t12")" ] &&
	http GET "/orders/$CODE" && test_status 200 &&
	body_has "Adresse de livraison, Code postal — Un code postal français a 5 chiffres." &&
	body_has "Adresse de livraison, Téléphone — Le numéro de téléphone n’a la forme ni d’un numéro du pays" &&
	body_has "Adresse de facturation, Code postal — Les codes postaux corses sont des chiffres" &&
	http GET "/orders/$CODE/addresses" && test_status 200 &&
	body_has "<p class=\"warning\" id=\"w-shipping_postcode\">Un code postal français a 5 chiffres.</p>"
'

test_expect_success 'national forms of a Belgian and a Dutch address: E.164 and 1234 AB stored' '
	post_edit "$CODE" 2 "customer_phone=+33612345678" "shipping_line1=8 quai Perrache" shipping_postcode=1012ab \
		shipping_city=Amsterdam shipping_country=nl "shipping_phone=020-1234567" billing_postcode=1000 \
		billing_city=Bruxelles billing_country=BE "billing_phone=0470 12 34 56" && test_status 303 &&
	[ "$(addresses "$CODE" | cut -f1,6,9,10)" = "$(printf "billing\t1000\tBE\t+32470123456\nshipping\t1012 AB\tNL\t+31201234567")" ]
'

test_expect_success 'a required field empty: 422, the form again with why, nothing written' '
	before=$(state) &&
	post_edit "$CODE" 3 billing_city= "customer_last_name=  " "shipping_line1=Quai 9" && test_status 422 &&
	body_has "Rien n’a été enregistré : corrigez les champs signalés ci-dessous." &&
	body_has "<p class=\"error\" id=\"e-billing_city\">La ville est obligatoire.</p>" &&
	body_has "<p class=\"error\" id=\"e-customer_last_name\">Le nom de famille est obligatoire.</p>" &&
	body_has "name=\"shipping_line1\" type=\"text\" value=\"Quai 9\"" &&
	unchanged "$before"
'

test_expect_success 'an e-mail that is not one, a country that is no code, a field too long: 422, nothing written' '
	before=$(state) &&
	post_edit "$CODE" 3 customer_email=ines.example.fr && test_status 422 && body_has "Ce n’est pas une adresse e-mail." &&
	post_edit "$CODE" 3 shipping_country=France && test_status 422 && body_has "Le pays est un code de deux lettres" &&
	post_edit "$CODE" 3 "billing_city=$(printf "%0101d" 0)" && test_status 422 &&
	body_has "Ce champ est plus long que ce qui peut être enregistré." &&
	unchanged "$before"
'

test_expect_success 'a stale form: 409, the order changed meanwhile, nothing written' '
	before=$(state) &&
	post_edit "$CODE" 1 "shipping_line1=Ailleurs" && test_status 409 &&
	body_has "La commande a changé entre-temps" &&
	unchanged "$before"
'

test_expect_success 'two edits of one version at once: one saved, the other refused, one event' '
	ver=$(ocol "$CODE" version) &&
	events=$(sql "SELECT COUNT(*) FROM order_events WHERE shop_id = $SHOP_ID") &&
	cp "$JAR" "$TEST_TMP/j1" && cp "$JAR" "$TEST_TMP/j2" &&
	{ ( JAR=$TEST_TMP/j1 BODY=$TEST_TMP/b1 HEADERS=$TEST_TMP/h1 post_edit "$CODE" "$ver" "shipping_line1=Rue A"; echo "$STATUS" >"$TEST_TMP/s1" ) &
	( JAR=$TEST_TMP/j2 BODY=$TEST_TMP/b2 HEADERS=$TEST_TMP/h2 post_edit "$CODE" "$ver" "shipping_line1=Rue B"; echo "$STATUS" >"$TEST_TMP/s2" ) &
	wait; } &&
	[ "$(sort "$TEST_TMP/s1" "$TEST_TMP/s2" | tr "\n" " ")" = "303 409 " ] &&
	if [ "$(cat "$TEST_TMP/s1")" = 303 ]; then won="Rue A" lost=$TEST_TMP/b2; else won="Rue B" lost=$TEST_TMP/b1; fi &&
	grep -qF "La commande a changé entre-temps" "$lost" &&
	[ "$(ocol "$CODE" version)" = $((ver + 1)) ] &&
	[ "$(addresses "$CODE" | sed -n 2p | cut -f4)" = "$won" ] &&
	[ "$(sql "SELECT COUNT(*) FROM order_events WHERE shop_id = $SHOP_ID")" = $((events + 1)) ] &&
	last_event "$CODE" | grep -qF "\"shipping.line1\":{\"from\":\"8 quai Perrache\",\"to\":\"$won\"}"
'

test_expect_success 'another shop'"'"'s order: the same 404 as none, nothing written' '
	HOST=$OTHER_HOST KEY=$OTHER_KEY put_product E-MUG "{\"name\": \"Verre\", \"price\": 900,
		\"vat_rate\": 2000, \"stock_on_hand\": 5}" && [ "$STATUS" = 201 ] &&
	other=$(HOST=$OTHER_HOST KEY=$OTHER_KEY new_order) && [ -n "$other" ] &&
	obefore=$(state "$OTHER_ID") &&
	http GET "/orders/$other/addresses" && test_status 404 && cp "$BODY" "$TEST_TMP/404-other" &&
	http GET "/orders/ZZZZZZZZ/addresses" && test_status 404 && cmp "$BODY" "$TEST_TMP/404-other" &&
	post_edit "$other" 0 "shipping_line1=Chez moi" && test_status 404 && cmp "$BODY" "$TEST_TMP/404-other" &&
	unchanged "$obefore" "$OTHER_ID"
'

test_expect_success 'without the CSRF token: 403, nothing written' '
	before=$(state) &&
	CSRF= post_edit "$CODE" "$(ocol "$CODE" version)" "shipping_line1=Sans jeton" && test_status 403 &&
	unchanged "$before"
'

test_expect_success 'a completed order: no link, the form refused in French, nothing written' '
	C2=$(new_order) && [ -n "$C2" ] &&
	http POST "/orders/$C2/status" --data-urlencode "csrf=$CSRF" --data-urlencode status=processing --data-urlencode version=0 &&
	test_status 303 &&
	http POST "/orders/$C2/status" --data-urlencode "csrf=$CSRF" --data-urlencode status=completed --data-urlencode version=1 &&
	test_status 303 &&
	http GET "/orders/$C2" && test_status 200 && body_lacks "/orders/$C2/addresses" &&
	http GET "/orders/$C2/addresses" && test_status 200 &&
	body_has "Une commande terminée ou annulée ne peut plus être modifiée." && body_lacks "action=\"/orders/$C2/addresses\"" &&
	before=$(state) &&
	post_edit "$C2" 2 "shipping_line1=Trop tard" && test_status 422 &&
	body_has "Une commande terminée ou annulée ne peut plus être modifiée." &&
	unchanged "$before"
'

test_expect_success 'a picker may not see or send the form' '
	forget_cookies && login "$SHOP_PICKER" "$DEMO_PASSWORD" && test_status 303 &&
	http GET "/orders/$CODE/addresses" && test_status 403
'

test_done
