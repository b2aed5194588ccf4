/*
 * The one option parser of every subcommand: "--name VALUE", "--name=VALUE"
 * and flags "--name", anywhere among the positional arguments; "--" ends
 * the options. Everything is checked before the command opens anything, so
 * a refused command has changed nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* Exit status of a refused command line, as getopt-based tools use. */
#define CLI_STATUS_USAGE 2

/* Says what is wrong, then how to use the command; the exit status. */
static int
refuse(const struct cli_spec *spec, const char *what)
{
	fprintf(stderr, "%s: %s\n\n%s", spec->name, what, spec->usage);
	return CLI_STATUS_USAGE;
}

/* A whole decimal number in [lo, hi]: digits only, no sign, no unit. */
bool
cli_parse_number(const char *s, unsigned long long lo, unsigned long long hi,
    unsigned long long *out)
{
	unsigned long long n = 0;
	size_t i;

	if (!s || !*s)
		return false;
	for (i = 0; s[i]; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (s[i] < '0' || s[i] > '9' || n > (~0ULL - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*out = n;
	return n >= lo && n <= hi;
}

static int
find_option(const struct cli_option *opts, const char *name, size_t len)
{
	int i;

	for (i = 0; opts && opts[i].name; i++)
		if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
			return i;
	return -1;
}

/* Checks and stores the value of option k; 0, or the exit status. */
static int
take_value(struct cli *c, const struct cli_spec *spec, int k, const char *value)
{
	const struct cli_option *o = &spec->opts[k];
	char what[256];

	if (o->kind == CLI_NUMBER && !cli_parse_number(value, o->min, o->max, &c->numbers[k])) {
		snprintf(what, sizeof(what), "--%s must be a whole number from %llu to %llu, not '%.40s'",
		    o->name, o->min, o->max, value);
		return refuse(spec, what);
	}
	c->values[k] = value;
	return 0;
}

int
cli_parse(struct cli *c, const struct cli_spec *spec, int *status)
{
	int i, npos = 0, k, n = 0;
	bool options_end = false;
	char what[256];

	while (spec->opts && spec->opts[n].name)
		n++;
	if (n > CLI_MAX_OPTIONS) {
		fprintf(stderr, "%s: too many options for the parser\n", spec->name);
		*status = 1;
		return -1;
	}
	memset(c->values, 0, sizeof(c->values));
	memset(c->numbers, 0, sizeof(c->numbers));
	c->opts = spec->opts;
	*status = 0;
	for (i = 0; i < c->argc; i++) {
		const char *a = c->argv[i], *name, *eq, *value;

		if (options_end || strncmp(a, "--", 2) != 0 || strcmp(a, "--") == 0) {
			if (strcmp(a, "--") == 0 && !options_end) {
				options_end = true;
				continue;
			}
			if (npos >= spec->max_args) {
				snprintf(what, sizeof(what), "unexpected argument '%.40s'", a);
				*status = refuse(spec, what);
				return 1;
			}
			c->argv[npos++] = c->argv[i];   /* positional ones move to the front */
			continue;
		}
		if (strcmp(a, "--help") == 0) {
			fputs(spec->usage, stdout);
			return 1;
		}
		if (strcmp(a, "--version") == 0) {
			printf("comptoir %s\n", PACKAGE_VERSION);
			return 1;
		}
		name = a + 2;
		eq = strchr(name, '=');
		k = find_option(spec->opts, name, eq ? (size_t)(eq - name) : strlen(name));
		if (k < 0) {
			snprintf(what, sizeof(what), "unknown option %.40s", a);
			*status = refuse(spec, what);
			return 1;
		}
		if (c->values[k]) {
			snprintf(what, sizeof(what), "--%s is given twice", spec->opts[k].name);
			*status = refuse(spec, what);
			return 1;
		}
		if (spec->opts[k].kind == CLI_FLAG) {
			if (eq) {
				snprintf(what, sizeof(what), "--%s takes no value", spec->opts[k].name);
				*status = refuse(spec, what);
				return 1;
			}
			c->values[k] = "";
			continue;
		}
		if (eq) {
			value = eq + 1;
		} else if (i + 1 < c->argc && strncmp(c->argv[i + 1], "--", 2) != 0) {
			value = c->argv[++i];
		} else {
			snprintf(what, sizeof(what), "--%s needs a value (%s)", spec->opts[k].name,
			    spec->opts[k].value);
			*status = refuse(spec, what);
			return 1;
		}
		if ((*status = take_value(c, spec, k, value)) != 0)
			return 1;
	}
	c->argc = npos;
	return 0;
}

const char *
cli_opt(const struct cli *c, const char *name)
{
	int k = find_option(c->opts, name, strlen(name));

	return k < 0 ? NULL : c->values[k];
}

bool
cli_flag(const struct cli *c, const char *name)
{
	return cli_opt(c, name) != NULL;
}

unsigned long long
cli_num(const struct cli *c, const char *name, unsigned long long absent)
{
	int k = find_option(c->opts, name, strlen(name));

	return k < 0 || !c->values[k] ? absent : c->numbers[k];
}
