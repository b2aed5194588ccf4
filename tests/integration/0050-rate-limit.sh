#!/usr/bin/env bash
# Login attempts are throttled in the database, counted before the password
# is checked: per browser known to the account (device cookie), per account
# for clients it has never seen, and per client address (IPv6 by /64)
# across shops. The test's nginx takes the client address from
# X-Forwarded-For (tools/lib/stack.sh), so one script plays many clients.
. "$(dirname "$0")/../lib/test-lib.sh"

shops=$CPT_STACK_DIR/etc/shops.d
test_at_exit 'sql "DELETE FROM login_throttle"'
test_at_exit 'test_shop_remove t0050-english'
# Two shops of its own: the other's (OTHER_*), then the main one's (SHOP_*, HOST).
test_shop_new other || test_bail "no second shop of its own"
OTHER_CODE=$SHOP_CODE OTHER_HOST=$SHOP_HOST
test_shop_new || test_bail "no shop of its own"

PASSWORD=limit-test-password
sql "DELETE FROM login_throttle"
for who in one many device decay office; do
	COMPTOIR_PASSWORD=$PASSWORD "$CPT_BIN" --config "$CPT_CONFIG" user add \
		--shop "$SHOP_CODE" --email "t0050-$who@$SHOP_CODE.example" --role staff >/dev/null ||
		test_bail "no account t0050-$who"
done
COMPTOIR_PASSWORD=$PASSWORD "$CPT_BIN" --config "$CPT_CONFIG" user add \
	--shop "$OTHER_CODE" --email "t0050-v6@$OTHER_CODE.example" --role staff >/dev/null ||
	test_bail "no account t0050-v6"

# login_from ADDRESS EMAIL PASSWORD: a login as the client at ADDRESS, in
# a browser whose session (if any) has ended; other cookies stay.
login_from() {
	local csrf
	[ -f "$JAR" ] && sed -i "/\tcpt_session\t/d" "$JAR"
	http GET /login -H "X-Forwarded-For: $1" || return 1
	csrf=$(form_value csrf)
	http POST /login -H "X-Forwarded-For: $1" --data-urlencode "csrf=$csrf" \
		--data-urlencode "email=$2" --data-urlencode "password=$3"
}

# burst N EMAIL ADDRESS…: N wrong passwords for EMAIL sent all at once, the
# i-th from the ((i-1) mod count + 1)-th address; prints the statuses, one
# a line. One CSRF pair serves them all (the form is double-submit).
burst() {
	local n=$1 email=$2 csrf i JAR=$TEST_TMP/burst-jar
	shift 2
	rm -f "$JAR"
	http GET /login && csrf=$(form_value csrf) && [ -n "$csrf" ] || return 1
	local addrs=("$@")
	for i in $(seq 1 "$n"); do
		printf '%s\n' "${addrs[$(((i - 1) % ${#addrs[@]}))]}"
	done | xargs -P "$n" -I{} curl -s -o /dev/null -w '%{http_code}\n' -H "Host: $HOST" \
		-H "X-Forwarded-For: {}" -b "$JAR" --data-urlencode "csrf=$csrf" \
		--data-urlencode "email=$email" --data-urlencode "password=wrong-password-{}" \
		"http://127.0.0.1:$CPT_PORT/login"
}

# count_of STATUS FILE
count_of() { grep -c "^$1\$" "$2"; }

# Moves the clock of every bucket of $1 (an e-mail or address) $2 seconds on.
time_passes() {
	sql "UPDATE login_throttle SET tat_us = tat_us - $2 * 1000000 WHERE subject = '$1'"
}

test_expect_success 'thirty wrong passwords at once: exactly five are checked, 25 wait' '
	burst 30 t0050-one@$SHOP_CODE.example 192.0.2.1 >"$TEST_TMP/one" &&
	[ "$(count_of 401 "$TEST_TMP/one")" = 5 ] && [ "$(count_of 429 "$TEST_TMP/one")" = 25 ] ||
		{ sort "$TEST_TMP/one" | uniq -c; false; }
'

test_expect_success 'the same from thirty addresses: still exactly five checked' '
	addrs=$(for i in $(seq 1 30); do printf "10.50.0.%d " "$i"; done) &&
	burst 30 t0050-many@$SHOP_CODE.example $addrs >"$TEST_TMP/many" &&
	[ "$(count_of 401 "$TEST_TMP/many")" = 5 ] && [ "$(count_of 429 "$TEST_TMP/many")" = 25 ] ||
		{ sort "$TEST_TMP/many" | uniq -c; false; }
'

test_expect_success 'the right password is refused meanwhile: 429, no session, how long to wait' '
	forget_cookies && login_from 10.50.1.1 t0050-many@$SHOP_CODE.example "$PASSWORD" &&
	test_status 429 && ! grep -q cpt_session "$JAR" &&
	body_has "Trop de tentatives échouées. Réessayez dans 3 minutes." &&
	wait=$(sed -n "s/^Retry-After: \([0-9]*\).*/\1/p" "$HEADERS") &&
	[ "$wait" -gt 170 ] && [ "$wait" -le 180 ]
'

test_expect_success 'the count is in the database, whatever the case of the address' '
	[ "$(sql "SELECT COUNT(*) FROM login_throttle WHERE scope = \"account\" AND subject = \"t0050-many@$SHOP_CODE.example\"")" = 1 ] &&
	forget_cookies && login_from 10.50.1.2 T0050-Many@${SHOP_CODE^^}.Example "$PASSWORD" && test_status 429
'

test_expect_success 'no fixed window: after the interval of one attempt, one more, then waiting again' '
	for i in 1 2 3 4 5; do
		forget_cookies && login_from 10.50.2.1 t0050-decay@$SHOP_CODE.example "wrong-$i" &&
		test_status 401 || return 1
	done &&
	forget_cookies && login_from 10.50.2.1 t0050-decay@$SHOP_CODE.example "$PASSWORD" && test_status 429 &&
	time_passes t0050-decay@$SHOP_CODE.example 181 &&
	forget_cookies && login_from 10.50.2.1 t0050-decay@$SHOP_CODE.example wrong-6 && test_status 401 &&
	forget_cookies && login_from 10.50.2.1 t0050-decay@$SHOP_CODE.example "$PASSWORD" && test_status 429 &&
	time_passes t0050-decay@$SHOP_CODE.example 900 &&
	forget_cookies && login_from 10.50.2.1 t0050-decay@$SHOP_CODE.example "$PASSWORD" && test_status 303
'

test_expect_success 'setup: the owner logs in from their browser, which gets a device cookie' '
	JAR=$TEST_TMP/owner login_from 192.0.2.10 t0050-device@$SHOP_CODE.example "$PASSWORD" &&
	test_status 303 && grep -q "cpt_device" "$TEST_TMP/owner" &&
	grep -q "^Set-Cookie: cpt_device=[^;]*; Path=/; SameSite=Lax; HttpOnly; Max-Age=15552000" "$HEADERS"
'

test_expect_success 'a stranger elsewhere throttles the strangers, not the owner'"'"'s browser' '
	burst 10 t0050-device@$SHOP_CODE.example 198.51.100.7 >"$TEST_TMP/device" &&
	[ "$(count_of 401 "$TEST_TMP/device")" = 5 ] &&
	forget_cookies && login_from 192.0.2.10 t0050-device@$SHOP_CODE.example "$PASSWORD" &&
	test_status 429 &&
	JAR=$TEST_TMP/owner login_from 192.0.2.10 t0050-device@$SHOP_CODE.example "$PASSWORD" &&
	test_status 303 &&
	JAR=$TEST_TMP/owner login_from 203.0.113.99 t0050-device@$SHOP_CODE.example "$PASSWORD" &&
	test_status 303
'

test_expect_success 'a device cookie with a forged signature is a stranger'"'"'s' '
	cp "$TEST_TMP/owner" "$TEST_TMP/forged" &&
	sed -i "/cpt_device/ s/\.[A-Za-z0-9_-]\{43\}\$/.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/" "$TEST_TMP/forged" &&
	! cmp -s "$TEST_TMP/owner" "$TEST_TMP/forged" &&
	JAR=$TEST_TMP/forged login_from 192.0.2.10 t0050-device@$SHOP_CODE.example "$PASSWORD" &&
	test_status 429
'

test_expect_success 'the owner'"'"'s browser has an allowance of its own' '
	for i in 1 2 3 4 5; do
		JAR=$TEST_TMP/owner login_from 192.0.2.10 t0050-device@$SHOP_CODE.example "wrong-$i" &&
		test_status 401 || return 1
	done &&
	JAR=$TEST_TMP/owner login_from 192.0.2.10 t0050-device@$SHOP_CODE.example "$PASSWORD" &&
	test_status 429
'

test_expect_success 'one IPv6 /64 has one budget across shops: 20 failures, then it waits' '
	sql "DELETE FROM login_throttle" &&
	for i in $(seq 1 20); do
		host=$SHOP_HOST; [ $((i % 2)) = 0 ] && host=$OTHER_HOST
		HOST=$host login_from "2001:db8:50:1::$i" "nobody$i@$host" "wrong-$i" &&
		test_status 401 || return 1
	done &&
	HOST=$OTHER_HOST login_from 2001:db8:50:1:ffff::1 t0050-v6@$OTHER_CODE.example "$PASSWORD" &&
	test_status 429 &&
	login_from 2001:db8:50:1::abcd t0050-one@$SHOP_CODE.example "$PASSWORD" && test_status 429 &&
	HOST=$OTHER_HOST login_from 2001:db8:50:2::1 t0050-v6@$OTHER_CODE.example "$PASSWORD" &&
	test_status 303
'

test_expect_success 'an IPv4 address counts alone' '
	for i in $(seq 1 20); do
		login_from 203.0.113.5 "nobody$i@$SHOP_CODE.example" "wrong-$i" && test_status 401 || return 1
	done &&
	login_from 203.0.113.5 t0050-one@$SHOP_CODE.example "$PASSWORD" && test_status 429 &&
	login_from 203.0.113.6 t0050-one@$SHOP_CODE.example "$PASSWORD" && test_status 303
'

test_expect_success 'logins that succeed cost nothing: 25 staff behind one address' '
	sql "DELETE FROM login_throttle" &&
	for i in $(seq 1 25); do
		JAR=$TEST_TMP/office$i login_from 198.51.100.50 t0050-office@$SHOP_CODE.example "$PASSWORD" &&
		test_status 303 || return 1
	done
'

test_expect_success 'the login page of an English shop says how long to wait in English' '
	cat >"$shops/t0050-english.yaml" <<-YAML &&
	code: t0050-english
	name: English Tea Rooms
	hosts: [english.localhost]
	locale: en
	legal:
	  company: English Tea Rooms Ltd
	YAML
	server_reload &&
	HOST=english.localhost burst 6 t0050@english.example 192.0.2.77 >"$TEST_TMP/en" &&
	HOST=english.localhost login_from 192.0.2.77 t0050@english.example wrong && test_status 429 &&
	body_has "Too many failed attempts. Try again in" && body_has " minutes."
'

test_done
