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
		/* and with a row source (issue 10): names shared with the view, every kind of cell */
		static const struct tmpl_col cols[] = { { "x", TMPL_TEXT }, { "a", TMPL_TEXT },
			{ "f", TMPL_BOOL }, { "n", TMPL_NUMBER }, { "t", TMPL_TEXT } };
		static const char *const cells[] = { "<&'\"", NULL, "1", "3", "t",
			"", "y", NULL, "0", NULL };
		static const struct tmpl_rows rows[] = { { "rows", cols, 5, 2, cells },
			{ "list", cols, 5, 1, cells + 5 } };
		struct buf out;
		buf_init(&out);
		tmpl_render(s, "t", v, &out);
		buf_reset(&out);
		tmpl_render_rows(s, "t", v, rows, 2, &out);
		buf_free(&out);
		json_object_put(v);
	}
	free(err);
	tmpl_set_free(s);
	return 0;
}
