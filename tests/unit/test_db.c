/*
 * The database layer against a real MariaDB: parameters and results,
 * long values, the statement cache, reconnection after a lost connection,
 * whole-transaction retry on lost connection, deadlock and lock wait
 * time-out, batches of statements in one round trip, a COMMIT or an
 * autocommit write whose connection is lost (never sent twice), multi-
 * statements only in batches, and a connection refused unless the server
 * reads it as utf8mb4. usage: test_db CONFIG (the test stack's comptoir.yaml)
 */
#include <mysql.h>
#include <pthread.h>
#include <pwd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "db/db.h"
#include "db/sqltext.h"
#include "util/arena.h"
#include "util/buf.h"
#include "tap.h"

static struct config *cfg;
static struct arena arena;

static long long
scalar(struct db *db, const char *sql)
{
	struct db_result res;

	if (db_exec(db, &arena, &res, sql, 0, NULL) != DB_OK || res.nrows != 1)
		return -1;
	return db_ll(&res, 0, 0);
}

static const char sql_conn_id[] = "SELECT CONNECTION_ID()";

/* Kills db's connection from another one, as a server restart or a
 * time-out would. */
static void
kill_connection(struct db *killer, long long id)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "KILL CONNECTION %lld", id);
	db_exec_text(killer, sql, strlen(sql));
	usleep(50000);
}

static void
test_values(struct db *db)
{
	static const char sql[] = "SELECT ?, ?, ?, CONCAT(?, '!'), REPEAT('é', 300)";
	struct db_result res;
	int rc;

	rc = db_exec(db, &arena, &res, sql, DB_PARAMS(DB_I64(-42), DB_STR("Hélène"), DB_NULL,
	    DB_STR("it's \"quoted\"")));
	ok(rc == DB_OK && res.nrows == 1 && res.ncols == 5, "a prepared select returns one row of five columns");
	is_int(db_ll(&res, 0, 0), -42, "integers round-trip");
	is_str(db_str(&res, 0, 1), "Hélène", "UTF-8 strings round-trip");
	ok(db_str(&res, 0, 2) == NULL, "SQL NULL is a NULL pointer");
	is_str(db_str(&res, 0, 3), "it's \"quoted\"!", "quotes are data, never SQL");
	ok(res.rows[0].len[4] == 600 && strncmp(db_str(&res, 0, 4), "éé", 4) == 0,
	    "a value longer than the bind buffer is read whole");
	rc = db_exec(db, &arena, &res, "SELECT 1 FROM DUAL WHERE ? = 1", DB_PARAMS(DB_I64(2)));
	ok(rc == DB_OK && res.nrows == 0, "an empty result has no rows");
	rc = db_exec(db, &arena, NULL, "SELECT no_such_column FROM DUAL", 0, NULL);
	ok(rc == DB_ERROR && db_errno(db) == 1054, "an SQL error is reported with its number");
	rc = db_exec(db, &arena, NULL, sql, DB_PARAMS(DB_I64(1)));
	ok(rc == DB_ERROR, "a wrong parameter count is refused");
}

static void
test_statement_cache(struct db *db)
{
	static const char sql[] = "SELECT ? + 1";
	static const char status[] =
		"SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS"
		" WHERE VARIABLE_NAME = 'COM_STMT_PREPARE'";
	long long before, after;
	int i, fails = 0;

	before = scalar(db, status);
	for (i = 0; i < 100; i++) {
		struct db_result res;

		if (db_exec(db, &arena, &res, sql, DB_PARAMS(DB_I64(i))) != DB_OK || db_ll(&res, 0, 0) != i + 1)
			fails++;
	}
	after = scalar(db, status);
	ok(fails == 0, "100 executions give the right answers");
	ok(after - before <= 2, "the statement is prepared once, not 100 times (%lld prepares)", after - before);
}

static void
test_reconnect(struct db *db, struct db *killer)
{
	long long before = scalar(db, sql_conn_id), after;

	kill_connection(killer, before);
	after = scalar(db, sql_conn_id);
	ok(after > 0 && after != before, "a lost connection is replaced on next use (%lld -> %lld)", before, after);
	ok(scalar(db, "SELECT @@character_set_connection = 'utf8mb4'") == 1,
	    "the new connection speaks utf8mb4");
	ok(scalar(db, "SELECT @@session.time_zone = '+00:00'") == 1, "and works in UTC");
}

struct tx_ctx {
	struct db *killer;
	int attempts;
	long long value;
};

static const char sql_insert[] = "INSERT INTO test_db_rows (id, v) VALUES (?, ?)";

/* Loses its connection in the middle of the first attempt. */
static int
tx_lose_connection(struct db *db, void *arg)
{
	struct tx_ctx *c = arg;
	int rc;

	c->attempts++;
	rc = db_exec(db, &arena, NULL, sql_insert, DB_PARAMS(DB_I64(1), DB_I64(c->value)));
	if (rc != DB_OK)
		return rc;
	if (c->attempts == 1)
		kill_connection(c->killer, scalar(db, sql_conn_id));
	return db_exec(db, &arena, NULL, sql_insert, DB_PARAMS(DB_I64(2), DB_I64(c->value)));
}

static int
tx_domain_error(struct db *db, void *arg)
{
	(void)arg;
	if (db_exec(db, &arena, NULL, sql_insert, DB_PARAMS(DB_I64(3), DB_I64(3))) != DB_OK)
		return DB_ERROR;
	return 409;   /* e.g. out of stock: everything is rolled back */
}

static void
test_tx_lost_connection(struct db *db, struct db *killer)
{
	struct tx_ctx c = { killer, 0, 7 };
	int rc;

	rc = db_tx(db, tx_lose_connection, &c);
	ok(rc == DB_OK, "a transaction that lost its connection is run again and commits");
	is_int(c.attempts, 2, "it took exactly two attempts");
	is_int(scalar(db, "SELECT COUNT(*) FROM test_db_rows WHERE id IN (1, 2) AND v = 7"), 2,
	    "both rows are there, once each");
	rc = db_tx(db, tx_domain_error, NULL);
	is_int(rc, 409, "a domain error is returned as it is");
	is_int(scalar(db, "SELECT COUNT(*) FROM test_db_rows WHERE id = 3"), 0,
	    "and everything the transaction did is rolled back");
}

/* Two transactions that take the same two rows in opposite orders. */
struct deadlock_arg {
	int first, second;
	atomic_int *attempts;
	pthread_barrier_t *barrier;
	int rc;
};

static int
tx_cross(struct db *db, void *arg)
{
	struct deadlock_arg *d = arg;
	static const char sql[] = "UPDATE test_db_rows SET v = v + 1 WHERE id = ?";
	int n = atomic_fetch_add(d->attempts, 1), rc;
	struct arena a;

	arena_init(&a, 0);
	rc = db_exec(db, &a, NULL, sql, DB_PARAMS(DB_I64(d->first)));
	if (rc == DB_OK && n < 2)
		pthread_barrier_wait(d->barrier);   /* both hold their first row */
	if (rc == DB_OK)
		rc = db_exec(db, &a, NULL, sql, DB_PARAMS(DB_I64(d->second)));
	arena_free(&a);
	return rc;
}

static void *
deadlock_thread(void *arg)
{
	struct deadlock_arg *d = arg;
	struct db *db;

	mysql_thread_init();
	db = db_open(cfg);
	d->rc = db ? db_tx(db, tx_cross, d) : DB_ERROR;
	db_close(db);
	mysql_thread_end();
	return NULL;
}

static void
test_deadlock(struct db *db)
{
	pthread_barrier_t barrier;
	atomic_int attempts = 0;
	struct deadlock_arg a = { 1, 2, &attempts, &barrier, -9 }, b = { 2, 1, &attempts, &barrier, -9 };
	pthread_t ta, tb;
	long long before = scalar(db, "SELECT SUM(v) FROM test_db_rows WHERE id IN (1, 2)");

	pthread_barrier_init(&barrier, NULL, 2);
	pthread_create(&ta, NULL, deadlock_thread, &a);
	pthread_create(&tb, NULL, deadlock_thread, &b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	pthread_barrier_destroy(&barrier);
	ok(a.rc == DB_OK && b.rc == DB_OK, "both deadlocked transactions end up committed");
	ok(atomic_load(&attempts) >= 3, "the deadlock victim was run again (%d attempts)", atomic_load(&attempts));
	is_int(scalar(db, "SELECT SUM(v) FROM test_db_rows WHERE id IN (1, 2)"), before + 4,
	    "each transaction's two updates happened exactly once");
}

struct holder_arg {
	struct db *db;
};

static int
tx_hold(struct db *db, void *arg)
{
	(void)arg;
	if (db_exec(db, &arena, NULL, "UPDATE test_db_rows SET v = v WHERE id = 1", 0, NULL) != DB_OK)
		return DB_ERROR;
	sleep(2);   /* longer than the waiter's lock wait time-out of 1 s */
	return DB_OK;
}

static void *
holder_thread(void *arg)
{
	struct holder_arg *h = arg;
	struct db *db;

	mysql_thread_init();
	db = db_open(cfg);
	if (db) {
		db_tx(db, tx_hold, NULL);
		db_close(db);
	}
	(void)h;
	mysql_thread_end();
	return NULL;
}

static int
tx_wait(struct db *db, void *arg)
{
	int *attempts = arg;
	static const char sql[] = "UPDATE test_db_rows SET v = v + 10 WHERE id = 1";
	int rc;

	(*attempts)++;
	rc = db_exec_text(db, "SET SESSION innodb_lock_wait_timeout = 1", 40);
	if (rc == DB_OK)
		rc = db_exec(db, &arena, NULL, sql, 0, NULL);
	return rc;
}

static void
test_lock_wait_timeout(struct db *db)
{
	struct holder_arg h = { NULL };
	long long before = scalar(db, "SELECT v FROM test_db_rows WHERE id = 1");
	pthread_t t;
	int attempts = 0, rc;

	pthread_create(&t, NULL, holder_thread, &h);
	usleep(300000);
	rc = db_tx(db, tx_wait, &attempts);
	pthread_join(t, NULL);
	ok(rc == DB_OK, "a transaction that timed out waiting for a lock commits on a later attempt");
	ok(attempts >= 2, "after being run again (%d attempts)", attempts);
	is_int(scalar(db, "SELECT v FROM test_db_rows WHERE id = 1"), before + 10, "its update happened once");
}

/* --------------------------------------------------------------- batches */

static void
test_batch(struct db *db)
{
	struct db_result r[4];
	struct buf b;
	size_t done;
	int rc;

	buf_init(&b, 0);
	buf_puts(&b, "INSERT INTO test_db_rows (id, v) VALUES (20, ");
	sql_int(&b, -42);
	buf_puts(&b, "),(21, 1);SET @x = 5;SELECT v, ");
	sql_str(db, &b, "l'été \\ \"");
	buf_puts(&b, " FROM test_db_rows WHERE id IN (20, 21) ORDER BY id;UPDATE test_db_rows SET v = v + @x"
	    " WHERE id = 21");
	rc = db_batch(db, &arena, &b, 0, r, 4, &done);
	ok(rc == DB_OK && done == 4, "a batch of four statements runs in one call");
	ok(r[0].affected == 2 && r[3].affected == 1, "each statement has its affected rows");
	ok(r[2].nrows == 2 && db_ll(&r[2], 0, 0) == -42 && db_ll(&r[2], 1, 0) == 1,
	    "a SELECT in the middle has its rows");
	ok(r[2].nrows == 2 && strcmp(db_str(&r[2], 0, 1), "l'été \\ \"") == 0,
	    "values written with sqltext come back byte for byte");
	is_int(scalar(db, "SELECT v FROM test_db_rows WHERE id = 21"), 6, "a user variable carries over");

	buf_reset(&b);
	buf_puts(&b, "INSERT INTO test_db_rows (id, v) VALUES (22, 0);INSERT INTO test_db_rows (id, v)"
	    " VALUES (20, 0);INSERT INTO test_db_rows (id, v) VALUES (23, 0)");
	rc = db_batch(db, &arena, &b, 0, r, 3, &done);
	ok(rc == DB_ERROR && done == 1 && db_errno(db) == 1062,
	    "a batch stops at the statement that fails, and says which (%zu done)", done);
	is_int(scalar(db, "SELECT COUNT(*) FROM test_db_rows WHERE id IN (22, 23)"), 1,
	    "the statements after it did not run");
	is_int(scalar(db, "SELECT 1"), 1, "the connection is usable afterwards");

	buf_reset(&b);
	buf_puts(&b, "SELECT 1;SELEKT 2");
	rc = db_batch(db, &arena, &b, 0, r, 2, &done);
	ok(rc == DB_ERROR && done == 1 && db_errno(db) == 1064, "a syntax error is reported as well");
	buf_free(&b);
}

struct batch_tx {
	struct db *killer;
	int attempts;
	bool commit_in_batch, fail_after;
};

static int
tx_batches(struct db *db, void *arg)
{
	struct batch_tx *c = arg;
	struct db_result r[2];
	struct buf b;
	int rc;

	c->attempts++;
	buf_init(&b, 0);
	buf_puts(&b, "INSERT INTO test_db_rows (id, v) VALUES (30, 1);SELECT CONNECTION_ID()");
	rc = db_batch(db, &arena, &b, 0, r, 2, NULL);
	if (rc == DB_OK && c->killer && c->attempts == 1)
		kill_connection(c->killer, db_ll(&r[1], 0, 0));
	if (rc == DB_OK) {
		buf_reset(&b);
		buf_puts(&b, "INSERT INTO test_db_rows (id, v) VALUES (31, 1)");
		rc = db_batch(db, &arena, &b, c->commit_in_batch ? DB_BATCH_COMMIT : 0, r, 1, NULL);
	}
	buf_free(&b);
	if (rc == DB_OK && c->fail_after)
		return 409;
	return rc;
}

static void
test_batch_tx(struct db *db, struct db *killer)
{
	struct batch_tx c = { NULL, 0, false, true };
	int rc;

	rc = db_tx(db, tx_batches, &c);
	is_int(rc, 409, "batches in a transaction that fails");
	is_int(scalar(db, "SELECT COUNT(*) FROM test_db_rows WHERE id IN (30, 31)"), 0,
	    "are rolled back: the first batch started the transaction");
	c = (struct batch_tx){ killer, 0, true, false };
	rc = db_tx(db, tx_batches, &c);
	ok(rc == DB_OK && c.attempts == 2, "a transaction whose connection is lost between batches"
	    " is run again and commits (%d attempts)", c.attempts);
	is_int(scalar(db, "SELECT COUNT(*) FROM test_db_rows WHERE id IN (30, 31)"), 2,
	    "its last batch committed it, once");
	is_int(scalar(db, "SELECT @@in_transaction"), 0, "and no transaction is left open");
}

/* ------------------------------------------------- lost COMMIT, lost write */

struct commit_tx {
	struct db *killer;
	int attempts, checks;
	bool in_batch;          /* COMMIT in the last batch, else db_tx's own */
	bool applied;           /* the server "applied" the first attempt's COMMIT */
	long long id;
};

struct kill_later {
	struct db *killer;
	long long id;
	useconds_t after;
};

static void *
kill_later_thread(void *arg)
{
	struct kill_later *k = arg;

	mysql_thread_init();
	usleep(k->after);
	kill_connection(k->killer, k->id);
	mysql_thread_end();
	return NULL;
}

/* Writes row c->id. On the first attempt, loses the connection: with
 * in_batch, while the batch that carries the COMMIT runs (the client
 * cannot tell whether the server committed); else just before db_tx
 * sends its COMMIT (the client can: the connection is dead before it). */
static int
tx_commit_lost(struct db *db, void *arg)
{
	static const char sql_marker[] = "INSERT INTO test_db_rows (id, v) VALUES (?, 1)";
	struct commit_tx *c = arg;
	struct kill_later k;
	struct db_result r;
	pthread_t t;
	struct buf b;
	int rc;

	c->attempts++;
	rc = db_exec(db, &arena, NULL, sql_insert, DB_PARAMS(DB_I64(c->id), DB_I64(c->attempts)));
	if (rc != DB_OK || c->attempts > 1)
		return rc;
	if (!c->in_batch) {
		kill_connection(c->killer, scalar(db, sql_conn_id));
		return DB_OK;
	}
	/* A COMMIT the server applied: the marker is there (written from elsewhere). */
	if (c->applied)
		db_exec(c->killer, &arena, NULL, sql_marker, DB_PARAMS(DB_I64(c->id + 1)));
	k = (struct kill_later){ c->killer, scalar(db, sql_conn_id), 300000 };
	pthread_create(&t, NULL, kill_later_thread, &k);
	buf_init(&b, 0);
	buf_puts(&b, "SELECT SLEEP(1)");
	rc = db_batch(db, &arena, &b, DB_BATCH_COMMIT, &r, 1, NULL);
	buf_free(&b);
	pthread_join(t, NULL);
	return rc;
}

static int
marker_committed(struct db *db, void *arg)
{
	static const char sql[] = "SELECT COUNT(*) FROM test_db_rows WHERE id IN (?, ?) LOCK IN SHARE MODE";
	struct commit_tx *c = arg;
	struct db_result r;
	int rc;

	c->checks++;
	rc = db_exec(db, &arena, &r, sql, DB_PARAMS(DB_I64(c->id), DB_I64(c->id + 1)));
	if (rc != DB_OK)
		return rc;
	return db_ll(&r, 0, 0) > 0;
}

static long long
rows(struct db *db, long long id)
{
	static const char sql[] = "SELECT COUNT(*) FROM test_db_rows WHERE id = ?";
	struct db_result r;

	if (db_exec(db, &arena, &r, sql, DB_PARAMS(DB_I64(id))) != DB_OK)
		return -1;
	return db_ll(&r, 0, 0);
}

static void
test_commit_lost(struct db *db, struct db *killer)
{
	struct commit_tx c = { killer, 0, 0, true, false, 50 };
	int rc;

	rc = db_tx(db, tx_commit_lost, &c);
	ok(rc == DB_UNKNOWN && c.attempts == 1, "a batch lost while it carries the COMMIT is an unknown"
	    " outcome, never run again (rc %d, %d attempts)", rc, c.attempts);
	is_int(rows(db, 50), 0, "(the server had not committed it)");
	c = (struct commit_tx){ killer, 0, 0, false, false, 52 };
	rc = db_tx(db, tx_commit_lost, &c);
	ok(rc == DB_OK && c.attempts == 2, "a connection found dead before COMMIT is sent: rolled back,"
	    " run again (rc %d, %d attempts)", rc, c.attempts);
	is_int(rows(db, 52), 1, "and committed once");

	c = (struct commit_tx){ killer, 0, 0, true, false, 54 };
	rc = db_tx_once(db, tx_commit_lost, marker_committed, &c);
	ok(rc == DB_OK && c.checks == 1 && c.attempts == 2, "with a check: its marker not found, the"
	    " transaction runs again and commits (rc %d, %d checks, %d attempts)", rc, c.checks, c.attempts);
	is_int(rows(db, 54), 1, "once");

	c = (struct commit_tx){ killer, 0, 0, true, true, 56 };
	rc = db_tx_once(db, tx_commit_lost, marker_committed, &c);
	ok(rc == DB_OK && c.checks == 1 && c.attempts == 1, "its marker found: committed, not run"
	    " again (rc %d, %d checks, %d attempts)", rc, c.checks, c.attempts);
	is_int(rows(db, 56) + rows(db, 57), 1, "nothing written twice");
	is_int(scalar(db, "SELECT @@in_transaction"), 0, "and no transaction is left open");
}

/* Runs sql on db (db_exec, or db_exec_idempotent) while another thread
 * kills its connection in the middle; returns what the call returned. */
static int
exec_killed(struct db *db, struct db *killer, const char *sql, bool idempotent, struct db_result *r)
{
	struct kill_later k = { killer, scalar(db, sql_conn_id), 300000 };
	pthread_t t;
	int rc;

	pthread_create(&t, NULL, kill_later_thread, &k);
	rc = idempotent ? db_exec_idempotent(db, &arena, r, sql, 0, NULL) :
	    db_exec(db, &arena, r, sql, 0, NULL);
	pthread_join(t, NULL);
	return rc;
}

static void
test_lost_writes(struct db *db, struct db *killer)
{
	static const char sql_write[] = "INSERT INTO test_db_rows (id, v) SELECT 40, SLEEP(1)";
	static const char sql_same[] = "UPDATE test_db_rows SET v = 5 + SLEEP(1) WHERE id = 41";
	static const char sql_read[] = "SELECT 7 + SLEEP(1)";
	static const char sql_after[] = "INSERT INTO test_db_rows (id, v) VALUES (42, 1)";
	struct db_result r;
	long long before;
	int rc;

	rc = exec_killed(db, killer, sql_write, false, &r);
	ok(rc == DB_UNKNOWN, "an autocommit INSERT whose connection is lost in flight is an unknown"
	    " outcome (rc %d)", rc);
	is_int(rows(db, 40), 0, "and it is not sent again");

	db_exec(db, &arena, NULL, sql_insert, DB_PARAMS(DB_I64(41), DB_I64(0)));
	rc = exec_killed(db, killer, sql_same, true, &r);
	ok(rc == DB_OK, "a write declared idempotent is sent again after reconnecting (rc %d)", rc);
	is_int(scalar(db, "SELECT v FROM test_db_rows WHERE id = 41"), 5, "and holds");

	rc = exec_killed(db, killer, sql_read, false, &r);
	ok(rc == DB_OK && r.nrows == 1 && db_ll(&r, 0, 0) == 7, "so is a read (rc %d)", rc);

	before = scalar(db, sql_conn_id);
	kill_connection(killer, before);
	rc = db_exec(db, &arena, NULL, sql_after, 0, NULL);
	ok(rc == DB_OK && rows(db, 42) == 1, "a write on a connection killed while idle goes out on a"
	    " new one (rc %d)", rc);
	ok(scalar(db, sql_conn_id) != before, "(it was replaced before sending)");
}

/* ----------------------------------------------- multi-statements, charset */

static void
test_multi_statements(struct db *db)
{
	static const char two[] = "SELECT 1; DROP TABLE test_db_rows";
	struct db_result r[2];
	struct buf b;
	size_t done;
	int rc;

	rc = db_exec_text(db, two, sizeof(two) - 1);
	ok(rc == DB_ERROR && db_errno(db) == 1064, "plain text with two statements is refused"
	    " (rc %d, error %u)", rc, db_errno(db));
	is_int(scalar(db, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"
	    " AND table_name = 'test_db_rows'"), 1, "the second one did not run");
	buf_init(&b, 0);
	buf_puts(&b, "SELECT 1;SELECT 2");
	rc = db_batch(db, &arena, &b, 0, r, 2, &done);
	ok(rc == DB_OK && done == 2 && db_ll(&r[1], 0, 0) == 2, "a batch still runs its statements");
	rc = db_exec_text(db, two, sizeof(two) - 1);
	ok(rc == DB_ERROR && db_errno(db) == 1064, "and text after a batch is one statement again");
	rc = db_batch(db, &arena, &b, 0, r, 2, &done);
	ok(rc == DB_OK && done == 2, "and a batch after it is a batch");
	buf_free(&b);
}

/* A server that reads the connection in another charset (an init_connect
 * here, run for every user without SUPER) is refused. */
static void
test_charset(struct db *db, struct db *killer)
{
	static const char set[] = "SET GLOBAL init_connect = 'SET NAMES latin1'";
	static const char unset[] = "SET GLOBAL init_connect = ''";
	struct passwd *pw = getpwuid(getuid());
	MYSQL *root = mysql_init(NULL);
	struct db *other;
	int rc;

	/* The stack's server lets the system user in as root or as itself. */
	if (!mysql_real_connect(root, NULL, "root", NULL, NULL, 0, cfg->database.socket, 0) &&
	    !(pw && mysql_real_connect(root, NULL, pw->pw_name, NULL, NULL, 0, cfg->database.socket, 0))) {
		ok(false, "an administrator's connection for init_connect: %s", mysql_error(root));
		mysql_close(root);
		return;
	}
	ok(mysql_query(root, set) == 0, "init_connect set to SET NAMES latin1");
	other = db_open(cfg);
	ok(other == NULL, "a new connection is refused");
	db_close(other);
	kill_connection(killer, scalar(db, sql_conn_id));
	rc = db_exec(db, &arena, NULL, "SELECT 1", 0, NULL);
	ok(rc == DB_ERROR, "and so is a reconnection (rc %d)", rc);
	ok(mysql_query(root, unset) == 0, "init_connect cleared");
	mysql_close(root);
	is_int(scalar(db, "SELECT 1"), 1, "the next use connects again");
}

int
main(int argc, char **argv)
{
	struct db *db, *killer;
	struct buf err;
	static const char create[] =
		"CREATE TABLE IF NOT EXISTS test_db_rows (id INT PRIMARY KEY, v BIGINT NOT NULL)"
		" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

	if (argc < 2) {
		fprintf(stderr, "usage: test_db CONFIG\n");
		return 2;
	}
	buf_init(&err, 0);
	if (config_load(argv[1], &cfg, &err) != 0) {
		fprintf(stderr, "%s", buf_str(&err));
		return 2;
	}
	buf_free(&err);
	mysql_library_init(0, NULL, NULL);
	arena_init(&arena, 0);
	db = db_open(cfg);
	killer = db_open(cfg);
	if (!ok(db && killer, "two connections open"))
		return done_testing();
	db_exec_text(db, "DROP TABLE IF EXISTS test_db_rows", 33);
	db_exec_text(db, create, sizeof(create) - 1);

	test_values(db);
	test_statement_cache(db);
	test_reconnect(db, killer);
	test_tx_lost_connection(db, killer);
	test_deadlock(db);
	test_lock_wait_timeout(db);
	test_batch(db);
	test_batch_tx(db, killer);
	test_commit_lost(db, killer);
	test_lost_writes(db, killer);
	test_multi_statements(db);
	test_charset(db, killer);

	db_exec_text(db, "DROP TABLE IF EXISTS test_db_rows", 33);
	db_close(killer);
	db_close(db);
	config_free(cfg);
	arena_free(&arena);
	mysql_library_end();
	return done_testing();
}
