/* spec_runner.h: loads the mustache spec's JSON files and runs one of their cases through tmpl_*. */
#ifndef KESU_SPEC_RUNNER_H
#define KESU_SPEC_RUNNER_H

/*
 * Header-only on purpose: the unit tests are single-file programs linked with
 * libkesu.a, and this is test code, not part of the library.
 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "tmpl.h"

#define SPEC_FILES_MAX 32
#define SPEC_WHY "template: %s\nexpected: %s\ngot:      %s\n%s"

/* One spec file: its name ("sections.json") and its parsed "tests" array. */
struct spec_file {
	char name[256];
	struct json_object *root;    /* owns tests */
	struct json_object *tests;
};

/* The folder of the spec's JSON files: $MUSTACHE_SPEC_DIR, else beside the source tree. */
static const char *
spec_dir(void)
{
	const char *d = getenv("MUSTACHE_SPEC_DIR");

	return d != NULL && *d != '\0' ? d : KESU_SRCDIR "/../shared/mustache-spec";
}

static int
spec_is_json(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

/*
 * Load every *.json file of dir that has a "tests" array, in name order.
 * Returns how many were loaded (at most max), or -1 when dir cannot be read.
 * Free each root with json_object_put().
 */
static int
spec_load(const char *dir, struct spec_file *files, int max)
{
	struct dirent **ents;
	int i, n, nf = 0;

	n = scandir(dir, &ents, spec_is_json, alphasort);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		char path[4096];
		struct json_object *root, *tests;

		snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		root = json_object_from_file(path);
		if (nf < max && root != NULL && json_object_object_get_ex(root, "tests", &tests) &&
		    json_object_is_type(tests, json_type_array)) {
			snprintf(files[nf].name, sizeof(files[nf].name), "%s", ents[i]->d_name);
			files[nf].root = root;
			files[nf].tests = tests;
			nf++;
		} else {
			json_object_put(root);
		}
		free(ents[i]);
	}
	free(ents);
	return nf;
}

static const char *
spec_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

/*
 * Run one spec case: its "partials" and "template" go into a fresh set, "data"
 * is the view. Returns 1 when the output is "expected"; otherwise 0 with *why
 * (malloc'd) saying what happened.
 */
static int
spec_run_case(struct json_object *tc, char **why)
{
	struct json_object *partials, *data = NULL;
	struct tmpl_set *s = tmpl_set_new();
	const char *tpl = spec_str(tc, "template"), *expected = spec_str(tc, "expected");
	char *err = NULL;
	struct buf out;
	int ok = 0, n;

	buf_init(&out);
	*why = NULL;
	if (json_object_object_get_ex(tc, "partials", &partials)) {
		json_object_object_foreach(partials, name, val) {
			if (tmpl_set_add(s, name, json_object_get_string(val),
			    (size_t)json_object_get_string_len(val), &err) != 0)
				goto out;
		}
	}
	if (tmpl_set_add(s, "__spec_main__", tpl, strlen(tpl), &err) != 0 || tmpl_set_compile(s, &err) != 0)
		goto out;
	json_object_object_get_ex(tc, "data", &data);
	if (tmpl_render(s, "__spec_main__", data, &out) != 0) {
		err = strdup("tmpl_render failed");
		goto out;
	}
	ok = strcmp(out.p, expected) == 0;
out:
	if (!ok) {
		/* Quoted as JSON so whitespace and newlines show. */
		struct json_object *t = json_object_new_string(tpl);
		struct json_object *e = json_object_new_string(expected);
		struct json_object *g = json_object_new_string(out.p != NULL ? out.p : "");
		const char *ts = json_object_to_json_string(t), *es = json_object_to_json_string(e);
		const char *gs = json_object_to_json_string(g), *er = err != NULL ? err : "";

		n = snprintf(NULL, 0, SPEC_WHY, ts, es, gs, er);
		*why = malloc((size_t)n + 1);
		snprintf(*why, (size_t)n + 1, SPEC_WHY, ts, es, gs, er);
		json_object_put(t);
		json_object_put(e);
		json_object_put(g);
	}
	free(err);
	buf_free(&out);
	tmpl_set_free(s);
	return ok;
}

#endif
