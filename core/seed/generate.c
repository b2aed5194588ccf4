/*
 * generate: synthetic shops for demos and benchmarks (see seed.h).
 *
 * The work for one shop, in order:
 *  1. the catalogue: opt->products products drawn from the shop kind's
 *     table, SKUs "CAT-0001"…, the same whatever the seed; a SKU the shop
 *     already has is reused;
 *  2. the timeline: when each order is placed (two years, growing, busier
 *     on weekdays, in daytime, with the kind's seasons), in time order so
 *     that order numbers follow time, and which customer places it (new
 *     customers spread over the period, repeat buyers weighted by a
 *     loyalty drawn per customer);
 *  3. the customers, with e-mails unique in the shop;
 *  4. the order codes, unique against the shop's existing ones;
 *  5. the order numbers, reserved at once on the shop's counter;
 *  6. the load: the customers go in, in order, on the caller's connection
 *     (their codes derive from their ids) while opt->threads loaders
 *     take the orders chunk by chunk, round-robin, each chunk once its
 *     customers are in. Every order is drawn from its own generator
 *     (seed, shop, index), so the data do not depend on the threads; a
 *     transaction holds a few multi-row INSERTs of orders, addresses,
 *     lines and events, and the stock its open orders reserve.
 */
#include "seed/seed.h"

#include <mysql.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "conf/conf.h"
#include "db/db.h"
#include "db/sqltext.h"
#include "orders/money.h"
#include "orders/code.h"
#include "orders/order.h"
#include "seed/names.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/log.h"

#define HISTORY_DAYS 730
#define BATCHES_PER_TX 4
#define SQL_MAX ((size_t)64 << 20)
#define US 1000000LL
#define MAX_LINES 5
#define MAX_EVENTS 4
/* The catalogue depends on the shop only, not on --seed: a run with
 * another seed finds the same SKUs and reuses the products. */
#define CATALOGUE_SEED 0x636F6D70746F6972ULL

/* ---------------------------------------------------------------- random */

/* splitmix64: small, fast, and good enough for synthetic data. */
struct rng {
	uint64_t x;
};

/* Streams: one generator per purpose and index, independent of the rest. */
enum { S_PRODUCT = 1, S_TIMELINE, S_ASSIGN, S_CUSTOMER, S_CODE, S_ORDER };

/* The splitmix64 finaliser. */
static uint64_t
fmix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* A well-mixed 64-bit value from any input. */
static uint64_t
mix64(uint64_t z)
{
	return fmix64(z + 0x9E3779B97F4A7C15ULL);
}

/* Seeds r for (seed, shop salt, stream, index). */
static void
rng_init(struct rng *r, uint64_t seed, uint64_t salt, unsigned stream, uint64_t index)
{
	r->x = mix64(seed ^ mix64(salt + stream * 0x632BE59BD9B4E019ULL) ^
	    mix64(index * 0xD6E8FEB86659FD93ULL + stream));
}

/* The next 64 random bits. */
static uint64_t
rng_next(struct rng *r)
{
	r->x += 0x9E3779B97F4A7C15ULL;
	return fmix64(r->x);
}

/* Uniform in [0, n), n > 0 (Lemire's multiply; the bias is negligible). */
static uint64_t
rng_below(struct rng *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

/* Uniform in [lo, hi]. */
static long long
rng_range(struct rng *r, long long lo, long long hi)
{
	return lo + (long long)rng_below(r, (uint64_t)(hi - lo) + 1);
}

/* True with probability permille / 1000. */
static bool
rng_pm(struct rng *r, unsigned permille)
{
	return rng_below(r, 1000) < permille;
}

/* Index drawn from `n` relative weights. */
static size_t
rng_weights(struct rng *r, const unsigned *w, size_t n)
{
	unsigned total = 0, x;
	size_t i;

	for (i = 0; i < n; i++)
		total += w[i];
	x = (unsigned)rng_below(r, total);
	for (i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* A weighted table as cumulative weights, for a binary-search pick. */
struct wtab {
	uint64_t *cum;
	size_t n;
};

/* Builds w over `n` records of `size` bytes whose unsigned weight is at
 * `off`; allocates from `a`. */
static void
wtab_init(struct wtab *w, struct arena *a, const void *base, size_t n, size_t size, size_t off)
{
	uint64_t total = 0;
	size_t i;

	w->n = n;
	w->cum = arena_alloc(a, n * sizeof(*w->cum));
	for (i = 0; i < n; i++) {
		unsigned weight;

		memcpy(&weight, (const char *)base + i * size + off, sizeof(weight));
		total += weight;
		w->cum[i] = total;
	}
	if (total == 0)
		die("seed: a data table has no weight");
}

/* An index of the table, drawn by weight. */
static size_t
wtab_pick(const struct wtab *w, struct rng *r)
{
	uint64_t x = rng_below(r, w->cum[w->n - 1]);
	size_t lo = 0, hi = w->n - 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (w->cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

#define WTAB_F(w, a, table, type, field) \
	wtab_init(&(w), (a), (table), table##_n, sizeof(type), offsetof(type, field))
#define WTAB(w, a, table, type) WTAB_F(w, a, table, type, weight)

/* ------------------------------------------------------------------ time */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* The date of day number z (days since 1970-01-01). */
static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* Floor division for possibly negative times. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* 0 = Monday … 6 = Sunday. */
static unsigned
weekday(int64_t day)
{
	return (unsigned)((day % 7 + 7 + 3) % 7);
}

/* The day number of the last Sunday of month m of year y. */
static int64_t
last_sunday(int64_t y, unsigned m)
{
	int64_t last = m == 12 ? days_from_civil(y + 1, 1, 1) - 1 : days_from_civil(y, m + 1, 1) - 1;

	return last - (int64_t)((weekday(last) + 1) % 7);
}

/* Paris' offset from UTC at unix time t: +1 h, +2 h in summer time (from
 * the last Sunday of March to the last Sunday of October, 01:00 UTC). */
static int64_t
paris_offset(int64_t t)
{
	int64_t y;
	unsigned m, d;

	civil_from_days(floor_div(t, 86400), &y, &m, &d);
	return t >= last_sunday(y, 3) * 86400 + 3600 && t < last_sunday(y, 10) * 86400 + 3600 ?
	    7200 : 3600;
}

/* Writes two decimal digits. */
static char *
put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/* Appends 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC) for microseconds `us`. */
static void
q_time(struct buf *b, int64_t us)
{
	char s[32], *p = s;
	int64_t secs = floor_div(us, US), day = floor_div(secs, 86400), y;
	unsigned m, d, sod = (unsigned)(secs - day * 86400), frac = (unsigned)(us - secs * US), i;

	civil_from_days(day, &y, &m, &d);
	*p++ = '\'';
	p = put2(p, (unsigned)(y / 100));
	p = put2(p, (unsigned)(y % 100));
	*p++ = '-';
	p = put2(p, m);
	*p++ = '-';
	p = put2(p, d);
	*p++ = ' ';
	p = put2(p, sod / 3600);
	*p++ = ':';
	p = put2(p, sod / 60 % 60);
	*p++ = ':';
	p = put2(p, sod % 60);
	*p++ = '.';
	for (i = 0; i < 6; i++) {
		p[5 - i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	p += 6;
	*p++ = '\'';
	buf_append(b, s, (size_t)(p - s));
}

/* ------------------------------------------------------------ hash sets */

/* A set of non-zero 64-bit keys, open addressing. */
struct u64set {
	uint64_t *slot;
	size_t cap, n;
};

/* FNV-1a of `len` bytes, never 0. */
static uint64_t
hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0xCBF29CE484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001B3ULL;
	}
	h = mix64(h);
	return h ? h : 1;
}

/* Adds key; false when it was there already. Keeps the load under 1/2. */
static bool
set_add(struct u64set *s, uint64_t key)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024, j, k;
		uint64_t *slot = calloc(cap, sizeof(*slot));

		if (!slot)
			die("out of memory");
		for (j = 0; j < s->cap; j++) {
			if (!s->slot[j])
				continue;
			for (k = (size_t)(s->slot[j] & (cap - 1)); slot[k]; k = (k + 1) & (cap - 1))
				;
			slot[k] = s->slot[j];
		}
		free(s->slot);
		s->slot = slot;
		s->cap = cap;
	}
	for (i = (size_t)(key & (s->cap - 1)); s->slot[i]; i = (i + 1) & (s->cap - 1))
		if (s->slot[i] == key)
			return false;
	s->slot[i] = key;
	s->n++;
	return true;
}

static void
set_free(struct u64set *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

/* Fenwick tree of weights: repeat buyers drawn in proportion to loyalty. */
struct fenwick {
	uint64_t *t;     /* 1-based */
	size_t n;
	uint64_t total;
};

/* Adds w to the weight of element i (0-based). */
static void
fenwick_add(struct fenwick *f, size_t i, uint64_t w)
{
	f->total += w;
	for (i++; i <= f->n; i += i & (~i + 1))
		f->t[i] += w;
}

/* The element whose cumulative range holds x, x < total. */
static size_t
fenwick_find(const struct fenwick *f, uint64_t x)
{
	size_t pos = 0, step = 1;

	while (step * 2 <= f->n)
		step *= 2;
	for (; step; step /= 2) {
		if (pos + step <= f->n && f->t[pos + step] <= x) {
			pos += step;
			x -= f->t[pos];
		}
	}
	return pos;   /* 0-based index of the next element */
}

/* ------------------------------------------------------------- the shop */

struct sprod {
	long long id;
	const char *sku, *ean, *name;
	long long price;
	unsigned vat, weight;
	bool customisable, track, existing;
	long long on_hand, threshold;
	const struct seed_item *item;
};

struct scust {
	long long id;
	char code[24];
	const char *title, *first, *last, *company, *email, *phone, *locale;
	bool account, be;
	int64_t created_us;
	struct order_address addr;
};

struct staff {
	long long id;
	const char *label;
	bool picker;
};

struct shopgen {
	const struct config *cfg;
	const struct seed_target *t;
	const struct seed_options *o;
	uint64_t salt;
	int64_t now_us, start_us;
	unsigned step;                 /* auto_increment_increment */
	struct arena arena;            /* lives as long as the shop's run */

	struct wtab first_f_fr, first_m_fr, first_f_be, first_m_be, last_fr, last_be;
	struct wtab city_fr, city_be, street_fr, street_be, line2, mail_fr, mail_be;
	struct wtab remarks_any, remarks_kind, notes, cancel, team, engravings, items;
	const struct seed_word *remarks_kind_t;
	const struct seed_item *items_t;

	struct sprod *prods;
	size_t nprods;
	struct wtab prod_pop;

	struct scust *custs;
	size_t ncusts;

	long long norders, first_number;
	int64_t *placed;
	uint32_t *cust_of;
	char (*codes)[8];

	struct staff *staff;
	size_t nstaff;

	atomic_llong done;
	atomic_int failed;

	/* Customers [0, custs_ready) have their ids: the order loaders wait on
	 * `ready` for the customers of their next chunk. */
	pthread_mutex_t lock;
	pthread_cond_t ready;
	size_t custs_ready;
};

/* ----------------------------------------------------------- SQL output */

/* Appends s as a JSON string (the data tables hold no control character,
 * but quotes and backslashes are escaped all the same). */
static void
json_str(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		if ((unsigned char)*s >= 0x20)
			buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* Runs the SQL text in b; logs a failure. */
static int
run(struct db *db, const struct buf *b)
{
	if (buf_failed(b)) {
		log_error("seed: statement too large (%zu bytes)", b->len);
		return DB_ERROR;
	}
	return db_exec_text(db, b->data, b->len);
}

/* The first id of the last multi-row INSERT on this connection. */
static int
last_insert_id(struct db *db, struct arena *a, long long *id)
{
	static const char sql[] = "SELECT LAST_INSERT_ID()";
	struct db_result res;
	int rc = db_exec(db, a, &res, sql, 0, NULL);

	if (rc != DB_OK)
		return rc;
	*id = res.nrows == 1 ? db_ll(&res, 0, 0) : 0;
	return *id > 0 ? DB_OK : DB_ERROR;
}

/* Bulk-load settings of a connection: the generator guarantees uniqueness
 * and references itself. */
static int
session_bulk(struct db *db, bool on)
{
	static const char off_sql[] = "SET SESSION unique_checks = 0, foreign_key_checks = 0";
	static const char on_sql[] = "SET SESSION unique_checks = 1, foreign_key_checks = 1";

	return on ? db_exec_text(db, off_sql, sizeof(off_sql) - 1) :
	    db_exec_text(db, on_sql, sizeof(on_sql) - 1);
}

/* ------------------------------------------------------------ strings */

/* "aaaaaaa…": ASCII letters for U+00C0..U+00FF, '.' to drop. */
static const char latin1_ascii[] =
	"aaaaaaaceeeeiiiidnooooo.ouuuuyts" "aaaaaaaceeeeiiiidnooooo.ouuuuyty";

/* Appends the lower-case ASCII form of a name for an e-mail: accents
 * removed, spaces and apostrophes dropped. */
static void
mail_part(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		if (*p < 0x80) {
			if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')
				buf_putc(b, (char)*p);
			else if (*p >= 'A' && *p <= 'Z')
				buf_putc(b, (char)(*p - 'A' + 'a'));
			p++;
		} else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
			char c = latin1_ascii[p[1] - 0x80];

			if (c != '.')
				buf_putc(b, c);
			p += 2;
		} else if (*p == 0xC5 && (p[1] == 0x92 || p[1] == 0x93)) {
			buf_puts(b, "oe");
			p += 2;
		} else {
			p++;
			while ((*p & 0xC0) == 0x80)
				p++;
		}
	}
}

/* An arena copy of the buffer's contents. */
static const char *
keep(struct arena *a, const struct buf *b)
{
	return arena_strndup(a, buf_str(b), b->len);
}

/* ------------------------------------------------------------ catalogue */

/* Whether a variant reads as a continuation ("A5", "recto verso", "VSOP")
 * rather than a name of its own ("Domaine des Ormes"). */
static bool
variant_inline(const char *v)
{
	const char *p;

	if ((*v >= 'a' && *v <= 'z') || (*v >= '0' && *v <= '9'))
		return true;
	for (p = v; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return false;
	return true;
}

/* The product name: the item's base (before ", 75 cl"), the vintage, the
 * variant, then what followed the comma. */
static const char *
product_name(struct arena *a, struct buf *tmp, const struct seed_item *it, struct rng *r)
{
	const char *comma = strstr(it->name, ", ");
	size_t base = comma ? (size_t)(comma - it->name) : strlen(it->name);
	size_t nv = 0;

	buf_reset(tmp);
	buf_append(tmp, it->name, base);
	if (it->vintage)
		buf_printf(tmp, " %d", (int)rng_range(r, 2014, 2023));
	if (it->variants) {
		const char *v;

		while (it->variants[nv])
			nv++;
		v = it->variants[rng_below(r, nv)];
		buf_puts(tmp, variant_inline(v) ? " " : " — ");
		buf_puts(tmp, v);
	}
	if (comma)
		buf_puts(tmp, comma);
	return keep(a, tmp);
}

/* A valid EAN-13 from the GS1 France range (300–379). */
static const char *
product_ean(struct arena *a, struct rng *r)
{
	char s[14];
	int i, sum = 0;

	s[0] = '3';
	s[1] = (char)('0' + rng_below(r, 8));
	for (i = 2; i < 12; i++)
		s[i] = (char)('0' + rng_below(r, 10));
	for (i = 0; i < 12; i++)
		sum += (s[i] - '0') * (i % 2 ? 3 : 1);
	s[12] = (char)('0' + (10 - sum % 10) % 10);
	s[13] = '\0';
	return arena_strdup(a, s);
}

/* Draws the catalogue and the popularity of each product. */
static void
gen_products(struct shopgen *g)
{
	const size_t nitems = g->items.n;
	struct buf tmp;
	size_t i;

	buf_init(&tmp, 4096);
	g->nprods = (size_t)g->o->products;
	g->prods = arena_alloc(&g->arena, g->nprods * sizeof(*g->prods));
	g->prod_pop.n = g->nprods;
	g->prod_pop.cum = arena_alloc(&g->arena, g->nprods * sizeof(*g->prod_pop.cum));
	for (i = 0; i < g->nprods; i++) {
		struct sprod *p = &g->prods[i];
		struct rng r;
		const struct seed_item *it;
		uint64_t pop;

		rng_init(&r, CATALOGUE_SEED, g->salt, S_PRODUCT, i);
		/* Every item once, then more variants of the popular ones. */
		it = &g->items_t[i < nitems ? i : wtab_pick(&g->items, &r)];
		p->item = it;
		buf_reset(&tmp);
		buf_printf(&tmp, "%s-%04zu", it->cat, i + 1);
		p->sku = keep(&g->arena, &tmp);
		p->name = product_name(&g->arena, &tmp, it, &r);
		p->price = rng_range(&r, it->price_min / 10, it->price_max / 10) * 10;
		if (p->price % 100 == 0)
			p->price -= 10;            /* 14,90 €, not 15,00 € */
		p->vat = it->vat_rate;
		p->weight = (unsigned)(it->weight_g * (90 + rng_below(&r, 21)) / 100);
		p->customisable = it->customisable != 0;
		p->track = it->track_stock != 0;
		p->ean = p->customisable ? NULL : product_ean(&g->arena, &r);
		if (p->track) {
			p->threshold = rng_range(&r, 3, 20);
			/* One in eight at or under its threshold: D4 shows them. */
			p->on_hand = rng_pm(&r, 125) ? rng_range(&r, 0, p->threshold) :
			    rng_range(&r, p->threshold + 1, 400);
		}
		pop = (uint64_t)it->popularity * (uint64_t)rng_range(&r, 20, 180) * 16 / (16 + i / nitems * 8);
		g->prod_pop.cum[i] = (i ? g->prod_pop.cum[i - 1] : 0) + (pop ? pop : 1);
	}
	buf_free(&tmp);
}

/* Rows ordered by their first column (a SKU), as MariaDB compares SKUs
 * (ascii_general_ci), for qsort and bsearch. */
static int
cmp_row_sku(const void *a, const void *b)
{
	return strcasecmp(((const struct db_row *)a)->col[0], ((const struct db_row *)b)->col[0]);
}

/* Finds the products the shop already has (by SKU) and inserts the others;
 * sets every id. */
static int
load_products(struct shopgen *g, struct db *db, struct seed_stats *st)
{
	static const char sql_existing[] =
		"SELECT sku, id, ean, name, price_cents, vat_rate, weight_g, track_stock,"
		" customisable FROM products WHERE shop_id = ?";
	struct arena a;
	struct db_result res;
	struct buf b;
	size_t i, j, nnew = 0;
	int rc = DB_OK;

	arena_init(&a, 1 << 16);
	if (db_exec(db, &a, &res, sql_existing, DB_PARAMS(DB_I64(g->t->shop_id))) != DB_OK) {
		arena_free(&a);
		return -1;
	}
	if (res.nrows)
		qsort(res.rows, res.nrows, sizeof(*res.rows), cmp_row_sku);
	for (i = 0; i < g->nprods; i++) {
		struct sprod *p = &g->prods[i];
		char *keycol[1] = { (char *)p->sku };
		struct db_row key = { keycol, NULL };
		struct db_row *row = res.nrows ?
		    bsearch(&key, res.rows, res.nrows, sizeof(*res.rows), cmp_row_sku) : NULL;

		if (!row) {
			nnew++;
			continue;
		}
		p->existing = true;
		p->id = strtoll(row->col[1], NULL, 10);
		p->ean = row->col[2] ? arena_strdup(&g->arena, row->col[2]) : NULL;
		p->name = arena_strdup(&g->arena, row->col[3]);
		p->price = strtoll(row->col[4], NULL, 10);
		p->vat = (unsigned)strtoul(row->col[5], NULL, 10);
		p->weight = (unsigned)strtoul(row->col[6], NULL, 10);
		p->track = row->col[7][0] == '1';
		p->customisable = row->col[8][0] == '1';
	}
	arena_free(&a);
	if (nnew == 0)
		return 0;

	buf_init(&b, SQL_MAX);
	for (i = 0; i < g->nprods && rc == DB_OK; ) {
		size_t batch[500], n = 0;
		long long first;

		buf_reset(&b);
		buf_puts(&b, "INSERT INTO products (shop_id, sku, ean, name, price_cents, vat_rate,"
		    " weight_g, track_stock, stock_on_hand, stock_reserved, low_stock_threshold,"
		    " customisable, active, created_at, updated_at) VALUES ");
		for (; i < g->nprods && n < 500; i++) {
			struct sprod *p = &g->prods[i];
			struct rng r;

			if (p->existing)
				continue;
			rng_init(&r, CATALOGUE_SEED, g->salt, S_PRODUCT, i + (1ULL << 40));
			batch[n] = i;
			buf_puts(&b, n++ ? ",(" : "(");
			sql_int(&b, g->t->shop_id);
			buf_putc(&b, ',');
			sql_str(db, &b, p->sku);
			buf_putc(&b, ',');
			sql_str_or_null(db, &b, p->ean);
			buf_putc(&b, ',');
			sql_str(db, &b, p->name);
			buf_putc(&b, ',');
			sql_int(&b, p->price);
			buf_putc(&b, ',');
			sql_int(&b, p->vat);
			buf_putc(&b, ',');
			sql_int(&b, p->weight);
			buf_puts(&b, p->track ? ",1," : ",0,");
			sql_int(&b, p->on_hand);
			buf_puts(&b, ",0,");
			sql_int(&b, p->threshold);
			buf_puts(&b, p->customisable ? ",1,1," : ",0,1,");
			q_time(&b, g->start_us - rng_range(&r, 1, 200) * 86400 * US);
			buf_putc(&b, ',');
			q_time(&b, g->start_us - rng_range(&r, 0, 86400) * US);
			buf_putc(&b, ')');
		}
		if (n == 0)
			break;
		arena_init(&a, 0);
		rc = run(db, &b);
		if (rc == DB_OK)
			rc = last_insert_id(db, &a, &first);
		arena_free(&a);
		for (j = 0; rc == DB_OK && j < n; j++)
			g->prods[batch[j]].id = first + (long long)(j * g->step);
		st->products += rc == DB_OK ? (long long)n : 0;
	}
	buf_free(&b);
	return rc == DB_OK ? 0 : -1;
}

/* ------------------------------------------------------------- timeline */

/* Relative weight of each month (January first) for the shop's kind. */
static const unsigned month_weight[3][12] = {
	/* print: greetings in January, weddings in June, August off */
	{ 110, 100, 105, 100, 105, 110, 80, 55, 115, 105, 100, 95 },
	/* wine: Christmas and the wine fairs of autumn */
	{ 75, 80, 90, 95, 100, 100, 85, 70, 100, 105, 125, 180 },
	/* gift: Valentine's day, Mother's day, Christmas */
	{ 80, 110, 90, 90, 110, 100, 80, 70, 90, 100, 130, 190 },
};

/* Relative weight of each hour of the day, local time. */
static const unsigned hour_weight[2][24] = {
	/* the public, on the web: evenings count */
	{ 10, 5, 3, 2, 2, 4, 10, 20, 40, 60, 70, 70, 60, 60, 70, 70, 60, 60, 60, 60, 70, 70, 50, 30 },
	/* businesses: office hours */
	{ 3, 1, 1, 1, 1, 2, 6, 25, 70, 95, 100, 95, 60, 70, 95, 100, 90, 70, 40, 30, 30, 25, 15, 8 },
};

static const unsigned weekday_weight[2][7] = {
	{ 115, 110, 105, 105, 100, 75, 65 },
	{ 120, 115, 110, 110, 100, 45, 30 },
};

/* qsort order of int64 values. */
static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* When each order is placed, in time order (see the file comment). */
static void
gen_timeline(struct shopgen *g)
{
	const int kind = (int)g->t->kind, biz = g->t->kind == SEED_PRINT;
	const int64_t now = g->now_us / US;
	const int64_t today = floor_div(now + paris_offset(now), 86400);
	const int64_t elapsed = now + paris_offset(now) - today * 86400;   /* seconds, local */
	double w[HISTORY_DAYS], total = 0, cum = 0;
	long long placed = 0, prev = 0;
	struct rng r;
	int d;

	rng_init(&r, g->o->seed, g->salt, S_TIMELINE, 0);
	for (d = 0; d < HISTORY_DAYS; d++) {
		int64_t day = today - (HISTORY_DAYS - 1) + d, y;
		unsigned m, dd;

		civil_from_days(day, &y, &m, &dd);
		w[d] = (0.5 + 0.5 * d / (HISTORY_DAYS - 1)) * weekday_weight[biz][weekday(day)] *
		    month_weight[kind][m - 1];
		if (d == HISTORY_DAYS - 1)
			w[d] *= (double)elapsed / 86400;
		total += w[d];
	}
	g->start_us = ((today - (HISTORY_DAYS - 1)) * 86400 - 3600) * US;
	for (d = 0; d < HISTORY_DAYS; d++) {
		int64_t day = today - (HISTORY_DAYS - 1) + d;
		long long upto, k, n;

		cum += w[d];
		upto = (long long)((double)g->norders * cum / total + 0.5);
		if (d == HISTORY_DAYS - 1)
			upto = g->norders;
		n = upto - prev;
		prev = upto;
		for (k = 0; k < n; k++) {
			int64_t sec = (int64_t)rng_weights(&r, hour_weight[biz], 24) * 3600 +
			    (int64_t)rng_below(&r, 3600), local, utc;

			if (d == HISTORY_DAYS - 1 && sec >= elapsed)
				sec = (int64_t)rng_below(&r, (uint64_t)(elapsed > 60 ? elapsed - 60 : 1));
			local = day * 86400 + sec;
			utc = local - paris_offset(local - 3600);
			g->placed[placed + k] = utc * US + (int64_t)rng_below(&r, US);
			if (g->placed[placed + k] > g->now_us - 60 * US)
				g->placed[placed + k] = g->now_us - 60 * US - (int64_t)rng_below(&r, 60 * US);
		}
		qsort(g->placed + placed, (size_t)n, sizeof(*g->placed), cmp_i64);
		placed += n;
	}
}

/* Which customer places each order: new customers spread evenly over the
 * orders, repeat buyers drawn by loyalty. Returns the first order of each
 * customer in first_order[]. */
static void
gen_assignment(struct shopgen *g, long long *first_order)
{
	static const unsigned loyalty_w[] = { 700, 200, 80, 20 };
	static const unsigned loyalty_v[] = { 1, 3, 10, 40 };
	struct fenwick f = { 0 };
	struct rng r;
	long long i;
	size_t k = 0;

	f.n = g->ncusts;
	f.t = calloc(f.n + 1, sizeof(*f.t));
	if (!f.t)
		die("out of memory");
	rng_init(&r, g->o->seed, g->salt, S_ASSIGN, 0);
	for (i = 0; i < g->norders; i++) {
		uint64_t left_new = g->ncusts - k, left = (uint64_t)(g->norders - i);

		if (k == 0 || rng_below(&r, left) < left_new) {
			first_order[k] = i;
			fenwick_add(&f, k, loyalty_v[rng_weights(&r, loyalty_w, 4)]);
			g->cust_of[i] = (uint32_t)k++;
		} else {
			g->cust_of[i] = (uint32_t)fenwick_find(&f, rng_below(&r, f.total));
		}
	}
	free(f.t);
}

/* ------------------------------------------------------------ customers */

/* An address in France or Belgium for `name`. */
static void
gen_address(struct shopgen *g, struct rng *r, struct arena *a, struct buf *tmp, bool be,
    struct order_address *ad)
{
	const struct seed_city *c = be ? &seed_cities_be[wtab_pick(&g->city_be, r)] :
	    &seed_cities_fr[wtab_pick(&g->city_fr, r)];
	const char *street = be ? seed_streets_be[wtab_pick(&g->street_be, r)].s :
	    seed_streets_fr[wtab_pick(&g->street_fr, r)].s;
	long long number = rng_pm(r, 700) ? rng_range(r, 1, 40) : rng_range(r, 41, 220);

	buf_reset(tmp);
	if (be)
		buf_printf(tmp, "%s %lld", street, number);
	else
		buf_printf(tmp, "%lld%s %s", number, rng_pm(r, 30) ? " bis" : "", street);
	ad->line1 = keep(a, tmp);
	ad->line2 = rng_pm(r, 120) ? seed_line2[wtab_pick(&g->line2, r)].s : "";
	if (c->districts > 1) {
		buf_reset(tmp);
		buf_printf(tmp, "%05ld", strtol(c->postcode, NULL, 10) + (long)rng_below(r, c->districts));
		ad->postcode = keep(a, tmp);
	} else {
		ad->postcode = c->postcode;
	}
	ad->city = c->name;
	ad->region = c->region;
	ad->country = be ? "BE" : "FR";
}

/* A phone number in E.164: French numbers from the blocks ARCEP keeps for
 * fiction (06 39 98, 01 99 00, 02 61 91, 03 53 01, 04 65 71, 05 36 49),
 * Belgian mobiles +32 4… */
static const char *
gen_phone(struct rng *r, struct arena *a, struct buf *tmp, bool be)
{
	static const char *const fixed[] = { "+3319900", "+3326191", "+3335301", "+3346571", "+3353649" };

	buf_reset(tmp);
	if (be)
		buf_printf(tmp, "+324%02d%06d", (int)rng_range(r, 60, 99), (int)rng_below(r, 1000000));
	else if (rng_pm(r, 800))
		buf_printf(tmp, "+3363998%04d", (int)rng_below(r, 10000));
	else
		buf_printf(tmp, "%s%04d", fixed[rng_below(r, 5)], (int)rng_below(r, 10000));
	return keep(a, tmp);
}

/* A person's name: sets *first and *last, returns whether a woman. */
static bool
gen_person(struct shopgen *g, struct rng *r, bool be, const char **first, const char **last)
{
	bool woman = rng_pm(r, 540);
	bool be_first = be && rng_pm(r, 550);

	if (woman)
		*first = be_first ? seed_first_f_be[wtab_pick(&g->first_f_be, r)].s :
		    seed_first_f_fr[wtab_pick(&g->first_f_fr, r)].s;
	else
		*first = be_first ? seed_first_m_be[wtab_pick(&g->first_m_be, r)].s :
		    seed_first_m_fr[wtab_pick(&g->first_m_fr, r)].s;
	*last = be && rng_pm(r, 600) ? seed_last_be[wtab_pick(&g->last_be, r)].s :
	    seed_last_fr[wtab_pick(&g->last_fr, r)].s;
	return woman;
}

/* An e-mail address not yet in `taken`, in one of the forms people use. */
static const char *
gen_email(struct shopgen *g, struct rng *r, struct buf *tmp, struct u64set *taken,
    const struct scust *c)
{
	static const unsigned form_w[] = { 40, 15, 12, 13, 10, 10 };
	const char *domain = c->be ? seed_mail_be[wtab_pick(&g->mail_be, r)].s :
	    seed_mail_fr[wtab_pick(&g->mail_fr, r)].s;
	size_t form = rng_weights(r, form_w, 6), local;
	unsigned n;

	buf_reset(tmp);
	switch (form) {
	case 0: mail_part(tmp, c->first); buf_putc(tmp, '.'); mail_part(tmp, c->last); break;
	case 1: mail_part(tmp, c->first); mail_part(tmp, c->last); break;
	case 2:
		mail_part(tmp, c->first);
		if (tmp->len > 1)
			tmp->len = 1;
		buf_putc(tmp, '.');
		mail_part(tmp, c->last);
		break;
	case 3:
		mail_part(tmp, c->first); buf_putc(tmp, '.'); mail_part(tmp, c->last);
		buf_printf(tmp, "%02d", (int)rng_range(r, 1, 99));
		break;
	case 4:
		mail_part(tmp, c->first); mail_part(tmp, c->last);
		buf_printf(tmp, "%02d", (int)rng_range(r, 50, 105) % 100);
		break;
	default: mail_part(tmp, c->last); buf_putc(tmp, '.'); mail_part(tmp, c->first); break;
	}
	local = tmp->len;
	for (n = 1;; n++) {
		tmp->len = local;
		if (n > 1)
			buf_printf(tmp, "%u", n < 5 ? (unsigned)rng_range(r, 2, 99) : n);
		buf_putc(tmp, '@');
		buf_puts(tmp, domain);
		if (set_add(taken, hash_bytes(tmp->data, tmp->len)))
			return keep(&g->arena, tmp);
	}
}

/* Loads the shop's e-mails (lower case) into `taken`, by keyset pages. */
static int
load_emails(struct shopgen *g, struct db *db, struct u64set *taken)
{
	static const char sql[] =
		"SELECT LOWER(email) FROM customers WHERE shop_id = ? AND email > ?"
		" ORDER BY email LIMIT 20000";
	struct arena a;
	struct db_result res;
	char *after = strdup("");
	size_t i;

	if (!after)
		die("out of memory");
	arena_init(&a, 1 << 20);
	for (;;) {
		arena_reset(&a);
		if (db_exec(db, &a, &res, sql, DB_PARAMS(DB_I64(g->t->shop_id), DB_STR(after))) != DB_OK) {
			free(after);
			arena_free(&a);
			return -1;
		}
		for (i = 0; i < res.nrows; i++)
			set_add(taken, hash_bytes(res.rows[i].col[0], res.rows[i].len[0]));
		if (res.nrows < 20000)
			break;
		free(after);
		after = strdup(res.rows[res.nrows - 1].col[0]);
		if (!after)
			die("out of memory");
	}
	free(after);
	arena_free(&a);
	return 0;
}

/* Draws the customers; each is created just before their first order. */
static int
gen_customers(struct shopgen *g, struct db *db, const long long *first_order)
{
	struct u64set taken = { 0 };
	struct buf tmp;
	size_t i;

	if (load_emails(g, db, &taken) != 0)
		return -1;
	buf_init(&tmp, 4096);
	for (i = 0; i < g->ncusts; i++) {
		struct scust *c = &g->custs[i];
		unsigned be_pm = g->t->kind == SEED_PRINT ? 80 : 140;
		int64_t first = g->placed[first_order[i]];
		struct rng r;
		bool woman;

		rng_init(&r, g->o->seed, g->salt, S_CUSTOMER, i);
		c->be = rng_pm(&r, be_pm);
		woman = gen_person(g, &r, c->be, &c->first, &c->last);
		c->title = woman ? "Mme" : "M.";
		c->company = "";
		if (rng_pm(&r, g->t->kind == SEED_PRINT ? 300 : 50)) {
			const struct seed_company *co = &seed_companies[rng_below(&r, seed_companies_n)];

			buf_reset(&tmp);
			buf_puts(&tmp, co->prefix);
			buf_puts(&tmp, co->of_city ? (c->be ? seed_cities_be[wtab_pick(&g->city_be, &r)].name :
			    seed_cities_fr[wtab_pick(&g->city_fr, &r)].name) : c->last);
			buf_puts(&tmp, co->suffix);
			c->company = keep(&g->arena, &tmp);
		}
		c->email = gen_email(g, &r, &tmp, &taken, c);
		c->phone = gen_phone(&r, &g->arena, &tmp, c->be);
		c->account = g->t->accounts_required || rng_pm(&r, 650);
		c->locale = rng_pm(&r, 30) ? "en" : "fr";
		c->created_us = first - (c->account ? rng_range(&r, 60, 30 * 86400) : rng_range(&r, 60, 600)) * US;
		gen_address(g, &r, &g->arena, &tmp, c->be, &c->addr);
		buf_reset(&tmp);
		buf_printf(&tmp, "%s %s", c->first, c->last);
		c->addr.name = keep(&g->arena, &tmp);
		c->addr.company = c->company;
		c->addr.phone = c->phone;
	}
	buf_free(&tmp);
	set_free(&taken);
	return 0;
}

/* Inserts customers [from, to) and reads their ids. customers.code stays
 * NULL: it holds imported codes only; a customer's own code is derived
 * from its id ("C000042"), as the orders' snapshot has it. */
static int
insert_customers(struct shopgen *g, struct db *db, struct buf *b, size_t from, size_t to)
{
	struct arena a;
	long long first;
	size_t i;
	int rc;

	buf_reset(b);
	buf_puts(b, "INSERT INTO customers (shop_id, title, first_name, last_name, company, email,"
	    " phone, has_account, locale, created_at, updated_at) VALUES ");
	for (i = from; i < to; i++) {
		const struct scust *c = &g->custs[i];

		buf_puts(b, i > from ? ",(" : "(");
		sql_int(b, g->t->shop_id);
		buf_putc(b, ',');
		sql_str(db, b, c->title);
		buf_putc(b, ',');
		sql_str(db, b, c->first);
		buf_putc(b, ',');
		sql_str(db, b, c->last);
		buf_putc(b, ',');
		sql_str(db, b, c->company);
		buf_putc(b, ',');
		sql_str(db, b, c->email);
		buf_putc(b, ',');
		sql_str(db, b, c->phone);
		buf_puts(b, c->account ? ",1," : ",0,");
		sql_str(db, b, c->locale);
		buf_putc(b, ',');
		q_time(b, c->created_us);
		buf_putc(b, ',');
		q_time(b, c->created_us);
		buf_putc(b, ')');
	}
	arena_init(&a, 0);
	rc = run(db, b);
	if (rc == DB_OK)
		rc = last_insert_id(db, &a, &first);
	arena_free(&a);
	for (i = from; rc == DB_OK && i < to; i++) {
		struct scust *c = &g->custs[i];

		c->id = first + (long long)((i - from) * g->step);
		snprintf(c->code, sizeof(c->code), "C%06lld", c->id);
	}
	return rc;
}

struct cust_tx {
	struct shopgen *g;
	struct buf *b;
	size_t from, to;
};

/* One transaction of customer batches (db_tx callback). */
static int
cust_tx_run(struct db *db, void *ctx)
{
	struct cust_tx *x = ctx;
	size_t i;
	int rc = DB_OK;

	for (i = x->from; i < x->to && rc == DB_OK; i += 1000)
		rc = insert_customers(x->g, db, x->b, i, i + 1000 < x->to ? i + 1000 : x->to);
	return rc;
}

/* ------------------------------------------------------------ order codes */

/* The alphabet of core/orders/code.c: no 0/O, 1/I/L. Codes are drawn from
 * the seeded generator here (reproducible, and 8 M characters from
 * libsodium's getrandom() would cost seconds); order_code_normalise()
 * accepts every one of them. */
static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/* Loads the shop's order codes into `taken`, by keyset pages. */
static int
load_codes(struct shopgen *g, struct db *db, struct u64set *taken)
{
	static const char sql[] =
		"SELECT code FROM orders WHERE shop_id = ? AND code > ? ORDER BY code LIMIT 50000";
	struct arena a;
	struct db_result res;
	char after[ORDER_CODE_LEN + 1] = "";
	size_t i;

	arena_init(&a, 1 << 20);
	for (;;) {
		arena_reset(&a);
		if (db_exec(db, &a, &res, sql, DB_PARAMS(DB_I64(g->t->shop_id), DB_STR(after))) != DB_OK) {
			arena_free(&a);
			return -1;
		}
		for (i = 0; i < res.nrows; i++)
			set_add(taken, hash_bytes(res.rows[i].col[0], res.rows[i].len[0]));
		if (res.nrows < 50000)
			break;
		snprintf(after, sizeof(after), "%s", res.rows[res.nrows - 1].col[0]);
	}
	arena_free(&a);
	return 0;
}

/* Draws a code per order, unique in the shop. */
static int
gen_codes(struct shopgen *g, struct db *db)
{
	struct u64set taken = { 0 };
	long long i;
	size_t k;

	for (k = 0; code_alphabet[k]; k++) {
		char in[ORDER_CODE_LEN + 1], out[ORDER_CODE_LEN + 1];

		memset(in, code_alphabet[k], ORDER_CODE_LEN);
		in[ORDER_CODE_LEN] = '\0';
		if (!order_code_normalise(in, out))
			die("seed: the order code alphabet differs from core/orders/code.c");
	}
	if (load_codes(g, db, &taken) != 0)
		return -1;
	for (i = 0; i < g->norders; i++) {
		struct rng r;

		rng_init(&r, g->o->seed, g->salt, S_CODE, (uint64_t)i);
		do {
			for (k = 0; k < 8; k++)
				g->codes[i][k] = code_alphabet[rng_below(&r, sizeof(code_alphabet) - 1)];
		} while (!set_add(&taken, hash_bytes(g->codes[i], 8)));
	}
	set_free(&taken);
	return 0;
}

/* ---------------------------------------------------------------- orders */

enum { ST_RECEIVED, ST_AWAITING, ST_PROCESSING, ST_SHIPPED, ST_DELIVERED, ST_COMPLETED,
	ST_CANCELLED, ST_N };

static const char *const status_name[ST_N] = { "received", "awaiting_payment", "processing",
	"shipped", "delivered", "completed", "cancelled" };

/* Per mille of each status by the order's age: under 2 days, 2–7 days,
 * 7–30 days, older. */
static const unsigned status_mix[4][ST_N] = {
	{ 330, 150, 330, 150, 0, 0, 40 },
	{ 30, 80, 220, 430, 150, 40, 50 },
	{ 0, 30, 50, 230, 250, 380, 60 },
	{ 0, 0, 0, 30, 60, 860, 50 },
};

enum { PM_CARD, PM_PAYPAL, PM_TRANSFER, PM_CHEQUE, PM_N };
static const char *const pm_name[PM_N] = { "card", "paypal", "banktransfer", "cheque" };
static const unsigned pm_w[2][PM_N] = { { 580, 200, 140, 80 }, { 480, 150, 280, 90 } };

enum { CA_COLISSIMO, CA_MONDIAL, CA_CHRONO, CA_BPOST, CA_PICKUP, CA_N };
static const char *const carrier_name[CA_N] = { "colissimo", "mondial_relay", "chronopost",
	"bpost", "pickup" };
static const char *const carrier_label[CA_N] = { "Colissimo", "Mondial Relay", "Chronopost",
	"bpost", "Retrait en boutique" };
static const unsigned carrier_w[2][CA_N] = { { 450, 280, 120, 0, 150 }, { 0, 300, 100, 600, 0 } };
/* Price (cents, with VAT) by weight up to 1, 2, 5, 10 kg and above. */
static const long long carrier_cost[CA_N][5] = {
	{ 790, 990, 1490, 2190, 2990 }, { 450, 550, 790, 1190, 1590 },
	{ 1690, 1690, 1990, 2590, 3490 }, { 1290, 1290, 1690, 2290, 2990 }, { 0, 0, 0, 0, 0 },
};

enum { CH_WEB, CH_PHONE, CH_BACK, CH_API, CH_N };
static const char *const channel_name[CH_N] = { "web", "phone", "back_office", "api" };
static const unsigned channel_w[2][CH_N] = { { 840, 60, 50, 50 }, { 720, 140, 90, 50 } };

/* Print options: the run (with its price factor, percent), then choices. */
struct print_run { const char *label; unsigned factor; };
static const struct print_run runs_cards[] = { { "250 ex.", 100 }, { "500 ex.", 135 },
	{ "1000 ex.", 190 }, { "2500 ex.", 360 } };
static const struct print_run runs_flyers[] = { { "500 ex.", 100 }, { "1000 ex.", 140 },
	{ "2500 ex.", 230 }, { "5000 ex.", 380 } };
static const struct print_run runs_posters[] = { { "1 ex.", 100 }, { "5 ex.", 320 }, { "10 ex.", 520 },
	{ "25 ex.", 1050 } };
static const struct print_run runs_stationery[] = { { "50 ex.", 100 }, { "100 ex.", 160 }, { "150 ex.", 210 } };
static const char *const papers_cards[] = { "350 g couché mat", "400 g couché satiné",
	"300 g recyclé", "450 g création" };
static const char *const papers_flyers[] = { "135 g couché brillant", "170 g couché mat",
	"250 g couché satiné", "90 g offset recyclé" };
static const char *const papers_posters[] = { "170 g couché satiné", "200 g photo brillant",
	"115 g dos bleu" };
static const char *const papers_stationery[] = { "Création 300 g ivoire", "Kraft 300 g", "Coton 350 g" };
static const char *const finishes[] = { "Sans", "Pelliculage mat", "Pelliculage soft touch",
	"Vernis sélectif" };
static const char *const banner_finishes[] = { "Œillets tous les 50 cm", "Œillets aux 4 coins",
	"Fourreaux haut et bas" };
static const char *const artwork[] = { "Fichier fourni par le client", "Création par l'atelier (BAT)" };
static const char *const inks[] = { "Noire", "Bleue", "Rouge", "Verte" };

#define PICK(r, arr) ((arr)[rng_below((r), sizeof(arr) / sizeof((arr)[0]))])

struct gline {
	const struct sprod *p;
	const char *options;
	long long qty, unit, discount, shipped;
	long long weight;          /* of one unit */
	bool reserved;
};

struct gevent {
	int64_t at;
	const char *actor_type, *label, *action, *details;
	long long actor_id;     /* 0 for NULL */
};

struct gorder {
	long long id, number;
	const char *code;
	int64_t placed, updated;
	int status;
	const char *payment_state, *shipping_state, *channel, *title, *remarks, *reference,
	    *external_reference;
	int pm, carrier;
	bool on_hold, is_test;
	struct order_totals totals;
	struct money_line ml[MAX_LINES];
	const char *vat_breakdown;
	long long shipping, paid, weight;
	const struct scust *c;
	struct order_address shipping_addr;
	struct gline lines[MAX_LINES];
	size_t nlines;
	struct gevent events[MAX_EVENTS];
	size_t nevents;
};

struct worker {
	struct shopgen *g;
	int index, nthreads;       /* takes chunks index, index + nthreads, … */
	struct db *db;
	struct arena arena;        /* per chunk */
	struct buf tmp, sql;
	struct gorder *orders;     /* the chunk */
	size_t n;
	long long *reserve;        /* stock reserved by the chunk, per product */
	struct seed_stats st;
	int rc;
	pthread_t tid;
};

/* A staff member for the history: mostly a picker for shipping, never a
 * picker for the rest (payments, cancellations, notes) when the shop has
 * someone else. */
static void
pick_staff(const struct shopgen *g, struct rng *r, bool shipping, struct gevent *e)
{
	size_t i, pickers = 0, k;
	bool want_picker;

	e->actor_type = "staff";
	if (g->nstaff == 0) {
		e->label = seed_team[wtab_pick(&g->team, r)].s;
		e->actor_id = 0;
		return;
	}
	for (i = 0; i < g->nstaff; i++)
		pickers += g->staff[i].picker;
	want_picker = shipping ? rng_pm(r, 800) : false;
	if (pickers == 0 || pickers == g->nstaff) {
		i = rng_below(r, g->nstaff);
	} else {
		k = rng_below(r, want_picker ? pickers : g->nstaff - pickers);
		for (i = 0; i < g->nstaff; i++)
			if (g->staff[i].picker == want_picker && k-- == 0)
				break;
	}
	e->label = g->staff[i].label;
	e->actor_id = g->staff[i].id;
}

/* The options of a print or engraved line, as a JSON object; scales the
 * unit price and weight by the chosen run. */
static const char *
gen_options(struct worker *w, struct rng *r, const struct seed_item *it, long long *unit,
    long long *weight)
{
	struct buf *b = &w->tmp;
	const struct print_run *pr = NULL;

	buf_reset(b);
	switch (it ? it->opts : OPT_NONE) {
	case OPT_CARDS:
		pr = &PICK(r, runs_cards);
		buf_printf(b, "{\"Quantité\":\"%s\",\"Papier\":\"%s\",\"Finition\":\"%s\"}",
		    pr->label, PICK(r, papers_cards), PICK(r, finishes));
		break;
	case OPT_FLYERS:
		pr = &PICK(r, runs_flyers);
		buf_printf(b, "{\"Quantité\":\"%s\",\"Papier\":\"%s\",\"Impression\":\"%s\"}",
		    pr->label, PICK(r, papers_flyers), rng_pm(r, 600) ? "Recto verso" : "Recto");
		break;
	case OPT_POSTERS:
		pr = &PICK(r, runs_posters);
		buf_printf(b, "{\"Quantité\":\"%s\",\"Papier\":\"%s\"}", pr->label, PICK(r, papers_posters));
		break;
	case OPT_STATIONERY:
		pr = &PICK(r, runs_stationery);
		buf_printf(b, "{\"Quantité\":\"%s\",\"Papier\":\"%s\",\"Maquette\":\"%s\"}",
		    pr->label, PICK(r, papers_stationery), PICK(r, artwork));
		break;
	case OPT_BANNER:
		buf_printf(b, "{\"Finition\":\"%s\",\"Maquette\":\"%s\"}", PICK(r, banner_finishes),
		    PICK(r, artwork));
		break;
	case OPT_STAMP:
		buf_printf(b, "{\"Encre\":\"%s\",\"Lignes\":\"%d\"}", PICK(r, inks), (int)rng_range(r, 2, 5));
		break;
	case OPT_ENGRAVING:
		buf_puts(b, "{\"Gravure\":");
		json_str(b, seed_engravings[wtab_pick(&w->g->engravings, r)].s);
		buf_putc(b, '}');
		break;
	case OPT_NONE:
		return "{}";
	}
	if (pr) {
		*unit = (*unit * pr->factor + 500) / 1000 * 10;
		*weight = *weight * pr->factor / 100;
	}
	return keep(&w->arena, b);
}

/* How many units a line takes. */
static long long
gen_quantity(struct rng *r, const struct seed_item *it)
{
	static const unsigned few_w[] = { 600, 250, 100, 50 };
	static const unsigned bottles_w[] = { 380, 250, 170, 160, 40 };
	static const long long bottles[] = { 1, 2, 3, 6, 12 };

	switch (it ? it->qty : QTY_ONE) {
	case QTY_FEW: {
		size_t k = rng_weights(r, few_w, 4);

		return k < 3 ? (long long)k + 1 : rng_range(r, 4, 6);
	}
	case QTY_BOTTLES:
		return bottles[rng_weights(r, bottles_w, 5)];
	case QTY_SPIRIT:
		return rng_pm(r, 850) ? 1 : 2;
	case QTY_ONE:
		break;
	}
	return rng_pm(r, 900) ? 1 : 2;
}

/* The lines of an order: 1–5 distinct products (mostly 1 or 2). */
static void
gen_lines(struct worker *w, struct rng *r, struct gorder *o)
{
	static const unsigned nlines_w[] = { 450, 300, 130, 80, 40 };
	const struct shopgen *g = w->g;
	size_t n = rng_weights(r, nlines_w, 5) + 1, i, k;

	if (n > g->nprods)
		n = g->nprods;
	o->nlines = 0;
	for (i = 0; i < n; i++) {
		const struct sprod *p = NULL;
		struct gline *l = &o->lines[o->nlines];
		long long gross;
		int tries;

		for (tries = 0; tries < 8 && !p; tries++) {
			p = &g->prods[wtab_pick(&g->prod_pop, r)];
			for (k = 0; k < o->nlines; k++)
				if (o->lines[k].p == p)
					p = NULL;
		}
		if (!p)
			continue;
		l->p = p;
		l->qty = gen_quantity(r, p->item);
		l->unit = p->price;
		l->weight = p->weight;
		l->options = p->customisable ? gen_options(w, r, p->item, &l->unit, &l->weight) : "{}";
		gross = l->unit * l->qty;
		l->discount = 0;
		if (rng_pm(r, 60)) {
			if (l->qty >= 6)
				l->discount = gross * 5 / 100;        /* by the case */
			else if (gross > 3000 && rng_pm(r, 400))
				l->discount = 500;
			else
				l->discount = gross / 10;             /* a 10 % voucher */
		}
		o->ml[o->nlines] = (struct money_line){ .unit_cents = l->unit, .quantity = l->qty,
			.discount_cents = l->discount, .vat_rate = p->vat };
		o->nlines++;
	}
}

/* Appends an event; `at` is kept after the previous one and before now. */
static struct gevent *
add_event(struct shopgen *g, struct gorder *o, int64_t at, const char *action)
{
	struct gevent *e = &o->events[o->nevents++];
	int64_t prev = o->nevents > 1 ? o->events[o->nevents - 2].at : o->placed;

	if (at > g->now_us - US)
		at = g->now_us - US;
	if (o->nevents > 1 && at <= prev)
		at = prev + 1000;
	e->at = at;
	e->action = action;
	e->actor_id = 0;
	e->actor_type = "system";
	e->label = "";
	return e;
}

/* The status change event from → to, at `at`, with extra JSON members. */
static struct gevent *
status_event(struct worker *w, struct gorder *o, int64_t at, int from, int to, const char *extra)
{
	struct gevent *e = add_event(w->g, o, at, "order.status_changed");

	buf_reset(&w->tmp);
	buf_printf(&w->tmp, "{\"from\":\"%s\",\"to\":\"%s\"%s%s}", status_name[from], status_name[to],
	    extra ? "," : "", extra ? extra : "");
	e->details = keep(&w->arena, &w->tmp);
	return e;
}

/* Status, states, payment and the history of an order, by its age. The
 * usual delays (payment, shipping, delivery, closing) are drawn first,
 * then shrunk when the order is too young for them, so that the history
 * always ends before now. */
static void
gen_history(struct worker *w, struct rng *r, struct gorder *o)
{
	struct shopgen *g = w->g;
	const int64_t age_us = g->now_us - o->placed;
	const double age = (double)age_us / (86400.0 * US);
	const int bucket = age < 2 ? 0 : age < 7 ? 1 : age < 30 ? 2 : 3;
	const int64_t cancel_delay = (int64_t)g->t->unpaid_cancel_days * 86400 * US;
	bool offline, auto_cancel = false;
	int status = (int)rng_weights(r, status_mix[bucket], ST_N), initial;
	int64_t d_pay, d_ship, d_deliver, d_close, d_cancel, total = 0, avail, t = o->placed;
	double scale = 1;
	struct gevent *e;
	char extra[160];

	if (status == ST_AWAITING && (o->pm == PM_CARD || o->pm == PM_PAYPAL))
		o->pm = rng_pm(r, 700) || o->c->be ? PM_TRANSFER : PM_CHEQUE;
	offline = o->pm == PM_TRANSFER || o->pm == PM_CHEQUE;
	/* The shop cancels what stays unpaid past its delay (W5). */
	if (offline && cancel_delay > 0 && age_us > cancel_delay + 60 * US &&
	    (status == ST_AWAITING || (status == ST_CANCELLED && rng_pm(r, 500)))) {
		status = ST_CANCELLED;
		auto_cancel = true;
	}
	initial = status == ST_RECEIVED || !offline ? ST_RECEIVED : ST_AWAITING;
	o->status = status;

	d_pay = offline ? rng_range(r, 86400, 4 * 86400) * US : rng_range(r, 1800, 20 * 3600) * US;
	d_ship = rng_range(r, 4 * 3600, 2 * 86400) * US;
	d_deliver = rng_range(r, 86400, 3 * 86400) * US;
	d_close = rng_range(r, 10 * 86400, 20 * 86400) * US;
	d_cancel = auto_cancel ? cancel_delay + rng_range(r, 0, 7200) * US :
	    rng_range(r, 600, 3 * 86400) * US;
	if (auto_cancel && d_cancel > age_us - 30 * US)
		d_cancel = age_us - 30 * US;
	switch (status) {
	case ST_CANCELLED: total = auto_cancel ? 0 : d_cancel; break;
	case ST_PROCESSING: total = d_pay; break;
	case ST_SHIPPED: total = d_pay + d_ship; break;
	case ST_DELIVERED: total = d_pay + d_ship + d_deliver; break;
	case ST_COMPLETED: total = d_pay + d_ship + d_close; break;
	default: break;
	}
	avail = age_us - 60 * US;
	if (total > 0 && total > avail)
		scale = avail > 0 ? (double)avail / (double)total * 0.95 : 0;
#define LATER(d) (t += (int64_t)((double)(d) * scale))

	/* order.created */
	e = add_event(g, o, o->placed, "order.created");
	buf_reset(&w->tmp);
	buf_printf(&w->tmp, "{\"channel\":\"%s\",\"lines\":%zu,\"total\":%lld,\"currency\":\"%s\","
	    "\"status\":\"%s\"}", o->channel, o->nlines, o->totals.total_cents, g->t->currency,
	    status_name[initial]);
	e->details = keep(&w->arena, &w->tmp);
	if (strcmp(o->channel, "web") == 0) {
		e->actor_type = "customer";
		e->actor_id = o->c->id;
		e->label = o->c->addr.name;
	} else if (strcmp(o->channel, "api") == 0) {
		e->actor_type = "api";
		e->label = "Boutique en ligne (API)";
	} else {
		pick_staff(g, r, false, e);
	}

	if (status == ST_CANCELLED) {
		const char *reason = auto_cancel ? "Paiement non reçu dans le délai" :
		    seed_cancel_reasons[wtab_pick(&g->cancel, r)].s;

		if (auto_cancel)
			t += d_cancel;
		else
			LATER(d_cancel);
		buf_reset(&w->tmp);
		buf_puts(&w->tmp, "\"reason\":");
		json_str(&w->tmp, reason);
		snprintf(extra, sizeof(extra), "%s", buf_str(&w->tmp));
		e = status_event(w, o, t, initial, ST_CANCELLED, extra);
		if (auto_cancel)
			e->label = "Annulation automatique";
		else
			pick_staff(g, r, false, e);
		/* Paid by card or PayPal at once, so refunded; never paid otherwise. */
		o->payment_state = offline ? "unpaid" : "refunded";
		o->shipping_state = "unshipped";
		o->paid = 0;
		goto done;
	}
	if (status == ST_RECEIVED || status == ST_AWAITING) {
		o->payment_state = offline ? "unpaid" : "paid";
		o->paid = offline ? 0 : o->totals.total_cents;
		o->shipping_state = "unshipped";
		goto done;
	}

	/* Paid, then processing. */
	o->payment_state = "paid";
	o->paid = o->totals.total_cents;
	LATER(d_pay);
	snprintf(extra, sizeof(extra), "\"payment\":\"%s\",\"amount\":%lld", pm_name[o->pm],
	    o->totals.total_cents);
	e = status_event(w, o, t, initial, ST_PROCESSING, extra);
	if (offline)
		pick_staff(g, r, false, e);
	else
		e->label = o->pm == PM_CARD ? "Paiement par carte bancaire" : "PayPal";
	if (status == ST_PROCESSING) {
		o->shipping_state = "unshipped";
		o->on_hold = rng_pm(r, 20);
		goto done;
	}

	/* Shipped, with the carrier's tracking number. */
	LATER(d_ship);
	{
		unsigned long long num = rng_next(r);

		switch (o->carrier) {
		case CA_COLISSIMO:
			snprintf(extra, sizeof(extra), "\"carrier\":\"colissimo\",\"tracking\":\"6A%011llu\"",
			    num % 100000000000ULL);
			break;
		case CA_CHRONO:
			snprintf(extra, sizeof(extra), "\"carrier\":\"chronopost\",\"tracking\":\"XW%09lluFR\"",
			    num % 1000000000ULL);
			break;
		case CA_BPOST:
			snprintf(extra, sizeof(extra), "\"carrier\":\"bpost\",\"tracking\":\"3232%014llu\"",
			    num % 100000000000000ULL);
			break;
		case CA_MONDIAL:
			snprintf(extra, sizeof(extra), "\"carrier\":\"mondial_relay\",\"tracking\":\"%08llu\"",
			    num % 100000000ULL);
			break;
		default:
			snprintf(extra, sizeof(extra), "\"carrier\":\"pickup\"");
			break;
		}
	}
	e = status_event(w, o, t, ST_PROCESSING, ST_SHIPPED, extra);
	pick_staff(g, r, true, e);
	o->shipping_state = "shipped";
	if (status == ST_SHIPPED)
		goto done;

	/* Delivered (the carrier says so), or completed (closed by the shop). */
	o->shipping_state = "delivered";
	if (status == ST_DELIVERED) {
		LATER(d_deliver);
		e = status_event(w, o, t, ST_SHIPPED, ST_DELIVERED, NULL);
		buf_reset(&w->tmp);
		buf_printf(&w->tmp, "Suivi %s", carrier_label[o->carrier]);
		e->label = o->carrier == CA_PICKUP ? "Retrait en boutique" : keep(&w->arena, &w->tmp);
	} else {
		LATER(d_close);
		e = status_event(w, o, t, ST_SHIPPED, ST_COMPLETED, NULL);
		e->label = "Clôture automatique";
	}
#undef LATER
done:
	/* An internal note on some orders, when the history has room. */
	if (o->nevents < MAX_EVENTS && rng_pm(r, 60)) {
		int64_t last = o->events[o->nevents - 1].at, room = g->now_us - 60 * US - last;

		if (room > 600 * US) {
			e = add_event(g, o, last + rng_range(r, 300, room / US < 2 * 86400 ?
			    room / US : 2 * 86400) * US, "order.note_added");
			buf_reset(&w->tmp);
			buf_puts(&w->tmp, "{\"note\":");
			json_str(&w->tmp, seed_notes[wtab_pick(&g->notes, r)].s);
			buf_putc(&w->tmp, '}');
			e->details = keep(&w->arena, &w->tmp);
			pick_staff(g, r, false, e);
		}
	}
	o->updated = o->events[o->nevents - 1].at;
}

/* A shipping address other than the billing one: a gift, or the office. */
static void
gen_other_address(struct worker *w, struct rng *r, struct gorder *o)
{
	const struct scust *c = o->c;
	const char *first, *last;

	o->shipping_addr = c->addr;
	if (rng_pm(r, 500)) {
		gen_person(w->g, r, c->be, &first, &last);
		buf_reset(&w->tmp);
		buf_printf(&w->tmp, "%s %s", first, last);
		o->shipping_addr.name = keep(&w->arena, &w->tmp);
		o->shipping_addr.company = "";
	}
	gen_address(w->g, r, &w->arena, &w->tmp, c->be, &o->shipping_addr);
}

/* Draws order `i` of the shop entirely from its own generator. */
static void
gen_order(struct worker *w, long long i, struct gorder *o)
{
	struct shopgen *g = w->g;
	const bool print = g->t->kind == SEED_PRINT;
	struct rng r;
	long long lines_gross = 0, weight = 0;
	size_t k, bad;
	bool open;

	memset(o, 0, sizeof(*o));
	rng_init(&r, g->o->seed, g->salt, S_ORDER, (uint64_t)i);
	o->number = g->first_number + i;
	o->code = g->codes[i];
	o->placed = g->placed[i];
	o->c = &g->custs[g->cust_of[i]];
	o->channel = channel_name[rng_weights(&r, channel_w[print], CH_N)];
	o->pm = (int)rng_weights(&r, pm_w[print], PM_N);
	if (o->pm == PM_CHEQUE && o->c->be)
		o->pm = PM_TRANSFER;              /* no cheques in Belgium any more */
	gen_lines(w, &r, o);
	for (k = 0; k < o->nlines; k++) {
		lines_gross += o->lines[k].unit * o->lines[k].qty - o->lines[k].discount;
		weight += o->lines[k].weight * o->lines[k].qty;
	}
	o->weight = weight;
	o->carrier = (int)rng_weights(&r, carrier_w[o->c->be], CA_N);
	o->shipping = carrier_cost[o->carrier][weight <= 1000 ? 0 : weight <= 2000 ? 1 :
	    weight <= 5000 ? 2 : weight <= 10000 ? 3 : 4];
	if (lines_gross >= 15000 && (o->carrier == CA_COLISSIMO || o->carrier == CA_MONDIAL))
		o->shipping = 0;                  /* free delivery from 150 € */
	if (order_totals(g->t->prices_include_vat, o->ml, o->nlines, o->shipping, &o->totals, &bad) != MONEY_OK)
		die("seed: order_totals refused a generated order (line %zu)", bad);
	buf_reset(&w->tmp);
	vat_breakdown_json(&o->totals, &w->tmp);
	o->vat_breakdown = keep(&w->arena, &w->tmp);

	o->shipping_addr = o->c->addr;
	if (o->carrier != CA_PICKUP && rng_pm(&r, 150))
		gen_other_address(w, &r, o);

	gen_history(w, &r, o);
	open = o->status == ST_RECEIVED || o->status == ST_AWAITING || o->status == ST_PROCESSING;
	for (k = 0; k < o->nlines; k++) {
		struct gline *l = &o->lines[k];

		l->reserved = open && l->p->track;
		if (l->reserved)
			w->reserve[l->p - g->prods] += l->qty;
		l->shipped = o->status == ST_SHIPPED || o->status == ST_DELIVERED ||
		    o->status == ST_COMPLETED ? l->qty : 0;
	}

	o->title = "";
	if (print) {
		for (k = 0; k < o->nlines && !o->lines[k].p->item->title; k++)
			;
		if (k < o->nlines) {
			buf_reset(&w->tmp);
			buf_printf(&w->tmp, "%s %s", o->lines[k].p->item->title,
			    *o->c->company ? o->c->company : o->c->last);
			o->title = keep(&w->arena, &w->tmp);
		}
	}
	o->remarks = "";
	if (rng_pm(&r, 150))
		o->remarks = rng_pm(&r, 450) ? g->remarks_kind_t[wtab_pick(&g->remarks_kind, &r)].s :
		    seed_remarks_any[wtab_pick(&g->remarks_any, &r)].s;
	o->reference = "";
	if (rng_pm(&r, *o->c->company ? 450 : print ? 60 : 10)) {
		int64_t y, day = floor_div(o->placed / US, 86400);
		unsigned m, d;

		civil_from_days(day, &y, &m, &d);
		buf_reset(&w->tmp);
		switch (rng_below(&r, 4)) {
		case 0: buf_printf(&w->tmp, "BC-%lld-%04d", (long long)y, (int)rng_range(&r, 1, 2000)); break;
		case 1: buf_printf(&w->tmp, "Devis D-%05d", (int)rng_range(&r, 100, 30000)); break;
		case 2: buf_printf(&w->tmp, "PO %08d", (int)rng_range(&r, 45000000, 45999999)); break;
		default: buf_printf(&w->tmp, "Bon n° %d", (int)rng_range(&r, 100, 9999)); break;
		}
		o->reference = keep(&w->arena, &w->tmp);
	}
	o->external_reference = "";
	if (strcmp(o->channel, "api") == 0) {
		buf_reset(&w->tmp);
		buf_printf(&w->tmp, "WEB-%07lld", o->number + 100000);
		o->external_reference = keep(&w->arena, &w->tmp);
	}
	o->is_test = rng_pm(&r, 2);
}

/* The multi-row INSERT of orders [from, to) of the chunk. */
static void
sql_orders(struct worker *w, size_t from, size_t to)
{
	const struct seed_target *t = w->g->t;
	struct buf *b = &w->sql;
	struct db *db = w->db;
	size_t i;

	buf_reset(b);
	buf_puts(b, "INSERT INTO orders (shop_id, number, code, kind, title, status, payment_state,"
	    " shipping_state, on_hold, channel, is_test, currency, prices_include_vat, lines_cents,"
	    " discount_cents, shipping_cents, shipping_vat_rate, total_ex_vat_cents, total_vat_cents,"
	    " total_cents, vat_breakdown, paid_cents, payment_method, carrier, total_weight_g,"
	    " customer_id, customer_code, customer_title, customer_first_name, customer_last_name,"
	    " customer_email, customer_phone, customer_locale, remarks, reference,"
	    " external_reference, placed_at, created_at, updated_at) VALUES ");
	for (i = from; i < to; i++) {
		const struct gorder *o = &w->orders[i];
		const struct scust *c = o->c;

		buf_puts(b, i > from ? ",(" : "(");
		sql_int(b, t->shop_id);
		buf_putc(b, ',');
		sql_int(b, o->number);
		buf_puts(b, ",'");
		buf_append(b, o->code, 8);
		buf_puts(b, "','order',");
		sql_str(db, b, o->title);
		buf_puts(b, ",'");
		buf_puts(b, status_name[o->status]);
		buf_puts(b, "','");
		buf_puts(b, o->payment_state);
		buf_puts(b, "','");
		buf_puts(b, o->shipping_state);
		buf_puts(b, o->on_hold ? "',1,'" : "',0,'");
		buf_puts(b, o->channel);
		buf_puts(b, o->is_test ? "',1," : "',0,");
		sql_str(db, b, t->currency);
		buf_puts(b, t->prices_include_vat ? ",1," : ",0,");
		sql_int(b, o->totals.lines_cents);
		buf_puts(b, ",0,");
		sql_int(b, o->totals.shipping_cents);
		buf_putc(b, ',');
		sql_int(b, o->totals.shipping_vat_rate);
		buf_putc(b, ',');
		sql_int(b, o->totals.total_ex_vat_cents);
		buf_putc(b, ',');
		sql_int(b, o->totals.total_vat_cents);
		buf_putc(b, ',');
		sql_int(b, o->totals.total_cents);
		buf_putc(b, ',');
		sql_str(db, b, o->vat_breakdown);
		buf_putc(b, ',');
		sql_int(b, o->paid);
		buf_puts(b, ",'");
		buf_puts(b, pm_name[o->pm]);
		buf_puts(b, "','");
		buf_puts(b, carrier_name[o->carrier]);
		buf_puts(b, "',");
		sql_int(b, o->weight);
		buf_putc(b, ',');
		sql_int(b, c->id);
		buf_puts(b, ",'");
		buf_puts(b, c->code);
		buf_puts(b, "',");
		sql_str(db, b, c->title);
		buf_putc(b, ',');
		sql_str(db, b, c->first);
		buf_putc(b, ',');
		sql_str(db, b, c->last);
		buf_putc(b, ',');
		sql_str(db, b, c->email);
		buf_putc(b, ',');
		sql_str(db, b, c->phone);
		buf_putc(b, ',');
		sql_str(db, b, c->locale);
		buf_putc(b, ',');
		sql_str(db, b, o->is_test ? "Commande de test — ne pas expédier" : o->remarks);
		buf_putc(b, ',');
		sql_str(db, b, o->reference);
		buf_putc(b, ',');
		sql_str(db, b, o->external_reference);
		buf_putc(b, ',');
		q_time(b, o->placed);
		buf_putc(b, ',');
		q_time(b, o->placed);
		buf_putc(b, ',');
		q_time(b, o->updated);
		buf_putc(b, ')');
	}
}

/* One address row. */
static void
sql_address(struct worker *w, long long shop_id, long long order_id, const char *kind,
    const struct order_address *ad)
{
	struct buf *b = &w->sql;
	struct db *db = w->db;

	buf_putc(b, '(');
	sql_int(b, shop_id);
	buf_putc(b, ',');
	sql_int(b, order_id);
	buf_puts(b, kind);
	sql_str(db, b, ad->name);
	buf_putc(b, ',');
	sql_str(db, b, ad->company);
	buf_putc(b, ',');
	sql_str(db, b, ad->line1);
	buf_putc(b, ',');
	sql_str(db, b, ad->line2);
	buf_putc(b, ',');
	sql_str(db, b, ad->postcode);
	buf_putc(b, ',');
	sql_str(db, b, ad->city);
	buf_putc(b, ',');
	sql_str(db, b, ad->region);
	buf_puts(b, ",'");
	buf_puts(b, ad->country);
	buf_puts(b, "',");
	sql_str(db, b, ad->phone);
	buf_putc(b, ')');
}

/* The INSERTs of addresses, lines and events of orders [from, to). */
static int
sql_children(struct worker *w, size_t from, size_t to)
{
	const long long shop = w->g->t->shop_id;
	struct buf *b = &w->sql;
	struct db *db = w->db;
	size_t i, k;
	int rc;

	buf_reset(b);
	buf_puts(b, "INSERT INTO order_addresses (shop_id, order_id, kind, name, company, line1,"
	    " line2, postcode, city, region, country, phone) VALUES ");
	for (i = from; i < to; i++) {
		const struct gorder *o = &w->orders[i];

		if (i > from)
			buf_putc(b, ',');
		sql_address(w, shop, o->id, ",'billing',", &o->c->addr);
		buf_putc(b, ',');
		sql_address(w, shop, o->id, ",'shipping',", &o->shipping_addr);
	}
	if ((rc = run(db, b)) != DB_OK)
		return rc;

	buf_reset(b);
	buf_puts(b, "INSERT INTO order_lines (shop_id, order_id, line_no, product_id, sku, ean, name,"
	    " options, quantity, unit_price_cents, vat_rate, discount_cents, total_cents, weight_g,"
	    " reserved_stock, customisable, qty_shipped, qty_returned) VALUES ");
	for (i = from; i < to; i++) {
		const struct gorder *o = &w->orders[i];

		for (k = 0; k < o->nlines; k++) {
			const struct gline *l = &o->lines[k];

			buf_puts(b, i > from || k ? ",(" : "(");
			sql_int(b, shop);
			buf_putc(b, ',');
			sql_int(b, o->id);
			buf_putc(b, ',');
			sql_int(b, (long long)k + 1);
			buf_putc(b, ',');
			sql_int(b, l->p->id);
			buf_putc(b, ',');
			sql_str(db, b, l->p->sku);
			buf_putc(b, ',');
			sql_str_or_null(db, b, l->p->ean);
			buf_putc(b, ',');
			sql_str(db, b, l->p->name);
			buf_putc(b, ',');
			sql_str(db, b, l->options);
			buf_putc(b, ',');
			sql_int(b, l->qty);
			buf_putc(b, ',');
			sql_int(b, l->unit);
			buf_putc(b, ',');
			sql_int(b, l->p->vat);
			buf_putc(b, ',');
			sql_int(b, l->discount);
			buf_putc(b, ',');
			sql_int(b, o->ml[k].total_cents);
			buf_putc(b, ',');
			sql_int(b, l->weight * l->qty);     /* the line's weight, as intake writes it */
			buf_puts(b, l->reserved ? ",1," : ",0,");
			buf_puts(b, l->p->customisable ? "1," : "0,");
			sql_int(b, l->shipped);
			buf_puts(b, ",0)");
		}
	}
	if ((rc = run(db, b)) != DB_OK)
		return rc;

	buf_reset(b);
	buf_puts(b, "INSERT INTO order_events (shop_id, order_id, at, actor_type, actor_id,"
	    " actor_label, action, details) VALUES ");
	for (i = from; i < to; i++) {
		const struct gorder *o = &w->orders[i];

		for (k = 0; k < o->nevents; k++) {
			const struct gevent *e = &o->events[k];

			buf_puts(b, i > from || k ? ",(" : "(");
			sql_int(b, shop);
			buf_putc(b, ',');
			sql_int(b, o->id);
			buf_putc(b, ',');
			q_time(b, e->at);
			buf_puts(b, ",'");
			buf_puts(b, e->actor_type);
			buf_puts(b, "',");
			if (e->actor_id)
				sql_int(b, e->actor_id);
			else
				buf_puts(b, "NULL");
			buf_putc(b, ',');
			sql_str(db, b, e->label);
			buf_puts(b, ",'");
			buf_puts(b, e->action);
			buf_puts(b, "',");
			sql_str(db, b, e->details);
			buf_putc(b, ')');
		}
	}
	return run(db, b);
}

/* The stock the chunk's open orders reserve, in one UPDATE (ids ascending,
 * so concurrent chunks never deadlock). On hand grows by as much: what was
 * available stays available. */
static int
sql_reserve(struct worker *w)
{
	const struct shopgen *g = w->g;
	struct buf *b = &w->sql;
	size_t i, n = 0;

	buf_reset(b);
	buf_puts(b, "UPDATE products SET stock_reserved = stock_reserved + CASE id");
	for (i = 0; i < g->nprods; i++) {
		if (!w->reserve[i])
			continue;
		buf_puts(b, " WHEN ");
		sql_int(b, g->prods[i].id);
		buf_puts(b, " THEN ");
		sql_int(b, w->reserve[i]);
		n++;
	}
	if (n == 0)
		return DB_OK;
	buf_puts(b, " END, stock_on_hand = stock_on_hand + CASE id");
	for (i = 0; i < g->nprods; i++) {
		if (!w->reserve[i])
			continue;
		buf_puts(b, " WHEN ");
		sql_int(b, g->prods[i].id);
		buf_puts(b, " THEN ");
		sql_int(b, w->reserve[i]);
	}
	buf_puts(b, " END WHERE shop_id = ");
	sql_int(b, g->t->shop_id);
	buf_puts(b, " AND id IN (");
	for (i = 0, n = 0; i < g->nprods; i++) {
		if (!w->reserve[i])
			continue;
		if (n++)
			buf_putc(b, ',');
		sql_int(b, g->prods[i].id);
	}
	buf_puts(b, ") ORDER BY id");
	return run(w->db, b);
}

/* One transaction: the chunk's orders, batch by batch, then its stock
 * (db_tx callback: may run again after a deadlock). */
static int
chunk_tx(struct db *db, void *ctx)
{
	struct worker *w = ctx;
	const size_t batch = (size_t)w->g->o->batch;
	size_t from, to, i;
	int rc;

	(void)db;
	for (from = 0; from < w->n; from = to) {
		long long first;

		to = from + batch < w->n ? from + batch : w->n;
		sql_orders(w, from, to);
		if ((rc = run(w->db, &w->sql)) != DB_OK)
			return rc;
		if ((rc = last_insert_id(w->db, &w->arena, &first)) != DB_OK)
			return rc;
		for (i = from; i < to; i++)
			w->orders[i].id = first + (long long)((i - from) * w->g->step);
		if ((rc = sql_children(w, from, to)) != DB_OK)
			return rc;
	}
	return sql_reserve(w);
}

/* Marks the run failed and wakes every loader waiting for customers. */
static void
fail_run(struct shopgen *g)
{
	pthread_mutex_lock(&g->lock);
	atomic_store(&g->failed, 1);
	pthread_cond_broadcast(&g->ready);
	pthread_mutex_unlock(&g->lock);
}

/* Waits until customers [0, need) have their ids; false if the run failed. */
static bool
wait_customers(struct shopgen *g, size_t need)
{
	bool ok;

	pthread_mutex_lock(&g->lock);
	while (g->custs_ready < need && !atomic_load(&g->failed))
		pthread_cond_wait(&g->ready, &g->lock);
	ok = g->custs_ready >= need;
	pthread_mutex_unlock(&g->lock);
	return ok;
}

/* An order loader: every nthreads-th chunk of orders, in time order, on a
 * connection of its own, each chunk once the customers it names exist. */
static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct shopgen *g = w->g;
	const long long chunk = (long long)g->o->batch * BATCHES_PER_TX;
	long long c, i, k;

	mysql_thread_init();
	w->rc = -1;
	w->db = db_open(g->cfg);
	if (!w->db || session_bulk(w->db, true) != DB_OK)
		goto out;
	for (c = w->index; (i = c * chunk) < g->norders && !atomic_load(&g->failed); c += w->nthreads) {
		long long end = i + chunk < g->norders ? i + chunk : g->norders;
		size_t need = 0;

		for (k = i; k < end; k++)
			if (g->cust_of[k] + (size_t)1 > need)
				need = g->cust_of[k] + (size_t)1;
		if (!wait_customers(g, need))
			goto out;
		arena_reset(&w->arena);
		memset(w->reserve, 0, g->nprods * sizeof(*w->reserve));
		w->n = (size_t)(end - i);
		for (k = i; k < end; k++)
			gen_order(w, k, &w->orders[k - i]);
		if (db_tx(w->db, chunk_tx, w) != DB_OK) {
			log_error("seed: %s: orders %lld to %lld not written: %s", g->t->code,
			    g->first_number + i, g->first_number + end - 1, db_error(w->db));
			goto out;
		}
		for (k = 0; k < (long long)w->n; k++) {
			w->st.lines += (long long)w->orders[k].nlines;
			w->st.events += (long long)w->orders[k].nevents;
		}
		w->st.orders += (long long)w->n;
		w->st.addresses += 2 * (long long)w->n;
		atomic_fetch_add(&g->done, (long long)w->n);
	}
	w->rc = atomic_load(&g->failed) ? -1 : 0;
out:
	if (w->rc != 0)
		fail_run(g);
	db_close(w->db);
	w->db = NULL;
	mysql_thread_end();
	return NULL;
}

/* Sleeps `ms` milliseconds. */
static void
sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1)
		;
}

/* Seconds on the monotonic clock. */
static double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct progress {
	double last;
	long long last_done;
};

/* Prints a progress line every 5 s. */
static void
progress(struct shopgen *g, struct progress *p, size_t custs)
{
	long long done = atomic_load(&g->done);
	double now = mono_now();

	if (!g->o->progress || now - p->last < 5)
		return;
	fprintf(stderr, "seed: %s: %lld/%lld orders (%lld %%), %.0f orders/s", g->t->code, done,
	    g->norders, done * 100 / g->norders, (double)(done - p->last_done) / (now - p->last));
	if (custs < g->ncusts)
		fprintf(stderr, "; %zu/%zu customers", custs, g->ncusts);
	fputc('\n', stderr);
	p->last = now;
	p->last_done = done;
}

/*
 * Loads customers and orders: the order loaders start at once, while this
 * thread inserts the customers in order on `db` (so their ids, and codes,
 * do not depend on the threads) and tells the loaders as each transaction
 * commits. Then prints progress until the orders are in.
 */
static int
load_orders(struct shopgen *g, struct db *db, struct seed_stats *st)
{
	int nthreads = g->o->threads, i, rc = 0;
	struct progress pr = { mono_now(), 0 };
	struct worker *ws;
	const size_t chunk = (size_t)g->o->batch * BATCHES_PER_TX;
	struct buf b;
	size_t k;

	if ((long long)nthreads > g->norders)
		nthreads = (int)g->norders;
	ws = calloc((size_t)nthreads, sizeof(*ws));
	if (!ws)
		die("out of memory");
	for (i = 0; i < nthreads; i++) {
		struct worker *w = &ws[i];

		w->g = g;
		w->index = i;
		w->nthreads = nthreads;
		arena_init(&w->arena, 1 << 20);
		buf_init(&w->tmp, 1 << 16);
		buf_init(&w->sql, SQL_MAX);
		w->orders = calloc(chunk, sizeof(*w->orders));
		w->reserve = calloc(g->nprods, sizeof(*w->reserve));
		if (!w->orders || !w->reserve)
			die("out of memory");
		if (pthread_create(&w->tid, NULL, worker_main, w) != 0)
			die("seed: cannot start a thread");
	}

	buf_init(&b, SQL_MAX);
	for (k = 0; k < g->ncusts && !atomic_load(&g->failed); k += 4000) {
		struct cust_tx x = { g, &b, k, k + 4000 < g->ncusts ? k + 4000 : g->ncusts };

		if (db_tx(db, cust_tx_run, &x) != DB_OK) {
			fprintf(stderr, "seed: %s: cannot write the customers: %s\n", g->t->code,
			    db_error(db));
			fail_run(g);
			break;
		}
		st->customers += (long long)(x.to - x.from);
		pthread_mutex_lock(&g->lock);
		g->custs_ready = x.to;
		pthread_cond_broadcast(&g->ready);
		pthread_mutex_unlock(&g->lock);
		progress(g, &pr, x.to);
	}
	buf_free(&b);

	while (atomic_load(&g->done) < g->norders && !atomic_load(&g->failed)) {
		sleep_ms(200);
		progress(g, &pr, g->ncusts);
	}
	for (i = 0; i < nthreads; i++) {
		struct worker *w = &ws[i];

		pthread_join(w->tid, NULL);
		if (w->rc != 0)
			rc = -1;
		st->orders += w->st.orders;
		st->lines += w->st.lines;
		st->addresses += w->st.addresses;
		st->events += w->st.events;
		arena_free(&w->arena);
		buf_free(&w->tmp);
		buf_free(&w->sql);
		free(w->orders);
		free(w->reserve);
	}
	free(ws);
	return atomic_load(&g->failed) ? -1 : rc;
}

/* --------------------------------------------------------------- set-up */

/* Checks that multi-row INSERTs get consecutive ids; reads the step. */
static int
check_autoinc(struct shopgen *g, struct db *db)
{
	static const char sql[] = "SELECT @@innodb_autoinc_lock_mode, @@auto_increment_increment";
	struct arena a;
	struct db_result res;
	int rc = -1;

	arena_init(&a, 0);
	if (db_exec(db, &a, &res, sql, 0, NULL) == DB_OK && res.nrows == 1) {
		if (db_ll(&res, 0, 0) == 2)
			fprintf(stderr, "seed: innodb_autoinc_lock_mode is 2: the ids of a multi-row"
			    " INSERT may interleave with other sessions'; seed a server with mode 1\n");
		else if (db_ll(&res, 0, 1) < 1)
			fprintf(stderr, "seed: unexpected auto_increment_increment\n");
		else
			rc = 0;
		g->step = (unsigned)db_ll(&res, 0, 1);
	}
	arena_free(&a);
	return rc;
}

/* The shop's staff, for the history's actors. */
static int
load_staff(struct shopgen *g, struct db *db)
{
	static const char sql[] =
		"SELECT id, IF(display_name <> '', display_name, email), role = 'picker'"
		" FROM staff_users WHERE shop_id = ? AND disabled = 0 ORDER BY id LIMIT 50";
	struct db_result res;
	size_t i;

	if (db_exec(db, &g->arena, &res, sql, DB_PARAMS(DB_I64(g->t->shop_id))) != DB_OK)
		return -1;
	g->nstaff = res.nrows;
	g->staff = arena_alloc(&g->arena, (res.nrows ? res.nrows : 1) * sizeof(*g->staff));
	for (i = 0; i < res.nrows; i++) {
		g->staff[i].id = db_ll(&res, i, 0);
		g->staff[i].label = db_str(&res, i, 1);
		g->staff[i].picker = db_ll(&res, i, 2) != 0;
	}
	return 0;
}

/* Reserves opt->orders numbers on the shop's counter, at once (concurrent
 * intake takes the next ones); sets g->first_number. */
static int
reserve_numbers(struct db *db, void *ctx)
{
	static const char sql_bump[] =
		"INSERT INTO shop_counters (shop_id, name, value)"
		" SELECT ?, 'order_number', COALESCE(MAX(number), 0) + ? FROM orders WHERE shop_id = ?"
		" ON DUPLICATE KEY UPDATE value = GREATEST(value, VALUES(value) - ?) + ?";
	static const char sql_get[] =
		"SELECT value FROM shop_counters WHERE shop_id = ? AND name = 'order_number'";
	struct shopgen *g = ctx;
	struct arena a;
	struct db_result res;
	int rc;

	arena_init(&a, 0);
	rc = db_exec(db, &a, NULL, sql_bump, DB_PARAMS(DB_I64(g->t->shop_id), DB_I64(g->norders),
	    DB_I64(g->t->shop_id), DB_I64(g->norders), DB_I64(g->norders)));
	if (rc == DB_OK)
		rc = db_exec(db, &a, &res, sql_get, DB_PARAMS(DB_I64(g->t->shop_id)));
	if (rc == DB_OK) {
		if (res.nrows == 1)
			g->first_number = db_ll(&res, 0, 0) - g->norders + 1;
		else
			rc = DB_ERROR;
	}
	arena_free(&a);
	return rc;
}

/* The data tables as weighted pickers. */
static void
init_tables(struct shopgen *g)
{
	struct arena *a = &g->arena;

	WTAB(g->first_f_fr, a, seed_first_f_fr, struct seed_word);
	WTAB(g->first_m_fr, a, seed_first_m_fr, struct seed_word);
	WTAB(g->first_f_be, a, seed_first_f_be, struct seed_word);
	WTAB(g->first_m_be, a, seed_first_m_be, struct seed_word);
	WTAB(g->last_fr, a, seed_last_fr, struct seed_word);
	WTAB(g->last_be, a, seed_last_be, struct seed_word);
	WTAB(g->city_fr, a, seed_cities_fr, struct seed_city);
	WTAB(g->city_be, a, seed_cities_be, struct seed_city);
	WTAB(g->street_fr, a, seed_streets_fr, struct seed_word);
	WTAB(g->street_be, a, seed_streets_be, struct seed_word);
	WTAB(g->line2, a, seed_line2, struct seed_word);
	WTAB(g->mail_fr, a, seed_mail_fr, struct seed_word);
	WTAB(g->mail_be, a, seed_mail_be, struct seed_word);
	WTAB(g->remarks_any, a, seed_remarks_any, struct seed_word);
	WTAB(g->notes, a, seed_notes, struct seed_word);
	WTAB(g->cancel, a, seed_cancel_reasons, struct seed_word);
	WTAB(g->team, a, seed_team, struct seed_word);
	WTAB(g->engravings, a, seed_engravings, struct seed_word);
	switch (g->t->kind) {
	case SEED_PRINT:
		WTAB_F(g->items, a, seed_print, struct seed_item, popularity);
		g->items_t = seed_print;
		WTAB(g->remarks_kind, a, seed_remarks_print, struct seed_word);
		g->remarks_kind_t = seed_remarks_print;
		break;
	case SEED_WINE:
		WTAB_F(g->items, a, seed_wine, struct seed_item, popularity);
		g->items_t = seed_wine;
		WTAB(g->remarks_kind, a, seed_remarks_wine, struct seed_word);
		g->remarks_kind_t = seed_remarks_wine;
		break;
	case SEED_GIFT:
		WTAB_F(g->items, a, seed_gift, struct seed_item, popularity);
		g->items_t = seed_gift;
		WTAB(g->remarks_kind, a, seed_remarks_gift, struct seed_word);
		g->remarks_kind_t = seed_remarks_gift;
		break;
	}
}

int
seed_shop(const struct config *cfg, struct db *db, const struct seed_target *t,
    const struct seed_options *opt, struct seed_stats *st)
{
	struct shopgen *g = calloc(1, sizeof(*g));
	long long *first_order = NULL;
	int rc = -1;
	double t0 = mono_now();

	if (!g)
		die("out of memory");
	g->cfg = cfg;
	g->t = t;
	g->o = opt;
	g->salt = hash_bytes(t->code, strlen(t->code));
	g->now_us = (int64_t)opt->now * US;
	g->norders = opt->orders;
	g->ncusts = (size_t)(opt->orders == 0 ? 0 : opt->customers ? opt->customers :
	    (opt->orders + 2) / 3);
	atomic_init(&g->done, 0);
	atomic_init(&g->failed, 0);
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->ready, NULL);
	arena_init(&g->arena, 1 << 20);
	init_tables(g);
	if (check_autoinc(g, db) != 0 || session_bulk(db, true) != DB_OK)
		goto out;

	/* The timeline first: it fixes when the history starts. */
	g->placed = calloc((size_t)g->norders + 1, sizeof(*g->placed));
	g->cust_of = calloc((size_t)g->norders + 1, sizeof(*g->cust_of));
	g->codes = calloc((size_t)g->norders + 1, sizeof(*g->codes));
	g->custs = calloc(g->ncusts + 1, sizeof(*g->custs));
	first_order = calloc(g->ncusts + 1, sizeof(*first_order));
	if (!g->placed || !g->cust_of || !g->codes || !g->custs || !first_order)
		die("out of memory");
	gen_timeline(g);

	gen_products(g);
	if (load_products(g, db, st) != 0) {
		fprintf(stderr, "seed: %s: cannot write the products: %s\n", t->code, db_error(db));
		goto out;
	}
	if (g->norders == 0) {
		rc = 0;
		goto out;
	}
	gen_assignment(g, first_order);
	if (gen_customers(g, db, first_order) != 0 || gen_codes(g, db) != 0 ||
	    load_staff(g, db) != 0 || db_tx(db, reserve_numbers, g) != DB_OK) {
		fprintf(stderr, "seed: %s: database error: %s\n", t->code, db_error(db));
		goto out;
	}
	if (opt->progress)
		fprintf(stderr, "seed: %s: %zu products, %zu customers and %lld orders (numbers %lld to"
		    " %lld) drawn in %.1f s\n", t->code, g->nprods, g->ncusts, g->norders,
		    g->first_number, g->first_number + g->norders - 1, mono_now() - t0);
	if (load_orders(g, db, st) != 0) {
		fprintf(stderr, "seed: %s: loading failed (see the log above; if the server went"
		    " away, its max_allowed_packet may be below what --batch needs)\n", t->code);
		goto out;
	}
	rc = 0;
out:
	session_bulk(db, false);
	free(first_order);
	free(g->placed);
	free(g->cust_of);
	free(g->codes);
	free(g->custs);
	arena_free(&g->arena);
	pthread_cond_destroy(&g->ready);
	pthread_mutex_destroy(&g->lock);
	free(g);
	return rc;
}

bool
seed_kind_parse(const char *s, enum seed_kind *out)
{
	if (!s)
		return false;
	if (strcmp(s, "print") == 0)
		*out = SEED_PRINT;
	else if (strcmp(s, "wine") == 0)
		*out = SEED_WINE;
	else if (strcmp(s, "gift") == 0)
		*out = SEED_GIFT;
	else
		return false;
	return true;
}

const char *
seed_kind_name(enum seed_kind k)
{
	return k == SEED_PRINT ? "print" : k == SEED_WINE ? "wine" : "gift";
}
