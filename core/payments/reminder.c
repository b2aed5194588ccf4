#include "payments/reminder.h"

#include <stdbool.h>
#include <string.h>

#include "conf/conf.h"
#include "db/db.h"
#include "orders/events.h"
#include "orders/money.h"
#include "orders/outbox.h"
#include "orders/workflow.h"
#include "payments/paylink.h"
#include "util/arena.h"
#include "util/log.h"

/* k_orders_unpaid (shop_id, payment_state, status, placed_at, id): one
 * range per payment state and status, oldest first, stopped at the LIMIT;
 * the skip and wait passes as in core/orders/auto_cancel.c. */
#define TEXT_(n) #n
#define TEXT(n) TEXT_(n)
#define CLAIM_SQL(wait) \
	"SELECT id, code, number, customer_email, customer_first_name, customer_locale, total_cents," \
	" paid_cents, currency FROM orders" \
	" WHERE shop_id = ? AND payment_state = ? AND status = ? AND placed_at < NOW(6) - INTERVAL ? HOUR" \
	" AND kind = 'order' AND on_hold = 0 AND payment_reminded_at IS NULL" \
	" ORDER BY placed_at, id LIMIT " TEXT(REMINDER_BATCH) " FOR UPDATE" wait
enum claim_col { CC_ID, CC_CODE, CC_NUMBER, CC_EMAIL, CC_FIRST, CC_LOCALE, CC_TOTAL, CC_PAID, CC_CURRENCY,
	CC_NCOLS };
static const char sql_claim_skip[] = CLAIM_SQL(" SKIP LOCKED");
static const char sql_claim_wait[] = CLAIM_SQL("");
static const char sql_reminded[] =
	"UPDATE orders SET payment_reminded_at = NOW(6) WHERE shop_id = ? AND id = ?";

/* What an unpaid order leaves in the outbox: its states, per claim. */
static const char *const unpaid_states[] = { "unpaid", "partially_paid" };

struct claim_tx {
	struct arena *a;
	const struct shop *s;
	const char *state, *status;
	int hours;
	bool wait;                /* the second pass: wait for locked rows */
	long long claimed, reminded;
};

static int
remind_one(struct db *db, struct claim_tx *x, const struct db_result *o, size_t i)
{
	const struct order_actor who = { ACTOR_SYSTEM, 0, "" };
	long long id = db_ll(o, i, CC_ID);
	const char *email = db_str(o, i, CC_EMAIL), *lang = db_str(o, i, CC_LOCALE), *token, *url;
	const char *first = db_str(o, i, CC_FIRST), *shop = x->s->name;
	const char *number = db_str(o, i, CC_NUMBER) ? db_str(o, i, CC_NUMBER) : db_str(o, i, CC_CODE);
	bool en = lang && strcmp(lang, "en") == 0, made, told = email && *email;
	struct db_result res;
	char due[64];
	int rc;

	db_desk_changed(db, x->s->id);
	if ((rc = paylink_ensure_in_tx(db, x->a, x->s->id, id, &token, &made)) != DB_OK)
		return rc;
	url = paylink_url(x->a, x->s->nhosts ? x->s->hosts[0] : "", token);
	money_format(due, sizeof(due), db_ll(o, i, CC_TOTAL) - db_ll(o, i, CC_PAID), db_str(o, i, CC_CURRENCY),
	    en ? "en" : "fr");
	if (told) {
		struct outbox_msg m = {
			.kind = OUTBOX_EMAIL, .order_id = id, .recipient = email, .locale = en ? "en" : "fr",
			.template_name = "payment_reminder",
			.dedup_key = arena_printf(x->a, "order:%lld:payment_reminder", id),
		};

		if (en) {
			m.subject = arena_printf(x->a, "Your order %s is waiting for its payment", number);
			m.body = arena_printf(x->a, "Hello %s,\n\nYour order %s at %s is still waiting for its"
			    " payment: %s remains due.\nYou can pay it here: %s\n\n%s\n", first, number, shop, due,
			    url, shop);
		} else {
			m.subject = arena_printf(x->a, "Votre commande %s attend son paiement", number);
			m.body = arena_printf(x->a, "Bonjour %s,\n\nVotre commande %s chez %s attend toujours son"
			    " paiement : il reste %s à régler.\nVous pouvez la payer ici : %s\n\n%s\n", first,
			    number, shop, due, url, shop);
		}
		rc = outbox_add(db, x->a, x->s->id, &m);
		if (rc < 0)
			return rc;
		told = rc == OUTBOX_ADDED;
	}
	if ((rc = db_exec(db, x->a, &res, sql_reminded, DB_PARAMS(DB_I64(x->s->id), DB_I64(id)))) != DB_OK)
		return rc;
	return order_event_add(db, x->a, x->s->id, id, &who, "order.payment_reminder_sent",
	    json_pack("{sbsbss}", "customer_told", told, "link_made", made, "due", due), NULL);
}

static int
claim_tx_run(struct db *db, void *p)
{
	struct claim_tx *x = p;
	struct db_result res;
	size_t i;
	int rc;

	x->claimed = x->reminded = 0;   /* a retried transaction starts again */
	if ((rc = db_exec(db, x->a, &res, x->wait ? sql_claim_wait : sql_claim_skip, DB_PARAMS(DB_I64(x->s->id),
	    DB_STR(x->state), DB_STR(x->status), DB_I64(x->hours)))) != DB_OK)
		return rc;
	if (res.nrows && res.ncols != CC_NCOLS) {
		log_error("payment reminder: the claim returns %zu columns, its enum names %d", res.ncols, CC_NCOLS);
		return DB_ERROR;
	}
	x->claimed = (long long)res.nrows;
	for (i = 0; i < res.nrows; i++) {
		if ((rc = remind_one(db, x, &res, i)) != DB_OK)
			return rc;   /* DB_RETRY: the whole batch again */
		x->reminded++;
	}
	return DB_OK;
}

long long
payment_remind_unpaid(struct db *db, struct arena *a, const struct shop *s, int hours)
{
	struct claim_tx x = { a, s, NULL, NULL, hours, false, 0, 0 };
	const struct wf_workflow *wf;
	const struct wf_status *st;
	long long total = 0;
	size_t i, k;
	int rc;

	if (wf_get(db, a, s->id, &wf) != WF_OK)
		return -1;
	for (i = 0; (st = wf_status_at(wf, i)); i++) {
		if (!(st->flags & WF_CUSTOMER_MAY_PAY))
			continue;
		x.status = st->code;
		for (k = 0; k < sizeof(unpaid_states) / sizeof(unpaid_states[0]); k++) {
			x.state = unpaid_states[k];
			for (x.wait = false;; x.wait = true) {
				do {
					if ((rc = db_tx(db, claim_tx_run, &x)) != DB_OK) {
						log_error("payment reminder: shop %lld, status %s: the batch failed (%d)",
						    s->id, st->code, rc);
						return -1;
					}
					total += x.reminded;
				} while (x.claimed == REMINDER_BATCH);
				if (x.wait)
					break;
			}
		}
	}
	return total;
}
