/*
 * order_list: the shop's orders as the list shows them (L1-L6, L9, L10):
 * filters and a sort read from name/value pairs (a query string), pages
 * read by keyset from the index that serves the sort, a bounded count,
 * the CSV export of the same rows, and saved views. No HTTP here: the
 * page hands the pairs over through a getter.
 *
 * The SQL is written at run time with sqltext (every value escaped) and
 * runs through db_batch or db_stream, never the statement cache.
 */
#ifndef CPT_ORDER_LIST_H
#define CPT_ORDER_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct buf;
struct db;
struct tpl_vars;

#define ORDER_LIST_PAGE 50
#define ORDER_LIST_COUNT_MAX 1000    /* counted up to this, "more than" past it */
#define ORDER_VIEW_NAME_MAX 100      /* characters of a saved view's name */

enum order_sort { SORT_PLACED, SORT_NUMBER, SORT_TITLE, SORT_CUSTOMER, SORT_PRODUCT, SORT_TOTAL, SORT_N };

struct order_list_query {
	const char *status, *payment_method, *payment_state, *shipping_state, *carrier;
	const char *month;               /* "2026-11" */
	const char *from, *to;           /* "2026-11-03", days included */
	bool completed, cancelled;       /* their tick boxes */
	bool on_hold;                    /* only the orders on hold */
	bool sale;                       /* only those whose status counts as a sale (WF_SALE) */
	enum order_sort sort;
	bool asc;
	int cursor;                      /* 0 the first page, 1 after the key, -1 before it */
	const char *key;                 /* the cursor's sort value */
	long long key_id;                /* and its order id */
};

enum order_list_rc {
	LIST_OK = 0,
	LIST_ERROR = -1,     /* logged */
	LIST_BAD = 1,        /* a value no form of ours sends: 400 */
	LIST_NOT_FOUND = 2,  /* order_list_find, saved view delete */
	LIST_TOO_LONG = 3,
	LIST_EMPTY = 4,
	LIST_STOPPED = 5,    /* the export's reader went away */
};

/* Reads q from get(ctx, name) (NULL when absent); LIST_BAD for an unknown
 * value, a forged cursor or dates that are no dates. */
int order_list_parse(const char *(*get)(void *ctx, const char *name), void *ctx,
    struct order_list_query *q);

/* Appends q as a query string ("status=…&sort=…"), without the cursor;
 * sort `sort`/`asc` instead of q's when sort < SORT_N. Empty for the
 * default list. */
void order_list_query_string(const struct order_list_query *q, enum order_sort sort, bool asc,
    struct buf *out);

/* placed_at as MariaDB writes a DATETIME(6), in UTC: "2026-11-03 14:05:00.000000". */
struct order_list_row {
	long long id, number, total_cents, version;
	const char *code, *placed_at, *first_name, *last_name, *customer_code, *title, *first_product,
	    *currency, *payment_state, *shipping_state, *status, *payment_method, *carrier, *key;
};

struct order_list_page {
	struct order_list_row *rows;
	size_t nrows;
	bool has_next, has_prev;
	long long count;                 /* up to ORDER_LIST_COUNT_MAX + 1 */
};

struct db_result;
struct wf_workflow;

/* One page of q in the shop whose time zone is tz (month and days are
 * its local ones), wf its statuses (wf_get()), in two halves so that the
 * page reads what else it shows in the same round trip (db_batch): the
 * page's ORDER_LIST_STATEMENTS statements (its rows, its count) appended
 * to b, then read from their results res[0 .. ORDER_LIST_STATEMENTS). */
#define ORDER_LIST_STATEMENTS 2
void order_list_sql(struct db *db, struct buf *b, long long shop_id, const char *tz,
    const struct wf_workflow *wf, const struct order_list_query *q);
int order_list_read(struct arena *a, const struct order_list_query *q, const struct db_result *res,
    struct order_list_page *out);

/* Every order q selects (its filters, in its sort, all pages; the cursor
 * is ignored), at most `max`: LIST_TOO_LONG, and no rows, when more match.
 * For the bulk actions' "all that match". */
int order_list_select(struct db *db, struct arena *a, long long shop_id, const char *tz,
    const struct order_list_query *q, size_t max, struct order_list_row **rows, size_t *n);

/* The code of the order whose code or number is `typed`: LIST_NOT_FOUND
 * when there is none in the shop. */
int order_list_find(struct db *db, struct arena *a, long long shop_id, const char *typed,
    const char **code);

/* Fills vars with the page's rows, filters and links (see
 * templates/pages/orders.html); `lang` and `tz` as order_view_fill, wf
 * the shop's statuses (wf_get()). */
void order_list_fill(const struct order_list_query *q, const struct order_list_page *p, const struct wf_workflow *wf,
    struct arena *a, const char *lang, const char *tz, struct tpl_vars *vars);

/*
 * CSV of every order q selects, in its sort, streamed: each row is
 * appended to `out` and flush(ctx) is called whenever out holds more than
 * a few kilobytes (and at the end), which sends it and empties it. French
 * (lang "fr"): ';' and decimal commas; English: ',' and points. UTF-8 with
 * a BOM, CRLF, RFC 4180 quoting; a cell that starts with = + - @ (or a tab
 * or CR) is prefixed with ' so that no spreadsheet reads it as a formula.
 */
int order_list_csv(struct db *db, long long shop_id, const char *tz, const char *lang,
    const struct order_list_query *q, struct buf *out, int (*flush)(void *ctx), void *ctx);

/* Appends one CSV cell (quoted when needed, formulas neutralised). */
void csv_cell(struct buf *out, const char *s, size_t len, char sep);

/* Saved views. */
struct saved_view {
	long long id;
	const char *name, *query;
	bool shared, mine;
};

/* The saved views this staff member sees, for a batch: its one statement
 * appended to b (after a ';' when b is not empty), then read from its
 * result. */
void saved_view_sql(struct buf *b, long long shop_id, long long staff_id);
int saved_view_read(struct arena *a, const struct db_result *res, struct saved_view **out, size_t *n);
/* Saves `query` (a query string of order_list_query_string) as `name`. */
int saved_view_add(struct db *db, struct arena *a, long long shop_id, long long staff_id,
    const char *name, const char *query, bool shared);
/* Deletes view `id` if staff_id made it; LIST_NOT_FOUND otherwise. */
int saved_view_delete(struct db *db, struct arena *a, long long shop_id, long long staff_id, long long id);

#endif
