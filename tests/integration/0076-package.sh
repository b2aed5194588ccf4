#!/usr/bin/env bash
# The Debian package, as a hosting provider takes it: dpkg-buildpackage
# builds comptoir_*.deb from this tree and lintian finds no error in it;
# dpkg -i creates the comptoir user, /etc/comptoir with its secret and the
# units, and starts nothing; comptoir.service's command line, run by hand
# as its user and handed its socket on fd 0 as comptoir.socket would, serves
# the packaged configuration (pointed at the stack's MariaDB) behind the
# packaged nginx files, whose workers run as www-data: a login and an API
# order go through. Then the package is purged and the machine left as it
# was (the user too, when this script created it).
#
# Needs root (dpkg -i), else skipped. The .deb is kept in build-deb/ with a
# hash of the sources it was built from: a second run on the same sources
# (tools/test runs every script twice) installs it without building again.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

if [ "$(id -u)" -ne 0 ] || ! command -v dpkg-buildpackage >/dev/null || ! command -v dh >/dev/null; then
	echo "ok 1 # SKIP needs root, dpkg-buildpackage and debhelper (tools/install-deps)"
	echo "1..1"
	exit 0
fi
if dpkg-query -W -f='${db:Status-Status}' comptoir 2>/dev/null | grep -qv '^not-installed$'; then
	test_bail "a comptoir package is on this machine already: dpkg --purge comptoir first"
fi

bdir=$SRC_DIR/build-deb
unit_dir=/lib/systemd/system
DB=comptoir_pkg
DB_PASSWORD=comptoir-local       # the stack's comptoir account (tools/lib/stack.sh)
ngx=$TEST_TMP/nginx
web=$TEST_TMP/nginx.sock
fcgi=/run/comptoir/comptoir.sock
chmod 755 "$TEST_TMP"            # nginx's workers (www-data) use $ngx/tmp
made_user=
getent passwd comptoir >/dev/null || made_user=1

root_sql() { mariadb --no-defaults --socket="$CPT_MYSQL_SOCK" -uroot -N -B "$@"; }

cleanup() {
	[ -f "$ngx/nginx.pid" ] && kill -QUIT "$(cat "$ngx/nginx.pid")" 2>/dev/null
	stop_unit
	rm -f /etc/comptoir/shops.d/atelier.yaml /etc/comptoir/shops.d/atelier2.yaml
	dpkg-query -W comptoir >/dev/null 2>&1 && dpkg --purge comptoir >/dev/null 2>&1
	[ -n "$made_user" ] && getent passwd comptoir >/dev/null && deluser --quiet --system comptoir >/dev/null 2>&1
	rm -f "$fcgi"
	rmdir /run/comptoir 2>/dev/null
	root_sql -e "DROP DATABASE IF EXISTS $DB; REVOKE ALL ON $DB.* FROM 'comptoir'@'localhost'" 2>/dev/null
}
test_at_exit cleanup

# comptoir serve is runuser's child (MAINPID, as systemd would know it):
# SIGTERM goes to it, as systemctl stop sends it; runuser then exits.
main_pid() { pgrep -P "$(cat "$TEST_TMP/serve.pid")"; }
stop_unit() {
	local pid
	[ -f "$TEST_TMP/serve.pid" ] || return 0
	pid=$(main_pid) && kill -TERM "$pid"
	for _ in $(seq 1 200); do kill -0 "$(cat "$TEST_TMP/serve.pid")" 2>/dev/null || break; sleep 0.1; done
	! kill -0 "$(cat "$TEST_TMP/serve.pid")" 2>/dev/null && rm -f "$TEST_TMP/serve.pid"
}

# The tracked and new files of the tree, as the commit would have them.
src_files() { git -C "$SRC_DIR" ls-files -co --exclude-standard | grep -v '^tests/browser/node_modules/'; }

test_expect_success 'dpkg-buildpackage -us -uc -b builds comptoir_*.deb; lintian finds no error' '
	cd "$SRC_DIR" && sum=$(src_files | sort | xargs -d "\n" sha256sum | sha256sum | cut -c1-64) &&
	if [ "$(cat "$bdir/sources.sha256" 2>/dev/null)" != "$sum" ] || ! ls "$bdir"/comptoir_*.deb >/dev/null 2>&1; then
		rm -rf "$bdir" && mkdir -p "$bdir/comptoir" &&
		src_files | tar -C "$SRC_DIR" -cf - -T - | tar -C "$bdir/comptoir" -xf - &&
		start=$SECONDS &&
		(cd "$bdir/comptoir" && dpkg-buildpackage -us -uc -b) >"$bdir/build.log" 2>&1 ||
			{ tail -n 40 "$bdir/build.log"; exit 1; }
		echo "$((SECONDS - start))" >"$bdir/build.seconds"
		lintian --fail-on error "$bdir"/comptoir_*.deb >"$bdir/lintian.out" 2>&1
		echo $? >"$bdir/lintian.status"
		echo "$sum" >"$bdir/sources.sha256"
	fi
	say "dpkg-buildpackage took $(cat "$bdir/build.seconds") s" &&
	sed "s/^/lintian: /" "$bdir/lintian.out" &&
	[ "$(cat "$bdir/lintian.status")" = 0 ] && ! grep -q "^E: " "$bdir/lintian.out"
' 
deb=$(ls "$bdir"/comptoir_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || test_bail "no .deb was built"

test_expect_success 'dpkg -i makes the comptoir user, /etc/comptoir and its secret, the units, and starts nothing' '
	dpkg -i "$deb" >"$TEST_TMP/dpkg.log" 2>&1 || { cat "$TEST_TMP/dpkg.log"; exit 1; }
	[ "$(id -gn comptoir)" = www-data ] &&
	[ "$(getent passwd comptoir | cut -d: -f7)" = /usr/sbin/nologin ] &&
	[ "$(stat -c "%U %a" /etc/comptoir/secret.key)" = "comptoir 600" ] &&
	grep -Eqx "[0-9a-f]{64}" /etc/comptoir/secret.key &&
	dpkg-query -W -f="\${Conffiles}\n" comptoir | grep -q "^ /etc/comptoir/comptoir.yaml " &&
	[ -d /etc/comptoir/shops.d ] && [ -z "$(ls /etc/comptoir/shops.d)" ] &&
	[ -x /usr/bin/comptoir ] && [ -f /usr/share/locale/fr/LC_MESSAGES/comptoir.mo ] &&
	[ -f /usr/share/comptoir/templates/pages/login.html ] &&
	for u in comptoir.socket comptoir.service comptoir-work.service; do
		[ -f "$unit_dir/$u" ] || { echo "no $unit_dir/$u"; exit 1; }
		! ls /etc/systemd/system/*.wants/"$u" 2>/dev/null || { echo "$u enabled"; exit 1; }
	done &&
	! pgrep -u comptoir >/dev/null && [ ! -e "$fcgi" ] &&
	grep -q "^ExecReload=/bin/kill -HUP \$MAINPID$" "$unit_dir/comptoir.service" &&
	grep -q "^ProtectSystem=strict$" "$unit_dir/comptoir-work.service"
'

# The packaged configuration, edited where a provider would: the database
# (here the stack's server, a database of this script's own) and one shop,
# the demo's atelier from the package's examples.
root_sql -e "CREATE DATABASE IF NOT EXISTS $DB CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
	GRANT ALL ON $DB.* TO 'comptoir'@'localhost'"
sed -i -e "s|^  socket: /run/mysqld/mysqld.sock|  socket: $CPT_MYSQL_SOCK|" \
	-e "s|^  name: comptoir |  name: $DB |" -e "s|^  password: \"\"|  password: $DB_PASSWORD|" \
	/etc/comptoir/comptoir.yaml
cp /usr/share/comptoir/conf/shops.d/atelier.yaml /etc/comptoir/shops.d/

test_expect_success 'the packaged comptoir checks its configuration and migrates as its user' '
	comptoir check-config >"$TEST_TMP/out" 2>&1 &&
	grep -qF "ok, 1 shop, 2 host names, templates in /usr/share/comptoir/templates, translations in /usr/share/locale" "$TEST_TMP/out" ||
		{ cat "$TEST_TMP/out"; exit 1; }
	runuser -u comptoir -- comptoir migrate >"$TEST_TMP/out" 2>&1 || { cat "$TEST_TMP/out"; exit 1; }
'

# comptoir.socket by hand: the socket it describes, made and held by root,
# handed on fd 0 to comptoir.service's ExecStart run as its User and Group.
unit_value() { sed -n "s/^$1=//p" "$unit_dir/$2"; }
start_unit() {
	local exec_start user group
	exec_start=$(unit_value ExecStart comptoir.service)
	user=$(unit_value User comptoir.service) group=$(unit_value Group comptoir.service)
	[ "$(unit_value ListenStream comptoir.socket)" = "$fcgi" ] &&
	[ "$(unit_value StandardInput comptoir.service)" = socket ] || return 1
	mkdir -p -m "$(unit_value DirectoryMode comptoir.socket)" /run/comptoir || return 1
	# (alone, not in an && list: $! is then python's pid, runuser's once it execs)
	/usr/bin/python3 - "$fcgi" "$(unit_value SocketUser comptoir.socket)" \
		"$(unit_value SocketGroup comptoir.socket)" "$(unit_value SocketMode comptoir.socket)" \
		"$(unit_value Backlog comptoir.socket)" runuser -u "$user" -g "$group" -- $exec_start \
		<<-'PY' >"$TEST_TMP/serve.log" 2>&1 &
	import os, shutil, socket, sys
	path, user, group, mode, backlog = sys.argv[1:6]
	s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
	s.bind(path)
	shutil.chown(path, user, group)
	os.chmod(path, int(mode, 8))
	s.listen(int(backlog))
	os.dup2(s.fileno(), 0)
	os.execvp(sys.argv[6], sys.argv[6:])
	PY
	echo $! >"$TEST_TMP/serve.pid"
}

test_expect_success 'comptoir.service serves the socket comptoir.socket hands it' '
	: >"$TEST_TMP/serve.log" && start_unit || exit 1
	for i in $(seq 1 100); do grep -q "serving 1 shops" "$TEST_TMP/serve.log" && break; sleep 0.1; done
	grep -q "serving the socket handed in on fd 0" "$TEST_TMP/serve.log" &&
	grep -q "serving 1 shops" "$TEST_TMP/serve.log" || { cat "$TEST_TMP/serve.log"; exit 1; }
	sock=$(stat -c "%U %G %a" "$fcgi") && [ "$sock" = "comptoir www-data 660" ] ||
		{ echo "socket: $sock"; exit 1; }
	who=$(ps -o user=,group= -p "$(main_pid)" | xargs) && [ "$who" = "comptoir www-data" ] ||
		{ echo "serve runs as: $who"; ps -o pid,ppid,user,group,args --ppid "$(cat "$TEST_TMP/serve.pid")"; exit 1; }
'

# nginx with the packaged snippets, its workers as www-data (the socket's
# group), on a unix socket of this script.
mkdir -p "$ngx/tmp"
cat >"$ngx/nginx.conf" <<NGINX
user www-data www-data;
worker_processes 1;
pid $ngx/nginx.pid;
error_log $ngx/error.log warn;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $ngx/tmp/body;
    fastcgi_temp_path $ngx/tmp/fastcgi;
    include /usr/share/comptoir/nginx/comptoir-http.conf;
    server {
        listen unix:$web;
        include /usr/share/comptoir/nginx/comptoir.conf;
    }
}
NGINX

# pkg_http METHOD PATH [curl args…]: through this script's nginx.
pkg_http() {
	local method=$1 path=$2
	shift 2
	STATUS=$(curl -s -o "$BODY" -D "$HEADERS" -w '%{http_code}' -X "$method" --unix-socket "$web" \
		-b "$JAR" -c "$JAR" -H "Host: atelier.localhost" "$@" "http://shop$path")
}

test_expect_success 'a staff login goes through nginx to the packaged comptoir' '
	nginx -p "$ngx" -c "$ngx/nginx.conf" -e "$ngx/error.log" || { cat "$ngx/error.log"; exit 1; }
	for i in $(seq 1 50); do [ -S "$web" ] && break; sleep 0.1; done
	COMPTOIR_PASSWORD=$DEMO_PASSWORD comptoir user add --shop atelier \
		--email owner@atelier.example --role owner >/dev/null &&
	pkg_http GET /login && test_status 200 && body_has "Mot de passe" &&
	csrf=$(form_value csrf) &&
	pkg_http POST /login --data-urlencode "csrf=$csrf" --data-urlencode "email=owner@atelier.example" \
		--data-urlencode "password=$DEMO_PASSWORD" && test_status 303 &&
	pkg_http GET /account && test_status 200 && body_has "owner@atelier.example" ||
		{ cat "$ngx/error.log"; exit 1; }
'

test_expect_success 'an API order goes through nginx to the packaged comptoir' '
	key=$(comptoir shop api-key --shop atelier --name test-0076) && [ -n "$key" ] &&
	auth="Authorization: Bearer $key" &&
	pkg_http PUT /api/v1/products/PKG-CARD -H "$auth" -H "Content-Type: application/json" \
		--data-binary "{\"name\": \"Carte\", \"price\": 2490, \"vat_rate\": 2000, \"stock_on_hand\": 5}" &&
	test_status 201 &&
	cat >"$TEST_TMP/order.json" <<-JSON &&
	{"customer": {"title": "Mme", "first_name": "Hélène", "last_name": "Dupré",
	              "email": "helene@example.fr", "phone": "+33612345678"},
	 "billing_address":  {"name": "Hélène Dupré", "company": "", "line1": "12 rue des Lilas",
	                      "line2": "", "postcode": "69003", "city": "Lyon", "country": "FR"},
	 "shipping_address": {"name": "Hélène Dupré", "company": "", "line1": "12 rue des Lilas",
	                      "line2": "", "postcode": "69003", "city": "Lyon", "country": "FR"},
	 "lines": [{"sku": "PKG-CARD", "quantity": 2}],
	 "carrier": "colissimo", "shipping_cost": 690, "payment_method": "banktransfer",
	 "remarks": "", "external_reference": "PKG-1", "title": ""}
	JSON
	pkg_http POST /api/v1/orders -H "$auth" -H "Content-Type: application/json" \
		--data-binary "@$TEST_TMP/order.json" && test_status 201 &&
	[ "$(root_sql $DB -e "SELECT COUNT(*) FROM orders")" = 1 ]
'

test_expect_success 'the ExecReload of comptoir.service (SIGHUP) rereads shops.d: a second shop answers' '
	sed -e "s/^code: atelier/code: atelier2/" -e "s/atelier.localhost/atelier2.localhost/" \
		-e "s/www.atelier-dupont.example/www.atelier2.example/" \
		/usr/share/comptoir/conf/shops.d/atelier.yaml >/etc/comptoir/shops.d/atelier2.yaml &&
	MAINPID=$(main_pid) &&
	eval "$(unit_value ExecReload comptoir.service)" &&
	for i in $(seq 1 50); do grep -q "reloaded: 2 shops" "$TEST_TMP/serve.log" && break; sleep 0.1; done
	STATUS=$(curl -s -o "$BODY" -w "%{http_code}" --unix-socket "$web" -H "Host: atelier2.localhost" http://shop/login) &&
	test_status 200 || { echo "MAINPID $MAINPID"; ps -o pid,ppid,args -p "$MAINPID"; tail -n 5 "$TEST_TMP/serve.log"; exit 1; }
'

test_expect_success 'dpkg --purge removes the package, /etc/comptoir and its secret' '
	kill -QUIT "$(cat "$ngx/nginx.pid")" && rm -f "$ngx/nginx.pid" &&
	stop_unit && grep -q "stopped$" "$TEST_TMP/serve.log" &&
	rm -f /etc/comptoir/shops.d/*.yaml &&
	dpkg --purge comptoir >"$TEST_TMP/purge.log" 2>&1 || { cat "$TEST_TMP/purge.log"; exit 1; }
	! dpkg-query -W comptoir 2>/dev/null && [ ! -e /etc/comptoir ] && [ ! -e /usr/bin/comptoir ] &&
	[ ! -e "$unit_dir/comptoir.service" ] && [ ! -e /usr/share/comptoir ]
'

test_done
