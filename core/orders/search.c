#include "orders/search.h"

#include <limits.h>
#include <stdint.h>
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
	uint64_t seen;     /* term_bits() of its terms: most new ones need no walk */
	/* For the search's why (match_words): only the terms that one of
	 * these words begins are kept, those words' bits set in `begun`; the
	 * index keeps every term (nmatch 0). */
	const char (*match)[FOLD_WORD_MAX + 1];
	size_t nmatch, mlen[24];
	uint32_t begun;
};

/* Two of 64 bits for a term of kind `kind`: a term whose bits are not
 * all in `seen` is new. */
static uint64_t
term_bits(unsigned char kind, const char *w, size_t len)
{
	uint32_t h = ((uint32_t)kind << 8 ^ (uint32_t)len) * 0x9E3779B1u;

	h ^= (uint32_t)(unsigned char)w[0] * 0x85EBCA6Bu ^ (uint32_t)(unsigned char)w[len - 1] * 0xC2B2AE35u;
	h ^= h >> 15;
	return 1ull << (h & 63) | 1ull << ((h >> 6) & 63);
}

/* Empties ts for another order's terms. */
static void
termset_clear(struct termset *ts)
{
	ts->n = 0;
	ts->seen = 0;
	ts->begun = 0;
}

static int
add_term(void *ctx, const char *word, size_t len, bool whole)
{
	struct termset *ts = ctx;
	uint64_t bits;
	size_t i;

	(void)whole;
	if (len == 0 || len > FOLD_WORD_MAX || ts->n == SEARCH_TERMS_MAX)
		return 0;
	if (ts->nmatch) {
		uint32_t begun = 0;

		for (i = 0; i < ts->nmatch; i++)
			if (len >= ts->mlen[i] && memcmp(word, ts->match[i], ts->mlen[i]) == 0)
				begun |= 1u << i;
		if (!begun)
			return 0;
		ts->begun |= begun;
	}
	bits = term_bits(ts->kind, word, len);
	if ((ts->seen & bits) == bits)
		for (i = 0; i < ts->n; i++)
			if (ts->t[i].kind == ts->kind && ts->t[i].len == len && memcmp(ts->t[i].w, word, len) == 0)
				return 0;
	ts->seen |= bits;
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

/*
 * A search is two round trips, whatever the words (the plan is read from
 * the words' sizes, the orders then found and read in one statement):
 *   1. The probe, one statement: the order whose code or number the whole
 *      query is, and for each word the index rows of the word itself as a
 *      term, counted up to SEARCH_RARE_ROWS + 1, and of the other terms it
 *      begins ("dupre" begins "dupre", "dupre@example.fr" and "dupree":
 *      the rest), up to SEARCH_FEW_ROWS + 1: short ranges each.
 *   2. The orders matching every word, newest first, with their fields
 *      and lines, one row per line: the words intersected in SQL on
 *      order_search, one word driving, the others checked on its orders by
 *      key; the fields give "why it matched" and check the words SQL
 *      cannot (below), so nothing is read twice.
 * A word whose rest is few is the word as a term, read backwards from the
 * newest order (driving) or probed per order by the key (shop_id, term,
 * order_id), and its rest, a set. A wide word, whose rest is many
 * ("martin": martine, martin.x@…), has no key to say whether an order
 * holds it: it is checked on the orders' own fields, folded as the index
 * was written (collect_terms), SEARCH_CANDIDATES of the driver's orders in
 * the first round trip, four times more in each next one, until the page
 * is full (a few round trips even when few match). The driver is the word
 * of the fewest rows, as a term and in its rest (the longest of those past
 * SEARCH_RARE_ROWS as a term: the words come longest first). When every
 * word is wide ("mar", "jean martin"), the shop's newest orders are read
 * and checked on their fields, in the same rounds, for a few rounds; past
 * those, the words are ranges intersected (semi-joins), sorted: correct,
 * and the slow case.
 *
 * Written as text with sqltext (the terms escaped): measured on MariaDB
 * 10.11, the same statements prepared with their patterns as parameters
 * took seconds under 32 concurrent requests (plans not chosen for the
 * values), against about a millisecond as text.
 */
#define SEARCH_FEW_ROWS 2000        /* a set of orders read whole */
#define SEARCH_RARE_ROWS 500        /* a term's rows counted to choose the driver */
#define SEARCH_CANDIDATES 100       /* orders of the first round when a word is wide */
#define SEARCH_CANDIDATES_MAX 1600  /* of a later round: four times the last, up to this */
#define SEARCH_SCAN_MAX 2100        /* newest orders read when no word drives: 3 rounds */

/* An order code or number typed alone ("K7QM4TZP", "k7qm-4tzp", "10045",
 * "#10045"), as the probe looks it up. */
struct exact {
	char code[ORDER_CODE_LEN + 1];     /* normalised; "" when q is no code */
	bool has_number;
	long long number;
};

static void
exact_of(struct arena *a, const char *q, struct exact *x)
{
	const char *e;

	memset(x, 0, sizeof(*x));
	while (*q == ' ')
		q++;
	e = q + strlen(q);
	while (e > q && e[-1] == ' ')
		e--;
	q = arena_strndup(a, q, (size_t)(e - q));
	if (!order_code_normalise(q, x->code))
		x->code[0] = 0;
	if (*q == '#')
		q++;
	if (*q && strlen(q) <= 18 && strspn(q, "0123456789") == strlen(q)) {
		x->has_number = true;
		x->number = strtoll(q, NULL, 10);
	}
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

struct word_plan {
	long long rows;            /* of the word as a term, up to SEARCH_RARE_ROWS + 1 */
	long long rest;            /* of the other terms it begins, up to SEARCH_FEW_ROWS + 1 */
	bool wide;                 /* rest past SEARCH_FEW_ROWS */
};

/* Probe columns: the code found by code, by number, then two per word. */
enum { PX_BY_CODE, PX_BY_NUMBER, PX_WORDS };

static void
sql_count(struct db *db, struct arena *a, struct buf *b, long long shop_id, const char *w, bool rest)
{
	buf_puts(b, ",(SELECT COUNT(*) FROM (SELECT 1 FROM order_search WHERE shop_id = ");
	sql_int(b, shop_id);
	if (rest) {
		buf_puts(b, " AND term > ");
		sql_str(db, b, w);
		buf_puts(b, " AND term LIKE ");
		sql_str(db, b, prefix_pattern(a, w));
		buf_printf(b, " ESCAPE '!' LIMIT %d) c)", SEARCH_FEW_ROWS + 1);
	} else {
		buf_puts(b, " AND term = ");
		sql_str(db, b, w);
		buf_printf(b, " LIMIT %d) c)", SEARCH_RARE_ROWS + 1);
	}
}

/*
 * Round trip 1: *code the order the query names alone (NULL: none), and
 * the size of each word. DB_OK or a db_batch code.
 */
static int
probe(struct db *db, struct arena *a, long long shop_id, const struct exact *x, const struct words *ws,
    const char **code, struct word_plan *wp)
{
	struct db_result r;
	struct buf b;
	size_t i;
	int rc;

	*code = NULL;
	if (!x->code[0] && !x->has_number && ws->n == 0)
		return DB_OK;
	buf_init(&b, 1 << 14);
	if (x->code[0]) {
		buf_puts(&b, "SELECT (SELECT code FROM orders WHERE shop_id = ");
		sql_int(&b, shop_id);
		buf_puts(&b, " AND code = ");
		sql_str(db, &b, x->code);
		buf_puts(&b, ")");
	} else {
		buf_puts(&b, "SELECT NULL");
	}
	if (x->has_number) {
		buf_puts(&b, ",(SELECT code FROM orders WHERE shop_id = ");
		sql_int(&b, shop_id);
		buf_puts(&b, " AND number = ");
		sql_int(&b, x->number);
		buf_puts(&b, ")");
	} else {
		buf_puts(&b, ",NULL");
	}
	for (i = 0; i < ws->n; i++) {
		sql_count(db, a, &b, shop_id, ws->w[i], false);
		sql_count(db, a, &b, shop_id, ws->w[i], true);
	}
	rc = buf_failed(&b) ? DB_ERROR : db_batch(db, a, &b, 0, &r, 1, NULL);
	buf_free(&b);
	if (rc != DB_OK)
		return rc;
	if (r.nrows != 1 || r.ncols != PX_WORDS + 2 * ws->n) {
		log_error("search: the probe's columns changed");
		return DB_ERROR;
	}
	*code = db_str(&r, 0, PX_BY_CODE) ? db_str(&r, 0, PX_BY_CODE) : db_str(&r, 0, PX_BY_NUMBER);
	for (i = 0; i < ws->n; i++) {
		wp[i].rows = db_ll(&r, 0, PX_WORDS + 2 * i);
		wp[i].rest = db_ll(&r, 0, PX_WORDS + 2 * i + 1);
		wp[i].wide = wp[i].rest > SEARCH_FEW_ROWS;
	}
	return DB_OK;
}

/* The rows of word w's range (s.term LIKE 'w%'), or of its rest. */
static void
sql_range(struct db *db, struct arena *a, struct buf *b, const char *s, const char *w, bool rest)
{
	if (rest) {
		buf_printf(b, " AND %s.term > ", s);
		sql_str(db, b, w);
	}
	buf_printf(b, " AND %s.term LIKE ", s);
	sql_str(db, b, prefix_pattern(a, w));
	buf_puts(b, " ESCAPE '!'");
}

/* "s0.order_id IN (the orders of w's range, or of its rest)": a set,
 * materialised once (a rest: at most SEARCH_FEW_ROWS rows). */
static void
sql_in_set(struct db *db, struct arena *a, struct buf *b, long long shop_id, const char *w, bool rest)
{
	buf_puts(b, "s0.order_id IN (SELECT s.order_id FROM order_search s WHERE s.shop_id = ");
	sql_int(b, shop_id);
	sql_range(db, a, b, "s", w, rest);
	buf_putc(b, ')');
}

/*
 * One part of the driver's orders: the driver's rows (the word as a term,
 * part 0, its rest, part 1, or both, its whole range, part 2: a rare
 * word, one range read and sorted) below order id `below` (0: from the
 * newest), every other word but the wide ones checked by key, newest
 * first, at most `limit` orders. A word checked is a LEFT JOIN on the key
 * (shop_id, term, order_id), a dive per order read (written as EXISTS,
 * MariaDB 10.11 turns it into IN and reads the word's whole range to
 * materialise it), or its rest, a set. STRAIGHT_JOIN: the driver first,
 * read backwards by the key, so that the read stops at `limit`.
 */
static void
sql_part(struct db *db, struct arena *a, struct buf *b, long long shop_id, const struct words *ws,
    const struct word_plan *wp, size_t d, int part, long long below, int limit)
{
	size_t i;

	buf_puts(b, "(SELECT STRAIGHT_JOIN s0.order_id FROM order_search s0");
	for (i = 0; i < ws->n; i++) {
		if (i == d || wp[i].wide || wp[i].rows == 0)
			continue;
		buf_printf(b, " LEFT JOIN order_search c%zu ON c%zu.shop_id = ", i, i);
		sql_int(b, shop_id);
		buf_printf(b, " AND c%zu.term = ", i);
		sql_str(db, b, ws->w[i]);
		buf_printf(b, " AND c%zu.order_id = s0.order_id", i);
	}
	buf_puts(b, " WHERE s0.shop_id = ");
	sql_int(b, shop_id);
	if (part == 0) {
		buf_puts(b, " AND s0.term = ");
		sql_str(db, b, ws->w[d]);
	} else {
		sql_range(db, a, b, "s0", ws->w[d], part == 1);
	}
	if (below > 0) {
		buf_puts(b, " AND s0.order_id < ");
		sql_int(b, below);
	}
	for (i = 0; i < ws->n; i++) {
		if (i == d || wp[i].wide)
			continue;
		buf_puts(b, " AND (");
		if (wp[i].rows > 0)
			buf_printf(b, "c%zu.order_id IS NOT NULL%s", i, wp[i].rest > 0 ? " OR " : "");
		if (wp[i].rest > 0)
			sql_in_set(db, a, b, shop_id, ws->w[i], true);
		buf_putc(b, ')');
	}
	buf_printf(b, " GROUP BY s0.order_id ORDER BY s0.order_id DESC LIMIT %d)", limit);
}

/* The last resort when no word can drive: the first word's range, the
 * others narrowing it (semi-joins), below order id `below`, sorted: every
 * match is read. */
static void
sql_ranges(struct db *db, struct arena *a, struct buf *b, long long shop_id, const struct words *ws,
    long long below)
{
	size_t i;

	buf_puts(b, "SELECT s0.order_id FROM order_search s0 WHERE s0.shop_id = ");
	sql_int(b, shop_id);
	sql_range(db, a, b, "s0", ws->w[0], false);
	if (below > 0) {
		buf_puts(b, " AND s0.order_id < ");
		sql_int(b, below);
	}
	for (i = 1; i < ws->n; i++) {
		buf_puts(b, " AND ");
		sql_in_set(db, a, b, shop_id, ws->w[i], false);
	}
	buf_printf(b, " GROUP BY s0.order_id ORDER BY s0.order_id DESC LIMIT %d", SEARCH_LIMIT + 1);
}

/* When no word can drive: the shop's orders below order id `below`,
 * newest first, by the primary key (shop_id, id); every word is checked
 * on their fields. */
static void
sql_newest(struct buf *b, long long shop_id, long long below, int limit)
{
	buf_puts(b, "SELECT n.id AS order_id FROM orders n FORCE INDEX (PRIMARY) WHERE n.shop_id = ");
	sql_int(b, shop_id);
	if (below > 0) {
		buf_puts(b, " AND n.id < ");
		sql_int(b, below);
	}
	buf_printf(b, " ORDER BY n.id DESC LIMIT %d", limit);
}

/* Columns of the orders found: a document's (RX_*), the hit's, then one
 * line (NULL when the order has none). */
enum { DX_NUMBER = RX_NCOLS, DX_PLACED, DX_STATUS, DX_CURRENCY, DX_TOTAL, DX_LINE_NO, DX_LINE_NAME,
	DX_LINE_SKU, DX_NCOLS };

/*
 * Round trip 2: the orders the driver finds below order id `below`, at
 * most `limit` (when no word drives, d == ws->n: the shop's newest orders,
 * or every word's ranges intersected), with their fields and lines: one
 * row per line, in no particular order. Each order by its primary key
 * (shop_id, id), its lines by theirs.
 */
static void
sql_found(struct db *db, struct arena *a, struct buf *b, long long shop_id, const struct words *ws,
    const struct word_plan *wp, size_t d, bool ranges, long long below, int limit)
{
	bool two = d < ws->n && wp[d].rows > SEARCH_RARE_ROWS && wp[d].rest > 0;

	buf_puts(b, "SELECT o.id, o.code, o.customer_first_name, o.customer_last_name, o.customer_email,"
	    " o.customer_phone, o.external_reference, o.reference, o.number,"
	    " DATE_FORMAT(o.placed_at, '%Y-%m-%dT%H:%i:%sZ'), o.status, o.currency, o.total_cents,"
	    " l.line_no, l.name, l.sku FROM (");
	if (d == ws->n && ranges) {
		sql_ranges(db, a, b, shop_id, ws, below);
	} else if (d == ws->n) {
		sql_newest(b, shop_id, below, limit);
	} else if (two) {          /* the word as a term, and its rest: merged */
		buf_puts(b, "SELECT u.order_id FROM (");
		sql_part(db, a, b, shop_id, ws, wp, d, 0, below, limit);
		buf_puts(b, " UNION ALL ");
		sql_part(db, a, b, shop_id, ws, wp, d, 1, below, limit);
		buf_printf(b, ") u GROUP BY u.order_id ORDER BY u.order_id DESC LIMIT %d", limit);
	} else {
		buf_puts(b, "SELECT p.order_id FROM ");
		sql_part(db, a, b, shop_id, ws, wp, d, wp[d].rest == 0 ? 0 : wp[d].rows == 0 ? 1 : 2, below, limit);
		buf_puts(b, " p");
	}
	/* The primary keys named: with 1,000 shops MariaDB 10.11 weighs every
	 * index of orders for this join (a third of the statement's time). */
	buf_puts(b, ") m JOIN orders o FORCE INDEX (PRIMARY) ON o.shop_id = ");
	sql_int(b, shop_id);
	buf_puts(b, " AND o.id = m.order_id LEFT JOIN order_lines l FORCE INDEX (PRIMARY) ON l.shop_id = ");
	sql_int(b, shop_id);
	buf_puts(b, " AND l.order_id = m.order_id");
}

/* An order found: its first row in the result, its document. */
struct found {
	long long id;
	size_t row;
	struct search_doc d;
};

static int
newest_first(const void *x, const void *y)
{
	const struct found *a = x, *b = y;

	return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

/*
 * The orders of r (DX_* columns, one row per line), newest first, each
 * with its document (doc_at's, lines by line_no) in *f, *n of them.
 */
static int
found_orders(struct arena *a, const struct db_result *r, struct found **f, size_t *n)
{
	size_t i, k, *nlines, rows = r->nrows ? r->nrows : 1;
	struct search_doc_line **lines;

	*n = 0;
	*f = arena_alloc(a, rows * sizeof(**f));
	nlines = arena_alloc(a, rows * sizeof(*nlines));
	lines = arena_alloc(a, rows * sizeof(*lines));
	if (r->nrows && r->ncols != DX_NCOLS) {
		log_error("search: the orders' columns changed");
		return DB_ERROR;
	}
	for (i = 0; i < r->nrows; i++) {       /* an order's rows come together: its last first */
		long long id = db_ll(r, i, RX_ID);

		for (k = *n; k > 0 && (*f)[k - 1].id != id; k--)
			;
		if (k == 0) {
			k = (*n)++;
			(*f)[k] = (struct found){ .id = id, .row = i, .d = {
			    .code = db_str(r, i, RX_CODE), .first_name = db_str(r, i, RX_FIRST),
			    .last_name = db_str(r, i, RX_LAST), .email = db_str(r, i, RX_EMAIL),
			    .phone = db_str(r, i, RX_PHONE), .external_reference = db_str(r, i, RX_EXTERNAL),
			    .reference = db_str(r, i, RX_REFERENCE) } };
			nlines[k] = 0;
		} else {
			k--;
		}
		if (db_str(r, i, DX_LINE_NO))
			nlines[k]++;
	}
	for (k = 0; k < *n; k++) {
		lines[k] = arena_alloc(a, (nlines[k] + 1) * sizeof(*lines[k]));
		memset(lines[k], 0, (nlines[k] + 1) * sizeof(*lines[k]));
		(*f)[k].d.lines = lines[k];
		(*f)[k].d.nlines = nlines[k];
	}
	for (i = 0; i < r->nrows; i++) {
		long long id = db_ll(r, i, RX_ID), no;

		if (!db_str(r, i, DX_LINE_NO))
			continue;
		for (k = *n; k > 0 && (*f)[k - 1].id != id; k--)
			;
		no = db_ll(r, i, DX_LINE_NO);
		if (k > 0 && no >= 1 && (size_t)no <= nlines[k - 1]) {
			lines[k - 1][no - 1].name = db_str(r, i, DX_LINE_NAME);
			lines[k - 1][no - 1].sku = db_str(r, i, DX_LINE_SKU);
		}
	}
	qsort(*f, *n, sizeof(**f), newest_first);
	return DB_OK;
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
why_text(struct arena *a, const struct search_doc *d, enum search_kind kind, unsigned line_no)
{
	const struct search_doc_line *l = line_no >= 1 && line_no <= d->nlines ? &d->lines[line_no - 1] : NULL;

	switch (kind) {
	case SEARCH_CODE: return d->code;
	case SEARCH_NAME: return person(a, d->first_name, d->last_name);
	case SEARCH_EMAIL: return d->email;
	case SEARCH_PHONE: return d->phone;
	case SEARCH_PRODUCT: return l ? l->name : NULL;
	case SEARCH_SKU: return l ? l->sku : NULL;
	case SEARCH_EXTERNAL: return d->external_reference;
	case SEARCH_REFERENCE: return d->reference;
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
 * The hit of order f (row f->row of r), and why it matched: the fields
 * whose words a word of the query begins (ts: the terms of its document
 * that collect_terms kept for match_words), by kind and line. ts is
 * reordered.
 */
static void
hit_of(struct arena *a, const struct db_result *r, const struct found *f, struct termset *ts,
    struct search_hit *h)
{
	size_t t;

	memset(h, 0, sizeof(*h));
	h->id = f->id;
	h->number = db_str(r, f->row, DX_NUMBER) ? db_ll(r, f->row, DX_NUMBER) : 0;
	h->code = f->d.code;
	h->placed_at = db_str(r, f->row, DX_PLACED);
	h->status = db_str(r, f->row, DX_STATUS);
	h->currency = db_str(r, f->row, DX_CURRENCY);
	h->total_cents = db_ll(r, f->row, DX_TOTAL);
	h->customer = person(a, f->d.first_name, f->d.last_name);
	qsort(ts->t, ts->n, sizeof(ts->t[0]), by_kind_line);
	for (t = 0; t < ts->n; t++)
		add_why(h, (enum search_kind)ts->t[t].kind,
		    why_text(a, &f->d, (enum search_kind)ts->t[t].kind, ts->t[t].line_no));
}

/* ts keeps, of each order's terms, those a word of ws begins (and says
 * which words in ts->begun): the search needs no others, and most of an
 * order's terms are then neither copied nor compared. (An order beyond
 * the index's SEARCH_TERMS_MAX terms is checked on all of its words.) */
static void
match_words(struct termset *ts, const struct words *ws)
{
	size_t j;

	ts->match = ws->w;
	ts->nmatch = ws->n;
	for (j = 0; j < ws->n; j++)
		ts->mlen[j] = strlen(ws->w[j]);
}

/* What the driver reads at most: its rows as a term (past SEARCH_RARE_ROWS,
 * as many as the shop's orders) and its rest. */
static long long
driver_rows(const struct word_plan *w)
{
	return w->rows > SEARCH_RARE_ROWS ? LLONG_MAX : w->rows + w->rest;
}

/*
 * The orders matching every word, newest first, at most SEARCH_LIMIT + 1,
 * as hits in out (out->n may be SEARCH_LIMIT + 1: the caller says "more").
 * One round trip when no word is wide; else rounds of the driver's orders
 * growing fourfold, until the page is full. When every word is wide, the
 * driver is the shop's newest orders, every word checked on their fields
 * (a prefix of thousands of terms is held by many orders: the page fills
 * in a round or two), until SEARCH_SCAN_MAX orders were read; then the
 * ranges intersected, for the older orders.
 */
static int
matching(struct db *db, struct arena *a, long long shop_id, const struct words *ws,
    const struct word_plan *wp, struct search_result *out)
{
	struct termset ts = { 0 };
	size_t i, j, d, nf;
	long long below = 0, scanned = 0;
	bool wide = false, ranges = false;
	int rc = DB_OK, limit;

	out->hits = arena_alloc(a, (SEARCH_LIMIT + 1) * sizeof(*out->hits));
	out->n = 0;
	for (d = 0; d < ws->n && wp[d].wide; d++)    /* the word of the fewest rows */
		;
	for (i = d; i < ws->n; i++)
		if (!wp[i].wide && driver_rows(&wp[i]) < driver_rows(&wp[d]))
			d = i;
	for (i = 0; i < ws->n; i++)
		wide = wide || (i != d && wp[i].wide);
	limit = wide ? SEARCH_CANDIDATES : SEARCH_LIMIT + 1;
	if (!(ts.t = malloc(SEARCH_TERMS_MAX * sizeof(struct term)))) {
		log_error("search: out of memory for an order's words");
		return DB_ERROR;
	}
	match_words(&ts, ws);
	for (;;) {
		struct db_result r;
		struct found *f;
		struct buf sql;

		buf_init(&sql, 1 << 20);
		sql_found(db, a, &sql, shop_id, ws, wp, d, ranges, below, limit);
		rc = buf_failed(&sql) ? DB_ERROR : db_batch(db, a, &sql, 0, &r, 1, NULL);
		buf_free(&sql);
		if (rc != DB_OK || (rc = found_orders(a, &r, &f, &nf)) != DB_OK)
			break;
		for (i = 0; i < nf && out->n < SEARCH_LIMIT + 1; i++) {
			bool all = true;

			termset_clear(&ts);
			collect_terms(&f[i].d, &ts);
			for (j = 0; j < ws->n && all && wide && !ranges; j++)    /* the wide words, on its fields */
				all = j == d || !wp[j].wide || (ts.begun >> j & 1);
			if (all)
				hit_of(a, &r, &f[i], &ts, &out->hits[out->n++]);
		}
		if (!wide || ranges || out->n == SEARCH_LIMIT + 1 || nf < (size_t)limit)
			break;
		below = f[nf - 1].id;
		scanned += (long long)nf;
		ranges = d == ws->n && scanned >= SEARCH_SCAN_MAX;
		limit = ranges ? SEARCH_LIMIT + 1 : 4 * limit > SEARCH_CANDIDATES_MAX ? SEARCH_CANDIDATES_MAX : 4 * limit;
	}
	free(ts.t);
	return rc;
}

int
search_orders(struct db *db, struct arena *a, long long shop_id, const char *query,
    struct search_result *out)
{
	struct word_plan wp[SEARCH_WORDS_MAX];
	struct exact x;
	struct words *ws;
	struct buf clean;
	const char *q;
	size_t i;

	memset(out, 0, sizeof(*out));
	/* At most SEARCH_QUERY_MAX bytes, never half a character; bytes that
	 * are not UTF-8 become U+FFFD, which separates words. */
	buf_init(&clean, 4 * SEARCH_QUERY_MAX);
	utf8_append_clean(&clean, query ? query : "", utf8_cut(query ? query : "", SEARCH_QUERY_MAX));
	q = arena_strdup(a, buf_str(&clean));
	buf_free(&clean);

	exact_of(a, q, &x);
	ws = arena_alloc(a, sizeof(*ws));
	query_words(q, ws);
	if (probe(db, a, shop_id, &x, ws, &out->exact_code, wp) != DB_OK)
		return -1;
	if (out->exact_code)
		return 0;
	out->nwords = ws->n;
	out->words_dropped = ws->dropped;
	for (i = 0; i < ws->n; i++)
		if (wp[i].rows == 0 && wp[i].rest == 0)
			return 0;                  /* a word found nowhere: no order holds them all */
	if (ws->n == 0)
		return 0;
	if (matching(db, a, shop_id, ws, wp, out) != DB_OK)
		return -1;
	out->more = out->n > SEARCH_LIMIT;
	if (out->more)
		out->n = SEARCH_LIMIT;
	return 0;
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
