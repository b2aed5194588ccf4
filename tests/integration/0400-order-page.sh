#!/usr/bin/env bash
# The order page, /orders/{code}: every block shows the order's figures as
# the database holds them, in French (and in English for an English staff
# member); notes and the reference field change it, each with its history
# event; opening it records it as recently viewed; another shop's code is
# the same 404 as a code that does not exist; pickers may not open it.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

KEY=$(new_key atelier "test-0400-$RUN")
CAVE_KEY=$(new_key cave "test-0400-$RUN")
P=T0400-$RUN
EMAIL=lea.$RUN@example.fr
EN_EMAIL=anna.$RUN@atelier.example
sql "DELETE FROM login_throttle"
COMPTOIR_PASSWORD=$DEMO_PASSWORD "$CPT_BIN" --config "$CPT_CONFIG" user add --shop atelier \
	--email "$EN_EMAIL" --role staff --locale en >/dev/null 2>&1 || exit 1
trap 'sql "DELETE FROM staff_users WHERE email = \"$EN_EMAIL\""; rm -rf "$TEST_TMP"' EXIT

# order_json FILE SKU QTY [EXTRA…]: an order of this script's customer.
order_json() {
	cat >"$1" <<JSON
{"customer": {"title": "Mme", "first_name": "Léa", "last_name": "Rivière", "email": "$EMAIL",
              "phone": "+33612345678"},
 "billing_address":  {"name": "Léa Rivière", "company": "Ateliers & Cie", "line1": "3 place Bellecour",
                      "line2": "", "postcode": "69002", "city": "Lyon", "country": "FR"},
 "shipping_address": {"name": "Léa Rivière", "company": "", "line1": "12 rue des Lilas",
                      "line2": "Bâtiment B", "postcode": "69003", "city": "Lyon", "country": "FR"},
 "lines": [{"sku": "$P-BIG", "quantity": $3}, {"sku": "$2", "quantity": 1}],
 "carrier": "colissimo", "shipping_cost": 690, "payment_method": "banktransfer",
 "remarks": "Livrer après 18 h <b>merci</b>", "external_reference": "WEB-$RUN", "title": ""}
JSON
}

# new_order SKU QTY: posts an order, prints its code.
new_order() {
	order_json "$TEST_TMP/o.json" "$1" "$2" && post_order "$TEST_TMP/o.json" >/dev/null &&
	[ "$STATUS" = 201 ] && jget code
}

# fmt_money CENTS [en]: what the page must show (narrow no-break space
# between thousands, no-break space before €).
fmt_money() {
	/usr/bin/python3 -c '
import sys
c = int(sys.argv[1]); en = len(sys.argv) > 2
u, f = divmod(abs(c), 100)
if en: print(("-" if c < 0 else "") + "€" + f"{u:,}" + f".{f:02d}")
else: print(("-" if c < 0 else "") + f"{u:,}".replace(",", "\u202f") + f",{f:02d}\u00a0€")' "$@"
}

# fmt_date "YYYY-MM-DD HH:MM:SS" [en]: UTC to Paris time as the page shows it.
fmt_date() {
	/usr/bin/python3 -c '
import sys, datetime, zoneinfo
t = datetime.datetime.fromisoformat(sys.argv[1]).replace(tzinfo=datetime.timezone.utc)
t = t.astimezone(zoneinfo.ZoneInfo("Europe/Paris"))
print(f"{t.day} {t:%b %Y, %H:%M}" if len(sys.argv) > 2 else f"{t:%d/%m/%Y %H:%M}")' "$@"
}

ocol() { sql "SELECT $2 FROM orders o JOIN shops s ON s.id = o.shop_id WHERE s.code = 'atelier' AND o.code = '$1'"; }
count_of() { sql "SELECT COUNT(*) FROM $1 x JOIN orders o ON o.shop_id = x.shop_id AND o.id = x.order_id WHERE o.code = '$2'"; }

test_expect_success 'products and orders come in through the intake API' '
	put_product "$P-BIG" "{\"name\": \"Affiche A2 brillante\", \"price\": 123450, \"vat_rate\": 2000,
		\"weight\": 850, \"stock_on_hand\": 10, \"low_stock_threshold\": 3}" && test_status 201 &&
	put_product "$P-LOW" "{\"name\": \"Livre d’or\", \"price\": 1990, \"vat_rate\": 550,
		\"weight\": 400, \"stock_on_hand\": 5, \"low_stock_threshold\": 4}" && test_status 201 &&
	put_product "$P-FREE" "{\"name\": \"Fichier PDF\", \"price\": 1000, \"vat_rate\": 2000,
		\"track_stock\": false}" && test_status 201 &&
	OLD=$(new_order "$P-FREE" 1) && [ -n "$OLD" ] && echo "$OLD" >"$TEST_TMP/old" &&
	CODE=$(new_order "$P-LOW" 2) && [ -n "$CODE" ] && echo "$CODE" >"$TEST_TMP/code" &&
	HOST=cave.localhost KEY=$CAVE_KEY put_product "$P-WINE" "{\"name\": \"Crémant\", \"price\": 1450,
		\"vat_rate\": 2000, \"stock_on_hand\": 50}" && test_status 201 &&
	order_json "$TEST_TMP/cave.json" "$P-WINE" 1 &&
	sed -i "s/{\"sku\": \"$P-BIG\", \"quantity\": 1}, //" "$TEST_TMP/cave.json" &&
	HOST=cave.localhost KEY=$CAVE_KEY post_order "$TEST_TMP/cave.json" && test_status 201 &&
	jget code >"$TEST_TMP/cave"
'
CODE=$(cat "$TEST_TMP/code" 2>/dev/null); OLD=$(cat "$TEST_TMP/old" 2>/dev/null)
[ -n "$CODE" ] || { echo "Bail out! no order to show"; exit 1; }

test_expect_success 'log in as the owner of the Atelier' '
	login owner@atelier.example "$DEMO_PASSWORD" && test_status 303
'

test_expect_success 'the header: status, date and time in French, code, number and total' '
	http GET "/orders/$CODE" && test_status 200 &&
	number=$(ocol "$CODE" number) && total=$(ocol "$CODE" total_cents) &&
	placed=$(ocol "$CODE" "DATE_FORMAT(placed_at, \"%Y-%m-%d %H:%i:%s\")") &&
	body_has "<h1>Commande $number</h1>" && body_has ">$CODE</dd>" &&
	body_has "<dd>$number</dd>" && body_has "$(fmt_money "$total")</dd>" &&
	body_has ">$(fmt_date "$placed")</time>" && body_has "status-received\">Reçue</span>" &&
	[ "$total" = $((2 * 123450 + 1990 + 690)) ]
'

test_expect_success 'money is written 1 234,50 € with a narrow no-break space' '
	body_has "$(printf "1\342\200\257234,50\302\240€")"
'

test_expect_success 'summary: carrier, total weight, payment method and states' '
	weight=$(ocol "$CODE" total_weight_g) && [ "$weight" = $((2 * 850 + 400)) ] &&
	body_has "<dd>Colissimo</dd>" && body_has "<dd>2,1$(printf "\302\240")kg</dd>" &&
	body_has "<dd>Virement bancaire</dd>" && body_has "<dd>Non payée</dd>" &&
	body_has "<dd>Non expédiée</dd>" && body_has "WEB-$RUN"
'

test_expect_success 'the payment method and the amount paid are shown once, in the payments block' '
	[ "$(grep -c "<dt>Moyen de paiement</dt>" "$BODY")" = 1 ] && [ "$(grep -c "<dt>Payé</dt>" "$BODY")" = 1 ] &&
	sed -n "/id=\"payments\"/,/<\/section>/p" "$BODY" | grep -q "<dt>Moyen de paiement</dt>" &&
	body_has "<h2 id=\"h-payment\">Détail du total</h2>"
'

test_expect_success 'how the total is made: products, shipping, total excl. VAT, VAT per rate, total' '
	for col in lines_cents shipping_cents total_ex_vat_cents total_vat_cents total_cents; do
		body_has "$(fmt_money "$(ocol "$CODE" $col)")</td>" || return 1
	done &&
	ocol "$CODE" vat_breakdown >"$TEST_TMP/vat.json" &&
	/usr/bin/python3 -c "import json,sys; [print(v[\"rate\"], v[\"base\"], v[\"vat\"]) for v in json.load(open(sys.argv[1]))]" \
		"$TEST_TMP/vat.json" >"$TEST_TMP/vat.txt" && [ "$(wc -l <"$TEST_TMP/vat.txt")" = 2 ] &&
	while read -r rate base vat; do
		label=$([ "$rate" = 2000 ] && echo "20$(printf "\302\240")%" || echo "5,5$(printf "\302\240")%") &&
		body_has "TVA $label <span class=\"muted\">(sur $(fmt_money "$base"))</span></th><td class=\"amount\">$(fmt_money "$vat")</td>" || return 1
	done <"$TEST_TMP/vat.txt"
'

test_expect_success 'lines: stock left, and the low-stock highlight at or under the threshold' '
	big=$(sql "SELECT stock_on_hand - stock_reserved FROM products p JOIN shops s ON s.id = p.shop_id WHERE s.code = \"atelier\" AND sku = \"$P-BIG\"") &&
	low=$(sql "SELECT stock_on_hand - stock_reserved FROM products p JOIN shops s ON s.id = p.shop_id WHERE s.code = \"atelier\" AND sku = \"$P-LOW\"") &&
	[ "$low" = 4 ] && [ "$big" -gt 3 ] &&
	tr -d "\n" <"$BODY" >"$TEST_TMP/flat" &&
	grep -qF "<span class=\"code\">$P-LOW</span> Livre d’or" "$TEST_TMP/flat" &&
	grep -q "<tr class=\"low\">[^<]*<th scope=\"row\"><span class=\"code\">$P-LOW</span>" "$TEST_TMP/flat" &&
	grep -qF "<span class=\"stock\">4</span> <strong class=\"low-stock\">stock bas</strong>" "$TEST_TMP/flat" &&
	grep -qF "<span class=\"stock\">$big</span></td>" "$TEST_TMP/flat" &&
	! grep -q "<tr class=\"low\">[^<]*<th scope=\"row\"><span class=\"code\">$P-BIG</span>" "$TEST_TMP/flat" &&
	body_has "$(fmt_money 123450)</td>"
'

test_expect_success 'addresses, with an escaped OpenStreetMap search for the shipping address' '
	body_has "Ateliers &amp; Cie" && body_has "3 place Bellecour" &&
	body_has "href=\"https://www.openstreetmap.org/search?query=12%20rue%20des%20Lilas%2C%20B%C3%A2timent%20B%2C%2069003%20Lyon%2C%20FR\""
'

test_expect_success 'customer block: name, code, remarks escaped, the other order linked' '
	ccode=$(ocol "$CODE" customer_code) && [ -n "$ccode" ] &&
	body_has "<dd>Mme Léa Rivière</dd>" && body_has ">$ccode</dd>" &&
	body_has "Livrer après 18 h &lt;b&gt;merci&lt;/b&gt;" && body_lacks "<b>merci" &&
	body_has "<a href=\"/orders/$OLD\">" && body_lacks "<a href=\"/orders/$CODE\">"
'

test_expect_success 'history in words, with who and when' '
	at=$(sql "SELECT DATE_FORMAT(e.at, \"%Y-%m-%d %H:%i:%s\") FROM order_events e JOIN orders o ON o.shop_id = e.shop_id AND o.id = e.order_id WHERE o.code = \"$CODE\" ORDER BY e.id LIMIT 1") &&
	body_has ">$(fmt_date "$at")</time> <span class=\"who\">" && body_has "Commande reçue par la boutique en ligne"
'

test_expect_success 'opening the order recorded it as recently viewed by this staff member' '
	[ "$(sql "SELECT COUNT(*) FROM staff_recent_orders r JOIN staff_users u ON u.shop_id = r.shop_id AND u.id = r.staff_id
		JOIN orders o ON o.shop_id = r.shop_id AND o.id = r.order_id WHERE u.email = \"owner@atelier.example\" AND o.code = \"$CODE\"")" = 1 ]
'

test_expect_success 'a note without the CSRF token is refused, nothing written' '
	before="$(count_of order_notes "$CODE") $(count_of order_events "$CODE")" &&
	http POST "/orders/$CODE/notes" --data-urlencode "note=Appeler la cliente" && test_status 403 &&
	[ "$(count_of order_notes "$CODE") $(count_of order_events "$CODE")" = "$before" ]
'

test_expect_success 'an empty note is refused with a clear message, nothing written' '
	before="$(count_of order_notes "$CODE") $(count_of order_events "$CODE")" &&
	csrf=$(session_csrf) &&
	http POST "/orders/$CODE/notes" --data-urlencode "csrf=$csrf" --data-urlencode "note=  " && test_status 422 &&
	body_has "La note est vide : écrivez-la, puis ajoutez-la." && body_has "aria-invalid=\"true\"" &&
	[ "$(count_of order_notes "$CODE") $(count_of order_events "$CODE")" = "$before" ]
'

test_expect_success 'a note is added: redirect, the note and its event in the database, shown on the page' '
	csrf=$(session_csrf) &&
	http POST "/orders/$CODE/notes" --data-urlencode "csrf=$csrf" --data-urlencode "note=Appeler <la> cliente avant l’envoi" &&
	test_status 303 && header_has "^Location: /orders/$CODE#notes" &&
	[ "$(sql "SELECT body FROM order_notes n JOIN orders o ON o.shop_id = n.shop_id AND o.id = n.order_id WHERE o.code = \"$CODE\"")" = "Appeler <la> cliente avant l’envoi" ] &&
	[ "$(sql "SELECT CONCAT(e.actor_type, \" \", e.actor_label, \" \", JSON_VALUE(e.details, \"$.note\")) FROM order_events e JOIN orders o ON o.shop_id = e.shop_id AND o.id = e.order_id WHERE o.code = \"$CODE\" AND e.action = \"order.note_added\"")" = "staff owner@atelier.example Appeler <la> cliente avant l’envoi" ] &&
	http GET "/orders/$CODE" && test_status 200 &&
	body_has "<p class=\"note-body\">Appeler &lt;la&gt; cliente avant l’envoi</p>" &&
	body_has "Note interne ajoutée : Appeler &lt;la&gt; cliente" &&
	tail_event=$(grep -o "<li><time[^>]*>[^<]*</time> <span class=\"who\">[^<]*</span> <span class=\"what\">[^<]*</span></li>" "$BODY" | tail -n 1) &&
	case $tail_event in *"Note interne ajoutée"*) ;; *) echo "last event: $tail_event"; false ;; esac
'

test_expect_success 'notes are shown oldest first, as the history' '
	csrf=$(session_csrf) &&
	http POST "/orders/$CODE/notes" --data-urlencode "csrf=$csrf" --data-urlencode "note=Deuxième note $RUN" &&
	test_status 303 && http GET "/orders/$CODE" && test_status 200 &&
	grep -o "<p class=\"note-body\">[^<]*</p>" "$BODY" >"$TEST_TMP/notes" && [ "$(wc -l <"$TEST_TMP/notes")" = 2 ] &&
	[ "$(head -n 1 "$TEST_TMP/notes")" = "<p class=\"note-body\">Appeler &lt;la&gt; cliente avant l’envoi</p>" ] &&
	[ "$(tail -n 1 "$TEST_TMP/notes")" = "<p class=\"note-body\">Deuxième note $RUN</p>" ]
'

test_expect_success 'the reference is set, with its event; the same again writes nothing' '
	csrf=$(session_csrf) &&
	http POST "/orders/$CODE/reference" --data-urlencode "csrf=$csrf" --data-urlencode "reference= 6A12345678901 " &&
	test_status 303 && header_has "^Location: /orders/$CODE#reference" &&
	[ "$(ocol "$CODE" reference)" = 6A12345678901 ] &&
	[ "$(sql "SELECT JSON_VALUE(e.details, \"$.to\") FROM order_events e JOIN orders o ON o.shop_id = e.shop_id AND o.id = e.order_id WHERE o.code = \"$CODE\" AND e.action = \"order.reference_changed\"")" = 6A12345678901 ] &&
	events=$(count_of order_events "$CODE") &&
	http POST "/orders/$CODE/reference" --data-urlencode "csrf=$csrf" --data-urlencode "reference=6A12345678901" &&
	test_status 303 && [ "$(count_of order_events "$CODE")" = "$events" ] &&
	http GET "/orders/$CODE" && body_has "value=\"6A12345678901\"" && body_has "Référence « 6A12345678901 » ajoutée"
'

test_expect_success 'a reference without the CSRF token, or too long, changes nothing' '
	http POST "/orders/$CODE/reference" --data-urlencode "reference=X" && test_status 403 &&
	csrf=$(session_csrf) && long=$(printf "%0256d" 0) &&
	http POST "/orders/$CODE/reference" --data-urlencode "csrf=$csrf" --data-urlencode "reference=$long" &&
	test_status 422 && body_has "255 caractères au plus" && [ "$(ocol "$CODE" reference)" = 6A12345678901 ]
'

test_expect_success 'another shop'"'"'s order answers exactly the 404 of a code that does not exist' '
	cave=$(cat "$TEST_TMP/cave") && [ -n "$cave" ] &&
	[ "$(sql "SELECT s.code FROM orders o JOIN shops s ON s.id = o.shop_id WHERE o.code = \"$cave\"")" = cave ] &&
	http GET "/orders/$cave" && test_status 404 && cp "$BODY" "$TEST_TMP/other-shop" &&
	http GET "/orders/ZZZZZZZZ" && test_status 404 && cmp "$BODY" "$TEST_TMP/other-shop" &&
	csrf=$(session_csrf) &&
	http POST "/orders/$cave/notes" --data-urlencode "csrf=$csrf" --data-urlencode "note=x" && test_status 404 &&
	cmp "$BODY" "$TEST_TMP/other-shop" &&
	[ "$(count_of order_notes "$cave")" = 0 ]
'

test_expect_success 'a picker may not open the order page' '
	JAR=$TEST_TMP/picker-jar login picker@atelier.example "$DEMO_PASSWORD" && test_status 303 &&
	JAR=$TEST_TMP/picker-jar http GET "/orders/$CODE" && test_status 403 && body_lacks "$P-BIG"
'

test_expect_success 'an English staff member reads money and dates in English' '
	JAR=$TEST_TMP/en-jar login "$EN_EMAIL" "$DEMO_PASSWORD" && test_status 303 &&
	JAR=$TEST_TMP/en-jar http GET "/orders/$CODE" && test_status 200 &&
	placed=$(ocol "$CODE" "DATE_FORMAT(placed_at, \"%Y-%m-%d %H:%i:%s\")") &&
	body_has "<h1>Order $(ocol "$CODE" number)</h1>" && body_has "$(fmt_money "$(ocol "$CODE" total_cents)" en)</dd>" &&
	body_has "€1,234.50" && body_has ">$(fmt_date "$placed" en)</time>" && body_has "Bank transfer" &&
	body_has "VAT 5.5%"
'

test_expect_success 'recently viewed keeps the ten newest per staff member' '
	put_product "$P-BIG" "{\"name\": \"Affiche A2 brillante\", \"price\": 123450, \"vat_rate\": 2000,
		\"weight\": 850, \"stock_on_hand\": 1000, \"low_stock_threshold\": 3}" && test_status 200 &&
	for i in 1 2 3 4 5 6 7 8 9 10; do
		c=$(new_order "$P-FREE" 1) && [ -n "$c" ] && echo "$c" >>"$TEST_TMP/codes" &&
		JAR=$TEST_TMP/en-jar http GET "/orders/$c" && test_status 200 || return 1
	done &&
	rows=$(sql "SELECT o.code FROM staff_recent_orders r JOIN staff_users u ON u.shop_id = r.shop_id AND u.id = r.staff_id
		JOIN orders o ON o.shop_id = r.shop_id AND o.id = r.order_id WHERE u.email = \"$EN_EMAIL\" ORDER BY r.viewed_at") &&
	{ [ "$rows" = "$(cat "$TEST_TMP/codes")" ] || { echo "kept: $rows"; echo "opened: $(cat "$TEST_TMP/codes")"; false; }; } &&
	[ "$(sql "SELECT COUNT(*) FROM staff_recent_orders r JOIN staff_users u ON u.shop_id = r.shop_id AND u.id = r.staff_id WHERE u.email = \"owner@atelier.example\"")" -ge 1 ]
'

# The orders of the dashboard's "opened lately" list (it also lists the last orders in).
recent_codes() {
	sed -n "/<ol class=\"recent\">/,/<\/ol>/p" "$BODY" | grep -o "href=\"/orders/[A-Z0-9]*\"" |
		sed "s|href=\"/orders/||; s|\"||"
}

test_expect_success 'the dashboard lists the orders this staff member opened, newest first' '
	JAR=$TEST_TMP/en-jar http GET / && test_status 200 &&
	want=$(sql "SELECT o.code FROM staff_recent_orders r JOIN staff_users u ON u.shop_id = r.shop_id AND u.id = r.staff_id
		JOIN orders o ON o.shop_id = r.shop_id AND o.id = r.order_id WHERE u.email = \"$EN_EMAIL\" ORDER BY r.viewed_at DESC") &&
	[ "$(echo "$want" | wc -l)" = 10 ] &&
	got=$(recent_codes) &&
	{ [ "$got" = "$want" ] || { echo "listed: $got"; echo "wanted: $want"; false; }; } &&
	body_has "Orders you opened lately" &&
	http GET / && test_status 200 && body_has "Commandes ouvertes récemment" &&
	! recent_codes | grep -qx "$(echo "$want" | head -n 1)"
'

# A page larger than a FastCGI record (comptoir writes it whole, in
# records of at most 65,528 bytes, core/http/fcgi_out.c): through nginx
# it arrives whole, every byte in its place. 20 notes of 3,990 "é" each
# (two bytes): over 160 KB, several records, characters cut across them.
test_expect_success 'a page of several FastCGI records arrives whole through nginx' '
	csrf=$(session_csrf) && long=$(printf "é%.0s" $(seq 1 3990)) &&
	for i in $(seq 1 20); do
		http POST "/orders/$OLD/notes" --data-urlencode "csrf=$csrf" --data-urlencode "note=N$i-${long}-$i" &&
		test_status 303 || return 1
	done &&
	http GET "/orders/$OLD" && test_status 200 &&
	size=$(stat -c %s "$BODY") && [ "$size" -gt $((2 * 65528)) ] &&
	header_has "^Content-Length: $size" && [ "$(tail -c 8 "$BODY")" = "</html>" ] &&
	for i in $(seq 1 20); do grep -qF "N$i-${long}-$i</p>" "$BODY" || { echo "note $i is not whole"; return 1; }; done
'

test_done
