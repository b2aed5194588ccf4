#include "util/datetime.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static void
civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
	long long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long long)yoe + era * 400 + (*m <= 2);
}

/* 01:00 UTC on the last Sunday of `month` (31 days: March, October). */
static long long
last_sunday_1h(long long year, unsigned month)
{
	long long day = days_from_civil(year, month, 31);
	long long weekday = (day + 4) % 7;   /* 1970-01-01 was a Thursday */

	if (weekday < 0)
		weekday += 7;
	return (day - weekday) * 86400 + 3600;
}

/* Standard offsets, in hours, of the zones under the EU summer-time rule. */
static const struct { const char *name; int hours; } eu_zones[] = {
	{ "Europe/London", 0 }, { "Europe/Dublin", 0 }, { "Europe/Lisbon", 0 },
	{ "Atlantic/Canary", 0 },
	{ "Europe/Paris", 1 }, { "Europe/Brussels", 1 }, { "Europe/Luxembourg", 1 },
	{ "Europe/Monaco", 1 }, { "Europe/Zurich", 1 }, { "Europe/Berlin", 1 },
	{ "Europe/Madrid", 1 }, { "Europe/Rome", 1 }, { "Europe/Amsterdam", 1 },
	{ "Europe/Vienna", 1 }, { "Europe/Prague", 1 }, { "Europe/Warsaw", 1 },
	{ "Europe/Copenhagen", 1 }, { "Europe/Stockholm", 1 }, { "Europe/Oslo", 1 },
	{ "Europe/Andorra", 1 }, { "Europe/Budapest", 1 }, { "Europe/Ljubljana", 1 },
	{ "Europe/Zagreb", 1 }, { "Europe/Bratislava", 1 }, { "Europe/Malta", 1 },
	{ "Europe/Athens", 2 }, { "Europe/Helsinki", 2 }, { "Europe/Bucharest", 2 },
	{ "Europe/Sofia", 2 }, { "Europe/Riga", 2 }, { "Europe/Tallinn", 2 },
	{ "Europe/Vilnius", 2 }, { "Europe/Kyiv", 2 },
};

long
datetime_offset(const char *tz, long long utc, int *known)
{
	long long days = utc >= 0 ? utc / 86400 : (utc - 86399) / 86400, year;
	unsigned m, d;
	size_t i;

	if (known)
		*known = 1;
	if (tz && (strcmp(tz, "UTC") == 0 || strcmp(tz, "Etc/UTC") == 0))
		return 0;
	for (i = 0; tz && i < sizeof(eu_zones) / sizeof(eu_zones[0]); i++) {
		if (strcmp(tz, eu_zones[i].name) != 0)
			continue;
		civil_from_days(days, &year, &m, &d);
		if (utc >= last_sunday_1h(year, 3) && utc < last_sunday_1h(year, 10))
			return (eu_zones[i].hours + 1) * 3600L;
		return eu_zones[i].hours * 3600L;
	}
	if (known)
		*known = 0;
	return 0;
}

static bool
digits(const char *s, int n, unsigned *out)
{
	int i;

	*out = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*out = *out * 10 + (unsigned)(s[i] - '0');
	}
	return true;
}

int
datetime_parse_utc(const char *t, long long *out)
{
	unsigned y, mo, d, h, mi, s = 0;

	if (!t || strlen(t) < 16 || !digits(t, 4, &y) || t[4] != '-' || !digits(t + 5, 2, &mo) ||
	    t[7] != '-' || !digits(t + 8, 2, &d) || (t[10] != 'T' && t[10] != ' ') ||
	    !digits(t + 11, 2, &h) || t[13] != ':' || !digits(t + 14, 2, &mi))
		return -1;
	if (t[16] == ':' && !digits(t + 17, 2, &s))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return -1;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600LL + mi * 60LL + s;
	return 0;
}

/* Two digits of v (< 100) at p. */
static char *
two(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/* Written by hand, not printf: a list page formats 50 dates. */
int
datetime_format(char *out, size_t size, const char *iso_utc, const char *tz, const char *lang)
{
	static const char *const month[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	long long utc, local, days, year;
	unsigned m, d, secs;
	char s[64], *p = s;
	size_t n;

	if (size == 0)
		return -1;
	if (datetime_parse_utc(iso_utc, &utc) != 0) {
		snprintf(out, size, "%s", iso_utc ? iso_utc : "");
		return -1;
	}
	local = utc + datetime_offset(tz, utc, NULL);
	days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	secs = (unsigned)(local - days * 86400);
	civil_from_days(days, &year, &m, &d);
	/* "%u %s %lld, %02u:%02u" in English, "%02u/%02u/%lld %02u:%02u" else */
	if (lang && strcmp(lang, "en") == 0) {
		if (d >= 10)
			*p++ = (char)('0' + d / 10);
		*p++ = (char)('0' + d % 10);
		*p++ = ' ';
		memcpy(p, month[m - 1], 3);
		p += 3;
		*p++ = ' ';
	} else {
		p = two(p, d);
		*p++ = '/';
		p = two(p, m);
		*p++ = '/';
	}
	if (year < 0)
		*p++ = '-';
	p += fmt_ull(p, year < 0 ? (unsigned long long)-(year + 1) + 1 : (unsigned long long)year);
	if (lang && strcmp(lang, "en") == 0)
		*p++ = ',';
	*p++ = ' ';
	p = two(p, secs / 3600);
	*p++ = ':';
	p = two(p, secs / 60 % 60);
	n = (size_t)(p - s);
	if (n >= size)
		n = size - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

static int
digits_value(const char *s, size_t n)
{
	int v = 0;

	while (n--)
		v = v * 10 + (*s++ - '0');
	return v;
}

void
datetime_local_midnight_utc(const char *day, int months, int days, const char *tz, char out[32])
{
	struct tm tm = { 0 };
	long long t;
	long off;
	time_t tt;

	tm.tm_year = digits_value(day, 4) - 1900;
	tm.tm_mon = digits_value(day + 5, 2) - 1 + months;
	tm.tm_mday = (strlen(day) >= 10 ? digits_value(day + 8, 2) : 1) + days;
	t = (long long)timegm(&tm);
	/* The offset at that instant, taken twice: near a change of hour the
	 * first guess is off by one. */
	off = datetime_offset(tz, t, NULL);
	off = datetime_offset(tz, t - off, NULL);
	tt = (time_t)(t - off);
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
}
