/*
 * db: one MariaDB connection per thread, prepared statements cached on it,
 * and transactions retried whole on deadlock, lock wait time-out and lost
 * connection, but never sent twice when they may have happened.
 *
 * SQL text is passed as a string literal; its address keys the statement
 * cache, so the same call site reuses its prepared statement. Results are
 * copied into the caller's arena as NUL-terminated strings (NULL for SQL
 * NULL), so they live as long as the request.
 *
 * Never MYSQL_OPT_RECONNECT: a silent reconnect loses the open transaction
 * and the prepared statements. We reconnect ourselves, between attempts.
 *
 * What is sent again after a lost connection, and what is not:
 *   - A connection found dead before a statement is sent (killed while
 *     idle, wait_timeout, a server restart) is replaced first: nothing was
 *     sent, nothing is lost.
 *   - Lost while a statement was in flight, the server may have run it or
 *     not. Outside a transaction, db_exec sends it again only when that is
 *     harmless: a read (the statement starts with SELECT or SHOW), or a
 *     write the caller declares idempotent with db_exec_idempotent (the
 *     same UPDATE or DELETE twice leaves the same rows). Any other write
 *     returns DB_UNKNOWN: the caller fails the request, and whoever sent
 *     it decides whether to send it again. Text (db_exec_text) and batches
 *     are never sent twice.
 *   - Inside db_tx, a lost statement means a rolled-back transaction: it
 *     is run again from its start. Lost at COMMIT, the outcome is unknown:
 *     see db_tx_once.
 *
 * Multi-statements are refused on the connection except while db_batch
 * runs: text that carried an injected "; DROP …" is one statement, an
 * error.
 */
#ifndef CPT_DB_H
#define CPT_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

struct config;
struct db;

enum db_param_type { DBP_NULL, DBP_I64, DBP_STR, DBP_BLOB };

struct db_param {
	enum db_param_type type;
	long long i;
	const char *s;
	size_t len;
};

#define DB_NULL         ((struct db_param){ .type = DBP_NULL })
#define DB_I64(v)       ((struct db_param){ .type = DBP_I64, .i = (v) })
#define DB_STR(v)       db_param_str(v)
#define DB_BLOB(p, n)   ((struct db_param){ .type = DBP_BLOB, .s = (const char *)(p), .len = (n) })

struct db_param db_param_str(const char *s);   /* NULL s gives SQL NULL */

struct db_row {
	char **col;      /* NUL-terminated values, NULL for SQL NULL */
	size_t *len;     /* byte length of each value */
};

struct db_result {
	size_t nrows;
	size_t ncols;
	struct db_row *rows;
	unsigned long long affected;   /* for INSERT/UPDATE/DELETE */
	unsigned long long insert_id;
};

/* Result codes: 0 is success; DB_ERROR a failure already logged;
 * DB_RETRY a transient failure (deadlock, lock wait, lost connection)
 * that db_tx() retries; DB_UNKNOWN a write whose connection was lost
 * while the server ran it (a COMMIT, an autocommit INSERT …): it may have
 * happened or not. A transaction callback's own codes are > 0. */
enum { DB_OK = 0, DB_ERROR = -1, DB_RETRY = -2, DB_UNKNOWN = -3 };

/* Connects using cfg->database; NULL on failure (logged). A server that
 * does not read the connection as utf8mb4 (an init_connect, a proxy) is
 * refused: text would be stored wrong. */
struct db *db_open(const struct config *cfg);
void db_close(struct db *db);   /* and its replica connection */

/*
 * The read replica (database.replica), for the reads that tolerate lag:
 * the order list, searches, CSV exports, reports. Never for a write, a
 * login, a session, an idempotency key, nor a page that must show what
 * was just written (the order page after an action): those use the
 * primary, r->db, as everything else does.
 *
 * db_open_replica makes this thread's replica connection, attached to
 * `primary` (closed with it), connected at first use with a 1 s
 * time-out; NULL when no replica is configured. On it, anything but a
 * SELECT or SHOW (db_exec_idempotent, db_exec_text, db_tx) is refused.
 * A read that cannot reach the replica, or loses it before its first
 * row, is sent to the primary, and the watch (db/replica.h) hears of it.
 *
 * db_reads(r->db) is the connection for one such read, chosen at the call
 * site so that a reviewer sees it: the replica while the watch finds it
 * in step (checked once a second per process), else the primary itself.
 */
struct db *db_open_replica(const struct config *cfg, struct db *primary);
struct db *db_reads(struct db *db);

/*
 * The desk's reads from memory (db/read_cache.h says why never stale).
 * db_desk(db, shop) is a handle for one page's reads of that shop on db
 * (r->db or db_reads(r->db)), made at the call site: its db_exec and
 * db_batch reads are answered from the process's cache while the shop's
 * desk version is the one read (on db, before the first of them); for
 * everything else it is db itself. db itself when the cache is off or
 * inside a transaction. Only for data that every change marks (saved
 * views and the orders opened last included); never for sessions. A
 * write on db that marks the desk makes the handle read the version
 * again before its next read: a page shows its own request's change.
 *
 * db_desk_changed(db, shop): this transaction changes what the desk
 * shows in the shop; the shop's desk version is raised in the same
 * transaction, just before its COMMIT (a mark cannot fail; the statement
 * is the transaction's). Outside a transaction (after an autocommit
 * write) it is raised at once, a failure logged.
 */
struct db *db_desk(struct db *db, long long shop_id);
void db_desk_changed(struct db *db, long long shop_id);

/* Last MariaDB error number and message of this connection. */
unsigned db_errno(const struct db *db);
const char *db_error(const struct db *db);

/*
 * Runs one statement with `n` parameters bound to its `?` placeholders.
 * `res` may be NULL when no rows are wanted; otherwise all rows are read
 * into `arena`. Outside a transaction, a deadlock or lock wait time-out is
 * tried once more (the server undid the statement), and so is a lost
 * connection when the statement is a read (SELECT, SHOW: a statement
 * with a side effect written as SELECT belongs in a transaction); a write
 * whose connection was lost returns DB_UNKNOWN. Returns DB_OK, DB_RETRY
 * (in a transaction), DB_UNKNOWN or DB_ERROR.
 */
int db_exec(struct db *db, struct arena *arena, struct db_result *res,
    const char *sql, size_t n, const struct db_param *params);

/* db_exec for a write that may run twice with the same result (UPDATE …
 * SET col = value, DELETE): outside a transaction, it is sent again
 * after a lost connection like a read. Never for a counter (+ 1), an
 * INSERT or anything that draws a number. */
int db_exec_idempotent(struct db *db, struct arena *arena, struct db_result *res,
    const char *sql, size_t n, const struct db_param *params);

#define DB_PARAMS(...) \
	(sizeof((struct db_param[]){ __VA_ARGS__ }) / sizeof(struct db_param)), \
	((struct db_param[]){ __VA_ARGS__ })

/* Runs one statement of plain SQL text without preparing it (DDL, SET,
 * migrations); two statements are a syntax error. Never sent twice. */
int db_exec_text(struct db *db, const char *sql, size_t len);

/*
 * Runs a batch of statements, written with sqltext and separated by ';',
 * in one round trip. Statement i's affected rows, insert id and rows (if
 * any) go to res[i] for i < nres. The server stops at the first statement
 * that fails: *done (if not NULL) is the number that succeeded, and the
 * return value is that statement's, as for db_exec. Unlike db_exec, a
 * batch is never sent twice by itself (it may write): after a lost
 * connection it returns DB_RETRY inside a transaction (db_tx runs it
 * again), DB_UNKNOWN outside one or when it carries the COMMIT, and the
 * next call reconnects. Inside db_tx, a batch that is the transaction's
 * first statement carries START TRANSACTION; with DB_BATCH_COMMIT it ends
 * with COMMIT, and db_tx has nothing left to do. User variables (@order
 * …) carry values from one statement to the next. Multi-statements are
 * turned on for batches only (one round trip, the first time after a
 * db_exec_text, which turns them off).
 */
struct buf;
enum { DB_BATCH_COMMIT = 1 };
int db_batch(struct db *db, struct arena *arena, const struct buf *sql, unsigned flags,
    struct db_result *res, size_t nres, size_t *done);

/* Runs one SELECT written with sqltext and hands its rows to fn one by
 * one as the server sends them (mysql_use_result): memory stays flat
 * whatever the count. fn may not use db; it returns 0 to go on, or a
 * value (returned) to stop. Never sent twice. */
int db_stream(struct db *db, const struct buf *sql,
    int (*fn)(void *ctx, const struct db_row *row, size_t ncols), void *ctx);

/* Runs a SHOW statement (text protocol: the columns are found by name,
 * their order changes between server versions) and gives the first row's
 * values of the `n` columns `names`, copied into the arena, NULL for SQL
 * NULL or a column not there; *found is false when there is no row. */
int db_show(struct db *db, struct arena *arena, const char *sql, size_t n, const char *const *names,
    const char **values, bool *found);

/* Appends s[0..len) to out escaped for a quoted string literal in SQL
 * text on this connection (mysql_real_escape_string); sqltext's functions
 * are built on it. Marks out failed if the value cannot be escaped. */
void db_escape(struct db *db, struct buf *out, const char *s, size_t len);

/*
 * Runs fn inside START TRANSACTION … COMMIT; START TRANSACTION goes with
 * fn's first statement (a batch carries it along). fn returns DB_OK to commit,
 * DB_RETRY to roll back and run again (what db_exec returns on deadlock,
 * lock wait time-out or lost connection), or any other value to roll back
 * and return it. Retries up to 5 times with a short random back-off.
 *
 * When the connection is lost during COMMIT (fn's DB_BATCH_COMMIT batch,
 * or the COMMIT db_tx sends), the server may have committed: db_tx never
 * runs fn again then, and returns DB_UNKNOWN. The caller answers that it
 * does not know (the API: 503, to be sent again with its Idempotency-Key).
 * A transaction that can find out uses db_tx_once.
 */
int db_tx(struct db *db, int (*fn)(struct db *db, void *ctx), void *ctx);

/*
 * db_tx for a transaction that must not happen twice (an order, a
 * payment, an invoice number) and writes a marker that says it happened:
 * a unique request id, stored inside the transaction. After a COMMIT whose
 * answer was lost, db_tx_once reconnects and asks committed(db, ctx),
 * outside any transaction:
 *   1          the marker is there: the transaction committed. db_tx_once
 *              returns DB_OK, and committed has put in ctx what the
 *              caller needs to answer as if the COMMIT had answered.
 *   0          not there: nothing was committed; fn runs again.
 *   DB_RETRY   lost again: asked again on the next attempt.
 *   other < 0  db_tx_once returns DB_UNKNOWN.
 * committed reads the marker with a locking read (LOCK IN SHARE MODE):
 * the server may still be finishing the lost COMMIT, and a plain read
 * would not wait for it. The marker's unique key is the last guard: a
 * second run can never commit a second copy. After the attempts, still
 * unknown gives DB_UNKNOWN.
 */
int db_tx_once(struct db *db, int (*fn)(struct db *db, void *ctx),
    int (*committed)(struct db *db, void *ctx), void *ctx);

bool db_in_tx(const struct db *db);

/* The transactions db_tx and db_tx_once ran in this process since it
 * started, by outcome, and the attempts they ran again (for /_metrics). */
struct db_counters {
	unsigned long long tx_ok, tx_refused, tx_failed, tx_unknown, tx_retries;
};
void db_counters(struct db_counters *out);

/* Value helpers for a row's column. */
long long db_ll(const struct db_result *res, size_t row, size_t col);
/* A column's text as an integer, as strtoll reads it; 0 for NULL. */
long long db_text_ll(const char *s);
const char *db_str(const struct db_result *res, size_t row, size_t col);

#endif
