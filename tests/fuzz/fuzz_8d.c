/* fuzz_8d.c: the 8D field validators — any JSON a form could become is normalised or refused, each discipline. */
#include <stdint.h>
#include <stdlib.h>

#include <json-c/json.h>
#include "eightd.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *in = json_tokener_parse_ex(tok, (const char *)data, (int)size);

	json_tokener_free(tok);
	if (in == NULL)
		return 0;
	for (int d = 0; d < ED_NDISC; d++) {
		struct json_object *errors = json_object_new_object(), *out;
		int nerr = 0;
		out = eightd_normalise(d, in, errors, &nerr);
		json_object_put(out);
		json_object_put(errors);
	}
	json_object_put(in);
	return 0;
}
