/* conf.h: the configuration file — "key = value" lines, '#' comments, dotted keys. */
#ifndef KESU_CONF_H
#define KESU_CONF_H

struct conf;

/*
 * Load a configuration file. Returns NULL and sets *err (malloc'd, caller frees)
 * on a syntax error or an unreadable file. The caller frees the result with conf_free().
 */
struct conf *conf_load(const char *path, char **err);
/* An empty configuration (tests add keys with conf_set). */
struct conf *conf_new(void);
void conf_set(struct conf *c, const char *key, const char *val);
void conf_free(struct conf *c);

/* The value of key, or def when absent. Owned by c. */
const char *conf_str(const struct conf *c, const char *key, const char *def);
long conf_int(const struct conf *c, const char *key, long def);
/*
 * The contents of the file named by key (e.g. "db.password_file"), with the
 * trailing newline removed; NULL when the key is absent or the file unreadable.
 * Caller frees.
 */
char *conf_secret(const struct conf *c, const char *key);
/* Call fn for every key that starts with prefix, with the rest of the key. */
void conf_each(const struct conf *c, const char *prefix,
    void (*fn)(const char *rest, const char *val, void *arg), void *arg);

#endif
