/*
 * orders: one order drawn whole from its own generator (seed, shop,
 * index), so that it does not depend on the threads: its lines and their
 * options, carrier and payment, status and the history that led there,
 * addresses, remarks and references. Memory only: load.c writes it.
 */
#include <stdio.h>
#include <string.h>

#include "orders/money.h"
#include "orders/order.h"
#include "seed/gen.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/log.h"

const char *const status_name[ST_N] = { "received", "awaiting_payment", "processing",
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
const char *const pm_name[PM_N] = { "card", "paypal", "banktransfer", "cheque" };
static const unsigned pm_w[2][PM_N] = { { 580, 200, 140, 80 }, { 480, 150, 280, 90 } };

enum { CA_COLISSIMO, CA_MONDIAL, CA_CHRONO, CA_BPOST, CA_PICKUP, CA_N };
const char *const carrier_name[CA_N] = { "colissimo", "mondial_relay", "chronopost",
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
	return seed_keep(&w->arena, b);
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
	buf_printf(&w->tmp, "{\"from\":\"%s\",\"to\":\"%s\"%s%s}", w->g->status[from], w->g->status[to],
	    extra ? "," : "", extra ? extra : "");
	e->details = seed_keep(&w->arena, &w->tmp);
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
	const int64_t cancel_delay = (int64_t)g->t->auto_cancel_unpaid_hours * 3600 * US;
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
	    g->status[initial]);
	e->details = seed_keep(&w->arena, &w->tmp);
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
		e->label = o->carrier == CA_PICKUP ? "Retrait en boutique" : seed_keep(&w->arena, &w->tmp);
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
			e->details = seed_keep(&w->arena, &w->tmp);
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
		o->shipping_addr.name = seed_keep(&w->arena, &w->tmp);
		o->shipping_addr.company = "";
	}
	gen_address(w->g, r, &w->arena, &w->tmp, c->be, &o->shipping_addr);
}

/* Draws order `i` of the shop entirely from its own generator. */
void
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
	o->vat_breakdown = seed_keep(&w->arena, &w->tmp);

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
			o->title = seed_keep(&w->arena, &w->tmp);
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
		o->reference = seed_keep(&w->arena, &w->tmp);
	}
	o->external_reference = "";
	if (strcmp(o->channel, "api") == 0) {
		buf_reset(&w->tmp);
		buf_printf(&w->tmp, "WEB-%07lld", o->number + 100000);
		o->external_reference = seed_keep(&w->arena, &w->tmp);
	}
	o->is_test = rng_pm(&r, 2);
}
