/* fuzz_tmpl.c: the template compiler and renderer — any source compiles or is refused, and renders safely. */
#include <stdint.h>
#include <stdlib.h>

#include <json-c/json.h>
#include "arena.h"
#include "tmpl.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tmpl_set *s = tmpl_set_new();
	char *err = NULL;

	if (tmpl_set_add(s, "t", (const char *)data, size, &err) == 0 && tmpl_set_compile(s, &err) == 0) {
		struct json_object *v = json_tokener_parse(
		    "{\"a\":\"<b>&'\\\"\",\"list\":[{\"x\":1},{\"x\":\"y\"}],\"t\":{\"k\":\"v\"},\"n\":0,\"f\":false}");
		struct buf out;
		buf_init(&out);
		tmpl_render(s, "t", v, &out);
		buf_free(&out);
		json_object_put(v);
	}
	free(err);
	tmpl_set_free(s);
	return 0;
}
