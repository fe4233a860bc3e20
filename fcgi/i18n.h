/* i18n.h: message catalogs (po/<lang>.po) and the choice of the user's language. */
#ifndef KESU_I18N_H
#define KESU_I18N_H

#include <json-c/json.h>

/* Languages Kesu speaks; the first is the default. */
enum lang { LANG_ZH, LANG_EN, LANG__MAX };

/* "zh" or "en". */
const char *lang_code(enum lang l);
/* From "zh"/"zh-CN"/"en"/"en-US"...; LANG__MAX when unknown. */
enum lang lang_from_code(const char *code);
/* The best language for an Accept-Language header (q-values honoured); LANG_ZH when none fits. */
enum lang lang_from_accept(const char *accept_language);

/*
 * Load po/zh_CN.po and po/en.po from dir. Returns 0, or -1 with *err (malloc'd)
 * on a syntax error, or when a msgid exists in one catalog only or has an empty msgstr.
 */
int i18n_load(const char *dir, char **err);
void i18n_free(void);
/* The text of key in lang; the key itself when missing (and logged). Owned by the catalog. */
const char *i18n_get(enum lang l, const char *key);
/* 1 when lang has a text for key (nothing is logged: for optional texts), else 0. */
int i18n_has(enum lang l, const char *key);
/*
 * All messages of lang as one json object {key: text}, shared: the caller takes a
 * reference with json_object_get() when adding it to a view model.
 */
struct json_object *i18n_table(enum lang l);

#endif
