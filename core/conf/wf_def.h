/*
 * wf_def: a workflow as a YAML file describes it (conf/workflow.yaml, or
 * the `workflow:` of a shop file): the statuses in their order and the
 * moves allowed between them. conf/ reads and checks it; the shop's copy
 * in the database is what core/orders/workflow.c serves.
 */
#ifndef CPT_WF_DEF_H
#define CPT_WF_DEF_H

#include <stdbool.h>
#include <stddef.h>

enum wf_flag {
	WF_SALE = 1,              /* counts as a sale in the figures */
	WF_FINAL = 2,             /* nothing follows it */
	WF_CUSTOMER_MAY_PAY = 4,  /* the storefront may take a payment (W6) */
	WF_CANCELS = 8,           /* reaching it cancels the order (stock back …); exactly one */
	WF_ARRIVAL = 16,          /* the status new orders arrive in; exactly one */
	WF_COMPLETED = 32,        /* the order is done; exactly one */
	WF_PAID = 64,             /* a payment that pays the order moves it there; at most one */
};
#define WF_FLAG_COUNT 7

#define WF_STATUSES_MAX 64        /* the moves are a 64-bit mask per status */
#define WF_CODE_MAX 32            /* [a-z0-9_], as orders.status */
#define WF_LABEL_MAX 64           /* characters of a label */
#define WF_TEMPLATE_MAX 64        /* an e-mail template's name, [a-z0-9_] */

/* The YAML name of flag bit i ("sale", "final" …), NULL past the end. */
const char *wf_flag_name(size_t i);

struct wf_def_status {
	char *code, *label_fr, *label_en, *colour;   /* colour "#rrggbb" */
	char *email;                                 /* template, NULL for none */
	unsigned flags;                              /* enum wf_flag */
};

struct wf_def {
	struct wf_def_status *statuses;              /* in their order */
	size_t n;
	unsigned long long *to;                      /* to[i] bit j: i may go to j */
};

void wf_def_free(struct wf_def *d);

/* The rules of a status code and of a label (1 to WF_LABEL_MAX characters
 * of well-formed UTF-8, no control character). */
bool wf_code_valid(const char *s);
bool wf_label_valid(const char *s);

#endif
