/* The pure parts of payments: typed amounts, the payment state, the bank
 * statement readers (CSV, CAMT.053), what a line names, and multipart. */
#include <stdlib.h>
#include <string.h>

#include "http/request.h"
#include "orders/money.h"
#include "payments/payments.h"
#include "payments/statement.h"
#include "tap.h"
#include "util/arena.h"

static long long
parsed(const char *s)
{
	long long c = 0x7eadbeef;

	return money_parse(s, strlen(s), &c) == MONEY_OK ? c : 0x7eadbeef;
}

static void
test_money_parse(void)
{
	is_int(parsed("12"), 1200, "12 is 12,00");
	is_int(parsed("12,5"), 1250, "a French decimal comma, one digit");
	is_int(parsed("12.50"), 1250, "a decimal point");
	is_int(parsed(" 1 234,50 "), 123450, "grouped by spaces, blanks around");
	is_int(parsed("1\u202f234,50"), 123450, "grouped by a narrow no-break space, as we print it");
	is_int(parsed("1.234,50"), 123450, "Belgian banks: points group, the comma is decimal");
	is_int(parsed("1,234.50"), 123450, "English: commas group, the point is decimal");
	is_int(parsed("-45,00"), -4500, "a debit");
	ok(parsed("12,505") == 0x7eadbeef, "three decimals are refused");
	ok(parsed("1,234") == 0x7eadbeef, "1,234 is ambiguous: refused");
	ok(parsed("12a") == 0x7eadbeef && parsed("") == 0x7eadbeef && parsed(",50") == 0x7eadbeef &&
	    parsed("1  234") == 0x7eadbeef && parsed("--1") == 0x7eadbeef, "what is not an amount is refused");
	ok(parsed("99999999999999999999") == 0x7eadbeef, "too large is refused, not wrapped");
}

static void
test_state(void)
{
	is_str(payment_state_of(5000, 0, 0), "unpaid", "nothing received: unpaid");
	is_str(payment_state_of(5000, 2000, 0), "partially_paid", "part received: partly paid");
	is_str(payment_state_of(5000, 5000, 0), "paid", "all received: paid");
	is_str(payment_state_of(5000, 5000, 1000), "partially_refunded", "part given back");
	is_str(payment_state_of(5000, 5000, 5000), "refunded", "all given back");
	is_str(payment_state_of(5000, 6000, 1000), "paid", "paid again after a refund: paid");
	is_str(payment_state_of(5000, 0, 0), "unpaid", "a payment reversed: unpaid again");
	ok(payment_code_valid("banktransfer") && !payment_code_valid("Bank") && !payment_code_valid("") &&
	    !payment_code_valid("a;b"), "method codes");
}

static void
test_check_digits(void)
{
	ok(structured_communication_valid("090933755493"), "+++090/9337/55493+++ (the Belgian banks' example)");
	ok(!structured_communication_valid("090933755494"), "a wrong check digit is refused");
	ok(structured_communication_valid("000001234526"), "order 12345's communication");
	ok(structured_communication_valid("000000009797"), "a base divisible by 97 checks as 97");
	ok(creditor_reference_valid("RF18539007547034", 16), "RF18 5390 0754 7034 (ISO 11649's example)");
	ok(!creditor_reference_valid("RF19539007547034", 16), "a wrong RF check is refused");
	ok(creditor_reference_valid("RF57K7QM4TZP", 12), "an RF reference carrying an order code");
}

static void
test_refs(void)
{
	struct statement_line l = { .reference = "+++000/0012/34526+++", .label = "Commande K7QM-4TZP merci" };
	struct statement_refs r;

	statement_line_refs(&l, &r);
	ok(r.nnumbers >= 1 && r.numbers[0] == 12345, "the structured communication names order 12345");
	ok(r.ncodes >= 1 && strcmp(r.codes[0], "K7QM4TZP") == 0, "the label names code K7QM4TZP");
	l = (struct statement_line){ .reference = "RF57K7QM4TZP", .label = "" };
	statement_line_refs(&l, &r);
	ok(r.ncodes == 1 && strcmp(r.codes[0], "K7QM4TZP") == 0, "an RF reference names its code");
	l = (struct statement_line){ .reference = "", .label = "VIR SEPA CMD-10045 DUPONT" };
	statement_line_refs(&l, &r);
	ok(r.nnumbers == 1 && r.numbers[0] == 10045, "CMD-10045 names order 10045");
}

static void
test_csv(void)
{
	struct arena a;
	struct statement st;
	const char *why = NULL;
	const char *ok_csv = "\xEF\xBB\xBF" "date;montant;référence;libellé\r\n"
	    "01/12/2026;1 234,50;+++000/0012/34526+++;VIR DUPONT\r\n"
	    "2026-12-02;-12,00;;FRAIS\r\n"
	    "\r\n"
	    "2026-12-02;\"45,00\";\"K7QM4TZP\";\"Paiement \"\"atelier\"\"\"\r\n";
	char key0[STATEMENT_KEY_MAX + 1];

	arena_init(&a, 0);
	ok(statement_parse(&a, ok_csv, strlen(ok_csv), &st, &why) == STATEMENT_OK, "a CSV with a title line reads");
	is_int((long long)st.n, 3, "three lines, the titles and the blank line skipped");
	is_str(st.lines[0].booked_on, "2026-12-01", "a French date");
	is_int(st.lines[0].amount_cents, 123450, "a French amount");
	is_int(st.lines[1].amount_cents, -1200, "a debit");
	is_str(st.lines[2].label, "Paiement \"atelier\"", "quotes doubled inside quotes");
	ok(strncmp(st.lines[0].key, "h:", 2) == 0 && strcmp(st.lines[0].key, st.lines[2].key) != 0, "keys");
	memcpy(key0, st.lines[0].key, sizeof(key0));
	ok(statement_parse(&a, ok_csv, strlen(ok_csv), &st, &why) == STATEMENT_OK &&
	    strcmp(st.lines[0].key, key0) == 0, "the same statement gives the same keys");
	{
		const char *twice = "2026-12-01;10,00;X;Y\n2026-12-01;10,00;X;Y\n";

		ok(statement_parse(&a, twice, strlen(twice), &st, &why) == STATEMENT_OK && st.n == 2 &&
		    strcmp(st.lines[0].key, st.lines[1].key) != 0, "two identical lines are two lines");
	}
	why = NULL;
	ok(statement_parse(&a, "2026-12-01;douze;X;Y\n", 21, &st, &why) == STATEMENT_MALFORMED && why &&
	    strstr(why, "1"), "a bad amount is refused, with its line");
	ok(statement_parse(&a, "title;x\n2026-13-01;1;X\n", 23, &st, &why) == STATEMENT_MALFORMED,
	    "a date that does not exist is refused");
	ok(statement_parse(&a, "2026-12-01;1;\"open\n", 19, &st, &why) == STATEMENT_MALFORMED, "an open quote");
	ok(statement_parse(&a, "a;b;c;d;e\n", 10, &st, &why) == STATEMENT_MALFORMED, "five columns");
	ok(statement_parse(&a, "2026-12-01;1;\xff;x\n", 17, &st, &why) == STATEMENT_MALFORMED, "not UTF-8");
	ok(statement_parse(&a, "date;amount\n", 12, &st, &why) == STATEMENT_EMPTY, "titles only: empty");
	arena_free(&a);
}

#define CAMT_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt>"
#define CAMT_TAIL "</Stmt></BkToCstmrStmt></Document>"

static void
test_camt(void)
{
	struct arena a;
	struct statement st;
	const char *why = NULL;
	const char *doc = CAMT_HEAD
	    "<Ntry><NtryRef>N1</NtryRef><Amt Ccy=\"EUR\">123.45</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
	    "<BookgDt><Dt>2026-12-01</Dt></BookgDt><AcctSvcrRef>BANK-0001</AcctSvcrRef>"
	    "<NtryDtls><TxDtls><RmtInf><Ustrd>Commande</Ustrd><Ustrd>K7QM4TZP &amp; merci</Ustrd>"
	    "<Strd><CdtrRefInf><Ref>+++000/0012/34526+++</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>"
	    "<Ntry><Amt Ccy=\"EUR\">9.9</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><DtTm>2026-12-02T10:00:00</DtTm>"
	    "</BookgDt></Ntry>" CAMT_TAIL;
	const char *dtd = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;\">]>"
	    "<Document><BkToCstmrStmt><Stmt><Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
	    "<NtryDtls><TxDtls><RmtInf><Ustrd>&b;</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>" CAMT_TAIL;
	const char *other = "<?xml version=\"1.0\"?><Document><CstmrCdtTrfInitn/></Document>";
	const char *broken = CAMT_HEAD "<Ntry><Amt Ccy=\"EUR\">1.00</Amt>";
	const char *noccy = CAMT_HEAD "<Ntry><Amt>1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>" CAMT_TAIL;

	arena_init(&a, 0);
	ok(statement_parse(&a, doc, strlen(doc), &st, &why) == STATEMENT_OK, "a CAMT.053 statement reads");
	is_int((long long)st.n, 2, "two entries");
	is_int(st.lines[0].amount_cents, 12345, "Amt, in cents");
	is_str(st.lines[0].currency, "EUR", "its Ccy");
	is_str(st.lines[0].booked_on, "2026-12-01", "BookgDt/Dt");
	is_str(st.lines[0].reference, "+++000/0012/34526+++", "Strd/CdtrRefInf/Ref");
	is_str(st.lines[0].label, "Commande K7QM4TZP & merci", "the Ustrd lines joined");
	is_str(st.lines[0].key, "ref:BANK-0001", "the key is the bank's AcctSvcrRef");
	is_int(st.lines[1].amount_cents, -990, "DBIT is a debit");
	is_str(st.lines[1].booked_on, "2026-12-02", "BookgDt/DtTm");
	ok(statement_parse(&a, dtd, strlen(dtd), &st, &why) == STATEMENT_MALFORMED, "a DTD is refused, no entity expanded");
	ok(statement_parse(&a, other, strlen(other), &st, &why) == STATEMENT_MALFORMED && why &&
	    strstr(why, "CAMT"), "another ISO 20022 message is not a statement");
	ok(statement_parse(&a, broken, strlen(broken), &st, &why) == STATEMENT_MALFORMED, "cut XML is refused");
	ok(statement_parse(&a, noccy, strlen(noccy), &st, &why) == STATEMENT_MALFORMED, "an amount without Ccy");
	arena_free(&a);
}

static void
test_multipart(void)
{
	struct arena a;
	struct kvlist fields = { 0 }, files = { 0 };
	const char body[] = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"statement\"; filename=\"r.csv\"\r\n"
	    "Content-Type: text/csv\r\n\r\na;b\r\n\r\nc\0d\r\n--XyZ--\r\n";

	arena_init(&a, 0);
	ok(kv_parse_multipart(&a, &fields, &files, "multipart/form-data; boundary=XyZ", body, sizeof(body) - 1) == 0,
	    "a multipart form parses");
	ok(fields.n == 1 && strcmp(kv_get(&fields, "csrf"), "tok") == 0, "its field");
	ok(files.n == 1 && files.items[0].len == 10 && memcmp(files.items[0].val, "a;b\r\n\r\nc\0d", 10) == 0,
	    "its file, byte for byte, NUL and blank lines included");
	fields.n = files.n = 0;
	ok(kv_parse_multipart(&a, &fields, &files, "multipart/form-data; boundary=\"XyZ\"", body, 40) != 0,
	    "a body cut short is refused");
	ok(kv_parse_multipart(&a, &fields, &files, "multipart/form-data", body, sizeof(body) - 1) != 0,
	    "no boundary is refused");
	arena_free(&a);
}

int
main(void)
{
	test_money_parse();
	test_state();
	test_check_digits();
	test_refs();
	test_csv();
	test_camt();
	test_multipart();
	return done_testing();
}
