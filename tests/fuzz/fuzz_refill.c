/* fuzz_refill.c: putting typed values back into a page — any page and any form values, never out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include "refill.h"

/* The input: form values ("key=value" lines) \0 the page. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kv form[16];
	size_t n = 0;
	char *copy = malloc(size + 1), *p, *page;
	struct json_object *errors = json_object_new_object();
	struct refill rf;
	struct buf out;

	memcpy(copy, data, size);
	copy[size] = '\0';
	page = copy + strlen(copy);
	if (page < copy + size)
		page++;
	for (p = strtok(copy, "\n"); p != NULL && n < 16; p = strtok(NULL, "\n")) {
		char *eq = strchr(p, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		form[n].key = p;
		form[n].val = eq + 1;
		form[n].len = strlen(eq + 1);
		if (n % 3 == 0)
			json_object_object_add(errors, p, json_object_new_string("<wrong>"));
		n++;
	}
	rf = (struct refill){ "/c/1/action", form, n, errors, "Fix", "Kept" };
	buf_init(&out);
	refill_page(page, strlen(page), &rf, &out);
	buf_free(&out);
	json_object_put(errors);
	free(copy);
	return 0;
}
