#!/usr/bin/env bash
# SIGHUP reloads the shops without dropping a request; a bad reload keeps
# the configuration in force and says why in the log.
. "$(dirname "$0")/../lib/test-lib.sh"

shops=$CPT_STACK_DIR/etc/shops.d
pid=$(cat "$CPT_STACK_DIR/run/comptoir.pid")
log=$CPT_STACK_DIR/log/comptoir.log
cleanup() { rm -f "$shops/boutique.yaml" "$shops/broken.yaml"; kill -HUP "$pid"; sleep 0.3; }
trap 'cleanup; rm -rf "$TEST_TMP"' EXIT

# Waits until the log has grown by a line matching $1.
wait_log() {
	local before=$2 i
	for i in $(seq 1 50); do
		tail -c +"$before" "$log" | grep -q -- "$1" && return 0
		sleep 0.1
	done
	echo "log never said: $1"; tail -n 5 "$log"; return 1
}

test_expect_success 'a host not yet configured is unknown' '
	HOST=boutique.localhost http GET /login && test_status 404
'

test_expect_success 'a shop file added and SIGHUP: the new shop is served' '
	cat >"$shops/boutique.yaml" <<-YAML &&
	code: boutique
	name: Boutique Cadeaux Lemaire
	hosts: [boutique.localhost]
	legal:
	  company: Lemaire Cadeaux SAS
	YAML
	size=$(stat -c %s "$log") && kill -HUP "$pid" && wait_log "reloaded: 3 shops" "$size" &&
	HOST=boutique.localhost http GET /login && test_status 200 &&
	body_has "Boutique Cadeaux Lemaire"
'

test_expect_success 'the new shop has its row in the database' '
	[ "$(sql "SELECT COUNT(*) FROM shops WHERE code = \"boutique\"")" = 1 ]
'

test_expect_success 'a broken shop file: the reload is refused and the old shops stay' '
	printf "code: broken\nname: [unclosed\n" >"$shops/broken.yaml" &&
	size=$(stat -c %s "$log") && kill -HUP "$pid" &&
	wait_log "keeping the configuration in force" "$size" &&
	tail -c +"$size" "$log" | grep -q "broken.yaml:[0-9]*:[0-9]*:" &&
	HOST=boutique.localhost http GET /login && test_status 200 &&
	http GET /login && test_status 200
'

test_expect_success 'requests keep being answered during reloads' '
	rm -f "$shops/broken.yaml" &&
	( for i in $(seq 1 300); do
		curl -s -o /dev/null -w "%{http_code}\n" -H "Host: atelier.localhost" \
			"http://127.0.0.1:$CPT_PORT/login"
	  done >"$TEST_TMP/codes" ) &
	loop=$! &&
	for i in 1 2 3 4 5 6 7 8; do kill -HUP "$pid"; sleep 0.1; done &&
	wait "$loop" &&
	[ "$(grep -c "^200$" "$TEST_TMP/codes")" = 300 ]
'

test_expect_success 'a shop file removed and SIGHUP: its host is unknown again' '
	rm -f "$shops/boutique.yaml" && size=$(stat -c %s "$log") &&
	kill -HUP "$pid" && wait_log "reloaded: 2 shops" "$size" &&
	HOST=boutique.localhost http GET /login && test_status 404
'

test_expect_success 'the server process is the same one throughout' '
	kill -0 "$pid" && [ "$(cat "$CPT_STACK_DIR/run/comptoir.pid")" = "$pid" ]
'

test_done
