/* fuzz_conf.c: the configuration file parser — any file loads or is refused with a message. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "conf.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct conf *c;
	char *err = NULL;
	FILE *f;

	if (path[0] == '\0')
		snprintf(path, sizeof(path), "/tmp/kesu-fuzz-conf-%d", (int)getpid());
	if ((f = fopen(path, "wb")) == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	if ((c = conf_load(path, &err)) != NULL) {
		(void)conf_str(c, "db.host", "x");
		(void)conf_int(c, "fcgi.workers", 4);
		conf_free(c);
	}
	free(err);
	return 0;
}
