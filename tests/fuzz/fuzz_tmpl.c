/* fuzz_tmpl.c: the template compiler and renderer — any source compiles or is refused, renders safely, and renders row sources as their json rows. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
		struct json_object *twin = json_tokener_parse(json_object_to_json_string(v));
		struct buf out, want;
		buf_init(&out);
		buf_init(&want);
		tmpl_render(s, "t", v, &out);
		buf_reset(&out);
		tmpl_render_rows(s, "t", v, rows, 2, &out);
		/* the same rows as json-c objects render the same text (issue 10, listp99: a loop over a
		 * row source runs a plan, the json rows are walked token by token) */
		json_object_object_add(twin, "rows", tmpl_rows_json(&rows[0]));
		json_object_object_add(twin, "list", tmpl_rows_json(&rows[1]));
		tmpl_render(s, "t", twin, &want);
		if (out.len != want.len || (out.len > 0 && memcmp(out.p, want.p, out.len) != 0))
			abort();
		buf_free(&want);
		buf_free(&out);
		json_object_put(twin);
		json_object_put(v);
	}
	free(err);
	tmpl_set_free(s);
	return 0;
}
