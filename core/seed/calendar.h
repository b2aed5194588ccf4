/*
 * calendar: dates and times for the generator: the civil date of a day
 * number, Paris' offset from UTC, and times written as SQL. Times are
 * microseconds since 1970-01-01 UTC. Private to core/seed/.
 */
#ifndef CPT_SEED_CALENDAR_H
#define CPT_SEED_CALENDAR_H

#include <stdint.h>

struct buf;

/* Microseconds in a second. */
#define US 1000000LL

/* The date of day number z (days since 1970-01-01). */
void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
/* Floor division for possibly negative times. */
int64_t floor_div(int64_t a, int64_t b);
/* The day of the week of day number `day`: 0 = Monday … 6 = Sunday. */
unsigned civil_weekday(int64_t day);
/* Paris' offset from UTC at unix time t, in seconds (3600 or 7200). */
int64_t paris_offset(int64_t t);
/* Appends 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC) for microseconds `us`. */
void seed_sql_time(struct buf *b, int64_t us);

#endif
