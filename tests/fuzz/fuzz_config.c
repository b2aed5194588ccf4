/*
 * The YAML configuration loader (core/conf/): an input starting with 'S' is
 * a shop file (the rest of it) beside a valid one; any other input is
 * comptoir.yaml itself. Files go to a private folder of the process.
 */
#include "fuzz.h"

#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"
#include "util/buf.h"
#include "util/log.h"

static const char main_yaml[] = "paths:\n  templates: .\n  locale: .\n  shops: shops.d\n";
static const char base_shop[] = "code: base\nname: Base\nhosts: [base.localhost]\n"
	"legal:\n  company: Base SAS\n";
static char dir[256], conf_path[300], shop_path[300];

static void
write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	fuzz_assert(f, "cannot write the fuzz files");
	if (len)
		fuzz_assert(fwrite(data, 1, len, f) == len, "short write");
	fuzz_assert(fclose(f) == 0, "close");
}

static void
setup(void)
{
	char shops[300];
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/cpt-fuzz-config.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fuzz_assert(mkdtemp(dir), "mkdtemp");
	snprintf(shops, sizeof(shops), "%s/shops.d", dir);
	fuzz_assert(mkdir(shops, 0700) == 0, "mkdir");
	snprintf(conf_path, sizeof(conf_path), "%s/comptoir.yaml", dir);
	snprintf(shop_path, sizeof(shop_path), "%s/shops.d/fuzz.yaml", dir);
	snprintf(shops, sizeof(shops), "%s/shops.d/base.yaml", dir);
	write_file(shops, base_shop, sizeof(base_shop) - 1);
	log_set_level(LOG_ERROR);
}

static void
cleanup(void)
{
	char p[300];

	unlink(shop_path);
	snprintf(p, sizeof(p), "%s/shops.d/base.yaml", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/shops.d", dir);
	rmdir(p);
	unlink(conf_path);
	rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *cfg = (struct config *)1;
	struct buf err;
	int rc;

	if (!*dir) {
		setup();
		atexit(cleanup);
	}
	if (size > 0 && data[0] == 'S') {
		write_file(conf_path, main_yaml, sizeof(main_yaml) - 1);
		write_file(shop_path, data + 1, size - 1);
	} else {
		unlink(shop_path);
		write_file(conf_path, data, size);
	}
	buf_init(&err, 0);
	rc = config_load(conf_path, &cfg, &err);
	if (rc == 0) {
		fuzz_assert(cfg != NULL, "a loaded configuration");
		fuzz_assert(err.len == 0, "no message when it loads");
		config_free(cfg);
	} else {
		fuzz_assert(rc == -1 && cfg == NULL, "a refusal leaves no configuration");
		fuzz_assert(err.len > 0, "a refusal says why");
	}
	buf_free(&err);
	return 0;
}
