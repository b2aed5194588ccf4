/*
 * CAMT.053 (ISO 20022 BkToCstmrStmt) read with libxml2's streaming reader:
 * each Ntry is one line (Amt and its Ccy, CdtDbtInd, BookgDt/Dt or DtTm,
 * AcctSvcrRef else NtryRef, RmtInf/Strd/CdtrRefInf/Ref, RmtInf/Ustrd).
 * Names are matched without their namespace (banks send camt.053.001.02
 * to .08). No network, no DTD: a document that declares one is refused, so
 * no entity is ever defined, let alone expanded.
 */
#include "payments/statement.h"

#include <libxml/xmlreader.h>
#include <pthread.h>
#include <string.h>

#include "orders/money.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/i18n.h"
#include "util/utf8.h"

#define CAMT_MAX_DEPTH 32

enum field { F_NONE, F_AMT, F_CDTDBT, F_DATE, F_NTRYREF, F_ACCTREF, F_STRDREF, F_USTRD, F_NFIELDS };

static const size_t field_max[F_NFIELDS] = {
	0, 32, 8, 32, STATEMENT_BANK_REF_MAX, STATEMENT_BANK_REF_MAX, STATEMENT_REF_MAX, STATEMENT_LABEL_MAX,
};

struct entry {
	struct buf f[F_NFIELDS];
	char ccy[4];
};

struct camt {
	struct arena *a;
	const char *names[CAMT_MAX_DEPTH];   /* the open elements, local names */
	int depth;
	int ntry;                            /* depth of the open Ntry, 0 for none */
	bool statement;                      /* a BkToCstmrStmt was seen */
	struct entry e;
	const char **why;
};

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void
xml_init(void)
{
	xmlInitParser();
}

/* Errors are ours to tell, in French: libxml2 says nothing on stderr. */
static void
quiet(void *ctx, const char *msg, xmlParserSeverities severity, xmlTextReaderLocatorPtr loc)
{
	(void)ctx, (void)msg, (void)severity, (void)loc;
}

static bool
is(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

/* The field the text at the present depth belongs to. */
static enum field
field_here(const struct camt *c)
{
	int rel = c->depth - c->ntry;   /* names[ntry - 1] is "Ntry" */
	const char *n = c->names[c->depth - 1], *p = c->depth >= 2 ? c->names[c->depth - 2] : NULL;

	if (!c->ntry || rel < 1)
		return F_NONE;
	if (rel == 1 && is(n, "Amt"))
		return F_AMT;
	if (rel == 1 && is(n, "CdtDbtInd"))
		return F_CDTDBT;
	if (rel == 2 && is(p, "BookgDt") && (is(n, "Dt") || is(n, "DtTm")))
		return F_DATE;
	if (rel == 1 && is(n, "NtryRef"))
		return F_NTRYREF;
	if (is(n, "AcctSvcrRef") && (rel == 1 || is(p, "Refs")))
		return F_ACCTREF;
	if (is(n, "Ref") && is(p, "CdtrRefInf"))
		return F_STRDREF;
	if (is(n, "Ustrd") && is(p, "RmtInf"))
		return F_USTRD;
	return F_NONE;
}

static void
entry_reset(struct entry *e)
{
	int i;

	for (i = 0; i < F_NFIELDS; i++) {
		buf_free(&e->f[i]);
		buf_init(&e->f[i], field_max[i] ? field_max[i] : 1);
	}
	e->ccy[0] = '\0';
}

static void
entry_free(struct entry *e)
{
	int i;

	for (i = 0; i < F_NFIELDS; i++)
		buf_free(&e->f[i]);
}

static const char *
text(struct camt *c, enum field f)
{
	return arena_strdup(c->a, buf_str(&c->e.f[f]));
}

/* Ends an Ntry: one line, or a refusal. */
static int
entry_end(struct camt *c, struct statement *st)
{
	struct entry *e = &c->e;
	struct statement_line *l;
	const char *amt = buf_str(&e->f[F_AMT]), *ind = buf_str(&e->f[F_CDTDBT]), *date = buf_str(&e->f[F_DATE]);
	long long cents;
	int i;

	for (i = 1; i < F_NFIELDS; i++)
		if (buf_failed(&e->f[i])) {
			*c->why = arena_printf(c->a, _("Entry %zu: a value is too long."), st->n + 1);
			return STATEMENT_MALFORMED;
		}
	/* ISO 20022 amounts: digits, a point, up to 5 decimals; we keep cents. */
	if (!*amt || strspn(amt, "0123456789.") != strlen(amt) || money_parse(amt, strlen(amt), &cents) != MONEY_OK ||
	    cents <= 0) {
		*c->why = arena_printf(c->a, _("Entry %zu: the amount “%s” cannot be read."), st->n + 1,
		    arena_strndup(c->a, amt, utf8_cut(amt, 40)));
		return STATEMENT_MALFORMED;
	}
	if (!is(ind, "CRDT") && !is(ind, "DBIT")) {
		*c->why = arena_printf(c->a, _("Entry %zu: CdtDbtInd is neither CRDT nor DBIT."), st->n + 1);
		return STATEMENT_MALFORMED;
	}
	if (st->n == STATEMENT_MAX_LINES) {
		*c->why = arena_printf(c->a, _("The statement has more than %d lines."), STATEMENT_MAX_LINES);
		return STATEMENT_MALFORMED;
	}
	if (!st->lines)
		st->lines = arena_alloc(c->a, STATEMENT_MAX_LINES * sizeof(*st->lines));
	l = &st->lines[st->n];
	if (*date && !statement_date(date, strlen(date) >= 10 ? 10 : strlen(date), l->booked_on)) {
		*c->why = arena_printf(c->a, _("Entry %zu: the booking date cannot be read."), st->n + 1);
		return STATEMENT_MALFORMED;
	}
	st->n++;
	l->amount_cents = is(ind, "DBIT") ? -cents : cents;
	memcpy(l->currency, e->ccy, sizeof(l->currency));
	l->reference = text(c, F_STRDREF);
	l->label = text(c, F_USTRD);
	l->bank_ref = buf_str(&e->f[F_ACCTREF])[0] ? text(c, F_ACCTREF) : text(c, F_NTRYREF);
	entry_reset(e);
	return STATEMENT_OK;
}

static int
element_start(struct camt *c, xmlTextReaderPtr r)
{
	const char *name = (const char *)xmlTextReaderConstLocalName(r);
	xmlChar *ccy;

	if (c->depth == CAMT_MAX_DEPTH) {
		*c->why = _("The XML file is nested too deep.");
		return STATEMENT_MALFORMED;
	}
	c->names[c->depth++] = arena_strdup(c->a, name ? name : "");
	if (is(name, "BkToCstmrStmt"))
		c->statement = true;
	if (is(name, "Ntry") && !c->ntry) {
		c->ntry = c->depth;
		entry_reset(&c->e);
	}
	if (c->ntry && c->depth == c->ntry + 1 && is(name, "Amt")) {
		ccy = xmlTextReaderGetAttribute(r, (const xmlChar *)"Ccy");
		if (!ccy || strlen((const char *)ccy) != 3 ||
		    strspn((const char *)ccy, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3) {
			xmlFree(ccy);
			*c->why = _("An amount has no currency (Ccy).");
			return STATEMENT_MALFORMED;
		}
		memcpy(c->e.ccy, ccy, 4);
		xmlFree(ccy);
	}
	return STATEMENT_OK;
}

static int
element_end(struct camt *c, struct statement *st)
{
	int rc = STATEMENT_OK;

	if (c->ntry && c->depth == c->ntry) {
		rc = entry_end(c, st);
		c->ntry = 0;
	}
	c->depth--;
	return rc;
}

static int
camt_walk(struct camt *c, xmlTextReaderPtr r, struct statement *st)
{
	enum field f;
	int ok, rc, type;

	while ((ok = xmlTextReaderRead(r)) == 1) {
		type = xmlTextReaderNodeType(r);
		switch (type) {
		case XML_READER_TYPE_DOCUMENT_TYPE:
		case XML_READER_TYPE_ENTITY_REFERENCE:
		case XML_READER_TYPE_ENTITY:
			*c->why = _("The XML file declares a DTD or entities: refused.");
			return STATEMENT_MALFORMED;
		case XML_READER_TYPE_ELEMENT:
			if ((rc = element_start(c, r)) != STATEMENT_OK)
				return rc;
			if (xmlTextReaderIsEmptyElement(r) && (rc = element_end(c, st)) != STATEMENT_OK)
				return rc;
			break;
		case XML_READER_TYPE_END_ELEMENT:
			if (c->depth > 0 && (rc = element_end(c, st)) != STATEMENT_OK)
				return rc;
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
			if (c->depth > 0 && (f = field_here(c)) != F_NONE) {
				const char *v = (const char *)xmlTextReaderConstValue(r);

				struct buf *b = &c->e.f[f];

				if (!v)
					break;
				/* Several Ustrd lines join with a space, cut to the
				 * column: the label is for people, not for matching. */
				if (f == F_USTRD) {
					size_t room = b->max - b->len;

					if (b->len && *v && room > 1) {
						buf_putc(b, ' ');
						room--;
					}
					buf_append(b, v, utf8_cut(v, room > 0 ? room : 0));
				} else {
					buf_puts(b, v);
				}
			}
			break;
		default:
			break;
		}
	}
	if (ok != 0) {
		*c->why = _("The file is not well-formed XML.");
		return STATEMENT_MALFORMED;
	}
	if (!c->statement) {
		*c->why = _("The XML file is not a CAMT.053 statement (no BkToCstmrStmt).");
		return STATEMENT_MALFORMED;
	}
	return STATEMENT_OK;
}

int
statement_parse_camt(struct arena *a, const char *data, size_t len, struct statement *out, const char **why)
{
	struct camt c = { .a = a, .why = why };
	xmlTextReaderPtr r;
	int rc;

	memset(out, 0, sizeof(*out));
	out->source = "camt053";
	if (len > STATEMENT_MAX_BYTES)
		return STATEMENT_TOO_LARGE;
	pthread_once(&xml_once, xml_init);
	/* No XML_PARSE_NOENT (it would expand entities), no DTD loading. */
	r = xmlReaderForMemory(data, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS);
	if (!r) {
		*why = _("The file is not well-formed XML.");
		return STATEMENT_MALFORMED;
	}
	xmlTextReaderSetErrorHandler(r, quiet, NULL);
	rc = camt_walk(&c, r, out);
	xmlFreeTextReader(r);
	entry_free(&c.e);
	if (rc != STATEMENT_OK)
		return rc;
	if (out->n == 0) {
		*why = _("The statement holds no line.");
		return STATEMENT_EMPTY;
	}
	statement_keys(out);
	return STATEMENT_OK;
}
