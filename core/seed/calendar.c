/*
 * calendar: proleptic Gregorian dates, Paris' summer time and times as
 * SQL literals (see calendar.h), all by hand: the same seed and end time
 * give the same data whatever the machine's time zone and tzdata.
 */
#include "seed/calendar.h"

#include <stdint.h>

#include "util/buf.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* The date of day number z (days since 1970-01-01). */
void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* Floor division for possibly negative times. */
int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* 0 = Monday … 6 = Sunday. */
unsigned
civil_weekday(int64_t day)
{
	return (unsigned)((day % 7 + 7 + 3) % 7);
}

/* The day number of the last Sunday of month m of year y. */
static int64_t
last_sunday(int64_t y, unsigned m)
{
	int64_t last = m == 12 ? days_from_civil(y + 1, 1, 1) - 1 : days_from_civil(y, m + 1, 1) - 1;

	return last - (int64_t)((civil_weekday(last) + 1) % 7);
}

/* Paris' offset from UTC at unix time t: +1 h, +2 h in summer time (from
 * the last Sunday of March to the last Sunday of October, 01:00 UTC). */
int64_t
paris_offset(int64_t t)
{
	int64_t y;
	unsigned m, d;

	civil_from_days(floor_div(t, 86400), &y, &m, &d);
	return t >= last_sunday(y, 3) * 86400 + 3600 && t < last_sunday(y, 10) * 86400 + 3600 ?
	    7200 : 3600;
}

/* Writes two decimal digits. */
static char *
put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/* Appends 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC) for microseconds `us`. */
void
seed_sql_time(struct buf *b, int64_t us)
{
	char s[32], *p = s;
	int64_t secs = floor_div(us, US), day = floor_div(secs, 86400), y;
	unsigned m, d, sod = (unsigned)(secs - day * 86400), frac = (unsigned)(us - secs * US), i;

	civil_from_days(day, &y, &m, &d);
	*p++ = '\'';
	p = put2(p, (unsigned)(y / 100));
	p = put2(p, (unsigned)(y % 100));
	*p++ = '-';
	p = put2(p, m);
	*p++ = '-';
	p = put2(p, d);
	*p++ = ' ';
	p = put2(p, sod / 3600);
	*p++ = ':';
	p = put2(p, sod / 60 % 60);
	*p++ = ':';
	p = put2(p, sod % 60);
	*p++ = '.';
	for (i = 0; i < 6; i++) {
		p[5 - i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	p += 6;
	*p++ = '\'';
	buf_append(b, s, (size_t)(p - s));
}
