/* fuzz_next_url.c: the "next" address after sign-in — whatever comes in, what goes out is a local path. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "next_url.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	char *s = malloc(size + 1);
	const char *out;

	memcpy(s, data, size);
	s[size] = '\0';
	out = next_url_local(a, s);
	/* Whatever it accepts is a path on this site: one '/', then not '/' or '\'. */
	if (out != NULL && (out[0] != '/' || out[1] == '/' || out[1] == '\\' || strpbrk(out, "\t\r\n") != NULL))
		abort();
	free(s);
	arena_free(a);
	return 0;
}
