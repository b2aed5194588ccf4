#include "db/db.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "conf/conf.h"
#include "db/read_cache.h"
#include "db/replica.h"
#include "db/sqltext.h"
#include "util/buf.h"
#include "util/log.h"

struct stmt_entry {
	const char *sql;       /* key: the call site's literal */
	MYSQL_STMT *stmt;
};

struct db {
	MYSQL *mysql;
	const struct config *cfg;   /* only read while connecting */
	char *socket, *host, *user, *password, *name;
	unsigned port;
	unsigned connect_timeout, rw_timeout;   /* seconds */
	bool quiet;                 /* a replica's: connection failures are the watch's to tell */
	struct db *reads;           /* a primary's: this thread's replica connection, or NULL */
	struct db *primary;         /* a replica's: who answers when it cannot */
	struct stmt_entry *stmts;   /* open-addressing table, power-of-two size */
	size_t nstmts, cap;
	bool in_tx;
	bool tx_begun;              /* START TRANSACTION sent (it is sent lazily) */
	bool broken;                /* connection lost: reconnect before use */
	bool multi;                 /* multi-statements on (db_batch) */
	unsigned last_errno;
	char last_error[256];
	/* The desk's cached reads (db_desk, db/read_cache.h). */
	struct db *base;            /* a desk handle's connection; NULL on a connection */
	struct db *desk;            /* a connection's desk handle, made at first use */
	long long desk_shop, desk_version;   /* a handle's shop and version (-1: not read yet) */
	bool desk_off;              /* a handle whose reads all go to the database */
	long long changed[8];       /* shops whose desk version this transaction raises */
	size_t nchanged;
};

/* A desk handle stands for its connection everywhere but in its reads. */
#define CONN(db) ((db)->base ? (db)->base : (db))

struct db_param
db_param_str(const char *s)
{
	if (!s)
		return DB_NULL;
	return (struct db_param){ .type = DBP_STR, .s = s, .len = strlen(s) };
}

static char *
xstrdup(const char *s)
{
	char *p;

	if (!s)
		return NULL;
	p = strdup(s);
	if (!p)
		die("out of memory");
	return p;
}

static void
remember_error(struct db *db, unsigned no, const char *msg)
{
	db->last_errno = no;
	snprintf(db->last_error, sizeof(db->last_error), "%s", msg ? msg : "");
}

static bool
is_connection_lost(unsigned no)
{
	return no == CR_SERVER_GONE_ERROR || no == CR_SERVER_LOST ||
	    no == ER_CONNECTION_KILLED || no == 4031 /* client idle timeout */ ||
	    no == CR_CONNECTION_ERROR || no == CR_CONN_HOST_ERROR;
}

/* Deadlock and lock wait time-out roll the transaction back: retry it all. */
static bool
is_retryable(unsigned no)
{
	return no == ER_LOCK_DEADLOCK || no == ER_LOCK_WAIT_TIMEOUT ||
	    is_connection_lost(no);
}

static int
classify(struct db *db, unsigned no, const char *msg, const char *what)
{
	remember_error(db, no, msg);
	if (is_connection_lost(no))
		db->broken = true;
	if (is_retryable(no)) {
		log_warn("db: %s: %u %s (will retry)", what, no, msg);
		return DB_RETRY;
	}
	/* Duplicate keys are answers callers act on (an e-mail taken, a
	 * replayed idempotency key), not failures. */
	if (no == ER_DUP_ENTRY)
		log_debug("db: %s: %u %s", what, no, msg);
	else
		log_error("db: %s: %u %s", what, no, msg);
	return DB_ERROR;
}

static void
stmts_clear(struct db *db)
{
	size_t i;

	for (i = 0; i < db->cap; i++) {
		if (db->stmts[i].stmt)
			mysql_stmt_close(db->stmts[i].stmt);
		db->stmts[i].stmt = NULL;
		db->stmts[i].sql = NULL;
	}
	db->nstmts = 0;
}

/* The server's own view of the connection's character sets: what
 * MYSQL_SET_CHARSET_NAME asked for unless something in between (an
 * init_connect, a proxy) changed it. */
static int
check_charset(struct db *db, MYSQL *m)
{
	static const char sql[] =
		"SELECT @@character_set_client, @@character_set_connection, @@character_set_results";
	MYSQL_RES *r;
	MYSQL_ROW row;
	int rc = DB_ERROR, i;

	if (mysql_real_query(m, sql, sizeof(sql) - 1) || !(r = mysql_store_result(m))) {
		remember_error(db, mysql_errno(m), mysql_error(m));
		log_error("db: cannot read the connection's character sets: %s", mysql_error(m));
		return DB_ERROR;
	}
	row = mysql_fetch_row(r);
	if (row && mysql_num_fields(r) == 3) {
		for (i = 0; i < 3 && row[i] && strcmp(row[i], "utf8mb4") == 0; i++)
			;
		if (i == 3)
			rc = DB_OK;
		else
			log_error("db: the server reads this connection as character_set_client=%s,"
			    " character_set_connection=%s, character_set_results=%s, not utf8mb4"
			    " (an init_connect or a proxy?): refusing to use it",
			    row[0] ? row[0] : "NULL", row[1] ? row[1] : "NULL", row[2] ? row[2] : "NULL");
	}
	mysql_free_result(r);
	if (rc != DB_OK)
		remember_error(db, 0, "connection character set is not utf8mb4");
	return rc;
}

static int
db_connect(struct db *db)
{
	unsigned timeout = db->connect_timeout, rw_timeout = db->rw_timeout;
	MYSQL *m = mysql_init(NULL);

	if (!m)
		die("out of memory (mysql_init)");
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &rw_timeout);
	mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &rw_timeout);
	mysql_options(m, MYSQL_INIT_COMMAND,
	    "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,"
	    "NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'");
	if (!mysql_real_connect(m, db->socket ? NULL : db->host, db->user,
	    db->password, db->name, db->port, db->socket, CLIENT_MULTI_RESULTS)) {
		remember_error(db, mysql_errno(m), mysql_error(m));
		log_msg(db->quiet ? LOG_DEBUG : LOG_ERROR, "db: cannot connect to %s: %s",
		    db->socket ? db->socket : db->host, mysql_error(m));
		mysql_close(m);
		return DB_ERROR;
	}
	if (check_charset(db, m) != DB_OK) {
		mysql_close(m);
		return DB_ERROR;
	}
	db->mysql = m;
	db->broken = false;
	db->multi = false;   /* connected without CLIENT_MULTI_STATEMENTS */
	return DB_OK;
}

static int
db_reconnect(struct db *db)
{
	stmts_clear(db);
	if (db->mysql)
		mysql_close(db->mysql);
	db->mysql = NULL;
	db->in_tx = false;
	db->tx_begun = false;
	return db_connect(db);
}

/* Between statements nothing is owed by the server: a connection that has
 * something to read, or is hung up, was closed or killed while idle. */
static bool
connection_dead(struct db *db)
{
	struct pollfd p;

	if (!db->mysql)
		return true;
	p.fd = (int)mysql_get_socket(db->mysql);
	p.events = POLLIN;
	p.revents = 0;
	return p.fd < 0 || poll(&p, 1, 0) != 0;
}

/* Before sending: a connection known lost, or found dead, is replaced
 * while nothing is in flight (DB_ERROR if it cannot be). Inside a
 * transaction, the transaction went with it: DB_RETRY, and the COMMIT
 * that would have followed is known never to have been sent. */
static int
ready_to_send(struct db *db)
{
	if (!db->broken && connection_dead(db)) {
		log_warn("db: connection closed by the server while idle: %s",
		    db->in_tx ? "transaction rolled back" : "reconnecting");
		db->broken = true;
	}
	if (db->in_tx)
		return db->broken ? DB_RETRY : DB_OK;
	if (db->broken && db_reconnect(db) != DB_OK)
		return DB_ERROR;
	return DB_OK;
}

static struct db *
db_new(const struct config *cfg, const char *socket, const char *host, unsigned port,
    const char *user, const char *password, unsigned connect_timeout, unsigned rw_timeout)
{
	struct db *db = calloc(1, sizeof(*db));

	if (!db)
		die("out of memory");
	db->cfg = cfg;
	db->socket = xstrdup(socket);
	db->host = xstrdup(host ? host : "127.0.0.1");
	db->user = xstrdup(user);
	db->password = xstrdup(password);
	db->name = xstrdup(cfg->database.name);
	db->port = port;
	db->connect_timeout = connect_timeout;
	db->rw_timeout = rw_timeout;
	db->cap = 64;
	db->stmts = calloc(db->cap, sizeof(*db->stmts));
	if (!db->stmts)
		die("out of memory");
	return db;
}

struct db *
db_open(const struct config *cfg)
{
	struct db *db = db_new(cfg, cfg->database.socket, cfg->database.host, cfg->database.port,
	    cfg->database.user, cfg->database.password, 5, 60);

	if (db_connect(db) != DB_OK) {
		db_close(db);
		return NULL;
	}
	return db;
}

struct db *
db_open_replica(const struct config *cfg, struct db *primary)
{
	const struct config *c = cfg;
	struct db *db;

	if (!c->database.replica.socket && !c->database.replica.host)
		return NULL;
	/* A replica out of reach must cost a read little: a short time-out,
	 * then the primary answers. Connected at first use. */
	db = db_new(cfg, c->database.replica.socket, c->database.replica.host, c->database.replica.port,
	    c->database.replica.user ? c->database.replica.user : c->database.user,
	    c->database.replica.password ? c->database.replica.password : c->database.password, 1,
	    primary ? 60 : 2);
	db->broken = true;
	db->quiet = true;
	if (primary) {
		db->primary = primary;
		primary->reads = db;
	}
	return db;
}

struct db *
db_reads(struct db *db)
{
	db = CONN(db);
	return db->reads && replica_use() ? db->reads : db;
}

void
db_close(struct db *db)
{
	if (!db)
		return;
	db_close(db->reads);
	free(db->desk);
	stmts_clear(db);
	free(db->stmts);
	if (db->mysql)
		mysql_close(db->mysql);
	free(db->socket);
	free(db->host);
	free(db->user);
	free(db->password);
	free(db->name);
	free(db);
}

unsigned
db_errno(const struct db *db)
{
	return CONN(db)->last_errno;
}

const char *
db_error(const struct db *db)
{
	return CONN(db)->last_error;
}

bool
db_in_tx(const struct db *db)
{
	return CONN(db)->in_tx;
}

static size_t
slot_of(const struct db *db, const char *sql)
{
	size_t h = ((size_t)(uintptr_t)sql >> 3) * 0x9E3779B97F4A7C15ull;

	return (h >> 7) & (db->cap - 1);
}

static void
stmts_grow(struct db *db)
{
	struct stmt_entry *old = db->stmts;
	size_t oldcap = db->cap, i, j;

	db->cap *= 2;
	db->stmts = calloc(db->cap, sizeof(*db->stmts));
	if (!db->stmts)
		die("out of memory");
	for (i = 0; i < oldcap; i++) {
		if (!old[i].sql)
			continue;
		for (j = slot_of(db, old[i].sql); db->stmts[j].sql; j = (j + 1) & (db->cap - 1))
			;
		db->stmts[j] = old[i];
	}
	free(old);
}

/* The cached statement for `sql`, prepared on first use; NULL on error. */
static MYSQL_STMT *
stmt_get(struct db *db, const char *sql, int *rc)
{
	MYSQL_STMT *stmt;
	size_t i;

	for (i = slot_of(db, sql); db->stmts[i].sql; i = (i + 1) & (db->cap - 1))
		if (db->stmts[i].sql == sql)
			return db->stmts[i].stmt;

	stmt = mysql_stmt_init(db->mysql);
	if (!stmt)
		die("out of memory (mysql_stmt_init)");
	if (mysql_stmt_prepare(stmt, sql, strlen(sql))) {
		*rc = classify(db, mysql_stmt_errno(stmt), mysql_stmt_error(stmt), "prepare");
		log_debug("db: statement was: %s", sql);
		mysql_stmt_close(stmt);
		return NULL;
	}
	if ((db->nstmts + 1) * 2 > db->cap) {
		stmts_grow(db);
		for (i = slot_of(db, sql); db->stmts[i].sql; i = (i + 1) & (db->cap - 1))
			;
	}
	db->stmts[i].sql = sql;
	db->stmts[i].stmt = stmt;
	db->nstmts++;
	return stmt;
}

static void
stmt_forget(struct db *db, const char *sql)
{
	/* Simplest correct way to drop one entry of an open-addressed table:
	 * drop them all; they are prepared again on next use. */
	(void)sql;
	stmts_clear(db);
}

/* Reads every row of an executed statement into the arena. */
static int
fetch_all(struct db *db, MYSQL_STMT *stmt, struct arena *arena, struct db_result *res)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(stmt);
	size_t ncols, c, r, cap = 16;
	MYSQL_BIND *bind;
	unsigned long *lens;
	my_bool *nulls, *errs;
	char **bufs;
	const size_t bufsize = 256;
	int rc = DB_OK, f;

	if (!meta)
		return DB_OK;
	ncols = mysql_num_fields(meta);
	mysql_free_result(meta);
	res->ncols = ncols;

	bind = calloc(ncols, sizeof(*bind));
	lens = calloc(ncols, sizeof(*lens));
	nulls = calloc(ncols, sizeof(*nulls));
	errs = calloc(ncols, sizeof(*errs));
	bufs = calloc(ncols, sizeof(*bufs));
	if (!bind || !lens || !nulls || !errs || !bufs)
		die("out of memory");
	for (c = 0; c < ncols; c++) {
		bufs[c] = malloc(bufsize);
		if (!bufs[c])
			die("out of memory");
		bind[c].buffer_type = MYSQL_TYPE_STRING;
		bind[c].buffer = bufs[c];
		bind[c].buffer_length = bufsize;
		bind[c].length = &lens[c];
		bind[c].is_null = &nulls[c];
		bind[c].error = &errs[c];
	}
	if (mysql_stmt_bind_result(stmt, bind)) {
		rc = classify(db, mysql_stmt_errno(stmt), mysql_stmt_error(stmt), "bind result");
		goto out;
	}
	if (mysql_stmt_store_result(stmt)) {
		rc = classify(db, mysql_stmt_errno(stmt), mysql_stmt_error(stmt), "store result");
		goto out;
	}
	res->rows = arena_alloc(arena, cap * sizeof(*res->rows));
	for (r = 0; (f = mysql_stmt_fetch(stmt)) == 0 || f == MYSQL_DATA_TRUNCATED; r++) {
		struct db_row *row;

		if (r == cap) {
			struct db_row *more = arena_alloc(arena, cap * 2 * sizeof(*more));

			memcpy(more, res->rows, cap * sizeof(*more));
			res->rows = more;
			cap *= 2;
		}
		row = &res->rows[r];
		row->col = arena_alloc(arena, ncols * sizeof(*row->col));
		row->len = arena_alloc(arena, ncols * sizeof(*row->len));
		for (c = 0; c < ncols; c++) {
			if (nulls[c])
				continue;
			row->len[c] = lens[c];
			if (lens[c] <= bufsize) {
				row->col[c] = arena_strndup(arena, bufs[c], lens[c]);
			} else {
				/* Longer than the bind buffer: fetch the whole value. */
				MYSQL_BIND one;
				char *big = arena_alloc(arena, lens[c] + 1);

				memset(&one, 0, sizeof(one));
				one.buffer_type = MYSQL_TYPE_STRING;
				one.buffer = big;
				one.buffer_length = lens[c];
				if (mysql_stmt_fetch_column(stmt, &one, (unsigned)c, 0)) {
					rc = classify(db, mysql_stmt_errno(stmt),
					    mysql_stmt_error(stmt), "fetch column");
					goto out;
				}
				big[lens[c]] = '\0';
				row->col[c] = big;
			}
		}
	}
	res->nrows = r;
	if (f != MYSQL_NO_DATA)
		rc = classify(db, mysql_stmt_errno(stmt), mysql_stmt_error(stmt), "fetch");
out:
	mysql_stmt_free_result(stmt);
	for (c = 0; c < ncols; c++)
		free(bufs[c]);
	free(bufs);
	free(errs);
	free(nulls);
	free(lens);
	free(bind);
	return rc;
}

static const char sql_begin[] = "START TRANSACTION";

/* Inside db_tx, the transaction starts with its first statement: a batch
 * carries START TRANSACTION itself, saving a round trip. */
static int
begin_if_needed(struct db *db)
{
	if (!db->in_tx || db->tx_begun)
		return DB_OK;
	if (mysql_real_query(db->mysql, sql_begin, sizeof(sql_begin) - 1))
		return classify(db, mysql_errno(db->mysql), mysql_error(db->mysql), "begin");
	db->tx_begun = true;
	return DB_OK;
}

static int
exec_once(struct db *db, struct arena *arena, struct db_result *res,
    const char *sql, size_t n, const struct db_param *params)
{
	MYSQL_BIND stackbind[16], *bind = stackbind;
	MYSQL_STMT *stmt;
	size_t i;
	int rc = DB_OK;

	if (db->broken)
		return DB_RETRY;
	if ((rc = begin_if_needed(db)) != DB_OK)
		return rc;
	stmt = stmt_get(db, sql, &rc);
	if (!stmt)
		return rc;
	if (mysql_stmt_param_count(stmt) != n) {
		log_error("db: statement wants %lu parameters, %zu given: %s",
		    mysql_stmt_param_count(stmt), n, sql);
		return DB_ERROR;
	}
	if (n > 16) {
		bind = calloc(n, sizeof(*bind));
		if (!bind)
			die("out of memory");
	} else {
		memset(stackbind, 0, sizeof(stackbind));
	}
	for (i = 0; i < n; i++) {
		switch (params[i].type) {
		case DBP_NULL:
			bind[i].buffer_type = MYSQL_TYPE_NULL;
			break;
		case DBP_I64:
			bind[i].buffer_type = MYSQL_TYPE_LONGLONG;
			bind[i].buffer = (void *)&params[i].i;
			break;
		case DBP_STR:
		case DBP_BLOB:
			bind[i].buffer_type = params[i].type == DBP_STR ?
			    MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
			bind[i].buffer = (void *)params[i].s;
			bind[i].buffer_length = params[i].len;
			break;
		}
	}
	if (n && mysql_stmt_bind_param(stmt, bind)) {
		rc = classify(db, mysql_stmt_errno(stmt), mysql_stmt_error(stmt), "bind");
		goto out;
	}
	if (mysql_stmt_execute(stmt)) {
		unsigned no = mysql_stmt_errno(stmt);

		if (no == ER_UNKNOWN_STMT_HANDLER || no == ER_NEED_REPREPARE) {
			/* The server forgot it (reset connection, DDL): prepare anew. */
			stmt_forget(db, sql);
			rc = DB_RETRY;
			remember_error(db, no, mysql_stmt_error(stmt));
			goto out;
		}
		rc = classify(db, no, mysql_stmt_error(stmt), "execute");
		goto out;
	}
	if (res) {
		memset(res, 0, sizeof(*res));
		res->affected = mysql_stmt_affected_rows(stmt);
		res->insert_id = mysql_stmt_insert_id(stmt);
		rc = fetch_all(db, stmt, arena, res);
	} else {
		mysql_stmt_free_result(stmt);
	}
out:
	if (bind != stackbind)
		free(bind);
	return rc;
}

/* A read by its first word: SELECT or SHOW (after blanks and parentheses). */
static bool
is_read(const char *sql)
{
	while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '(')
		sql++;
	return (strncasecmp(sql, "SELECT", 6) == 0 && !isalnum((unsigned char)sql[6])) ||
	    (strncasecmp(sql, "SHOW", 4) == 0 && !isalnum((unsigned char)sql[4]));
}

static int
exec_stmt(struct db *db, struct arena *arena, struct db_result *res,
    const char *sql, size_t n, const struct db_param *params, bool may_resend)
{
	int rc;

	if ((rc = ready_to_send(db)) != DB_OK)
		return rc;
	rc = exec_once(db, arena, res, sql, n, params);
	if (rc != DB_RETRY || db->in_tx)
		return rc;
	if (db->broken) {
		/* Lost in flight: the server may have run it. */
		if (!may_resend) {
			log_warn("db: connection lost during a write; not sent again, its outcome is unknown");
			return DB_UNKNOWN;
		}
		if (db_reconnect(db) != DB_OK)
			return DB_ERROR;
	}
	/* Undone by the server (deadlock, lock wait) or never run (re-prepare),
	 * or harmless twice: once more. */
	rc = exec_once(db, arena, res, sql, n, params);
	if (rc == DB_RETRY)
		rc = db->broken && !may_resend ? DB_UNKNOWN : DB_ERROR;
	return rc;
}

/* A replica is for reads only (its server should be read_only too). */
static int
replica_refuses(struct db *db, const char *sql)
{
	if (!db->primary)
		return DB_OK;
	if (is_read(sql))
		return DB_OK;
	log_error("db: refused on the replica, which is for reads: %.80s", sql);
	return DB_ERROR;
}

/* A replica that could not be reached, or was lost before it answered:
 * the watch hears of it (reads go to the primary from now on), and the
 * caller sends the read to the primary. A refusal by the server (a
 * syntax error, a missing table) is an answer, not an absence. */
static bool
replica_failed(struct db *db, int rc)
{
	if (!db->primary || rc == DB_OK || rc > 0 || (!db->broken && db->mysql))
		return false;
	replica_unreachable(db->last_error);
	return true;
}

static int desk_exec(struct db *d, struct arena *arena, struct db_result *res,
    const char *sql, size_t n, const struct db_param *params);
static int desk_batch(struct db *d, struct arena *arena, const struct buf *sql, unsigned flags,
    struct db_result *res, size_t nres, size_t *done);
static void desk_bump_sql(struct db *db, struct buf *b);

int
db_exec(struct db *db, struct arena *arena, struct db_result *res,
    const char *sql, size_t n, const struct db_param *params)
{
	int rc;

	if (db->base)
		return desk_exec(db, arena, res, sql, n, params);
	if ((rc = replica_refuses(db, sql)) != DB_OK)
		return rc;
	rc = exec_stmt(db, arena, res, sql, n, params, is_read(sql));
	if (replica_failed(db, rc))
		rc = exec_stmt(db->primary, arena, res, sql, n, params, true);
	return rc;
}

int
db_exec_idempotent(struct db *db, struct arena *arena, struct db_result *res,
    const char *sql, size_t n, const struct db_param *params)
{
	db = CONN(db);
	if (db->primary)
		return replica_refuses(db, "write");
	return exec_stmt(db, arena, res, sql, n, params, true);
}

/* Multi-statements on for batches, off for everything else; the state is
 * kept so that a run of batches pays for it once. */
static int
set_multi(struct db *db, bool on)
{
	if (db->multi == on)
		return DB_OK;
	if (mysql_set_server_option(db->mysql, on ? MYSQL_OPTION_MULTI_STATEMENTS_ON :
	    MYSQL_OPTION_MULTI_STATEMENTS_OFF))
		return classify(db, mysql_errno(db->mysql), mysql_error(db->mysql), "multi-statements");
	db->multi = on;
	return DB_OK;
}

int
db_exec_text(struct db *db, const char *sql, size_t len)
{
	int rc;

	db = CONN(db);
	if (db->primary)
		return replica_refuses(db, "text");
	if ((rc = ready_to_send(db)) != DB_OK)
		return rc;
	if ((rc = set_multi(db, false)) != DB_OK || (rc = begin_if_needed(db)) != DB_OK)
		return rc;
	if (mysql_real_query(db->mysql, sql, len)) {
		rc = classify(db, mysql_errno(db->mysql), mysql_error(db->mysql), "query");
		return rc == DB_RETRY && db->broken && !db->in_tx ? DB_UNKNOWN : rc;
	}
	/* Drain any result so the connection stays usable. */
	do {
		MYSQL_RES *r = mysql_store_result(db->mysql);

		if (r)
			mysql_free_result(r);
	} while (mysql_next_result(db->mysql) == 0);
	return DB_OK;
}

int
db_show(struct db *db, struct arena *arena, const char *sql, size_t n, const char *const *names,
    const char **values, bool *found)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	MYSQL_FIELD *fields;
	unsigned nf, c;
	size_t i;
	int rc;

	db = CONN(db);
	*found = false;
	for (i = 0; i < n; i++)
		values[i] = NULL;
	if ((rc = ready_to_send(db)) != DB_OK)
		return rc;
	if ((rc = set_multi(db, false)) != DB_OK)
		return rc;
	if (mysql_real_query(db->mysql, sql, strlen(sql)) || !(r = mysql_store_result(db->mysql)))
		return classify(db, mysql_errno(db->mysql), mysql_error(db->mysql), "show");
	nf = mysql_num_fields(r);
	fields = mysql_fetch_fields(r);
	if ((row = mysql_fetch_row(r)) != NULL) {
		*found = true;
		for (c = 0; c < nf; c++)
			for (i = 0; i < n; i++)
				if (row[c] && strcmp(fields[c].name, names[i]) == 0)
					values[i] = arena_strdup(arena, row[c]);
	}
	mysql_free_result(r);
	return DB_OK;
}

static int
stream_on(struct db *db, const struct buf *sql,
    int (*fn)(void *ctx, const struct db_row *row, size_t ncols), void *ctx, size_t *nrows)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	size_t ncols, c, *lens = NULL;
	int rc, stop = 0;

	if (buf_failed(sql)) {
		log_error("db: streamed query too large (%zu bytes)", sql->len);
		return DB_ERROR;
	}
	if ((rc = ready_to_send(db)) != DB_OK)
		return rc;
	/* One statement only: text that carried "; …" is an error. */
	if ((rc = set_multi(db, false)) != DB_OK || (rc = begin_if_needed(db)) != DB_OK)
		return rc;
	if (mysql_real_query(db->mysql, sql->data, sql->len) || !(r = mysql_use_result(db->mysql))) {
		rc = classify(db, mysql_errno(db->mysql), mysql_error(db->mysql), "streamed query");
		return rc == DB_RETRY && db->broken && !db->in_tx ? DB_UNKNOWN : rc;
	}
	ncols = mysql_num_fields(r);
	if (!(lens = calloc(ncols ? ncols : 1, sizeof(*lens)))) {
		mysql_free_result(r);   /* reads and drops the rest */
		log_error("db: out of memory");
		return DB_ERROR;
	}
	while (!stop && (row = mysql_fetch_row(r)) != NULL) {
		unsigned long *l = mysql_fetch_lengths(r);
		struct db_row dr = { row, lens };

		for (c = 0; c < ncols; c++)
			lens[c] = row[c] ? l[c] : 0;
		(*nrows)++;
		stop = fn(ctx, &dr, ncols);
	}
	rc = DB_OK;
	if (!stop && mysql_errno(db->mysql))
		rc = classify(db, mysql_errno(db->mysql), mysql_error(db->mysql), "streamed rows");
	mysql_free_result(r);
	free(lens);
	if (rc == DB_OK && stop)
		rc = stop;
	return rc == DB_RETRY && db->broken && !db->in_tx ? DB_UNKNOWN : rc;
}

int
db_stream(struct db *db, const struct buf *sql,
    int (*fn)(void *ctx, const struct db_row *row, size_t ncols), void *ctx)
{
	size_t nrows = 0;
	int rc;

	db = CONN(db);
	if ((rc = replica_refuses(db, buf_str(sql))) != DB_OK)
		return rc;
	rc = stream_on(db, sql, fn, ctx, &nrows);
	/* Rows already handed over cannot be taken back: only a replica
	 * lost before its first row gives way to the primary. */
	if (nrows == 0 && replica_failed(db, rc))
		rc = stream_on(db->primary, sql, fn, ctx, &nrows);
	return rc;
}

/* Copies a text-protocol result set into the arena. */
static void
result_copy(struct arena *arena, MYSQL_RES *r, struct db_result *out)
{
	MYSQL_ROW row;
	size_t i = 0, c;

	out->ncols = mysql_num_fields(r);
	out->nrows = (size_t)mysql_num_rows(r);
	out->rows = arena_alloc(arena, (out->nrows ? out->nrows : 1) * sizeof(*out->rows));
	while ((row = mysql_fetch_row(r)) != NULL && i < out->nrows) {
		unsigned long *lens = mysql_fetch_lengths(r);
		struct db_row *dr = &out->rows[i++];

		dr->col = arena_alloc(arena, out->ncols * sizeof(*dr->col));
		dr->len = arena_alloc(arena, out->ncols * sizeof(*dr->len));
		for (c = 0; c < out->ncols; c++) {
			dr->len[c] = row[c] ? lens[c] : 0;
			dr->col[c] = row[c] ? arena_strndup(arena, row[c], lens[c]) : NULL;
		}
	}
}

static int batch_on(struct db *db, struct arena *arena, const struct buf *sql, unsigned flags,
    struct db_result *res, size_t nres, size_t *done);

int
db_batch(struct db *db, struct arena *arena, const struct buf *sql, unsigned flags,
    struct db_result *res, size_t nres, size_t *done)
{
	int rc;

	if (db->base)
		return desk_batch(db, arena, sql, flags, res, nres, done);
	/* On a replica, a batch of reads (its server's read_only refuses
	 * whatever else a batch may hold). */
	if ((rc = replica_refuses(db, buf_str(sql))) != DB_OK)
		return rc;
	rc = batch_on(db, arena, sql, flags, res, nres, done);
	if (replica_failed(db, rc))
		rc = batch_on(db->primary, arena, sql, flags, res, nres, done);
	return rc;
}

static int
batch_on(struct db *db, struct arena *arena, const struct buf *sql, unsigned flags,
    struct db_result *res, size_t nres, size_t *done)
{
	static const char commit[] = ";COMMIT";
	struct buf text;
	const char *q = sql->data;
	size_t len = sql->len, skip = 0, i = 0;
	int rc = DB_OK, status;

	if (done)
		*done = 0;
	if (buf_failed(sql)) {
		log_error("db: batch of statements too large (%zu bytes)", sql->len);
		return DB_ERROR;
	}
	if ((rc = ready_to_send(db)) != DB_OK)
		return rc;
	if ((rc = set_multi(db, true)) != DB_OK)
		return rc;
	buf_init(&text, sql->len + 64 + (db->nchanged ? 128 + 24 * db->nchanged : 0));
	if (db->in_tx && !db->tx_begun) {
		buf_puts(&text, sql_begin);
		buf_putc(&text, ';');
		skip = 1;
	}
	if (skip || (flags & DB_BATCH_COMMIT)) {
		buf_append(&text, sql->data, sql->len);
		if ((flags & DB_BATCH_COMMIT) && db->nchanged) {   /* the last lock taken */
			if (sql->len)
				buf_putc(&text, ';');
			desk_bump_sql(db, &text);
		}
		if (flags & DB_BATCH_COMMIT)
			buf_append(&text, commit, sizeof(commit) - 1);
		q = text.data;
		len = text.len;
	}
	for (i = 0; i < nres; i++)
		memset(&res[i], 0, sizeof(res[i]));
	i = 0;
	if (buf_failed(&text)) {   /* never a statement cut short */
		log_error("db: batch of statements too large (%zu bytes)", sql->len);
		rc = DB_ERROR;
		goto out;
	}
	if (mysql_real_query(db->mysql, q, len)) {
		rc = classify(db, mysql_errno(db->mysql), mysql_error(db->mysql), "batch");
		goto out;
	}
	if (skip)
		db->tx_begun = true;
	/* One result per statement, in order; the server stops at the first
	 * statement that fails and reports its error as the next result. */
	do {
		MYSQL_RES *r = mysql_store_result(db->mysql);

		if (!r && mysql_field_count(db->mysql) != 0) {
			rc = classify(db, mysql_errno(db->mysql), mysql_error(db->mysql), "batch result");
			break;
		}
		if (i >= skip && i - skip < nres) {
			struct db_result *out = &res[i - skip];

			out->affected = r ? 0 : mysql_affected_rows(db->mysql);
			out->insert_id = mysql_insert_id(db->mysql);
			if (r)
				result_copy(arena, r, out);
		}
		if (r)
			mysql_free_result(r);
		i++;
		status = mysql_next_result(db->mysql);
		if (status > 0)
			rc = classify(db, mysql_errno(db->mysql), mysql_error(db->mysql), "batch");
	} while (status == 0);
	if (rc == DB_OK && (flags & DB_BATCH_COMMIT)) {
		db->in_tx = db->tx_begun = false;
		db->nchanged = 0;
	}
out:
	/* Lost with a COMMIT in flight, or outside a transaction: it may have
	 * been written. Lost inside one without COMMIT: rolled back. */
	if (rc == DB_RETRY && db->broken && (!db->in_tx || (flags & DB_BATCH_COMMIT))) {
		log_warn("db: connection lost during a batch that %s; its outcome is unknown",
		    db->in_tx ? "commits" : "may write");
		rc = DB_UNKNOWN;
	}
	if (done)
		*done = i > skip ? i - skip : 0;
	buf_free(&text);
	return rc;
}

void
db_escape(struct db *db, struct buf *out, const char *s, size_t len)
{
	char stack[512], *tmp = stack;
	unsigned long n;

	db = CONN(db);
	if (len > (sizeof(stack) - 1) / 2) {
		tmp = malloc(len * 2 + 1);
		if (!tmp)
			die("out of memory");
	}
	n = db->mysql ? mysql_real_escape_string(db->mysql, tmp, s, (unsigned long)len) :
	    mysql_escape_string(tmp, s, (unsigned long)len);
	if (n == (unsigned long)-1)
		out->failed = true;
	else
		buf_append(out, tmp, n);
	if (tmp != stack)
		free(tmp);
}

/*
 * The desk's cache (db/read_cache.h for why it is never stale). A
 * transaction's marks become one statement before its COMMIT, the shops
 * in id order, so two transactions of several shops take their rows in
 * the same order.
 */
static const char sql_desk_version[] = "SELECT version FROM desk_versions WHERE shop_id = ?";

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static void
desk_bump_sql(struct db *db, struct buf *b)
{
	size_t i;

	/* A read after this write must not take an entry of the version
	 * read before it: the handle reads the version again. */
	if (db->desk)
		db->desk->desk_version = -1;
	qsort(db->changed, db->nchanged, sizeof(db->changed[0]), cmp_ll);
	buf_puts(b, "INSERT INTO desk_versions (shop_id, version) VALUES ");
	for (i = 0; i < db->nchanged; i++) {
		buf_puts(b, i ? ",(" : "(");
		sql_int(b, db->changed[i]);
		buf_puts(b, ",1)");
	}
	buf_puts(b, " ON DUPLICATE KEY UPDATE version = version + 1");
}

void
db_desk_changed(struct db *db, long long shop_id)
{
	long long keep[sizeof(db->changed) / sizeof(db->changed[0])];
	size_t i, nkeep;
	struct buf b;
	int rc;

	db = CONN(db);
	for (i = 0; i < db->nchanged; i++)
		if (db->changed[i] == shop_id)
			return;
	if (db->in_tx && db->nchanged < sizeof(db->changed) / sizeof(db->changed[0])) {
		db->changed[db->nchanged++] = shop_id;
		return;
	}
	/* Outside a transaction (after an autocommit write), or a ninth shop
	 * in one: at once. */
	nkeep = db->nchanged;

	memcpy(keep, db->changed, sizeof(keep));
	db->changed[0] = shop_id;
	db->nchanged = 1;
	buf_init(&b, 256);
	desk_bump_sql(db, &b);
	rc = db_exec_text(db, b.data, b.len);
	buf_free(&b);
	memcpy(db->changed, keep, sizeof(keep));
	db->nchanged = nkeep;
	if (rc != DB_OK)   /* the write is done: the other processes' caches may lag it */
		log_error("shop %lld: the desk version could not be raised (%d)", shop_id, rc);
}

struct db *
db_desk(struct db *db, long long shop_id)
{
	db = CONN(db);
	if (!read_cache_on() || db->in_tx)
		return db;
	if (!db->desk) {
		if (!(db->desk = calloc(1, sizeof(*db->desk))))
			return db;
		db->desk->base = db;
	}
	db->desk->desk_shop = shop_id;
	db->desk->desk_version = -1;
	db->desk->desk_off = false;
	return db->desk;
}

static bool lost_to_primary(const struct db *c);

/* The shop's version, read before the handle's first cached read, on
 * its connection; false when the reads must go to the database. */
static bool
desk_ready(struct db *d, struct arena *arena)
{
	struct db *c = d->base;
	struct db_result r;

	if (d->desk_off || c->in_tx)
		return false;
	if (d->desk_version >= 0)
		return true;
	if (db_exec(c, arena, &r, sql_desk_version, DB_PARAMS(DB_I64(d->desk_shop))) != DB_OK ||
	    lost_to_primary(c)) {
		/* A replica lost there: the version may be the primary's and
		 * the data the replica's, older. No cache for this page. */
		d->desk_off = true;
		return false;
	}
	d->desk_version = r.nrows ? db_ll(&r, 0, 0) : 0;
	return true;
}

static void
key_u64(struct buf *k, uint64_t v)
{
	buf_append(k, &v, sizeof(v));
}

/* A key names the server too: a replica that differs from the primary at
 * the same version (filtered replication, a row changed on it by hand)
 * keeps its own answers. A read that the replica lost to the primary is
 * not stored under the replica's version. */
static void
key_start(struct buf *k, char kind, const struct db *c)
{
	buf_init(k, BUF_MAX_DEFAULT);
	buf_putc(k, kind);
	buf_putc(k, c->primary ? 'R' : 'P');
}

static bool
lost_to_primary(const struct db *c)
{
	return c->primary && (c->broken || !c->mysql);
}

static int
desk_exec(struct db *d, struct arena *arena, struct db_result *res,
    const char *sql, size_t n, const struct db_param *params)
{
	struct db *c = d->base;
	size_t len = strlen(sql), i, done;
	struct buf key;
	int rc;

	if (!res || !is_read(sql) || !read_cache_cacheable(sql, len) || !desk_ready(d, arena))
		return db_exec(c, arena, res, sql, n, params);
	key_start(&key, 'E', c);
	buf_append(&key, sql, len + 1);
	for (i = 0; i < n; i++) {
		buf_putc(&key, (char)params[i].type);
		if (params[i].type == DBP_I64) {
			key_u64(&key, (uint64_t)params[i].i);
		} else if (params[i].type != DBP_NULL) {
			key_u64(&key, params[i].len);
			buf_append(&key, params[i].s, params[i].len);
		}
	}
	if (!buf_failed(&key) &&
	    read_cache_get(d->desk_shop, d->desk_version, key.data, key.len, arena, res, 1, &done)) {
		buf_free(&key);
		return DB_OK;
	}
	rc = db_exec(c, arena, res, sql, n, params);
	if (rc == DB_OK && !buf_failed(&key) && !lost_to_primary(c))
		read_cache_put(d->desk_shop, d->desk_version, key.data, key.len, res, 1, 1);
	buf_free(&key);
	return rc;
}

/* Every statement of the batch a read: each piece after a ';' starts with
 * SELECT (a ';' inside a quoted value only makes a piece that is not, and
 * the batch goes uncached). */
static bool
batch_reads(const struct buf *sql)
{
	const char *p = sql->data, *end = sql->data + sql->len, *semi;

	for (;;) {
		if (!is_read(p) || strncasecmp(p + strspn(p, " \t\n("), "SHOW", 4) == 0)
			return false;
		if (!(semi = memchr(p, ';', (size_t)(end - p))))
			return true;
		p = semi + 1;
	}
}

static int
desk_batch(struct db *d, struct arena *arena, const struct buf *sql, unsigned flags,
    struct db_result *res, size_t nres, size_t *done)
{
	struct db *c = d->base;
	struct buf key;
	size_t got = 0;
	int rc;

	if (flags || buf_failed(sql) || !sql->len || !batch_reads(sql) ||
	    !read_cache_cacheable(sql->data, sql->len) || !desk_ready(d, arena))
		return db_batch(c, arena, sql, flags, res, nres, done);
	key_start(&key, 'B', c);
	buf_append(&key, sql->data, sql->len);
	if (!buf_failed(&key) &&
	    read_cache_get(d->desk_shop, d->desk_version, key.data, key.len, arena, res, nres, &got)) {
		if (done)
			*done = got;
		buf_free(&key);
		return DB_OK;
	}
	rc = db_batch(c, arena, sql, flags, res, nres, &got);
	if (done)
		*done = got;
	if (rc == DB_OK && !buf_failed(&key) && !lost_to_primary(c))
		read_cache_put(d->desk_shop, d->desk_version, key.data, key.len, res, nres, got);
	buf_free(&key);
	return rc;
}

static void
backoff(int attempt)
{
	struct timespec ts;
	long ms = (1L << attempt) * 5 + rand() % 10;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* What db_tx did in this process, for /_metrics (counted once per call,
 * relaxed: figures, not synchronisation). */
static atomic_ullong tx_counts[4], tx_retries;

void
db_counters(struct db_counters *out)
{
	out->tx_ok = atomic_load_explicit(&tx_counts[0], memory_order_relaxed);
	out->tx_refused = atomic_load_explicit(&tx_counts[1], memory_order_relaxed);
	out->tx_failed = atomic_load_explicit(&tx_counts[2], memory_order_relaxed);
	out->tx_unknown = atomic_load_explicit(&tx_counts[3], memory_order_relaxed);
	out->tx_retries = atomic_load_explicit(&tx_retries, memory_order_relaxed);
}

static int tx_run(struct db *db, int (*fn)(struct db *db, void *ctx),
    int (*committed)(struct db *db, void *ctx), void *ctx);

int
db_tx(struct db *db, int (*fn)(struct db *db, void *ctx), void *ctx)
{
	return db_tx_once(db, fn, NULL, ctx);
}

int
db_tx_once(struct db *db, int (*fn)(struct db *db, void *ctx),
    int (*committed)(struct db *db, void *ctx), void *ctx)
{
	int rc;

	db = CONN(db);
	if (db->primary)
		return replica_refuses(db, "transaction");
	rc = tx_run(db, fn, committed, ctx);
	db->nchanged = 0;   /* a refused or failed transaction's marks go with it */

	atomic_fetch_add_explicit(&tx_counts[rc == DB_OK ? 0 : rc > 0 ? 1 : rc == DB_UNKNOWN ? 3 : 2],
	    1, memory_order_relaxed);
	return rc;
}

static int
tx_run(struct db *db, int (*fn)(struct db *db, void *ctx),
    int (*committed)(struct db *db, void *ctx), void *ctx)
{
	bool unknown = false;   /* an attempt's COMMIT was lost */
	int attempt, rc = DB_ERROR;

	for (attempt = 0; attempt < 6; attempt++) {
		if (attempt) {
			atomic_fetch_add_explicit(&tx_retries, 1, memory_order_relaxed);
			backoff(attempt);
		}
		db->in_tx = db->tx_begun = false;
		if (ready_to_send(db) != DB_OK) {
			rc = DB_RETRY;
			continue;
		}
		if (unknown) {
			rc = committed(db, ctx);
			if (rc == 1) {
				log_info("db: the transaction whose COMMIT was lost had committed");
				return DB_OK;
			}
			if (rc == DB_RETRY)
				continue;
			if (rc != 0)
				return DB_UNKNOWN;
			log_info("db: the transaction whose COMMIT was lost had not committed: running it again");
			unknown = false;
		}
		db->in_tx = true;
		db->nchanged = 0;
		rc = fn(db, ctx);
		if (rc == DB_OK) {
			/* Committed by its last batch (DB_BATCH_COMMIT), or nothing to commit. */
			if (!db->in_tx || !db->tx_begun) {
				db->in_tx = db->tx_begun = false;
				return DB_OK;
			}
			if ((rc = ready_to_send(db)) == DB_OK && db->nchanged) {
				/* The desk versions' rows, then COMMIT: one round trip. */
				struct buf none;

				buf_init(&none, 16);
				rc = batch_on(db, NULL, &none, DB_BATCH_COMMIT, NULL, 0, NULL);
				buf_free(&none);
				if (rc == DB_OK)
					return DB_OK;
			} else if (rc == DB_OK) {
				if (mysql_commit(db->mysql) == 0) {
					db->in_tx = db->tx_begun = false;
					return DB_OK;
				}
				rc = classify(db, mysql_errno(db->mysql), mysql_error(db->mysql), "commit");
				if (rc == DB_RETRY && db->broken)
					rc = DB_UNKNOWN;
			}
		}
		if (db->in_tx && db->tx_begun && !db->broken)
			mysql_rollback(db->mysql);
		db->in_tx = db->tx_begun = false;
		if (rc == DB_UNKNOWN) {
			if (!committed) {
				log_warn("db: connection lost at COMMIT: the transaction may have committed;"
				    " not run again");
				return DB_UNKNOWN;
			}
			unknown = true;
			rc = DB_RETRY;
		}
		if (rc != DB_RETRY)
			return rc;
	}
	if (unknown) {
		log_error("db: the COMMIT of a transaction was lost and the server cannot say whether it"
		    " committed: %s", db->last_error);
		return DB_UNKNOWN;
	}
	log_error("db: transaction failed after %d attempts: %s", attempt, db->last_error);
	return DB_ERROR;
}

long long
db_ll(const struct db_result *res, size_t row, size_t col)
{
	return db_text_ll(res->rows[row].col[col]);
}

long long
db_text_ll(const char *s)
{
	unsigned long long v = 0;
	const char *p;

	if (!s)
		return 0;
	/* A column of digits, as MariaDB sends integers: read here, without
	 * strtoll's locale and base (thousands of times per list page); up to
	 * 18 digits, which cannot overflow. Anything else goes to strtoll. */
	for (p = s; *p >= '0' && *p <= '9' && p - s < 18; p++)
		v = v * 10 + (unsigned)(*p - '0');
	if (*p == '\0' && p != s)
		return (long long)v;
	return strtoll(s, NULL, 10);
}

const char *
db_str(const struct db_result *res, size_t row, size_t col)
{
	return res->rows[row].col[col];
}
