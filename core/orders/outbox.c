#include "orders/outbox.h"

#include "db/db.h"

static const char *const kind_names[] = { "email" };

/* ON DUPLICATE KEY rather than INSERT IGNORE: only the dedup key's
 * conflict is expected; IGNORE would hide a truncated subject too. */
static const char sql_outbox_insert[] =
	"INSERT INTO outbox (shop_id, kind, order_id, recipient, locale, template, subject, body, dedup_key)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id";

int
outbox_add(struct db *db, struct arena *a, long long shop_id, const struct outbox_msg *m)
{
	struct db_result res;
	int rc = db_exec(db, a, &res, sql_outbox_insert, DB_PARAMS(DB_I64(shop_id), DB_STR(kind_names[m->kind]),
	    m->order_id > 0 ? DB_I64(m->order_id) : DB_NULL, DB_STR(m->recipient), DB_STR(m->locale ? m->locale : "fr"),
	    DB_STR(m->template_name ? m->template_name : ""), DB_STR(m->subject), DB_STR(m->body),
	    DB_STR(m->dedup_key)));

	if (rc != DB_OK)
		return rc;
	return res.affected == 0 ? OUTBOX_ALREADY : OUTBOX_ADDED;
}

static const char sql_outbox_depth[] =
	"SELECT COUNT(*), COALESCE(TIMESTAMPDIFF(SECOND, MIN(o.created_at), NOW(6)), 0)"
	" FROM shops s STRAIGHT_JOIN outbox o FORCE INDEX (k_outbox_due)"
	" ON o.shop_id = s.id AND o.state = 'pending'";

int
outbox_depth(struct db *db, struct arena *a, long long *pending, long long *oldest_seconds)
{
	struct db_result res;
	int rc = db_exec(db, a, &res, sql_outbox_depth, 0, NULL);

	*pending = *oldest_seconds = 0;
	if (rc != DB_OK)
		return rc;
	if (res.nrows == 1) {
		*pending = db_ll(&res, 0, 0);
		*oldest_seconds = db_ll(&res, 0, 1);
	}
	return DB_OK;
}
