#include "orders/search.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/sqltext.h"
#include "orders/code.h"
#include "orders/order.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/fold.h"
#include "util/log.h"
#include "util/utf8.h"

/* ---- Indexing: the words of an order ---------------------------------- */

struct term {
	unsigned char kind, len;
	unsigned short line_no;
	char w[FOLD_WORD_MAX];
};

struct termset {
	struct term *t;
	size_t n;
	unsigned char kind;
	unsigned short line_no;
};

static int
add_term(void *ctx, const char *word, size_t len, bool whole)
{
	struct termset *ts = ctx;
	size_t i;

	(void)whole;
	if (len == 0 || len > FOLD_WORD_MAX || ts->n == SEARCH_TERMS_MAX)
		return 0;
	for (i = 0; i < ts->n; i++)
		if (ts->t[i].kind == ts->kind && ts->t[i].len == len && memcmp(ts->t[i].w, word, len) == 0)
			return 0;
	ts->t[ts->n].kind = ts->kind;
	ts->t[ts->n].line_no = ts->line_no;
	ts->t[ts->n].len = (unsigned char)len;
	memcpy(ts->t[ts->n].w, word, len);
	ts->n++;
	return 0;
}

static void
add_field(struct termset *ts, enum search_kind kind, unsigned short line_no, const char *text)
{
	if (!text || !*text)
		return;
	ts->kind = (unsigned char)kind;
	ts->line_no = line_no;
	(void)fold_words(text, strlen(text), FOLD_TAILS, add_term, ts);
}

/*
 * The digits of a phone number, as typed or stored ("+33 6 12 34 56 78",
 * "06.12.34.56.78"): false when it has fewer than 4. With an
 * international prefix (+, 00) of France or Belgium, *national is the
 * same number as dialled at home ("0612345678"); else "".
 */
static bool
phone_digits(const char *s, char digits[24], char national[24])
{
	size_t n = 0, i;
	bool intl = false;

	national[0] = 0;
	for (; *s == ' '; s++)
		;
	if (*s == '+')
		intl = true;
	for (; *s; s++)
		if (*s >= '0' && *s <= '9' && n < 23)
			digits[n++] = *s;
	digits[n] = 0;
	if (n >= 2 && digits[0] == '0' && digits[1] == '0') {
		memmove(digits, digits + 2, n - 1);
		n -= 2;
		intl = true;
	}
	if (n < 4)
		return false;
	if (intl && n >= 10 && digits[0] == '3' && (digits[1] == '3' || digits[1] == '2')) {
		national[0] = '0';
		for (i = 2; i <= n; i++)
			national[i - 1] = digits[i];
	}
	return true;
}

static void
add_phone(struct termset *ts, const char *phone)
{
	char d[24], nat[24];

	if (!phone || !phone_digits(phone, d, nat))
		return;
	ts->kind = SEARCH_PHONE;
	ts->line_no = 0;
	add_term(ts, d, strlen(d), true);
	if (*nat)
		add_term(ts, nat, strlen(nat), true);
}

/* Every word of the order, once per kind. */
static void
collect_terms(const struct search_doc *d, struct termset *ts)
{
	size_t i;

	add_field(ts, SEARCH_CODE, 0, d->code);
	add_field(ts, SEARCH_NAME, 0, d->first_name);
	add_field(ts, SEARCH_NAME, 0, d->last_name);
	add_field(ts, SEARCH_EMAIL, 0, d->email);
	add_phone(ts, d->phone);
	add_field(ts, SEARCH_EXTERNAL, 0, d->external_reference);
	add_field(ts, SEARCH_REFERENCE, 0, d->reference);
	for (i = 0; i < d->nlines && i < 65535; i++) {
		add_field(ts, SEARCH_PRODUCT, (unsigned short)(i + 1), d->lines[i].name);
		add_field(ts, SEARCH_SKU, (unsigned short)(i + 1), d->lines[i].sku);
	}
}

int
search_terms_values(struct db *db, struct buf *b, long long shop_id, long long order_id,
    const struct search_doc *d, bool *first)
{
	struct termset ts = { .t = malloc(SEARCH_TERMS_MAX * sizeof(struct term)) };
	size_t i;

	if (!ts.t) {
		log_error("search: out of memory for an order's words");
		return -1;
	}
	collect_terms(d, &ts);
	for (i = 0; i < ts.n; i++) {
		buf_puts(b, *first ? "(" : ",(");
		*first = false;
		sql_int(b, shop_id);
		if (order_id > 0)
			sql_next_int(b, order_id);
		else
			buf_puts(b, ",@order");
		sql_next_int(b, ts.t[i].kind);
		buf_putc(b, ',');
		sql_strn(db, b, ts.t[i].w, ts.t[i].len);
		sql_next_int(b, ts.t[i].line_no);
		buf_putc(b, ')');
	}
	free(ts.t);
	return 0;
}

int
search_terms_sql(struct db *db, struct buf *b, long long shop_id, long long order_id,
    const struct search_doc *d)
{
	size_t start = b->len;
	bool first = true;

	buf_puts(b, SEARCH_TERMS_INSERT);
	if (search_terms_values(db, b, shop_id, order_id, d, &first) != 0)
		return -1;
	if (first) {                         /* no word at all: one statement still */
		b->len = start;
		if (b->data)
			b->data[start] = 0;
		buf_puts(b, "DO 0");
	}
	return 0;
}

int
search_doc_of_order(struct arena *a, const struct order *o, struct search_doc *d)
{
	struct search_doc_line *l = arena_alloc(a, (o->nlines ? o->nlines : 1) * sizeof(*l));
	size_t i;

	for (i = 0; i < o->nlines; i++) {
		l[i].name = o->lines[i].name;
		l[i].sku = o->lines[i].sku;
	}
	*d = (struct search_doc){ .code = o->code, .first_name = o->customer.first_name,
	    .last_name = o->customer.last_name, .email = o->customer.email, .phone = o->customer.phone,
	    .external_reference = o->external_reference, .reference = o->reference,
	    .lines = l, .nlines = o->nlines };
	return 0;
}

/* The document holding `text` as the field of `kind`. */
static int
doc_of_kind(enum search_kind kind, const char *text, struct search_doc *d)
{
	memset(d, 0, sizeof(*d));
	switch (kind) {
	case SEARCH_CODE: d->code = text; return 0;
	case SEARCH_NAME: d->last_name = text; return 0;
	case SEARCH_EMAIL: d->email = text; return 0;
	case SEARCH_PHONE: d->phone = text; return 0;
	case SEARCH_EXTERNAL: d->external_reference = text; return 0;
	case SEARCH_REFERENCE: d->reference = text; return 0;
	case SEARCH_PRODUCT:
	case SEARCH_SKU:
		break;
	}
	log_error("search: a line's words are replaced with the whole order");
	return -1;
}

/* Replaces the words of `kinds` (one or two kinds) of an order: those
 * of `old` deleted by the primary key, those of `now` written. */
static int
replace_words(struct db *db, struct arena *a, long long shop_id, long long order_id,
    const enum search_kind *kinds, size_t nkinds, const struct search_doc *old, const struct search_doc *now)
{
	struct termset ts = { .t = malloc(SEARCH_TERMS_MAX * sizeof(struct term)) };
	struct buf b;
	bool first = true;
	size_t i;
	int rc = DB_ERROR;

	db_desk_changed(db, shop_id);
	if (!ts.t)
		return DB_ERROR;
	buf_init(&b, BUF_MAX_DEFAULT);
	collect_terms(old, &ts);
	if (ts.n) {           /* the old words, by the primary key */
		buf_puts(&b, "DELETE FROM order_search WHERE shop_id = ");
		sql_int(&b, shop_id);
		buf_puts(&b, " AND order_id = ");
		sql_int(&b, order_id);
		buf_puts(&b, " AND kind IN (");
		for (i = 0; i < nkinds; i++) {
			if (i)
				buf_putc(&b, ',');
			sql_int(&b, kinds[i]);
		}
		buf_puts(&b, ") AND term IN (");
		for (i = 0; i < ts.n; i++) {
			if (i)
				buf_putc(&b, ',');
			sql_strn(db, &b, ts.t[i].w, ts.t[i].len);
		}
		buf_puts(&b, ");");
	}
	buf_puts(&b, SEARCH_TERMS_INSERT);
	if (search_terms_values(db, &b, shop_id, order_id, now, &first) != 0)
		goto out;
	if (first) {
		b.len = ts.n ? b.len - strlen(SEARCH_TERMS_INSERT) - 1 : 0;   /* the DELETE alone, or nothing */
		if (b.data)
			b.data[b.len] = 0;
	}
	rc = b.len == 0 ? DB_OK : buf_failed(&b) ? DB_ERROR : db_batch(db, a, &b, 0, NULL, 0, NULL);
out:
	buf_free(&b);
	free(ts.t);
	return rc;
}

int
search_replace_kind(struct db *db, struct arena *a, long long shop_id, long long order_id,
    enum search_kind kind, const char *old_text, const char *new_text)
{
	struct search_doc old, now;

	if (doc_of_kind(kind, old_text, &old) != 0 || doc_of_kind(kind, new_text, &now) != 0)
		return DB_ERROR;
	return replace_words(db, a, shop_id, order_id, &kind, 1, &old, &now);
}

int
search_replace_lines(struct db *db, struct arena *a, long long shop_id, long long order_id,
    const struct search_doc_line *old, size_t nold, const struct search_doc_line *now, size_t nnow)
{
	static const enum search_kind kinds[] = { SEARCH_PRODUCT, SEARCH_SKU };
	struct search_doc o = { .lines = old, .nlines = nold }, n = { .lines = now, .nlines = nnow };

	return replace_words(db, a, shop_id, order_id, kinds, 2, &o, &n);
}

/* ---- Reindexing ------------------------------------------------------- */

#define REINDEX_CHUNK 500

enum { RX_ID, RX_CODE, RX_FIRST, RX_LAST, RX_EMAIL, RX_PHONE, RX_EXTERNAL, RX_REFERENCE, RX_NCOLS };
static const char sql_reindex_orders[] =
	"SELECT id, code, customer_first_name, customer_last_name, customer_email, customer_phone,"
	" external_reference, reference FROM orders WHERE shop_id = ? AND id > ? ORDER BY id LIMIT 500"
	" LOCK IN SHARE MODE";     /* no change of these orders until their words are written */
enum { RL_ORDER, RL_LINE, RL_NAME, RL_SKU, RL_NCOLS };
static const char sql_reindex_lines[] =
	"SELECT order_id, line_no, name, sku FROM order_lines WHERE shop_id = ? AND order_id > ?"
	" AND order_id <= ? ORDER BY order_id, line_no";

/*
 * The document of row i of an orders result (columns RX_*), its lines
 * from row *k of a lines result (RL_*), both in order id order: *k moves
 * past this order's lines.
 */
static void
doc_at(struct arena *a, const struct db_result *o, size_t i, const struct db_result *l, size_t *k,
    struct search_doc *d)
{
	long long id = db_ll(o, i, RX_ID);
	struct search_doc_line *lines;
	size_t from, j;

	*d = (struct search_doc){
		.code = db_str(o, i, RX_CODE), .first_name = db_str(o, i, RX_FIRST),
		.last_name = db_str(o, i, RX_LAST), .email = db_str(o, i, RX_EMAIL),
		.phone = db_str(o, i, RX_PHONE), .external_reference = db_str(o, i, RX_EXTERNAL),
		.reference = db_str(o, i, RX_REFERENCE),
	};
	while (*k < l->nrows && db_ll(l, *k, RL_ORDER) < id)
		(*k)++;
	for (from = *k; *k < l->nrows && db_ll(l, *k, RL_ORDER) == id; (*k)++)
		;
	lines = arena_alloc(a, (*k - from + 1) * sizeof(*lines));
	memset(lines, 0, (*k - from + 1) * sizeof(*lines));
	for (j = from; j < *k; j++) {
		long long no = db_ll(l, j, RL_LINE);

		if (no >= 1 && (size_t)no <= *k - from) {
			lines[no - 1].name = db_str(l, j, RL_NAME);
			lines[no - 1].sku = db_str(l, j, RL_SKU);
		}
	}
	d->lines = lines;
	d->nlines = *k - from;
}

struct reindex_tx {
	struct arena *a;
	long long shop_id, after, last, count;
};

static int
reindex_chunk(struct db *db, void *p)
{
	struct reindex_tx *c = p;
	struct db_result o, l;
	struct buf b;
	size_t i, k = 0;
	bool first = true;
	int rc;

	db_desk_changed(db, c->shop_id);
	c->count = 0;
	if ((rc = db_exec(db, c->a, &o, sql_reindex_orders, DB_PARAMS(DB_I64(c->shop_id), DB_I64(c->after)))) != DB_OK)
		return rc;
	if (o.nrows == 0)
		return DB_OK;
	if (o.ncols != RX_NCOLS)
		return DB_ERROR;
	c->last = db_ll(&o, o.nrows - 1, RX_ID);
	if ((rc = db_exec(db, c->a, &l, sql_reindex_lines, DB_PARAMS(DB_I64(c->shop_id), DB_I64(c->after),
	    DB_I64(c->last)))) != DB_OK)
		return rc;
	if (l.ncols != RL_NCOLS && l.nrows)
		return DB_ERROR;
	buf_init(&b, BUF_MAX_DEFAULT);
	buf_puts(&b, SEARCH_TERMS_INSERT);
	for (i = 0; i < o.nrows && rc == 0; i++) {
		struct search_doc d;

		doc_at(c->a, &o, i, &l, &k, &d);
		rc = search_terms_values(db, &b, c->shop_id, db_ll(&o, i, RX_ID), &d, &first);
	}
	/* An order that came in while the rebuild runs is already indexed. */
	buf_puts(&b, " ON DUPLICATE KEY UPDATE line_no = VALUES(line_no)");
	if (rc != 0)
		rc = DB_ERROR;
	else if (!first)
		rc = buf_failed(&b) ? DB_ERROR : db_batch(db, c->a, &b, 0, NULL, 0, NULL);
	buf_free(&b);
	if (rc == DB_OK)
		c->count = (long long)o.nrows;
	return rc;
}

int
search_reindex_shop(struct db *db, struct arena *a, long long shop_id, long long *orders)
{
	struct reindex_tx c = { .shop_id = shop_id };
	struct arena chunk;
	int rc;

	static const char sql_clear[] = "DELETE FROM order_search WHERE shop_id = ? LIMIT 10000";
	struct db_result r;

	*orders = 0;
	do {                        /* the old rows, a bounded transaction at a time */
		if (db_exec_idempotent(db, a, &r, sql_clear, DB_PARAMS(DB_I64(shop_id))) != DB_OK)
			return -1;
		db_desk_changed(db, shop_id);   /* autocommit: raised at once */
	} while (r.affected > 0);
	arena_init(&chunk, 0);
	c.a = &chunk;
	for (;;) {
		rc = db_tx(db, reindex_chunk, &c);
		if (rc != DB_OK) {
			log_error("search: reindexing shop %lld failed after order id %lld (%d)", shop_id, c.after, rc);
			break;
		}
		if (c.count == 0)
			break;
		*orders += c.count;
		c.after = c.last;
		arena_reset(&chunk);
	}
	arena_free(&chunk);
	return rc == DB_OK ? 0 : -1;
}

/* ---- Searching -------------------------------------------------------- */

static const char sql_by_code[] = "SELECT code FROM orders WHERE shop_id = ? AND code = ?";
static const char sql_by_number[] = "SELECT code FROM orders WHERE shop_id = ? AND number = ?";

/* An order code or number typed alone ("K7QM4TZP", "k7qm-4tzp", "10045",
 * "#10045"), found in the shop: its code in *code. 0 found, 1 not, or a
 * db_exec code. */
static int
exact_match(struct db *db, struct arena *a, long long shop_id, const char *q, const char **code)
{
	char norm[ORDER_CODE_LEN + 1];
	struct db_result r;
	const char *e;
	int rc;

	while (*q == ' ')
		q++;
	e = q + strlen(q);
	while (e > q && e[-1] == ' ')
		e--;
	q = arena_strndup(a, q, (size_t)(e - q));
	if (order_code_normalise(q, norm)) {
		if ((rc = db_exec(db, a, &r, sql_by_code, DB_PARAMS(DB_I64(shop_id), DB_STR(norm)))) != DB_OK)
			return rc;
		if (r.nrows) {
			*code = db_str(&r, 0, 0);
			return 0;
		}
	}
	if (*q == '#')
		q++;
	if (*q && strlen(q) <= 18 && strspn(q, "0123456789") == strlen(q)) {
		if ((rc = db_exec(db, a, &r, sql_by_number, DB_PARAMS(DB_I64(shop_id),
		    DB_I64(strtoll(q, NULL, 10))))) != DB_OK)
			return rc;
		if (r.nrows) {
			*code = db_str(&r, 0, 0);
			return 0;
		}
	}
	return 1;
}

struct words {
	char w[24][FOLD_WORD_MAX + 1];
	size_t n;
	bool dropped;
};

static int
add_word(void *ctx, const char *word, size_t len, bool whole)
{
	struct words *ws = ctx;

	(void)whole;
	if (ws->n == sizeof(ws->w) / sizeof(ws->w[0])) {
		ws->dropped = true;
		return 0;
	}
	memcpy(ws->w[ws->n], word, len);
	ws->w[ws->n][len] = 0;
	ws->n++;
	return 0;
}

static int
longer_first(const void *x, const void *y)
{
	size_t a = strlen(x), b = strlen(y);

	return a < b ? 1 : a > b ? -1 : strcmp(x, y);
}

/*
 * The words to look for: a phone number typed with blanks or dots
 * ("06 12 34 56 78") is one word of digits; otherwise the folded words.
 * A word that begins another is dropped ("dup dupre" is "dupre"), and
 * the longest come first (the most selective drives the query); at most
 * SEARCH_WORDS_MAX.
 */
static void
query_words(const char *q, struct words *ws)
{
	char d[24], nat[24];
	size_t i, j, n;

	memset(ws, 0, sizeof(*ws));
	if (strspn(q, "0123456789 .-+()/") == strlen(q) && strpbrk(q, " .-/") && phone_digits(q, d, nat)) {
		add_word(ws, *nat ? nat : d, strlen(*nat ? nat : d), true);
		return;
	}
	(void)fold_words(q, strlen(q), 0, add_word, ws);
	qsort(ws->w, ws->n, sizeof(ws->w[0]), longer_first);
	for (i = 0, n = 0; i < ws->n; i++) {
		for (j = 0; j < n; j++)
			if (strncmp(ws->w[j], ws->w[i], strlen(ws->w[i])) == 0)
				break;
		if (j < n)
			continue;            /* the same word, or the start of a longer one */
		if (n == SEARCH_WORDS_MAX) {
			ws->dropped = true;
			break;
		}
		if (n != i)
			memcpy(ws->w[n], ws->w[i], sizeof(ws->w[0]));
		n++;
	}
	ws->n = n;
}

/* The LIKE pattern of a prefix: '_' escaped ('%' and '!' never are in a
 * folded word). */
static const char *
prefix_pattern(struct arena *a, const char *w)
{
	char *p = arena_alloc(a, 2 * strlen(w) + 2), *o = p;

	for (; *w; w++) {
		if (*w == '_' || *w == '!')
			*o++ = '!';
		*o++ = *w;
	}
	*o++ = '%';
	*o = 0;
	return p;
}

/*
 * What the index holds of each word of the query, counted up to
 * SEARCH_FEW_ROWS + 1 (a short range each): the rows of the terms it
 * begins, and of those terms but the word itself ("dupre" begins
 * "dupre", and "dupre@example.fr" and "dupree": the rest).
 */
#define SEARCH_FEW_ROWS 2000

struct word_rows {
	long long rows, rest;
};

static void
sql_count(struct db *db, struct arena *a, struct buf *b, long long shop_id, const char *w, bool rest)
{
	buf_puts(b, "SELECT COUNT(*) FROM (SELECT 1 FROM order_search WHERE shop_id = ");
	sql_int(b, shop_id);
	if (rest) {
		buf_puts(b, " AND term > ");
		sql_str(db, b, w);
	}
	buf_puts(b, " AND term LIKE ");
	sql_str(db, b, prefix_pattern(a, w));
	buf_printf(b, " ESCAPE '!' LIMIT %d) c", SEARCH_FEW_ROWS + 1);
}

static int
read_counts(struct db *db, struct arena *a, long long shop_id, const struct words *ws, struct word_rows *wr)
{
	struct db_result r[2 * SEARCH_WORDS_MAX];
	struct buf b;
	size_t i;
	int rc;

	buf_init(&b, 1 << 14);
	for (i = 0; i < ws->n; i++) {
		if (i)
			buf_putc(&b, ';');
		sql_count(db, a, &b, shop_id, ws->w[i], false);
		buf_putc(&b, ';');
		sql_count(db, a, &b, shop_id, ws->w[i], true);
	}
	rc = buf_failed(&b) ? DB_ERROR : db_batch(db, a, &b, 0, r, 2 * ws->n, NULL);
	buf_free(&b);
	if (rc != DB_OK)
		return rc;
	for (i = 0; i < ws->n; i++) {
		wr[i].rows = r[2 * i].nrows == 1 ? db_ll(&r[2 * i], 0, 0) : 0;
		wr[i].rest = r[2 * i + 1].nrows == 1 ? db_ll(&r[2 * i + 1], 0, 0) : 0;
	}
	return DB_OK;
}

/*
 * The orders holding word w, newest first, below order id `below` (0:
 * from the newest), at most `limit`. When `whole`, its range read whole
 * and sorted (it has few rows); else the word as a term read backwards
 * from the shop's newest order, stopping at `limit`, merged with the
 * range of the other terms it begins (read whole: few rows). Either way
 * what is read is bounded whatever the shop's size.
 *
 * Written as text with sqltext (the terms escaped): measured on MariaDB
 * 10.11, the same statement prepared with its patterns as parameters took
 * seconds under 32 concurrent requests (plans not chosen for the values),
 * against about a millisecond as text.
 */
static void
sql_candidates(struct db *db, struct arena *a, struct buf *b, long long shop_id, const char *w, bool whole,
    long long below, int limit)
{
	int j;

	buf_puts(b, "SELECT order_id FROM (");
	for (j = 0; j < (whole ? 1 : 2); j++) {
		buf_puts(b, j ? " UNION ALL (SELECT order_id FROM order_search WHERE shop_id = " :
		    "(SELECT order_id FROM order_search WHERE shop_id = ");
		sql_int(b, shop_id);
		if (!whole && j == 0) {
			buf_puts(b, " AND term = ");
			sql_str(db, b, w);
		} else {
			if (!whole) {
				buf_puts(b, " AND term > ");
				sql_str(db, b, w);
			}
			buf_puts(b, " AND term LIKE ");
			sql_str(db, b, prefix_pattern(a, w));
			buf_puts(b, " ESCAPE '!'");
		}
		if (below > 0) {
			buf_puts(b, " AND order_id < ");
			sql_int(b, below);
		}
		buf_printf(b, " GROUP BY order_id ORDER BY order_id DESC LIMIT %d)", limit);
	}
	buf_printf(b, ") m GROUP BY order_id ORDER BY order_id DESC LIMIT %d", limit);
}

/*
 * When no word can drive (every word of many rows, and many in the other
 * terms it begins: "helene martin"): the first word's range, the others
 * narrowing it (semi-joins), sorted: every match is read.
 */
static void
sql_ranges(struct db *db, struct arena *a, struct buf *b, long long shop_id, const struct words *ws)
{
	size_t i;

	buf_puts(b, "SELECT s0.order_id FROM order_search s0 WHERE s0.shop_id = ");
	sql_int(b, shop_id);
	buf_puts(b, " AND s0.term LIKE ");
	sql_str(db, b, prefix_pattern(a, ws->w[0]));
	buf_puts(b, " ESCAPE '!'");
	for (i = 1; i < ws->n; i++) {
		buf_puts(b, " AND s0.order_id IN (SELECT order_id FROM order_search WHERE shop_id = ");
		sql_int(b, shop_id);
		buf_puts(b, " AND term LIKE ");
		sql_str(db, b, prefix_pattern(a, ws->w[i]));
		buf_puts(b, " ESCAPE '!')");
	}
	buf_printf(b, " GROUP BY s0.order_id ORDER BY s0.order_id DESC LIMIT %d", SEARCH_LIMIT + 1);
}

/* Columns of read_docs' orders: a document's (RX_*), then the hit's. */
enum { DX_NUMBER = RX_NCOLS, DX_PLACED, DX_STATUS, DX_CURRENCY, DX_TOTAL, DX_NCOLS };

/*
 * The orders ids[0..n) of the shop with their lines, in one round trip:
 * r[0] the orders (DX_* columns) in any order, r[1] their lines (RL_*) by
 * order and line, as doc_at() reads them from *k = 0. An order gone
 * meanwhile is missing.
 */
static int
read_docs(struct db *db, struct arena *a, long long shop_id, const long long *ids, size_t n,
    struct db_result r[2])
{
	struct buf b;
	size_t i;
	int rc;

	buf_init(&b, 1 << 16);
	buf_puts(&b, "SELECT id, code, customer_first_name, customer_last_name, customer_email, customer_phone,"
	    " external_reference, reference, number, DATE_FORMAT(placed_at, '%Y-%m-%dT%H:%i:%sZ'), status,"
	    " currency, total_cents FROM orders FORCE INDEX (k_orders_id) WHERE shop_id = ");
	/* The index of ids forced: with 1,000 shops MariaDB 10.11 estimates
	 * a shop at a few dozen orders (sampled statistics) and would read
	 * the whole shop by its key prefix (ref on shop_id) rather than dive
	 * for each id; measured, 200,000 orders read for 50. */
	sql_int(&b, shop_id);
	buf_puts(&b, " AND id IN (");
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ',');
		sql_int(&b, ids[i]);
	}
	buf_puts(&b, ");SELECT order_id, line_no, name, sku FROM order_lines WHERE shop_id = ");
	sql_int(&b, shop_id);
	buf_puts(&b, " AND order_id IN (");
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ',');
		sql_int(&b, ids[i]);
	}
	buf_puts(&b, ") ORDER BY order_id, line_no");
	rc = buf_failed(&b) ? DB_ERROR : db_batch(db, a, &b, 0, r, 2, NULL);
	buf_free(&b);
	if (rc == DB_OK && ((r[0].nrows && r[0].ncols != DX_NCOLS) || (r[1].nrows && r[1].ncols != RL_NCOLS))) {
		log_error("search: the orders' columns changed");
		rc = DB_ERROR;
	}
	return rc;
}

/* Does word w begin one of the terms? */
static bool
begins_one(const struct termset *ts, const char *w)
{
	size_t t, len = strlen(w);

	for (t = 0; t < ts->n; t++)
		if (ts->t[t].len >= len && memcmp(ts->t[t].w, w, len) == 0)
			return true;
	return false;
}

/*
 * Which of the orders ids[0..n) hold every word but word `driver`: their words
 * collected from the orders and lines as the index was written
 * (collect_terms), each word a prefix of one of them. keep[i] says. Two
 * reads by key for the lot, where a semi-join of another word's range
 * would read all its rows.
 */
static int
hold_words(struct db *db, struct arena *a, long long shop_id, const long long *ids, size_t n,
    const struct words *ws, size_t driver, bool *keep)
{
	struct termset ts = { .t = malloc(SEARCH_TERMS_MAX * sizeof(struct term)) };
	struct db_result r[2];
	size_t i, j, k = 0, row;
	int rc;

	if (!ts.t) {
		log_error("search: out of memory for an order's words");
		return DB_ERROR;
	}
	rc = read_docs(db, a, shop_id, ids, n, r);
	for (i = 0; i < n; i++)
		keep[i] = false;
	for (row = 0; rc == DB_OK && row < r[0].nrows; row++) {
		struct search_doc d;
		bool all = true;

		k = 0;
		doc_at(a, &r[0], row, &r[1], &k, &d);
		ts.n = 0;
		collect_terms(&d, &ts);
		for (j = 0; j < ws->n && all; j++)
			all = j == driver || begins_one(&ts, ws->w[j]);
		for (i = 0; i < n; i++)
			if (ids[i] == db_ll(&r[0], row, RX_ID))
				keep[i] = all;
	}
	free(ts.t);
	return rc;
}

/*
 * The orders matching every word, newest first, SEARCH_LIMIT + 1 of them,
 * in ids (*n of them). One word drives (sql_candidates): the one of the
 * fewest rows when it has few, else the longest whose other terms have
 * few; the others are checked on its orders, SEARCH_CANDIDATES at a time
 * (hold_words). When no word can drive, every word is a range
 * (sql_ranges).
 */
#define SEARCH_CANDIDATES 100       /* under eq_range_index_dive_limit (200): ids dived, not estimated */

static int
matching(struct db *db, struct arena *a, long long shop_id, const struct words *ws, long long *ids, size_t *n)
{
	struct word_rows wr[SEARCH_WORDS_MAX];
	size_t i, d = 0;
	long long below = 0;
	struct db_result r;
	struct buf sql;
	bool *keep, ranges = false, whole = true;
	int rc, limit = ws->n > 1 ? SEARCH_CANDIDATES : SEARCH_LIMIT + 1;

	*n = 0;
	if ((rc = read_counts(db, a, shop_id, ws, wr)) != DB_OK)
		return rc;
	for (i = 0; i < ws->n; i++) {
		if (wr[i].rows == 0)
			return DB_OK;             /* a word found nowhere: no order holds them all */
		if (wr[i].rows < wr[d].rows)
			d = i;
	}
	if (wr[d].rows > SEARCH_FEW_ROWS) {   /* the longest (the first) whose other terms are few */
		whole = false;
		for (d = 0; d < ws->n && wr[d].rest > SEARCH_FEW_ROWS; d++)
			;
		ranges = d == ws->n;
	}
	keep = arena_alloc(a, SEARCH_CANDIDATES * sizeof(*keep));
	for (;;) {
		buf_init(&sql, 1 << 20);
		if (ranges)
			sql_ranges(db, a, &sql, shop_id, ws);
		else
			sql_candidates(db, a, &sql, shop_id, ws->w[d], whole, below, limit);
		rc = buf_failed(&sql) ? DB_ERROR : db_batch(db, a, &sql, 0, &r, 1, NULL);
		buf_free(&sql);
		if (rc != DB_OK)
			return rc;
		if (ranges || ws->n == 1) {
			for (i = 0; i < r.nrows && i < SEARCH_LIMIT + 1; i++)
				ids[(*n)++] = db_ll(&r, i, 0);
			return DB_OK;
		}
		if (r.nrows == 0)
			return DB_OK;
		long long *cand = arena_alloc(a, r.nrows * sizeof(*cand));

		for (i = 0; i < r.nrows; i++)
			cand[i] = db_ll(&r, i, 0);
		if ((rc = hold_words(db, a, shop_id, cand, r.nrows, ws, d, keep)) != DB_OK)
			return rc;
		for (i = 0; i < r.nrows && *n < SEARCH_LIMIT + 1; i++)
			if (keep[i])
				ids[(*n)++] = cand[i];
		if (*n == SEARCH_LIMIT + 1 || r.nrows < SEARCH_CANDIDATES)
			return DB_OK;
		below = cand[r.nrows - 1];
	}
}

static const char *
person(struct arena *a, const char *first, const char *last)
{
	first = first ? first : "";
	last = last ? last : "";
	if (!*first || !*last)
		return *first ? first : last;
	return arena_printf(a, "%s %s", first, last);
}

/* The field a term of `kind` (of line line_no) came from, as the order
 * holds it. */
static const char *
why_text(struct arena *a, const struct db_result *o, size_t row, const struct search_doc *d,
    enum search_kind kind, unsigned line_no)
{
	const struct search_doc_line *l = line_no >= 1 && line_no <= d->nlines ? &d->lines[line_no - 1] : NULL;

	switch (kind) {
	case SEARCH_CODE: return db_str(o, row, RX_CODE);
	case SEARCH_NAME: return person(a, db_str(o, row, RX_FIRST), db_str(o, row, RX_LAST));
	case SEARCH_EMAIL: return db_str(o, row, RX_EMAIL);
	case SEARCH_PHONE: return db_str(o, row, RX_PHONE);
	case SEARCH_PRODUCT: return l ? l->name : NULL;
	case SEARCH_SKU: return l ? l->sku : NULL;
	case SEARCH_EXTERNAL: return db_str(o, row, RX_EXTERNAL);
	case SEARCH_REFERENCE: return db_str(o, row, RX_REFERENCE);
	}
	return NULL;
}

static void
add_why(struct search_hit *h, enum search_kind kind, const char *text)
{
	size_t i;

	if (!text || !*text || h->nwhy == SEARCH_WHY_MAX)
		return;
	for (i = 0; i < h->nwhy; i++)
		if (h->why[i].kind == kind && strcmp(h->why[i].text, text) == 0)
			return;
	h->why[h->nwhy].kind = kind;
	h->why[h->nwhy].text = text;
	h->nwhy++;
}

static int
by_kind_line(const void *x, const void *y)
{
	const struct term *a = x, *b = y;

	return a->kind != b->kind ? a->kind - b->kind : a->line_no - b->line_no;
}

/*
 * The orders of `ids`, and why each matched: the fields whose words
 * (collect_terms, as the index holds them) a word of the query begins,
 * by kind and line. Read from the orders and lines by their keys.
 */
static int
read_hits(struct db *db, struct arena *a, long long shop_id, const long long *ids, size_t n,
    const struct words *ws, struct search_result *out)
{
	struct termset ts = { .t = malloc(SEARCH_TERMS_MAX * sizeof(struct term)) };
	struct search_doc *docs;
	struct db_result r[2];
	size_t i, j, t, k = 0, m;
	int rc;

	if (!ts.t) {
		log_error("search: out of memory for an order's words");
		return DB_ERROR;
	}
	if ((rc = read_docs(db, a, shop_id, ids, n, r)) != DB_OK) {
		free(ts.t);
		return rc;
	}
	docs = arena_alloc(a, (r[0].nrows ? r[0].nrows : 1) * sizeof(*docs));
	for (i = 0; i < r[0].nrows; i++) {
		k = 0;
		doc_at(a, &r[0], i, &r[1], &k, &docs[i]);
	}
	out->hits = arena_alloc(a, (n ? n : 1) * sizeof(*out->hits));
	out->n = 0;
	/* In the order of ids (newest first); an order gone meanwhile is left out. */
	for (i = 0; i < n; i++) {
		for (k = 0; k < r[0].nrows && db_ll(&r[0], k, RX_ID) != ids[i]; k++)
			;
		if (k == r[0].nrows)
			continue;
		struct search_hit *h = &out->hits[out->n++];

		memset(h, 0, sizeof(*h));
		h->id = ids[i];
		h->number = db_str(&r[0], k, DX_NUMBER) ? db_ll(&r[0], k, DX_NUMBER) : 0;
		h->code = db_str(&r[0], k, RX_CODE);
		h->placed_at = db_str(&r[0], k, DX_PLACED);
		h->status = db_str(&r[0], k, DX_STATUS);
		h->currency = db_str(&r[0], k, DX_CURRENCY);
		h->total_cents = db_ll(&r[0], k, DX_TOTAL);
		h->customer = person(a, db_str(&r[0], k, RX_FIRST), db_str(&r[0], k, RX_LAST));
		ts.n = 0;
		collect_terms(&docs[k], &ts);
		for (t = 0, m = 0; t < ts.n; t++) {   /* the terms a word begins, kept in place */
			for (j = 0; j < ws->n; j++)
				if (ts.t[t].len >= strlen(ws->w[j]) && memcmp(ts.t[t].w, ws->w[j], strlen(ws->w[j])) == 0)
					break;
			if (j < ws->n)
				ts.t[m++] = ts.t[t];
		}
		qsort(ts.t, m, sizeof(ts.t[0]), by_kind_line);
		for (t = 0; t < m; t++)
			add_why(h, (enum search_kind)ts.t[t].kind,
			    why_text(a, &r[0], k, &docs[k], (enum search_kind)ts.t[t].kind, ts.t[t].line_no));
	}
	free(ts.t);
	return DB_OK;
}

int
search_orders(struct db *db, struct arena *a, long long shop_id, const char *query,
    struct search_result *out)
{
	struct words *ws;
	struct buf clean;
	const char *q;
	long long *ids;
	size_t i, n;
	int rc;

	memset(out, 0, sizeof(*out));
	/* At most SEARCH_QUERY_MAX bytes, never half a character; bytes that
	 * are not UTF-8 become U+FFFD, which separates words. */
	buf_init(&clean, 4 * SEARCH_QUERY_MAX);
	utf8_append_clean(&clean, query ? query : "", utf8_cut(query ? query : "", SEARCH_QUERY_MAX));
	q = arena_strdup(a, buf_str(&clean));
	buf_free(&clean);

	rc = exact_match(db, a, shop_id, q, &out->exact_code);
	if (rc == 0)
		return 0;
	if (rc < 0)
		return -1;
	ws = arena_alloc(a, sizeof(*ws));
	query_words(q, ws);
	out->nwords = ws->n;
	out->words_dropped = ws->dropped;
	if (ws->n == 0)
		return 0;
	ids = arena_alloc(a, (SEARCH_LIMIT + 1) * sizeof(*ids));
	if (matching(db, a, shop_id, ws, ids, &n) != DB_OK)
		return -1;
	if (n == 0)
		return 0;
	out->more = n > SEARCH_LIMIT;
	i = n > SEARCH_LIMIT ? SEARCH_LIMIT : n;
	return read_hits(db, a, shop_id, ids, i, ws, out) == DB_OK ? 0 : -1;
}

int
search_reindex_all(struct db *db, struct arena *a, long long *orders)
{
	static const char sql_shops[] = "SELECT id FROM shops ORDER BY id";
	struct db_result r;
	size_t i;

	*orders = 0;
	if (db_exec(db, a, &r, sql_shops, 0, NULL) != DB_OK)
		return -1;
	for (i = 0; i < r.nrows; i++) {
		long long n;

		if (search_reindex_shop(db, a, db_ll(&r, i, 0), &n) != 0)
			return -1;
		*orders += n;
	}
	return 0;
}

int
search_index_exists(struct db *db, struct arena *a, bool *exists)
{
	static const char sql_table[] =
		"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"
		" AND table_name = 'order_search'";
	struct db_result r;

	if (db_exec(db, a, &r, sql_table, 0, NULL) != DB_OK || r.nrows != 1)
		return -1;
	*exists = db_ll(&r, 0, 0) > 0;
	return 0;
}
