/* conf.c: the configuration file — "key = value" lines, '#' comments, dotted keys. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "kesu.h"

struct conf_item {
	char *key;
	char *val;
};

struct conf {
	struct conf_item *items;
	size_t n, cap;
};

struct conf *
conf_new(void)
{
	return xcalloc(1, sizeof(struct conf));
}

void
conf_set(struct conf *c, const char *key, const char *val)
{
	/* A later line wins, as people expect when they append an override. */
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->items[i].key, key) == 0) {
			free(c->items[i].val);
			c->items[i].val = xstrdup(val);
			return;
		}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->items = xrealloc(c->items, c->cap * sizeof(*c->items));
	}
	c->items[c->n].key = xstrdup(key);
	c->items[c->n].val = xstrdup(val);
	c->n++;
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->items[i].key);
		free(c->items[i].val);
	}
	free(c->items);
	free(c);
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
key_valid(const char *k)
{
	if (*k == '\0')
		return 0;
	for (; *k != '\0'; k++)
		if (!isalnum((unsigned char)*k) && *k != '.' && *k != '_' && *k != '-')
			return 0;
	return 1;
}

struct conf *
conf_load(const char *path, char **err)
{
	FILE *f;
	struct conf *c;
	char line[4096];
	int lineno = 0;

	*err = NULL;
	if ((f = fopen(path, "r")) == NULL) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	c = conf_new();
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p, *eq, *key, *val;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			*err = xasprintf("%s:%d: line too long", path, lineno);
			goto fail;
		}
		/* A comment starts at '#' at the line's start or after white space. */
		for (p = line; *p != '\0'; p++)
			if (*p == '#' && (p == line || isspace((unsigned char)p[-1]))) {
				*p = '\0';
				break;
			}
		p = trim(line);
		if (*p == '\0')
			continue;
		if ((eq = strchr(p, '=')) == NULL) {
			*err = xasprintf("%s:%d: expected \"key = value\"", path, lineno);
			goto fail;
		}
		*eq = '\0';
		key = trim(p);
		val = trim(eq + 1);
		if (!key_valid(key)) {
			*err = xasprintf("%s:%d: invalid key \"%s\"", path, lineno, key);
			goto fail;
		}
		conf_set(c, key, val);
	}
	fclose(f);
	return c;
fail:
	fclose(f);
	conf_free(c);
	return NULL;
}

const char *
conf_str(const struct conf *c, const char *key, const char *def)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->items[i].key, key) == 0)
			return c->items[i].val;
	return def;
}

long
conf_int(const struct conf *c, const char *key, long def)
{
	const char *v = conf_str(c, key, NULL);
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return def;
	errno = 0;
	n = strtol(v, &end, 0);
	if (errno != 0 || *end != '\0') {
		LOG_WARN("%s: \"%s\" is not a number; using %ld", key, v, def);
		return def;
	}
	return n;
}

char *
conf_secret(const struct conf *c, const char *key)
{
	const char *path = conf_str(c, key, NULL);
	FILE *f;
	char buf[1024];
	size_t n;

	if (path == NULL || *path == '\0')
		return NULL;
	if ((f = fopen(path, "r")) == NULL) {
		LOG_ERR("%s: cannot read %s: %s", key, path, strerror(errno));
		return NULL;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return xstrdup(buf);
}

void
conf_each(const struct conf *c, const char *prefix,
    void (*fn)(const char *rest, const char *val, void *arg), void *arg)
{
	size_t pl = strlen(prefix);

	for (size_t i = 0; i < c->n; i++)
		if (strncmp(c->items[i].key, prefix, pl) == 0)
			fn(c->items[i].key + pl, c->items[i].val, arg);
}
