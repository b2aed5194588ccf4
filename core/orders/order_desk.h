/*
 * order_desk: what staff change on an order from its page, each change
 * and its history event in one transaction: internal notes (never shown
 * to customers) and the free reference field (D10); and the orders each
 * staff member opened last.
 */
#ifndef CPT_ORDER_DESK_H
#define CPT_ORDER_DESK_H

#include <stdbool.h>
#include <stddef.h>

#include "orders/events.h"

struct arena;
struct db;

#define ORDER_NOTE_MAX 4000        /* characters */
#define ORDER_REFERENCE_MAX 255    /* characters, as the column */
#define ORDER_RECENT_KEEP 10       /* recently viewed orders kept per staff member */

enum order_desk_rc {
	DESK_OK = 0,
	DESK_ERROR = -1,          /* logged */
	DESK_NOT_FOUND = 1,       /* no such order in this shop */
	DESK_EMPTY = 2,           /* an empty note */
	DESK_TOO_LONG = 3,
	DESK_INVALID = 4,         /* not UTF-8, or control characters */
};

/* Trims blanks at both ends of `in` into a copy in `a` (*out), and checks
 * it: DESK_INVALID unless UTF-8 without control characters (line ends and
 * tabs allowed where `multiline`), DESK_TOO_LONG beyond `max` characters. */
int desk_clean_text(struct arena *a, const char *in, size_t max, bool multiline, const char **out);

/* Adds an internal note (trimmed) to order `code`, with its event. */
int order_note_add(struct db *db, struct arena *a, long long shop_id, const char *code,
    const struct order_actor *who, const char *text);

/* Sets the order's reference (trimmed; "" clears it), with its event;
 * the same reference again changes nothing and writes no event. */
int order_reference_set(struct db *db, struct arena *a, long long shop_id, const char *code,
    const struct order_actor *who, const char *reference);

/* Records that staff_id opened order_id now, keeping the newest
 * ORDER_RECENT_KEEP of that staff member. */
int order_recent_record(struct db *db, struct arena *a, long long shop_id, long long staff_id,
    long long order_id);

struct order_recent {
	const char *code, *status, *viewed_at;
	long long number, total_cents;
	const char *currency, *customer;
};

/* The orders staff_id opened last, newest first (at most ORDER_RECENT_KEEP). */
int order_recent_list(struct db *db, struct arena *a, long long shop_id, long long staff_id,
    struct order_recent **out, size_t *n);
/* order_recent_list in two halves, for a batch (db_batch): its one
 * statement appended to b (after a ';' when b is not empty), then read
 * from its result. */
struct buf;
struct db_result;
void order_recent_sql(struct buf *b, long long shop_id, long long staff_id);
int order_recent_read(struct arena *a, const struct db_result *res, struct order_recent **out, size_t *n);

#endif
