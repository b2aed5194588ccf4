#include "orders/order_document.h"

#include "db/db.h"
#include "orders/workflow.h"
#include "util/i18n.h"
#include "util/log.h"

enum doc_col { DC_STATUS, DC_HOLD, DC_NCOLS };
static const char sql_doc_lock[] =
	"SELECT status, on_hold FROM orders WHERE shop_id = ? AND code = ? AND kind = 'order' FOR UPDATE";

int
order_document_check(struct db *db, struct arena *a, long long shop_id, const char *code,
    enum order_doc_kind kind, const char **why)
{
	const struct wf_workflow *wf;
	const struct wf_status *st;
	struct db_result o;
	bool invoice = kind == ORDER_DOC_INVOICE;
	int rc;

	if ((rc = db_exec(db, a, &o, sql_doc_lock, DB_PARAMS(DB_I64(shop_id), DB_STR(code)))) != DB_OK)
		return rc;
	if (o.nrows == 0)
		return WF_NOT_FOUND;
	if (o.ncols != DC_NCOLS) {
		log_error("order %s: the document check reads %zu columns, its enum names %d", code, o.ncols, DC_NCOLS);
		return WF_ERROR;
	}
	if (db_ll(&o, 0, DC_HOLD) != 0) {
		*why = invoice ? _("This order is on hold: resume it before invoicing it.") :
		    _("This order is on hold: resume it before printing its packing slip.");
		return WF_REFUSED;
	}
	if ((rc = wf_get(db, a, shop_id, &wf)) != WF_OK)
		return rc;
	st = wf_status_find(wf, db_str(&o, 0, DC_STATUS));
	if (wf_closed(st) == ORDER_CLOSED_CANCELLED) {
		*why = invoice ? _("This order is cancelled: it cannot be invoiced.") :
		    _("This order is cancelled: it gets no packing slip.");
		return WF_REFUSED;
	}
	return WF_OK;
}
