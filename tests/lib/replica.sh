# replica.sh: a MariaDB replica of the stack's MariaDB, for the tests and
# benchmarks that need one (0520, tests/bench/replica): its own data folder
# ($STACK_DIR/replica), socket and port (STACK_DB_PORT + 1), GTID
# replication of the row-based binary log the primary writes when
# STACK_DB_PORT is set (tools/lib/stack.sh). Started from a dump of the
# primary (mariadb-dump --gtid), then CHANGE MASTER TO …
# MASTER_USE_GTID=slave_pos; read_only, with comptoir's user allowed
# SELECT and SLAVE MONITOR. Whoever starts it stops it (replica_stop).
#
# Source tools/lib/stack.sh first (STACK_DIR, MYSQL_SOCK, DB_PASSWORD).

REPLICA_DIR=$STACK_DIR/replica
REPLICA_SOCK=$STACK_DIR/run/replica.sock
REPLICA_PID=$STACK_DIR/run/replica.pid
REPLICA_LOG=$STACK_DIR/log/replica.log
REPLICA_PORT=$((${STACK_DB_PORT:-0} + 1))
REPL_PASSWORD=comptoir-repl

replica_sql() {
	mariadb --no-defaults --socket="$REPLICA_SOCK" -uroot -N -B "$@"
}

# The replica's server alone (its data folder made before).
replica_server_start() {
	stack_alive "$REPLICA_PID" && return 0
	mariadbd --no-defaults --datadir="$REPLICA_DIR" --socket="$REPLICA_SOCK" \
		--pid-file="$REPLICA_PID" --port="$REPLICA_PORT" --bind-address=127.0.0.1 \
		--user="$(id -un)" --log-error="$REPLICA_LOG" --server-id=2 --read-only \
		--relay-log=relay --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
		--innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=2 \
		--max-connections=500 --skip-name-resolve >/dev/null 2>&1 &
	stack_wait "mariadb-admin --no-defaults --socket='$REPLICA_SOCK' -uroot ping" 300 ||
		{ stack_log "replica: MariaDB did not start; see $REPLICA_LOG"; tail -n 20 "$REPLICA_LOG" >&2; return 1; }
}

replica_server_stop() {
	local pid
	stack_alive "$REPLICA_PID" || return 0
	pid=$(cat "$REPLICA_PID")
	kill "$pid" 2>/dev/null
	stack_wait "! kill -0 $pid" 600 || kill -9 "$pid" 2>/dev/null
	rm -f "$REPLICA_PID"
}

# Seconds_Behind_Master, "NULL" when unknown.
replica_behind() {
	replica_sql -E -e "SHOW SLAVE STATUS" | sed -n 's/^ *Seconds_Behind_Master: //p'
}

# True when the replica has applied everything the primary has written.
replica_caught_up() {
	local want
	want=$(stack_sql -e "SELECT @@gtid_binlog_pos") || return 1
	[ "$(replica_sql -e "SELECT MASTER_GTID_WAIT('$want', 0)")" = 0 ]
}

# replica_wait_caught_up [TENTHS]: waits (default 30 s) for the replica.
replica_wait_caught_up() {
	stack_wait replica_caught_up "${1:-300}" ||
		{ stack_log "replica: not caught up: $(replica_sql -E -e 'SHOW SLAVE STATUS' | grep -E 'Running|Error|Behind')"; return 1; }
}

# A fresh replica of the primary's comptoir database, replicating.
replica_start() {
	[ -n "${STACK_DB_PORT:-}" ] || { stack_log "replica: the primary has no binary log (STACK_DB_PORT unset)"; return 1; }
	replica_server_stop
	rm -rf "$REPLICA_DIR"
	mariadb-install-db --no-defaults --datadir="$REPLICA_DIR" --user="$(id -un)" \
		--auth-root-authentication-method=socket --skip-test-db >"$STACK_DIR/log/replica-install.log" 2>&1 ||
		{ cat "$STACK_DIR/log/replica-install.log" >&2; return 1; }
	replica_server_start || return 1
	stack_sql -e "CREATE USER IF NOT EXISTS 'repl'@'127.0.0.1' IDENTIFIED BY '$REPL_PASSWORD';
		GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1'" || return 1
	# The dump sets gtid_slave_pos to where it was taken.
	mariadb-dump --no-defaults --socket="$MYSQL_SOCK" -uroot --single-transaction --gtid --master-data=1 \
		--databases comptoir >"$STACK_DIR/replica-dump.sql" 2>"$STACK_DIR/log/replica-dump.log" ||
		{ cat "$STACK_DIR/log/replica-dump.log" >&2; return 1; }
	replica_sql <"$STACK_DIR/replica-dump.sql" || return 1
	rm -f "$STACK_DIR/replica-dump.sql"
	replica_sql -e "CREATE USER IF NOT EXISTS 'comptoir'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
		GRANT SELECT ON comptoir.* TO 'comptoir'@'localhost';
		GRANT SLAVE MONITOR ON *.* TO 'comptoir'@'localhost';
		CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$STACK_DB_PORT, MASTER_USER='repl',
			MASTER_PASSWORD='$REPL_PASSWORD', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
		START SLAVE" || return 1
	replica_wait_caught_up
}

# Stops it and removes its data.
replica_stop() {
	replica_server_stop
	rm -rf "$REPLICA_DIR" "$REPLICA_SOCK"
}

# replica_conf_on FILE [MAX_LAG]: names the replica in comptoir.yaml FILE
# (database.replica, by its socket); replica_conf_off FILE removes it.
# Both take effect when comptoir serve starts again.
replica_conf_on() {
	replica_conf_off "$1" &&
	sed -i "/^database:\$/a\\
  replica:          # replica.sh\\
    socket: $REPLICA_SOCK          # replica.sh\\
    max_lag_seconds: ${2:-2}          # replica.sh" "$1"
}
replica_conf_off() {
	sed -i '/# replica\.sh$/d' "$1"
}
