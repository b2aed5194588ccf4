/*
 * datetime: instants as staff read them. The database keeps UTC; a page
 * shows the shop's local time, "01/12/2026 14:05" in French and
 * "1 Dec 2026, 14:05" in English.
 *
 * Local time without the C library's TZ (global to the process, so not
 * for threads): the zones of the European Union's summer-time rule
 * (last Sunday of March to last Sunday of October, 01:00 UTC) are known
 * by name, as are UTC and Etc/UTC; any other zone is shown in UTC.
 */
#ifndef CPT_DATETIME_H
#define CPT_DATETIME_H

#include <stddef.h>

/* Offset from UTC in seconds of zone `tz` at `utc` (seconds since 1970);
 * 0 when the zone is unknown. Sets *known (if not NULL). */
long datetime_offset(const char *tz, long long utc, int *known);

/* Local midnight in zone tz of "YYYY-MM-DD" or "YYYY-MM" (its first day),
 * `months` and `days` later, as UTC text "YYYY-MM-DD HH:MM:SS" (a
 * DATETIME literal): where a local day or month starts in the database. */
void datetime_local_midnight_utc(const char *day, int months, int days, const char *tz, char out[32]);

/* Parses "YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]][Z]" (UTC) into seconds since
 * 1970: 0, or -1 when it is not such a time. */
int datetime_parse_utc(const char *text, long long *out);

/* Writes `iso_utc` as local time of `tz` for `lang` ("en", else French).
 * Returns 0, or -1 when iso_utc is unreadable (then out holds it as is). */
int datetime_format(char *out, size_t size, const char *iso_utc, const char *tz, const char *lang);

#endif
