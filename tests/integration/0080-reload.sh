#!/usr/bin/env bash
# SIGHUP reloads the shops without dropping a request; a bad reload keeps
# the configuration in force and says why in the log.
. "$(dirname "$0")/../lib/test-lib.sh"

shops=$CPT_STACK_DIR/etc/shops.d
pids=$(server_pids)
# Two shops of its own, A and B; a third, NEW, comes and goes.
test_shop_new b || test_bail "no shop of its own"
B=$SHOP_CODE
test_shop_new || test_bail "no shop of its own"
A=$SHOP_CODE
NEW=$A-new
test_at_exit "rm -f '$shops/$A-broken.yaml'; test_shop_remove $NEW"
MOVING=moving.$A.localhost
nshops() { ls "$shops"/*.yaml | wc -l; }

# hosts CODE HOST…: the host names of shop CODE's file become HOST…
hosts() {
	local code=$1
	shift
	sed -i "s/^hosts: .*/hosts: [$(echo "$@" | sed 's/ /, /g')]/" "$shops/$code.yaml"
}

# The shop serving host $1, by the name its login page shows ("none": 404).
shop_of() {
	HOST=$1 http GET /login || return 1
	case $STATUS in
	200) sed -n 's|.*class="brand" href="/">Boutique \([^<]*\)</a>.*|\1|p' "$BODY" ;;
	404) echo none ;;
	*) echo "status $STATUS" ;;
	esac
}

# shop_is HOST SHOP: HOST is served by SHOP (or "none").
shop_is() {
	local got
	got=$(shop_of "$1")
	[ "$got" = "$2" ] || { echo "$1 is served by $got, wanted $2"; return 1; }
}

# reload_to N: SIGHUP, and the log says N shops were reloaded, by every process.
reload_to() {
	local size
	size=$(log_size) && server_signal HUP && wait_log_count "reloaded: $1 shops" "$size" "$CPT_PROCS"
}

test_expect_success 'a host not yet configured is unknown' '
	shop_is "$NEW.localhost" none
'

test_expect_success 'a shop file added and SIGHUP: the new shop is served' '
	sed -e "s/$A/$NEW/g" "$shops/$A.yaml" >"$shops/$NEW.yaml" &&
	reload_to "$(nshops)" &&
	shop_is "$NEW.localhost" "$NEW"
'

test_expect_success 'the new shop has its row in the database' '
	[ "$(sql "SELECT COUNT(*) FROM shops WHERE code = \"$NEW\"")" = 1 ]
'

test_expect_success 'a broken shop file: the reload is refused and the old shops stay' '
	printf "code: broken\nname: [unclosed\n" >"$shops/$A-broken.yaml" &&
	size=$(log_size) && server_signal HUP &&
	wait_log_count "keeping the configuration in force" "$size" "$CPT_PROCS" &&
	tail -c +"$((size + 1))" "$CPT_LOG" | grep -q "$A-broken.yaml:[0-9]*:[0-9]*:" &&
	rm "$shops/$A-broken.yaml" &&
	shop_is "$NEW.localhost" "$NEW" && shop_is "$SHOP_HOST" "$A"
'

test_expect_success 'a shop file removed and SIGHUP: its host is unknown again' '
	rm "$shops/$NEW.yaml" && reload_to "$(nshops)" &&
	shop_is "$NEW.localhost" none
'

# The load: CLIENTS threads ask for the login page of each host in turn,
# each on its own keep-alive connection, until the file $2 appears; one
# line per request: when it was sent (seconds since 1970), host, status
# (0: no answer), the shop that answered.
cat >"$TEST_TMP/load.py" <<'PY'
import http.client, os, re, sys, threading, time
port, stop, out, hosts = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
CLIENTS = 12
brand = re.compile(rb'class="brand" href="/">Boutique ([^<]*)</a>')
lock, lines, t0 = threading.Lock(), [], time.time()

def client(n):
    conn, i = None, n
    while not os.path.exists(stop) and time.time() - t0 < 60:
        host = hosts[i % len(hosts)]
        i += 1
        start = time.time()
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/login", headers={"Host": host})
            r = conn.getresponse()
            body = r.read()
            m = brand.search(body)
            status, shop = r.status, (m.group(1).decode() if m else "none")
        except Exception as e:
            status, shop = 0, type(e).__name__
            conn = None
        with lock:
            lines.append("%.3f %s %d %s" % (start, host, status, shop))

threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
for t in threads: t.start()
for t in threads: t.join()
open(out, "w").write("\n".join(lines) + "\n")
PY

# seen HOST SHOP: how many requests of the load for HOST SHOP answered.
seen() { grep -c " $1 200 $2$" "$TEST_TMP/load"; }

test_expect_success 'under load from 12 clients, a shop added, a host moved, a shop removed' '
	hosts "$A" "$SHOP_HOST" "$MOVING" &&
	reload_to "$(nshops)" && shop_is "$MOVING" "$A" &&
	/usr/bin/python3 "$TEST_TMP/load.py" "$CPT_PORT" "$TEST_TMP/stop" "$TEST_TMP/load" \
		"$SHOP_HOST" "$B.localhost" "$MOVING" "$NEW.localhost" &
	load=$! &&
	{ sleep 1 &&
	  sed -e "s/$A/$NEW/g" -e "s/, moving[^]]*//" "$shops/$A.yaml" >"$shops/$NEW.yaml" &&
	  reload_to "$(nshops)" && date +%s.%N >"$TEST_TMP/added" &&
	  shop_is "$NEW.localhost" "$NEW" && sleep 1 &&
	  hosts "$A" "$SHOP_HOST" && hosts "$B" "$B.localhost" "$MOVING" &&
	  reload_to "$(nshops)" && date +%s.%N >"$TEST_TMP/moved" &&
	  shop_is "$MOVING" "$B" && sleep 1 &&
	  rm "$shops/$NEW.yaml" &&
	  reload_to "$(nshops)" && date +%s.%N >"$TEST_TMP/removed" &&
	  shop_is "$NEW.localhost" none && sleep 1
	  changed=$?; } &&
	touch "$TEST_TMP/stop" && wait "$load" && [ "$changed" = 0 ] &&
	echo "$(wc -l <"$TEST_TMP/load") requests" &&
	awk "{ print \$2, \$3, \$4 }" "$TEST_TMP/load" | sort | uniq -c &&
	[ "$(wc -l <"$TEST_TMP/load")" -ge 100 ] &&
	! grep -Ev " (200|404) [^ ]+$" "$TEST_TMP/load" | head -n 5 | grep . &&
	[ "$(seen "$MOVING" "$A")" -gt 0 ] && [ "$(seen "$MOVING" "$B")" -gt 0 ] &&
	[ "$(seen "$NEW.localhost" "$NEW")" -gt 0 ] &&
	[ "$(grep -c " $NEW.localhost 404 none$" "$TEST_TMP/load")" -gt 0 ] &&
	[ "$(seen "$SHOP_HOST" "$A")" -gt 0 ] && [ "$(seen "$B.localhost" "$B")" -gt 0 ] &&
	! grep -E " $SHOP_HOST [0-9]+ (none|$B)$| $B.localhost [0-9]+ (none|$A)$" "$TEST_TMP/load" | head -n 5 | grep .
'

# A request sent after the log said "reloaded" is answered by those shops
# or by a later reload's (it may wait in a queue), never an earlier one's.
test_expect_success 'under load, every request sent after a reload was answered as it or a later one said' '
	/usr/bin/python3 - "$TEST_TMP/load" "$(cat "$TEST_TMP/added")" "$(cat "$TEST_TMP/moved")" \
		"$(cat "$TEST_TMP/removed")" "$NEW.localhost" "$NEW" "$MOVING" "$A" "$B" <<-PY
	import sys
	rows = [(float(t), h, int(s), shop) for t, h, s, shop in (l.split() for l in open(sys.argv[1]))]
	added, moved, removed = map(float, sys.argv[2:5])
	new_host, new, moving, a, b = sys.argv[5:10]
	# The shop of each of the two changing hosts once each reload was logged.
	phases = [(added, {new_host: new, moving: a}), (moved, {new_host: new, moving: b}),
	          (removed, {new_host: "none", moving: b})]
	checked, wrong = 0, []
	for t, h, s, shop in rows:
	    later = [p for start, p in phases if start < t]
	    if not later or h not in later[-1]:
	        continue
	    k = len(later) - 1
	    allowed = set(p[h] for _, p in phases[k:])
	    checked += 1
	    if shop not in allowed:
	        wrong.append((t, h, s, shop, sorted(allowed)))
	print("%d requests sent after a reload checked" % checked)
	ends = [moved, removed, 1e12]
	for (start, _), end, name in zip(phases, ends, ("added", "moved", "removed")):
	    n = sum(1 for t, h, s, shop in rows if start < t < end)
	    print("after the shop was %s: %d requests" % (name, n))
	    assert n > 0, "the load did not run after the shop was " + name
	assert not wrong, "answered against the reloads (sent, host, status, shop, allowed): %s" % wrong[:5]
	PY
'

test_expect_success 'the server processes are the same ones throughout' '
	kill -0 $pids && [ "$(server_pids)" = "$pids" ]
'

test_done
