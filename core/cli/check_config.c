/* comptoir check-config: validates the YAML files without starting anything. */
#include <stdio.h>

#include "cli/cli.h"
#include "conf/conf.h"

int
cmd_check_config(struct cli *c)
{
	struct config *cfg;
	struct buf err;

	buf_init(&err, 64 * 1024);
	if (config_load(c->config_path, &cfg, &err) != 0) {
		fputs(buf_str(&err), stderr);
		buf_free(&err);
		return 1;
	}
	printf("%s: ok, %zu shop%s, %zu host name%s\n", c->config_path,
	    cfg->nshops, cfg->nshops == 1 ? "" : "s",
	    cfg->nhosts, cfg->nhosts == 1 ? "" : "s");
	config_free(cfg);
	buf_free(&err);
	return 0;
}
