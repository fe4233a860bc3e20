/* form_key.h: a registration form's key, so that the same form sent twice registers one complaint. */
#ifndef KESU_FORM_KEY_H
#define KESU_FORM_KEY_H

#include "arena.h"
#include "db.h"

/* The length of a key that form_key_new() makes: 32 hex digits (128 random bits). */
#define FORM_KEY_LEN 32

/* 1 when k may be a form key: 16 to 64 characters of [A-Za-z0-9_-]; 0 otherwise (also NULL). */
int form_key_valid(const char *k);

/* A fresh random key into out (FORM_KEY_LEN hex digits and a NUL). */
void form_key_new(char out[FORM_KEY_LEN + 1]);

/*
 * Inside the registration's transaction, before anything is registered: claim key for the
 * person uid. KESU_OK with number[0] == '\0' when the key is new (register, then call
 * form_key_bind); KESU_OK with the complaint's number in number when this form was already
 * registered (a retry: register nothing, answer with that number). A second request with the
 * same key while the first is still running waits for it (the key's row lock). Else KESU_EDB.
 */
int form_key_claim(struct db *db, struct arena *a, const char *uid, const char *key, char number[16]);

/* In the same transaction, after the complaint was registered: the key names its number. */
int form_key_bind(struct db *db, struct arena *a, const char *uid, const char *key, const char *number);

#endif
