#include "orders/order_edit.h"

#include <ctype.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "auth/staff.h"
#include "db/db.h"
#include "orders/order_desk.h"
#include "orders/search.h"
#include "orders/workflow.h"
#include "util/arena.h"
#include "util/i18n.h"
#include "util/log.h"

/* The fields of the form, with their columns' lengths (characters); a
 * telephone may be typed longer ("+33 (0)6 12 34 56 78"): clean_phone
 * checks what is stored. */
#define PHONE_TYPED_MAX 40
struct efield {
	const char *name;
	size_t off, max;
};
#define CF(f, max) { #f, offsetof(struct order_customer, f), max }
static const struct efield customer_fields[] = {
	CF(title, 20), CF(first_name, 100), CF(last_name, 100), CF(email, 254), CF(phone, PHONE_TYPED_MAX),
};
#undef CF
#define AF(f, max) { #f, offsetof(struct order_address, f), max }
static const struct efield address_fields[] = {
	AF(name, 200), AF(company, 255), AF(line1, 255), AF(line2, 255), AF(postcode, ADDR_POSTCODE_MAX),
	AF(city, 100), AF(region, 100), AF(country, 100), AF(phone, PHONE_TYPED_MAX),
};
#undef AF
#define NFIELDS(t) (sizeof(t) / sizeof(t[0]))

static const char **
field_at(const void *base, const struct efield *f)
{
	return (const char **)((char *)(uintptr_t)base + f->off);
}

static const char *
or_empty(const char *s)
{
	return s ? s : "";
}

/* Trims and checks every field of one part (customer, billing, shipping). */
static void
clean_fields(struct arena *a, void *base, const struct efield *fs, size_t n, const char *part,
    struct addr_report *rep)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char **v = field_at(base, &fs[i]);
		int rc = desk_clean_text(a, or_empty(*v), fs[i].max, false, v);

		if (rc == DESK_TOO_LONG)
			addr_report_add(rep, part, fs[i].name, ADDR_TOO_LONG,
			    N_("This field is longer than can be saved."));
		else if (rc != DESK_OK) {
			*v = "";
			addr_report_add(rep, part, fs[i].name, ADDR_BAD_TEXT,
			    N_("This field holds characters that cannot be saved."));
		}
	}
}

/* A telephone number in E.164 when it can be read; else as typed, when the
 * column can hold it (a warning), or refused. *readable says which. */
static void
clean_phone(struct arena *a, const char *country, const char **phone, const char *part,
    struct addr_report *rep, bool *readable)
{
	char e[ADDR_PHONE_MAX + 1];
	const char *s = or_empty(*phone);
	size_t i;

	*readable = phone_normalise(country, s, e) == 0;
	if (*readable) {
		*phone = arena_strdup(a, e);
		return;
	}
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			break;
	if (s[i] || i > ADDR_PHONE_MAX)
		addr_report_add(rep, part, "phone", ADDR_PHONE_UNSTORABLE,
		    N_("This telephone number can be neither read nor saved: write it as +33 6 12 34 56 78."));
}

static void
clean_address(struct arena *a, struct order_address *ad, const char *part, struct addr_report *rep)
{
	char pc[ADDR_POSTCODE_MAX * 4 + 1], cc[3] = "";
	bool readable;

	clean_fields(a, ad, address_fields, NFIELDS(address_fields), part, rep);
	if (strlen(ad->country) == 2) {
		cc[0] = (char)toupper((unsigned char)ad->country[0]);
		cc[1] = (char)toupper((unsigned char)ad->country[1]);
		ad->country = arena_strdup(a, cc);
	}
	postcode_normalise(ad->country, ad->postcode, pc, sizeof(pc));
	ad->postcode = arena_strdup(a, pc);
	clean_phone(a, ad->country, &ad->phone, part, rep, &readable);
	address_check(ad, part, rep);   /* warns of an unreadable phone */
}

void
order_edit_clean(struct arena *a, struct order_customer *c, struct order_address *billing,
    struct order_address *shipping, struct addr_report *rep)
{
	bool readable;

	clean_fields(a, c, customer_fields, NFIELDS(customer_fields), "customer", rep);
	if (!*c->last_name)
		addr_report_add(rep, "customer", "last_name", ADDR_MISSING, N_("The last name is required."));
	if (!*c->email)
		addr_report_add(rep, "customer", "email", ADDR_MISSING, N_("The e-mail address is required."));
	else if (!email_valid(c->email))
		addr_report_add(rep, "customer", "email", ADDR_EMAIL_INVALID, N_("This is not an e-mail address."));
	clean_address(a, billing, "billing", rep);
	if (shipping)
		clean_address(a, shipping, "shipping", rep);
	/* The customer's telephone is read as a number of the billing country. */
	clean_phone(a, billing->country, &c->phone, "customer", rep, &readable);
	if (!readable && *c->phone)
		addr_report_add(rep, "customer", "phone", ADDR_PHONE_FORMAT,
		    N_("The telephone number does not look like one of the country, nor like an international one (+…)."));
}

void
order_edit_findings(const struct order_customer *c, const struct order_address *billing,
    const struct order_address *shipping, struct addr_report *rep)
{
	char e[ADDR_PHONE_MAX + 1];

	if (billing->name || billing->line1)
		address_check(billing, "billing", rep);
	if (shipping->name || shipping->line1)
		address_check(shipping, "shipping", rep);
	if (c->phone && *c->phone && phone_normalise(billing->country, c->phone, e) != 0)
		addr_report_add(rep, "customer", "phone", ADDR_PHONE_FORMAT,
		    N_("The telephone number does not look like one of the country, nor like an international one (+…)."));
}

const char *
order_edit_part_label(const char *part)
{
	if (part && strcmp(part, "customer") == 0)
		return _("Customer");
	return part && strcmp(part, "billing") == 0 ? _("Billing address") : _("Shipping address");
}

const char *
order_edit_field_label(const char *field)
{
	static const struct { const char *field, *label; } labels[] = {
		{ "title", N_("Form of address") }, { "first_name", N_("First name") },
		{ "last_name", N_("Last name") }, { "email", N_("E-mail address") }, { "phone", N_("Telephone") },
		{ "name", N_("Name") }, { "company", N_("Company") }, { "line1", N_("Street and number") },
		{ "line2", N_("Address, second line") }, { "postcode", N_("Postcode") }, { "city", N_("City") },
		{ "region", N_("Region") }, { "country", N_("Country code") },
	};
	size_t i;

	for (i = 0; field && i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].field, field) == 0)
			return _(labels[i].label);
	return field ? field : "";
}

const char *
order_edit_changes_text(struct arena *a, const char *details)
{
	json_t *d = json_loads(details ? details : "{}", 0, NULL), *changes = json_object_get(d, "changes"), *v;
	const char *key, *text = "";

	json_object_foreach(changes, key, v) {
		const char *dot = strchr(key, '.');
		char part[16] = "";
		const char *from = json_string_value(json_object_get(v, "from")),
		    *to = json_string_value(json_object_get(v, "to"));

		if (dot && (size_t)(dot - key) < sizeof(part))
			memcpy(part, key, (size_t)(dot - key));
		text = arena_printf(a, "%s%s%s, %s \u201c%s\u201d \u2192 \u201c%s\u201d", text, *text ? "; " : "",
		    order_edit_part_label(part), order_edit_field_label(dot ? dot + 1 : key), from ? from : "",
		    to ? to : "");
	}
	json_decref(d);
	return arena_printf(a, _("Customer and addresses changed: %s"), text);
}

/* ---- reading and writing ------------------------------------------------- */

bool
order_edit_allowed(const struct wf_workflow *wf, const char *status)
{
	const struct wf_status *st = wf_status_find(wf, status);

	return !(st && (st->flags & WF_FINAL));
}

enum lock_col { LK_ID, LK_STATUS, LK_VERSION, LK_TITLE, LK_FIRST, LK_LAST, LK_EMAIL, LK_PHONE, LK_NUMBER,
	LK_NCOLS };
static const char sql_lock[] =
	"SELECT id, status, version, customer_title, customer_first_name, customer_last_name, customer_email,"
	" customer_phone, number FROM orders WHERE shop_id = ? AND code = ? AND kind = 'order' FOR UPDATE";
static const char sql_read[] =
	"SELECT id, status, version, customer_title, customer_first_name, customer_last_name, customer_email,"
	" customer_phone, number FROM orders WHERE shop_id = ? AND code = ? AND kind = 'order'";
enum addr_col { AD_KIND, AD_NAME, AD_COMPANY, AD_LINE1, AD_LINE2, AD_POSTCODE, AD_CITY, AD_REGION,
	AD_COUNTRY, AD_PHONE, AD_NCOLS };
static const char sql_addresses[] =
	"SELECT kind, name, company, line1, line2, postcode, city, region, country, phone"
	" FROM order_addresses WHERE shop_id = ? AND order_id = ?";
static const char sql_customer_update[] =
	"UPDATE orders SET customer_title = ?, customer_first_name = ?, customer_last_name = ?,"
	" customer_email = ?, customer_phone = ?, version = version + 1"
	" WHERE shop_id = ? AND id = ? AND version = ?";
static const char sql_address_write[] =
	"INSERT INTO order_addresses (shop_id, order_id, kind, name, company, line1, line2, postcode, city,"
	" region, country, phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	" ON DUPLICATE KEY UPDATE name = VALUES(name), company = VALUES(company), line1 = VALUES(line1),"
	" line2 = VALUES(line2), postcode = VALUES(postcode), city = VALUES(city), region = VALUES(region),"
	" country = VALUES(country), phone = VALUES(phone)";

/* e from the rows of sql_lock/sql_read and sql_addresses; 0 or -1. */
static int
edit_of_rows(const struct db_result *o, const struct db_result *ad, struct order_edit *e)
{
	size_t i, k;

	if (o->ncols != LK_NCOLS || ad->ncols != AD_NCOLS) {
		log_error("order edit: the queries return %zu and %zu columns, the enums name %d and %d",
		    o->ncols, ad->ncols, LK_NCOLS, AD_NCOLS);
		return -1;
	}
	e->version = db_ll(o, 0, LK_VERSION);
	e->status = db_str(o, 0, LK_STATUS);
	e->number = db_ll(o, 0, LK_NUMBER);
	e->customer.title = db_str(o, 0, LK_TITLE);
	e->customer.first_name = db_str(o, 0, LK_FIRST);
	e->customer.last_name = db_str(o, 0, LK_LAST);
	e->customer.email = db_str(o, 0, LK_EMAIL);
	e->customer.phone = db_str(o, 0, LK_PHONE);
	for (i = 0; i < ad->nrows; i++) {
		struct order_address *x = strcmp(db_str(ad, i, AD_KIND), "billing") == 0 ? &e->billing : &e->shipping;

		for (k = 0; k < NFIELDS(address_fields); k++)
			*field_at(x, &address_fields[k]) = db_str(ad, i, AD_NAME + (int)k);
	}
	for (k = 0; k < NFIELDS(address_fields); k++) {   /* no row: empty fields */
		if (!*field_at(&e->billing, &address_fields[k]))
			*field_at(&e->billing, &address_fields[k]) = "";
		if (!*field_at(&e->shipping, &address_fields[k]))
			*field_at(&e->shipping, &address_fields[k]) = "";
	}
	return 0;
}

int
order_edit_load(struct db *db, struct arena *a, long long shop_id, const char *code, struct order_edit *e)
{
	struct db_result o, ad;

	memset(e, 0, sizeof(*e));
	e->shop_id = shop_id;
	e->code = code;
	if (db_exec(db, a, &o, sql_read, DB_PARAMS(DB_I64(shop_id), DB_STR(code))) != DB_OK)
		return -1;
	if (o.nrows == 0)
		return 1;
	if (db_exec(db, a, &ad, sql_addresses, DB_PARAMS(DB_I64(shop_id), DB_I64(db_ll(&o, 0, LK_ID)))) != DB_OK)
		return -1;
	return edit_of_rows(&o, &ad, e);
}

/* Adds "part.field": {"from", "to"} to changes for each field that differs;
 * true when one did. */
static bool
diff_part(json_t *changes, const char *part, const void *before, const void *after, const struct efield *fs,
    size_t n)
{
	char key[48];
	bool any = false;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *b = or_empty(*field_at(before, &fs[i])), *x = or_empty(*field_at(after, &fs[i]));

		if (strcmp(b, x) == 0)
			continue;
		snprintf(key, sizeof(key), "%s.%s", part, fs[i].name);
		json_object_set_new(changes, key, json_pack("{ssss}", "from", b, "to", x));
		any = true;
	}
	return any;
}

struct edit_tx {
	struct arena *a;
	const struct order_edit *e;
	const struct order_actor *who;
	const char **why;
};

static int
address_write(struct db *db, struct edit_tx *x, long long order_id, const char *kind,
    const struct order_address *ad)
{
	return db_exec(db, x->a, NULL, sql_address_write, DB_PARAMS(DB_I64(x->e->shop_id), DB_I64(order_id),
	    DB_STR(kind), DB_STR(ad->name), DB_STR(ad->company), DB_STR(ad->line1), DB_STR(ad->line2),
	    DB_STR(ad->postcode), DB_STR(ad->city), DB_STR(ad->region), DB_STR(ad->country), DB_STR(ad->phone)));
}

/* Replaces the search words of a field that changed. */
static int
search_update(struct db *db, struct edit_tx *x, long long order_id, enum search_kind kind, const char *before,
    const char *after)
{
	if (strcmp(before, after) == 0)
		return DB_OK;
	return search_replace_kind(db, x->a, x->e->shop_id, order_id, kind, before, after);
}

static int
edit_tx_run(struct db *db, void *p)
{
	struct edit_tx *x = p;
	const struct order_edit *e = x->e;
	const struct order_customer *c = &e->customer;
	struct order_edit old = { 0 };
	const struct wf_workflow *wf;
	struct db_result o, ad, res;
	json_t *changes;
	bool cust, bill, ship;
	long long id;
	int rc;

	if ((rc = db_exec(db, x->a, &o, sql_lock, DB_PARAMS(DB_I64(e->shop_id), DB_STR(e->code)))) != DB_OK)
		return rc;
	if (o.nrows == 0)
		return EDIT_NOT_FOUND;
	id = db_ll(&o, 0, LK_ID);
	if (db_ll(&o, 0, LK_VERSION) != e->version) {
		*x->why = _("The order changed meanwhile: look at it again, then try again.");
		return EDIT_CHANGED;
	}
	if ((rc = wf_get(db, x->a, e->shop_id, &wf)) != WF_OK)
		return rc < 0 ? rc : EDIT_NOT_FOUND;
	if (!order_edit_allowed(wf, db_str(&o, 0, LK_STATUS))) {
		*x->why = _("A completed or cancelled order can no longer be edited.");
		return EDIT_REFUSED;
	}
	if ((rc = db_exec(db, x->a, &ad, sql_addresses, DB_PARAMS(DB_I64(e->shop_id), DB_I64(id)))) != DB_OK)
		return rc;
	if (edit_of_rows(&o, &ad, &old) != 0)
		return EDIT_ERROR;
	if (!(changes = json_object()))
		return EDIT_ERROR;
	cust = diff_part(changes, "customer", &old.customer, c, customer_fields, NFIELDS(customer_fields));
	bill = diff_part(changes, "billing", &old.billing, &e->billing, address_fields, NFIELDS(address_fields));
	ship = diff_part(changes, "shipping", &old.shipping, &e->shipping, address_fields, NFIELDS(address_fields));
	if (!cust && !bill && !ship) {   /* the same form again: nothing to record */
		json_decref(changes);
		return EDIT_OK;
	}
	/* The version moves whatever changed: the order is one thing to the
	 * forms made on it. */
	if ((rc = db_exec(db, x->a, &res, sql_customer_update, DB_PARAMS(DB_STR(c->title), DB_STR(c->first_name),
	    DB_STR(c->last_name), DB_STR(c->email), DB_STR(c->phone), DB_I64(e->shop_id), DB_I64(id),
	    DB_I64(e->version)))) != DB_OK ||
	    (bill && (rc = address_write(db, x, id, "billing", &e->billing)) != DB_OK) ||
	    (ship && (rc = address_write(db, x, id, "shipping", &e->shipping)) != DB_OK) ||
	    (rc = search_update(db, x, id, SEARCH_NAME, arena_printf(x->a, "%s %s", old.customer.first_name,
	    old.customer.last_name), arena_printf(x->a, "%s %s", c->first_name, c->last_name))) != DB_OK ||
	    (rc = search_update(db, x, id, SEARCH_EMAIL, old.customer.email, c->email)) != DB_OK ||
	    (rc = search_update(db, x, id, SEARCH_PHONE, old.customer.phone, c->phone)) != DB_OK) {
		json_decref(changes);
		return rc;
	}
	if (res.affected != 1) {
		json_decref(changes);
		log_error("order %s: the locked row was not updated", e->code);
		return EDIT_ERROR;
	}
	return order_event_add(db, x->a, e->shop_id, id, x->who, "order.addresses_changed",
	    json_pack("{so}", "changes", changes), NULL);
}

int
order_edit_save(struct db *db, struct arena *a, struct order_edit *e, const struct order_actor *who,
    struct addr_report *rep, const char **why)
{
	struct edit_tx x = { a, e, who, why };
	int rc;

	order_edit_clean(a, &e->customer, &e->billing, &e->shipping, rep);
	if (rep->refused)
		return EDIT_INVALID;
	rc = db_tx(db, edit_tx_run, &x);
	if (rc == EDIT_OK || rc == EDIT_NOT_FOUND || rc == EDIT_REFUSED || rc == EDIT_CHANGED)
		return rc;
	if (rc != EDIT_ERROR)
		log_error("order %s: the customer and addresses could not be saved (%d)", e->code, rc);
	return EDIT_ERROR;
}
