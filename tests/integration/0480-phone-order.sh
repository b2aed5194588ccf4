#!/usr/bin/env bash
# An order taken by telephone at /orders/new (W9), through nginx: the
# customer found by name, e-mail or telephone, or typed new; products
# found by name or SKU, with their stock; quantities, shipping, payment;
# the totals of order_totals() at every step; "Créer la commande" takes it
# through the intake: the exact order, lines and totals, the stock
# reserved, the first event naming the staff member, the counters moved.
# A double submit makes one order. Refusals (stock short, no line, a bad
# address, an unknown product, another shop's customer or product) say why
# in French and change nothing. W8: "Nouvelle commande pour ce client" and
# "Renouveler la commande" on the order page.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

test_shop_new other || test_bail "no second shop of its own"
OTHER_ID=$SHOP_ID OTHER_HOST=$SHOP_HOST OTHER_KEY=$SHOP_KEY
test_shop_new || test_bail "no shop of its own"
KEY=$SHOP_KEY
EMAIL=helene.$RUN@example.fr

ocol() { sql "SELECT $2 FROM orders WHERE shop_id = $SHOP_ID AND code = '$1'"; }
# Everything taking an order may write, in this shop.
state() {
	sql "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM orders WHERE shop_id = $SHOP_ID;
		SELECT COUNT(*) FROM order_lines WHERE shop_id = $SHOP_ID;
		SELECT COUNT(*) FROM order_addresses WHERE shop_id = $SHOP_ID;
		SELECT COUNT(*) FROM order_events WHERE shop_id = $SHOP_ID;
		SELECT COUNT(*), COALESCE(MD5(GROUP_CONCAT(CONCAT_WS('|', id, email, first_name, last_name, phone) ORDER BY id)), '')
			FROM customers WHERE shop_id = $SHOP_ID;
		SELECT GROUP_CONCAT(CONCAT_WS('|', sku, stock_on_hand, stock_reserved) ORDER BY sku) FROM products WHERE shop_id = $SHOP_ID;
		SELECT COUNT(*) FROM product_events WHERE shop_id = $SHOP_ID;
		SELECT COUNT(*) FROM idempotency_keys WHERE shop_id = $SHOP_ID;
		SELECT COALESCE(GROUP_CONCAT(CONCAT_WS('|', status, n) ORDER BY status), '') FROM order_counts WHERE shop_id = $SHOP_ID"
}
unchanged() {
	local after
	after=$(state)
	[ "$after" = "$1" ] || { echo "the database changed:"; diff <(echo "$1") <(echo "$after"); return 1; }
}

# post_new [name=value …]: the form of /orders/new as the page would send
# it, with the session's CSRF token and FORM_KEY (the form's own key).
post_new() {
	local kv args=()
	for kv in "$@"; do args+=(--data-urlencode "$kv"); done
	http POST /orders/new ${CSRF:+--data-urlencode "csrf=$CSRF"} ${FORM_KEY:+--data-urlencode "key=$FORM_KEY"} "${args[@]}"
}
# A fresh form's key, as GET /orders/new draws it.
fresh_key() { http GET /orders/new && [ "$STATUS" = 200 ] && form_value key; }

BILLING=(billing_name="Hélène Dupré" "billing_line1=12 rue des Lilas" billing_postcode=69003 billing_city=Lyon billing_country=FR)

test_expect_success 'the catalogue, a customer with a past order; another shop with its own product and customer' '
	put_product P-CARNET "{\"name\": \"Carnet de croquis\", \"price\": 1250, \"vat_rate\": 2000, \"stock_on_hand\": 10}" &&
	test_status 201 &&
	put_product P-STYLO "{\"name\": \"Stylo plume\", \"price\": 350, \"vat_rate\": 550, \"stock_on_hand\": 3}" &&
	test_status 201 &&
	put_product P-RETIRE "{\"name\": \"Ancien carnet\", \"price\": 900, \"vat_rate\": 2000, \"stock_on_hand\": 5, \"active\": false}" &&
	test_status 201 &&
	cat >"$TEST_TMP/o.json" <<-JSON &&
	{"customer": {"title": "Mme", "first_name": "Hélène", "last_name": "Dupré", "email": "$EMAIL", "phone": "+33612345678"},
	 "billing_address": {"name": "Hélène Dupré", "line1": "12 rue des Lilas", "postcode": "69003", "city": "Lyon", "country": "FR"},
	 "lines": [{"sku": "P-CARNET", "quantity": 1}], "payment_method": "banktransfer", "carrier": "colissimo"}
	JSON
	post_order "$TEST_TMP/o.json" && test_status 201 && jget code >"$TEST_TMP/first" &&
	HOST=$OTHER_HOST KEY=$OTHER_KEY put_product O-SECRET "{\"name\": \"Carnet secret\", \"price\": 100, \"vat_rate\": 2000, \"stock_on_hand\": 50}" &&
	test_status 201 &&
	cat >"$TEST_TMP/other.json" <<-JSON &&
	{"customer": {"first_name": "Zoé", "last_name": "Dupréau", "email": "zoe.$RUN@example.fr", "phone": "+33698765432"},
	 "billing_address": {"name": "Zoé Dupréau", "line1": "3 rue Autre", "postcode": "75001", "city": "Paris", "country": "FR"},
	 "lines": [{"sku": "O-SECRET", "quantity": 1}]}
	JSON
	HOST=$OTHER_HOST KEY=$OTHER_KEY post_order "$TEST_TMP/other.json" && test_status 201 &&
	jget code >"$TEST_TMP/other-code"
'
FIRST=$(cat "$TEST_TMP/first" 2>/dev/null)
OTHER_CODE=$(cat "$TEST_TMP/other-code" 2>/dev/null)
[ -n "$FIRST" ] && [ -n "$OTHER_CODE" ] || test_bail "no orders to start from"
HELENE=$(sql "SELECT id FROM customers WHERE shop_id = $SHOP_ID AND email = '$EMAIL'")
ZOE=$(sql "SELECT id FROM customers WHERE shop_id = $OTHER_ID AND email = 'zoe.$RUN@example.fr'")
STAFF_ID=$(sql "SELECT id FROM staff_users WHERE shop_id = $SHOP_ID AND email = '$SHOP_STAFF'")

test_expect_success 'a picker may not take orders; staff get the form with a key of its own' '
	login "$SHOP_PICKER" "$DEMO_PASSWORD" && test_status 303 &&
	http GET /orders/new && test_status 403 &&
	forget_cookies &&
	login "$SHOP_STAFF" "$DEMO_PASSWORD" && test_status 303 &&
	CSRF=$(session_csrf) && [ -n "$CSRF" ] && echo "$CSRF" >"$TEST_TMP/csrf" &&
	http GET /orders && body_has "href=\"/orders/new\">Prendre une commande par téléphone</a>" &&
	http GET /orders/new && test_status 200 &&
	body_has "<h1>Nouvelle commande</h1>" && body_has "action=\"/orders/new\"" &&
	key=$(form_value key) && case $key in phone-????????????????????????????????) ;; *) false ;; esac &&
	http GET /orders/new && [ "$(form_value key)" != "$key" ]
'
CSRF=$(cat "$TEST_TMP/csrf" 2>/dev/null)

test_expect_success 'customers of this shop are found by name, first and last name, e-mail and telephone; never another shop'"'"'s' '
	FORM_KEY=$(fresh_key) &&
	for q in "dupr" "Helene Dupre" "helene.$RUN" "06 12 34 56 78" "+336123"; do
		post_new "cq=$q" && test_status 200 &&
		body_has "name=\"pick\" value=\"$HELENE\"" || { echo "not found by $q"; return 1; }
	done &&
	post_new "cq=dupr" && body_lacks "Zoé" && body_lacks "value=\"$ZOE\"" &&
	post_new "cq=zoe.$RUN" && body_lacks "value=\"$ZOE\"" &&
	body_has "Aucun client de la boutique ne correspond"
'

test_expect_success 'products of this shop are found by name or SKU with their stock; never another shop'"'"'s' '
	FORM_KEY=$(fresh_key) &&
	post_new "pq=croquis" && test_status 200 &&
	body_has "name=\"add\" value=\"P-CARNET\"" && body_has "<td data-label=\"Disponible\">9</td>" &&
	post_new "pq=p-sty" && body_has "name=\"add\" value=\"P-STYLO\"" &&
	post_new "pq=ancien" && body_has "plus vendu" && body_lacks "name=\"add\" value=\"P-RETIRE\"" &&
	post_new "pq=secret" && body_lacks "O-SECRET" && body_has "Aucun produit ne correspond." &&
	post_new "pq=O-SEC" && body_lacks "O-SECRET"
'

test_expect_success 'by telephone from start to finish: the customer found, products added, quantities, shipping, payment, totals at each step' '
	before_orders=$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $SHOP_ID") &&
	FORM_KEY=$(fresh_key) && echo "$FORM_KEY" >"$TEST_TMP/key1" &&
	post_new "pick=$HELENE" && test_status 200 &&
	body_has "name=\"customer_id\" value=\"$HELENE\"" && body_has "Mme Hélène Dupré" &&
	body_has "name=\"billing_line1\" type=\"text\" value=\"12 rue des Lilas\"" &&
	post_new "customer_id=$HELENE" "${BILLING[@]}" add=P-CARNET && test_status 200 &&
	body_has "name=\"sku_0\" value=\"P-CARNET\"" && body_has "name=\"qty_0\" type=\"number\" min=\"1\" max=\"1000000\" inputmode=\"numeric\" value=\"1\"" &&
	body_has "<td data-label=\"Total\" class=\"amount\">12,50" &&
	post_new "customer_id=$HELENE" "${BILLING[@]}" sku_0=P-CARNET qty_0=3 add=P-STYLO && test_status 200 &&
	body_has "name=\"sku_1\" value=\"P-STYLO\"" && body_has "<td data-label=\"Total\" class=\"amount\">37,50" &&
	post_new "customer_id=$HELENE" "${BILLING[@]}" sku_0=P-CARNET qty_0=3 sku_1=P-STYLO qty_1=1 carrier=colissimo \
		shipping_cost=6,90 payment_method=cheque do=update && test_status 200 &&
	body_has "id=\"grand-total\">47,90" && body_has "<option value=\"cheque\" selected>Chèque</option>" &&
	post_new "customer_id=$HELENE" "${BILLING[@]}" sku_0=P-CARNET qty_0=3 sku_1=P-STYLO qty_1=1 carrier=colissimo \
		shipping_cost=6,90 payment_method=cheque "remarks=Appel du 1er décembre" do=create && test_status 303 &&
	code=$(sed -n "s|^Location: /orders/\([A-Z0-9]*\)\r*$|\1|p" "$HEADERS") && [ -n "$code" ] &&
	echo "$code" >"$TEST_TMP/phone-code" &&
	[ "$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $SHOP_ID")" = $((before_orders + 1)) ]
'
CODE=$(cat "$TEST_TMP/phone-code" 2>/dev/null)
KEY1=$(cat "$TEST_TMP/key1" 2>/dev/null)

test_expect_success 'the order is exact: customer, channel, payment, carrier, totals and VAT by order_totals()' '
	[ -n "$CODE" ] &&
	[ "$(ocol "$CODE" "channel, status, payment_state, customer_id, customer_email, customer_first_name, customer_last_name, payment_method, carrier, remarks")" = \
	  "$(printf "phone\treceived\tunpaid\t%s\t%s\tHélène\tDupré\tcheque\tcolissimo\tAppel du 1er décembre" "$HELENE" "$EMAIL")" ] &&
	[ "$(ocol "$CODE" "lines_cents, shipping_cents, shipping_vat_rate, total_ex_vat_cents, total_vat_cents, total_cents")" = \
	  "$(printf "4100\t690\t2000\t4032\t758\t4790")" ] &&
	[ "$(sql "SELECT line_no, sku, quantity, unit_price_cents, vat_rate, total_cents, reserved_stock FROM order_lines
		WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$CODE" id) ORDER BY line_no")" = \
	  "$(printf "1\tP-CARNET\t3\t1250\t2000\t3750\t1\n2\tP-STYLO\t1\t350\t550\t350\t1")" ] &&
	[ "$(sql "SELECT kind, name, line1, postcode, city, country FROM order_addresses WHERE shop_id = $SHOP_ID
		AND order_id = $(ocol "$CODE" id) ORDER BY kind")" = \
	  "$(printf "billing\tHélène Dupré\t12 rue des Lilas\t69003\tLyon\tFR\nshipping\tHélène Dupré\t12 rue des Lilas\t69003\tLyon\tFR")" ] &&
	[ "$(sql "SELECT COUNT(*) FROM customers WHERE shop_id = $SHOP_ID")" = 1 ]
'

test_expect_success 'the stock is reserved, the first event names the staff member, the counters moved' '
	[ "$(sql "SELECT sku, stock_on_hand, stock_reserved FROM products WHERE shop_id = $SHOP_ID AND sku IN (\"P-CARNET\", \"P-STYLO\") ORDER BY sku")" = \
	  "$(printf "P-CARNET\t10\t4\nP-STYLO\t3\t1")" ] &&
	[ "$(sql "SELECT actor_type, actor_id, actor_label, action, JSON_VALUE(details, \"\$.channel\") FROM order_events
		WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$CODE" id) ORDER BY id")" = \
	  "$(printf "staff\t%s\t%s\torder.created\tphone" "$STAFF_ID" "$SHOP_STAFF")" ] &&
	[ "$(sql "SELECT actor_label, action FROM product_events WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$CODE" id) ORDER BY product_id")" = \
	  "$(printf "%s\treserved\n%s\treserved" "$SHOP_STAFF" "$SHOP_STAFF")" ] &&
	counts_exact "$SHOP_ID" &&
	http GET "/orders/$CODE" && test_status 200 && body_has "Commande reçue par le téléphone" &&
	body_has "$SHOP_STAFF"
'

test_expect_success 'the same form sent twice makes one order: the second answers the first'"'"'s' '
	before=$(state) && FORM_KEY=$KEY1 &&
	post_new "customer_id=$HELENE" "${BILLING[@]}" sku_0=P-CARNET qty_0=3 sku_1=P-STYLO qty_1=1 carrier=colissimo \
		shipping_cost=6,90 payment_method=cheque "remarks=Appel du 1er décembre" do=create && test_status 303 &&
	header_has "^Location: /orders/$CODE" && unchanged "$before" &&
	post_new "customer_id=$HELENE" "${BILLING[@]}" sku_0=P-CARNET qty_0=2 carrier=colissimo \
		shipping_cost=6,90 payment_method=cheque do=create && test_status 409 &&
	body_has "Ce formulaire a déjà créé une commande" && unchanged "$before"
'

test_expect_success 'a new customer typed in: created with the order, shipped to another address' '
	FORM_KEY=$(fresh_key) && new=nina.$RUN@example.fr &&
	post_new customer_first_name=Nina customer_last_name=Klein "customer_email=$new" "customer_phone=06 11 22 33 44" \
		"billing_name=Nina Klein" "billing_line1=4 place Bellecour" billing_postcode=69002 billing_city=Lyon billing_country=fr \
		"shipping_name=Nina Klein" "shipping_line1=Rue du Lac 3" shipping_postcode=1003 shipping_city=Lausanne shipping_country=CH \
		sku_0=P-STYLO qty_0=1 payment_method=banktransfer do=create && test_status 303 &&
	code=$(sed -n "s|^Location: /orders/\([A-Z0-9]*\)\r*$|\1|p" "$HEADERS") && [ -n "$code" ] &&
	[ "$(sql "SELECT first_name, last_name, phone FROM customers WHERE shop_id = $SHOP_ID AND email = \"$new\"")" = \
	  "$(printf "Nina\tKlein\t+33611223344")" ] &&
	[ "$(ocol "$code" "channel, customer_id, total_cents, payment_method")" = \
	  "$(printf "phone\t%s\t350\tbanktransfer" "$(sql "SELECT id FROM customers WHERE shop_id = $SHOP_ID AND email = \"$new\"")")" ] &&
	[ "$(sql "SELECT kind, city, postcode, country FROM order_addresses WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$code" id) ORDER BY kind")" = \
	  "$(printf "billing\tLyon\t69002\tFR\nshipping\tLausanne\t1003\tCH")" ] &&
	counts_exact "$SHOP_ID"
'

test_expect_success 'stock short: refused with what is left, in French; nothing changed' '
	before=$(state) && FORM_KEY=$(fresh_key) &&
	post_new "customer_id=$HELENE" "${BILLING[@]}" sku_0=P-STYLO qty_0=5 payment_method=cheque do=update &&
	test_status 200 && body_has "stock insuffisant" &&
	post_new "customer_id=$HELENE" "${BILLING[@]}" sku_0=P-STYLO qty_0=5 payment_method=cheque do=create &&
	test_status 409 && body_has "Stock insuffisant de P-STYLO : 5 demandés, 1 disponibles." &&
	body_has "name=\"qty_0\" type=\"number\" min=\"1\" max=\"1000000\" inputmode=\"numeric\" value=\"5\"" &&
	unchanged "$before" && counts_exact "$SHOP_ID"
'

test_expect_success 'no line, a bad address, a missing payment method, an unknown or retired product: refused, said why, nothing changed' '
	before=$(state) && FORM_KEY=$(fresh_key) &&
	post_new "customer_id=$HELENE" "${BILLING[@]}" payment_method=cheque do=create && test_status 422 &&
	body_has "Ajoutez au moins un produit à la commande." &&
	post_new "customer_id=$HELENE" billing_name=X "billing_line1=1 rue" billing_postcode=69003 billing_country=FR \
		sku_0=P-CARNET qty_0=1 payment_method=cheque do=create && test_status 422 &&
	body_has "Rien n’a été créé : corrigez les champs signalés ci-dessous." && body_has "aria-invalid=\"true\" aria-describedby=\"e-billing_city\"" &&
	post_new "customer_id=$HELENE" "${BILLING[@]}" sku_0=P-CARNET qty_0=1 do=create && test_status 422 &&
	body_has "Choisissez le moyen de paiement du client." &&
	post_new "customer_id=$HELENE" "${BILLING[@]}" sku_0=P-CARNET qty_0=0 payment_method=cheque do=create && test_status 422 &&
	body_has "Chaque quantité doit être un nombre entier de 1 à 1 000 000." &&
	post_new "customer_id=$HELENE" "${BILLING[@]}" add=NOPE-42 && test_status 200 &&
	body_has "absent du catalogue de la boutique" &&
	post_new "customer_id=$HELENE" "${BILLING[@]}" sku_0=NOPE-42 qty_0=1 payment_method=cheque do=create && test_status 422 &&
	body_has "Aucun produit NOPE-42 dans le catalogue de la boutique : retirez la ligne." &&
	post_new "customer_id=$HELENE" "${BILLING[@]}" sku_0=P-RETIRE qty_0=1 payment_method=cheque do=create && test_status 422 &&
	body_has "P-RETIRE n’est plus vendu : retirez la ligne." &&
	post_new customer_last_name=Sans "customer_email=pas-une-adresse" "${BILLING[@]}" sku_0=P-CARNET qty_0=1 \
		payment_method=cheque do=create && test_status 422 && body_has "Rien n’a été créé" &&
	unchanged "$before"
'

test_expect_success 'another shop'"'"'s product and customer are never usable here; nothing changed' '
	before=$(state) && FORM_KEY=$(fresh_key) &&
	post_new "customer_id=$HELENE" "${BILLING[@]}" add=O-SECRET && test_status 200 &&
	body_has "absent du catalogue de la boutique" && body_lacks "Carnet secret" &&
	post_new "customer_id=$HELENE" "${BILLING[@]}" sku_0=O-SECRET qty_0=1 payment_method=cheque do=create &&
	test_status 422 && body_has "Aucun produit O-SECRET dans le catalogue de la boutique" &&
	post_new "pick=$ZOE" && test_status 422 && body_has "Ce client n’est pas un client de la boutique" &&
	body_lacks "Zoé" && body_lacks "name=\"customer_id\"" &&
	post_new "customer_id=$ZOE" "${BILLING[@]}" sku_0=P-CARNET qty_0=1 payment_method=cheque do=create &&
	test_status 422 && body_lacks "Zoé" &&
	http GET "/orders/new?customer=$ZOE" && test_status 404 &&
	http GET "/orders/new?from=$OTHER_CODE" && test_status 404 &&
	http GET "/orders/new?from=$OTHER_CODE&repeat=1" && test_status 404 &&
	unchanged "$before" &&
	[ "$(sql "SELECT stock_reserved FROM products WHERE shop_id = $OTHER_ID AND sku = \"O-SECRET\"")" = 1 ]
'

test_expect_success 'without the CSRF token the form is refused and nothing is taken' '
	before=$(state) && FORM_KEY=$(fresh_key) &&
	CSRF= post_new "customer_id=$HELENE" "${BILLING[@]}" sku_0=P-CARNET qty_0=1 payment_method=cheque do=create &&
	test_status 403 && unchanged "$before"
'

test_expect_success 'W8: the order page offers a new order for the customer and the order renewed' '
	http GET "/orders/$CODE" && test_status 200 &&
	body_has "<a class=\"button\" href=\"/orders/new?from=$CODE\">Nouvelle commande pour ce client</a>" &&
	body_has "<a class=\"button\" href=\"/orders/new?from=$CODE&amp;repeat=1\">Renouveler la commande</a>" &&
	http GET "/orders/new?from=$CODE" && test_status 200 &&
	body_has "name=\"customer_id\" value=\"$HELENE\"" && body_lacks "name=\"sku_0\"" &&
	body_has "Aucun produit pour l’instant" && body_has "value=\"12 rue des Lilas\""
'

test_expect_success 'W8: renewing takes the same products and quantities at today'"'"'s prices, editable, then taken' '
	put_product P-CARNET "{\"name\": \"Carnet de croquis\", \"price\": 1300, \"vat_rate\": 2000, \"stock_on_hand\": 10}" &&
	test_status 200 &&
	http GET "/orders/new?from=$CODE&repeat=1" && test_status 200 &&
	FORM_KEY=$(form_value key) && [ -n "$FORM_KEY" ] &&
	body_has "name=\"customer_id\" value=\"$HELENE\"" &&
	body_has "name=\"sku_0\" value=\"P-CARNET\"" && body_has "name=\"qty_0\" type=\"number\" min=\"1\" max=\"1000000\" inputmode=\"numeric\" value=\"3\"" &&
	body_has "name=\"sku_1\" value=\"P-STYLO\"" && body_has "name=\"qty_1\" type=\"number\" min=\"1\" max=\"1000000\" inputmode=\"numeric\" value=\"1\"" &&
	body_has "les prix sont ceux du catalogue aujourd’hui" &&
	body_has "<td data-label=\"Total\" class=\"amount\">39,00" &&
	post_new repeated=1 "customer_id=$HELENE" "${BILLING[@]}" sku_0=P-CARNET qty_0=2 sku_1=P-STYLO qty_1=1 remove=1 \
		payment_method=cheque && test_status 200 && body_lacks "name=\"sku_1\"" &&
	post_new repeated=1 "customer_id=$HELENE" "${BILLING[@]}" sku_0=P-CARNET qty_0=2 payment_method=cheque do=create &&
	test_status 303 && code=$(sed -n "s|^Location: /orders/\([A-Z0-9]*\)\r*$|\1|p" "$HEADERS") && [ -n "$code" ] &&
	[ "$code" != "$CODE" ] &&
	[ "$(sql "SELECT sku, quantity, unit_price_cents FROM order_lines WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$code" id)")" = \
	  "$(printf "P-CARNET\t2\t1300")" ] &&
	[ "$(ocol "$code" "customer_id, channel, total_cents")" = "$(printf "%s\tphone\t2600" "$HELENE")" ] &&
	counts_exact "$SHOP_ID"
'

test_done
