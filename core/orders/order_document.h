/*
 * order_document: whether an order may get a document now (W3, W4): the
 * one domain check the documents issue calls before it numbers an invoice
 * or prints a packing slip, so that every document path refuses the same
 * orders with the same words.
 *
 * Who must call it: every code that creates an invoice or a packing slip
 * for an order (pages, API, bulk actions, plugins through the host), inside
 * the transaction that writes the document: the check locks the order's
 * row, so a hold or a cancel made meanwhile waits for that transaction,
 * and one made after it sees the document.
 */
#ifndef CPT_ORDER_DOCUMENT_H
#define CPT_ORDER_DOCUMENT_H

struct arena;
struct db;

enum order_doc_kind {
	ORDER_DOC_INVOICE,
	ORDER_DOC_PACKING_SLIP,
};

/*
 * Order `code` of shop `shop_id` (a quote, or another shop's order, is not
 * found) may get a document of `kind`: 0 (WF_OK); WF_REFUSED with *why,
 * translated into the current language, when it is on hold (W3: resume it
 * first) or cancelled (its status cancels, W4); WF_NOT_FOUND; WF_ERROR
 * (logged); or a db_exec code (DB_RETRY …) to hand back to db_tx.
 */
int order_document_check(struct db *db, struct arena *a, long long shop_id, const char *code,
    enum order_doc_kind kind, const char **why);

#endif
