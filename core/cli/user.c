/*
 * comptoir user add|passwd|disable|enable|list: staff accounts, for the
 * hosting provider's provisioning scripts. The password comes from the
 * environment variable COMPTOIR_PASSWORD or, failing that, the first line
 * of standard input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/staff.h"
#include "cli/cli.h"
#include "conf/conf.h"
#include "util/arena.h"

static const char usage[] =
	"usage: comptoir user add --shop CODE --email E --role owner|staff|picker [--name N] [--locale fr|en]\n"
	"       comptoir user passwd --shop CODE --email E\n"
	"       comptoir user disable|enable --shop CODE --email E\n"
	"       comptoir user list --shop CODE\n"
	"The password is read from COMPTOIR_PASSWORD, or else from standard input.\n";

static char *
read_password(char *line, size_t size)
{
	const char *env = getenv("COMPTOIR_PASSWORD");
	size_t len;

	if (env) {
		snprintf(line, size, "%s", env);
		return line;
	}
	if (!fgets(line, (int)size, stdin))
		return NULL;
	len = strcspn(line, "\r\n");
	line[len] = '\0';
	return line;
}

static int
report(int rc, const char *email, const char *shop)
{
	switch (rc) {
	case STAFF_OK:
		return 0;
	case STAFF_EXISTS:
		fprintf(stderr, "user: %s already exists in shop %s\n", email, shop);
		return 1;
	case STAFF_NOT_FOUND:
		fprintf(stderr, "user: no account %s in shop %s\n", email, shop);
		return 1;
	case STAFF_INVALID:
		fprintf(stderr, "user: invalid e-mail, role, locale or password"
		    " (at least %d characters)\n", STAFF_PASSWORD_MIN);
		return 1;
	default:
		fprintf(stderr, "user: database error\n");
		return 1;
	}
}

int
cmd_user(struct cli *c)
{
	const char *action = c->argc > 0 ? c->argv[0] : "";
	const char *shop_code = cli_opt(c, "shop"), *email = cli_opt(c, "email");
	struct config *cfg;
	struct db *db;
	struct shop *shop;
	struct arena a;
	char line[1100];
	int rc = 1;

	if (!shop_code || (strcmp(action, "list") != 0 && !email) ||
	    (strcmp(action, "add") && strcmp(action, "passwd") && strcmp(action, "list") &&
	    strcmp(action, "disable") && strcmp(action, "enable"))) {
		fputs(usage, stderr);
		return 2;
	}
	if (cli_open(c->config_path, &cfg, &db) != 0)
		return 1;
	arena_init(&a, 0);
	shop = config_shop_by_code(cfg, shop_code);
	if (!shop) {
		fprintf(stderr, "user: no shop '%s' in the configuration\n", shop_code);
		goto out;
	}
	if (strcmp(action, "list") == 0) {
		struct staff_user *users;
		size_t n, i;

		if (staff_list(db, &a, shop->id, &users, &n) != STAFF_OK)
			goto out;
		for (i = 0; i < n; i++)
			printf("%s\t%s\t%s\t%s%s\n", users[i].email, staff_role_name(users[i].role),
			    users[i].locale, users[i].display_name, users[i].disabled ? "\t(disabled)" : "");
		rc = 0;
	} else if (strcmp(action, "add") == 0) {
		enum staff_role role;
		const char *locale = cli_opt(c, "locale");
		long long id;

		if (!staff_role_parse(cli_opt(c, "role"), &role)) {
			fputs(usage, stderr);
			rc = 2;
			goto out;
		}
		if (!read_password(line, sizeof(line))) {
			fprintf(stderr, "user: no password given\n");
			goto out;
		}
		rc = report(staff_create(db, &a, shop->id, email, cli_opt(c, "name"), role,
		    locale ? locale : shop->locale, line, &id), email, shop_code);
		if (rc == 0)
			printf("user: %s added to %s as %s\n", email, shop_code, staff_role_name(role));
	} else if (strcmp(action, "disable") == 0 || strcmp(action, "enable") == 0) {
		bool disable = strcmp(action, "disable") == 0;

		rc = report(staff_set_disabled(db, &a, shop->id, email, disable), email, shop_code);
		if (rc == 0)
			printf("user: %s %s\n", email, disable ?
			    "disabled; their sessions are closed" : "enabled");
	} else {
		if (!read_password(line, sizeof(line))) {
			fprintf(stderr, "user: no password given\n");
			goto out;
		}
		rc = report(staff_set_password(db, &a, shop->id, email, line), email, shop_code);
		if (rc == 0)
			printf("user: password of %s changed; their sessions are closed\n", email);
	}
out:
	memset(line, 0, sizeof(line));
	arena_free(&a);
	cli_close(cfg, db);
	return rc;
}
