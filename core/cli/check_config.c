/* comptoir check-config [FILE]: validates the YAML files without starting anything. */
#include <stdio.h>

#include "cli/cli.h"
#include "conf/conf.h"

int
cmd_check_config(struct cli *c)
{
	const char *path = c->argc > 0 ? c->argv[0] : c->config_path;
	struct config *cfg = cli_load_config(path);

	if (!cfg)
		return 1;
	printf("%s: ok, %zu shop%s, %zu host name%s\n", path,
	    cfg->nshops, cfg->nshops == 1 ? "" : "s",
	    cfg->nhosts, cfg->nhosts == 1 ? "" : "s");
	config_free(cfg);
	return 0;
}
