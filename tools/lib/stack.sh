# Starts and stops a private Comptoir stack: MariaDB, comptoir serve and
# nginx, all on loopback, all under one folder. Sourced by tools/demo,
# tools/test and the benchmarks; nothing here touches the system's own
# services or files.
#
# Set before sourcing:
#   STACK_DIR   the folder holding data, sockets, logs and pid files
#   STACK_PORT  nginx's port on 127.0.0.1
#   STACK_BUILD the build folder holding the comptoir binary
#   STACK_THREADS (optional) comptoir serve threads, default 8
#   STACK_LOGIN_RATE, STACK_LOGIN_BURST, STACK_API_RATE, STACK_API_BURST
#               (optional) nginx's limit_req for POST /login and /api/; a
#               private stack's traffic all comes from 127.0.0.1, so the
#               defaults are well above nginx/comptoir-http.conf's
#   STACK_STOP_WAIT (optional) seconds comptoir serve may take to stop, default 10
#   STACK_DB_PORT (optional) MariaDB also listens on 127.0.0.1 there and
#               writes a row-based binary log (GTID), so that a replica
#               can follow it (tests/lib/replica.sh); unset, no network
#               and no binary log
#   STACK_PROCS (optional) comptoir serve processes, default 1: with N > 1,
#               N `comptoir serve` (each its own socket and configuration
#               file, comptoir-I.yaml, alike but for server.socket) behind
#               one nginx upstream (round robin), and N `comptoir work`.
#               Process 1 keeps the names of a one-process stack
#               (comptoir.pid, comptoir.sock, comptoir.yaml).

SRC_DIR=${SRC_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
STACK_THREADS=${STACK_THREADS:-8}
STACK_PROCS=${STACK_PROCS:-1}
STACK_MAX_BODY=${STACK_MAX_BODY:-1M}
STACK_LOGIN_RATE=${STACK_LOGIN_RATE:-600r/m}
STACK_LOGIN_BURST=${STACK_LOGIN_BURST:-100}
STACK_API_RATE=${STACK_API_RATE:-100000r/s}
STACK_API_BURST=${STACK_API_BURST:-100000}
MYSQL_SOCK=$STACK_DIR/run/mysqld.sock
FCGI_SOCK=$STACK_DIR/run/comptoir.sock
CPT_CONFIG=$STACK_DIR/etc/comptoir.yaml
CPT_BIN=$STACK_BUILD/comptoir
DB_PASSWORD=comptoir-local

stack_log() { printf '%s\n' "$*" >&2; }

# Runs SQL as root on the private server.
stack_sql() {
	mariadb --no-defaults --socket="$MYSQL_SOCK" -uroot -N -B "$@"
}

# True when the pid in file $1 is alive.
stack_alive() {
	[ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# Waits up to $2 tenths of a second for command $1 to succeed.
stack_wait() {
	local i=0
	while [ "$i" -lt "$2" ]; do
		eval "$1" >/dev/null 2>&1 && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

mariadb_start() {
	local net=--skip-networking
	mkdir -p "$STACK_DIR/run" "$STACK_DIR/log"
	if stack_alive "$STACK_DIR/run/mysqld.pid"; then
		return 0
	fi
	if [ ! -d "$STACK_DIR/mysql/mysql" ]; then
		stack_log "stack: creating a MariaDB data folder in $STACK_DIR/mysql"
		rm -rf "$STACK_DIR/mysql"
		mariadb-install-db --no-defaults --datadir="$STACK_DIR/mysql" --user="$(id -un)" \
			--auth-root-authentication-method=socket --skip-test-db \
			>"$STACK_DIR/log/mariadb-install.log" 2>&1 ||
			{ cat "$STACK_DIR/log/mariadb-install.log" >&2; return 1; }
	fi
	[ -z "${STACK_DB_PORT:-}" ] || net="--port=$STACK_DB_PORT --bind-address=127.0.0.1
		--server-id=1 --log-bin=binlog --binlog-format=ROW --binlog-expire-logs-seconds=86400"
	# Durable commits as in production (flush at every commit).
	# shellcheck disable=SC2086 # $net is several options
	mariadbd --no-defaults --datadir="$STACK_DIR/mysql" --socket="$MYSQL_SOCK" \
		--pid-file="$STACK_DIR/run/mysqld.pid" $net --user="$(id -un)" \
		--log-error="$STACK_DIR/log/mariadb.log" --character-set-server=utf8mb4 \
		--collation-server=utf8mb4_unicode_ci --innodb-buffer-pool-size=${STACK_BUFFER_POOL:-256M} \
		--innodb-log-file-size=256M --max-connections=500 --skip-name-resolve \
		>/dev/null 2>&1 &
	if ! stack_wait "mariadb-admin --no-defaults --socket='$MYSQL_SOCK' -uroot ping" 300; then
		stack_log "stack: MariaDB did not start; see $STACK_DIR/log/mariadb.log"
		tail -n 20 "$STACK_DIR/log/mariadb.log" >&2
		return 1
	fi
	stack_sql -e "CREATE DATABASE IF NOT EXISTS comptoir CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
		CREATE USER IF NOT EXISTS 'comptoir'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
		GRANT ALL ON comptoir.* TO 'comptoir'@'localhost';"
}

mariadb_stop() {
	local pidf=$STACK_DIR/run/mysqld.pid pid
	stack_alive "$pidf" || return 0
	pid=$(cat "$pidf")
	kill "$pid" 2>/dev/null
	stack_wait "! kill -0 $pid" 600 || kill -9 "$pid" 2>/dev/null
	rm -f "$pidf"
}

# Writes comptoir.yaml and the shops directory for this stack.
comptoir_configure() {
	mkdir -p "$STACK_DIR/etc/shops.d"
	cp "$SRC_DIR"/conf/shops.d/*.yaml "$STACK_DIR/etc/shops.d/"
	cp "$SRC_DIR"/conf/workflow.yaml "$STACK_DIR/etc/"
	# The host secret (security.key_file), kept across restarts: API keys
	# and device cookies made with it stay valid.
	[ -s "$STACK_DIR/etc/secret.key" ] ||
		(umask 077 && openssl rand -hex 32 >"$STACK_DIR/etc/secret.key") || return 1
	cat >"$CPT_CONFIG" <<YAML
# Generated by tools/lib/stack.sh for a private stack.
server:
  socket: $FCGI_SOCK
  threads: $STACK_THREADS
  max_body: $STACK_MAX_BODY
database:
  socket: $MYSQL_SOCK
  name: comptoir
  user: comptoir
  password: $DB_PASSWORD
paths:
  templates: $SRC_DIR/templates
  locale: $STACK_BUILD/po
  shops: shops.d
sessions:
  idle_timeout: 1800
  absolute_timeout: 43200
  secure_cookies: auto
login:
  max_failures_per_account: 5
  max_failures_per_address: 20
  window: 900
security:
  key_file: $STACK_DIR/etc/secret.key
plugins:
  dir: $STACK_BUILD/plugins/payments
  load: [banktransfer, cheque, cod, mollie, stripe]
YAML
}

# Process I's socket, pid file and configuration (I = 1: the usual names).
comptoir_sock() { if [ "$1" = 1 ]; then echo "$FCGI_SOCK"; else echo "$STACK_DIR/run/comptoir-$1.sock"; fi; }
comptoir_pidf() { if [ "$1" = 1 ]; then echo "$STACK_DIR/run/comptoir.pid"; else echo "$STACK_DIR/run/comptoir-$1.pid"; fi; }
comptoir_conf() { if [ "$1" = 1 ]; then echo "$CPT_CONFIG"; else echo "$STACK_DIR/etc/comptoir-$1.yaml"; fi; }

# The pids of the comptoir serve processes, one a line (those with a pid file).
comptoir_pids() {
	local i
	for i in $(seq 1 "$STACK_PROCS"); do cat "$(comptoir_pidf "$i")" 2>/dev/null; done
}

# True while every comptoir serve process runs.
comptoir_all_running() {
	local i pidf
	for i in $(seq 1 "$STACK_PROCS"); do
		pidf=$(comptoir_pidf "$i")
		stack_alive "$pidf" && stack_running "$(cat "$pidf")" || return 1
	done
}

# Starts every comptoir serve process not running (and, with several, the
# comptoir work processes).
comptoir_start() {
	local i pidf sock conf
	for i in $(seq 1 "$STACK_PROCS"); do
		pidf=$(comptoir_pidf "$i") sock=$(comptoir_sock "$i") conf=$(comptoir_conf "$i")
		stack_alive "$pidf" && stack_running "$(cat "$pidf")" && continue
		[ "$i" = 1 ] || sed "s|^  socket: $FCGI_SOCK\$|  socket: $sock|" "$CPT_CONFIG" >"$conf" || return 1
		rm -f "$sock"
		"$CPT_BIN" --config "$conf" serve >>"$STACK_DIR/log/comptoir.log" 2>&1 &
		echo $! >"$pidf"
		if ! stack_wait "[ -S '$sock' ]" 100; then
			stack_log "stack: comptoir serve ($i) did not start; see $STACK_DIR/log/comptoir.log"
			tail -n 20 "$STACK_DIR/log/comptoir.log" >&2
			return 1
		fi
	done
	[ "$STACK_PROCS" -gt 1 ] || return 0
	for i in $(seq 1 "$STACK_PROCS"); do
		stack_alive "$STACK_DIR/run/work-$i.pid" && continue
		"$CPT_BIN" --config "$CPT_CONFIG" work >>"$STACK_DIR/log/comptoir-work.log" 2>&1 &
		echo $! >"$STACK_DIR/run/work-$i.pid"
	done
}

# True while process $1 runs; a zombie no longer does (a server restarted
# by a test script is no child of ours, and nobody may reap it soon).
stack_running() {
	[ -e "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

# SIGTERM, then up to STACK_STOP_WAIT seconds (default 10) for the server to
# finish its requests and exit (under ASan the leak check runs at exit).
# Fails, after kill -9, if it did not stop: a hang at shutdown is a bug.
# Every process at once (the work processes too), each waited for.
comptoir_stop() {
	local i pidf pid pids="" wait_s=${STACK_STOP_WAIT:-10} rc=0
	for i in $(seq 1 "$STACK_PROCS"); do
		for pidf in "$(comptoir_pidf "$i")" "$STACK_DIR/run/work-$i.pid"; do
			stack_alive "$pidf" || { rm -f "$pidf"; continue; }
			pid=$(cat "$pidf")
			kill -TERM "$pid" 2>/dev/null
			pids="$pids $pid:$pidf"
		done
	done
	for pid in $pids; do
		pidf=${pid#*:} pid=${pid%%:*}
		if ! stack_wait "! stack_running $pid" $((wait_s * 10)); then
			stack_log "stack: comptoir ($pidf) did not stop within $wait_s s; killed"
			kill -9 "$pid" 2>/dev/null
			rc=1
		fi
		wait "$pid" 2>/dev/null
		rm -f "$pidf"
	done
	return "$rc"
}

# With STACK_TLS_PORT set, nginx also listens with TLS there, on a
# self-signed certificate made for the occasion (tests of Secure cookies).
nginx_tls_server() {
	local n=$1
	[ -n "${STACK_TLS_PORT:-}" ] || return 0
	if [ ! -f "$n/tls.crt" ]; then
		openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=comptoir-test" \
			-keyout "$n/tls.key" -out "$n/tls.crt" >/dev/null 2>&1 || return 1
	fi
	cat <<NGINX
    server {
        listen 127.0.0.1:$STACK_TLS_PORT ssl default_server;
        server_name _;
        ssl_certificate $n/tls.crt;
        ssl_certificate_key $n/tls.key;
        include $n/comptoir.conf;
    }
NGINX
}

nginx_start() {
	local n=$STACK_DIR/nginx user_line="" tls upstream="" pass="s|@COMPTOIR_SOCKET@|$FCGI_SOCK|g" i
	if stack_alive "$n/nginx.pid"; then
		return 0
	fi
	if [ "$STACK_PROCS" -gt 1 ]; then
		# Several processes: one upstream, round robin. nginx passes a
		# request to the next one when it cannot connect (a stopped
		# process), never a POST it has already sent. max_fails=0: a
		# process restarted by a test is used at once, not 10 s later.
		upstream="upstream comptoir_app {"
		for i in $(seq 1 "$STACK_PROCS"); do
			upstream="$upstream server unix:$(comptoir_sock "$i") max_fails=0;"
		done
		upstream="$upstream }"
		pass="s|unix:@COMPTOIR_SOCKET@|comptoir_app|g"
	fi
	mkdir -p "$n/tmp"
	tls=$(nginx_tls_server "$n") || { stack_log "stack: cannot make a TLS certificate"; return 1; }
	cp /etc/nginx/mime.types "$n/"
	sed -e "s|@COMPTOIR_WWW@|$SRC_DIR/www|g" -e "$pass" \
		-e "s|zone=comptoir_login burst=[0-9]*|zone=comptoir_login burst=$STACK_LOGIN_BURST|" \
		-e "s|zone=comptoir_api burst=[0-9]*|zone=comptoir_api burst=$STACK_API_BURST|" \
		"$SRC_DIR/nginx/comptoir.conf" >"$n/comptoir.conf"
	sed -e "s|zone=comptoir_login:10m rate=[0-9]*r/[ms]|zone=comptoir_login:10m rate=$STACK_LOGIN_RATE|" \
		-e "s|zone=comptoir_api:10m rate=[0-9]*r/[ms]|zone=comptoir_api:10m rate=$STACK_API_RATE|" \
		"$SRC_DIR/nginx/comptoir-http.conf" >"$n/comptoir-http.conf"
	# Workers must reach the socket, created for the owner's group only.
	[ "$(id -u)" -eq 0 ] && user_line="user root root;"
	cat >"$n/nginx.conf" <<NGINX
$user_line
worker_processes ${STACK_NGINX_WORKERS:-1};
pid $n/nginx.pid;
error_log $STACK_DIR/log/nginx-error.log warn;
events { worker_connections 4096; }
http {
    include mime.types;
    default_type application/octet-stream;
    # The request id is Comptoir's too (REQUEST_ID, X-Request-Id).
    log_format stack '\$remote_addr [\$time_local] "\$request" \$status \$body_bytes_sent id=\$request_id';
    access_log ${STACK_ACCESS_LOG:-$STACK_DIR/log/nginx-access.log stack};
    $upstream
    client_body_temp_path $n/tmp/body;
    fastcgi_temp_path $n/tmp/fastcgi;
    proxy_temp_path $n/tmp/proxy;
    server_tokens off;
    include $n/comptoir-http.conf;
    # Private stack only (loopback): a local client may say which address
    # it stands for, so tests can play several clients. Never in the
    # shipped nginx/comptoir.conf.
    set_real_ip_from 127.0.0.1;
    real_ip_header X-Forwarded-For;
    server {
        listen 127.0.0.1:$STACK_PORT default_server;
        server_name _;
        include $n/comptoir.conf;
    }
$tls
}
NGINX
	nginx -p "$n" -c "$n/nginx.conf" -e "$STACK_DIR/log/nginx-error.log" ||
		{ tail -n 20 "$STACK_DIR/log/nginx-error.log" >&2; return 1; }
	stack_wait "[ -f '$n/nginx.pid' ]" 50
}

nginx_stop() {
	local n=$STACK_DIR/nginx pid
	stack_alive "$n/nginx.pid" || return 0
	pid=$(cat "$n/nginx.pid")
	kill -QUIT "$pid" 2>/dev/null
	stack_wait "! kill -0 $pid" 100 || kill -9 "$pid" 2>/dev/null
}

# The whole stack, schema migrated.
stack_start() {
	mariadb_start || return 1
	comptoir_configure
	"$CPT_BIN" --config "$CPT_CONFIG" migrate >>"$STACK_DIR/log/comptoir.log" 2>&1 ||
		{ stack_log "stack: migrate failed"; tail -n 20 "$STACK_DIR/log/comptoir.log" >&2; return 1; }
	comptoir_start || return 1
	nginx_start || return 1
}

stack_stop() {
	nginx_stop
	comptoir_stop
	mariadb_stop
}

# Creates a staff account unless it exists: stack_user SHOP EMAIL ROLE PASSWORD [LOCALE]
stack_user() {
	local out
	out=$(COMPTOIR_PASSWORD=$4 "$CPT_BIN" --config "$CPT_CONFIG" user add \
		--shop "$1" --email "$2" --role "$3" ${5:+--locale "$5"} 2>&1) && return 0
	case $out in *"already exists"*) return 0 ;; esac
	printf '%s\n' "$out" >&2
	return 1
}

# Creates an API key unless it exists: stack_api_key SHOP NAME KEY
stack_api_key() {
	local out
	out=$("$CPT_BIN" --config "$CPT_CONFIG" shop api-key --shop "$1" --name "$2" --key "$3" 2>&1) &&
		return 0
	case $out in *"already exists"*) return 0 ;; esac
	printf '%s\n' "$out" >&2
	return 1
}
