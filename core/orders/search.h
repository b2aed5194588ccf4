/*
 * search: the search box, "Que cherchez-vous ?", over a shop's orders.
 *
 * The index (table order_search, migration 007) holds every searchable
 * word of an order, folded by fold_words() (core/util/fold.h), with its
 * kind: what the word came from. The query is folded by the same
 * function; each of its words is a prefix ("dup" finds "dupre"), several
 * words narrow (every one must match, in any field), and the orders come
 * newest first, at most SEARCH_LIMIT. An order code or number typed alone
 * is an exact match, found by the orders' own unique keys.
 *
 * Adding a kind (tracking numbers, when shipping exists): a value in enum
 * search_kind, its field in struct search_doc and one line in
 * search_terms_values() that indexes it, a label on the search page, and
 * where its text is read back for "why it matched" (search.c, why_text).
 * `comptoir search reindex` then brings the old orders in.
 *
 * No HTTP here: the page (core/pages/search.c) renders what this finds.
 */
#ifndef CPT_ORDERS_SEARCH_H
#define CPT_ORDERS_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct buf;
struct db;
struct order;

#define SEARCH_LIMIT 50          /* orders shown; "more" beyond */
#define SEARCH_QUERY_MAX 200     /* bytes of the query considered */
#define SEARCH_WORDS_MAX 6       /* words of the query used */
#define SEARCH_WHY_MAX 4         /* reasons shown per order */
#define SEARCH_TERMS_MAX 400     /* words indexed per order */

/* Stored in order_search.kind: never renumber. */
enum search_kind {
	SEARCH_CODE = 1,
	SEARCH_NAME = 2,           /* the customer's first and last name */
	SEARCH_EMAIL = 3,
	SEARCH_PHONE = 4,          /* digits, and the national form of +33 / +32 */
	SEARCH_PRODUCT = 5,        /* a line's product name */
	SEARCH_SKU = 6,            /* a line's SKU */
	SEARCH_EXTERNAL = 7,       /* the storefront's reference */
	SEARCH_REFERENCE = 8,      /* the reference field (D10) */
};

struct search_doc_line {
	const char *name, *sku;
};

/* What is indexed of one order; NULL fields are empty. */
struct search_doc {
	const char *code, *first_name, *last_name, *email, *phone;
	const char *external_reference, *reference;
	const struct search_doc_line *lines;   /* line_no = index + 1 */
	size_t nlines;
};

/* The start of the multi-row INSERT that search_terms_values() continues. */
#define SEARCH_TERMS_INSERT "INSERT INTO order_search (shop_id, order_id, kind, term, line_no) VALUES "

/*
 * Appends to b (SQL text, sqltext-escaped) the rows of the order's words,
 * "(…),(…)", each word once per kind; order_id <= 0 writes @order (the
 * intake batch's variable). *first is true before the first row of an
 * INSERT and is cleared once a row is written. 0, or -1 when memory ran
 * out (logged).
 */
int search_terms_values(struct db *db, struct buf *b, long long shop_id, long long order_id,
    const struct search_doc *d, bool *first);

/* Appends one statement to b: the INSERT of d's words (a no-op "DO 0"
 * when d has none), as intake adds it to its write batch. 0 or -1. */
int search_terms_sql(struct db *db, struct buf *b, long long shop_id, long long order_id,
    const struct search_doc *d);

/* The document of an order as intake holds it (lines in `a`). 0. */
int search_doc_of_order(struct arena *a, const struct order *o, struct search_doc *d);

/* Replaces the words of one kind of an order, those of old_text by those
 * of new_text (the reference field after a change); inside the caller's
 * transaction. DB_OK or a db_exec code. */
int search_replace_kind(struct db *db, struct arena *a, long long shop_id, long long order_id,
    enum search_kind kind, const char *old_text, const char *new_text);

/* Replaces the words of an order's lines (product names and SKUs), those
 * of `old` by those of `now` (an edit of its lines); line i of either is
 * line_no i + 1, a line gone or not there yet has NULL name and sku. In
 * the caller's transaction. DB_OK or a db code. */
int search_replace_lines(struct db *db, struct arena *a, long long shop_id, long long order_id,
    const struct search_doc_line *old, size_t nold, const struct search_doc_line *now, size_t nnow);

/* Rebuilds the index of every order of the shop: its rows deleted, then
 * written again in transactions of a few hundred orders (searches miss the
 * orders not yet reached meanwhile; orders coming in are indexed by
 * intake); *orders counts them. 0, or -1 (logged). */
int search_reindex_shop(struct db *db, struct arena *a, long long shop_id, long long *orders);

/* search_reindex_shop() for every shop of the database. 0 or -1. */
int search_reindex_all(struct db *db, struct arena *a, long long *orders);

/* Does the database have the index table yet (migration 007)? 0 or -1. */
int search_index_exists(struct db *db, struct arena *a, bool *exists);

struct search_why {
	enum search_kind kind;
	const char *text;          /* the field as stored: "Hélène Dupré", "CV-350-MAT" */
};

struct search_hit {
	long long id, number, total_cents;
	const char *code, *placed_at, *status, *currency, *customer;
	struct search_why why[SEARCH_WHY_MAX];
	size_t nwhy;
};

struct search_result {
	const char *exact_code;    /* an order code or number typed alone, found */
	struct search_hit *hits;   /* newest first */
	size_t n;
	bool more;                 /* more than SEARCH_LIMIT orders match */
	size_t nwords;             /* words searched (0: nothing to search) */
	bool words_dropped;        /* the query had more than SEARCH_WORDS_MAX */
};

/* Searches the shop's orders for `query` (UTF-8; what is not is ignored).
 * 0, or -1 on a database error (logged). */
int search_orders(struct db *db, struct arena *a, long long shop_id, const char *query,
    struct search_result *out);

#endif
