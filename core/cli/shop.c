/* comptoir shop list: the shops of the configuration, with their ids. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "conf/conf.h"

int
cmd_shop(struct cli *c)
{
	struct config *cfg;
	struct db *db;
	size_t i, h;

	if (c->argc < 1 || strcmp(c->argv[0], "list") != 0) {
		fputs("usage: comptoir shop list\n", stderr);
		return 2;
	}
	if (cli_open(c->config_path, &cfg, &db) != 0)
		return 1;
	for (i = 0; i < cfg->nshops; i++) {
		const struct shop *s = &cfg->shops[i];

		printf("%lld\t%s\t%s\t", s->id, s->code, s->name);
		for (h = 0; h < s->nhosts; h++)
			printf("%s%s", h ? "," : "", s->hosts[h]);
		putchar('\n');
	}
	cli_close(cfg, db);
	return 0;
}
