/* crypto.c: random tokens, SHA-256 and constant-time comparison on OpenSSL's libcrypto. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "crypto.h"

static const char hexdig[] = "0123456789abcdef";

static void
tohex(char *out, const unsigned char *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hexdig[in[i] >> 4];
		out[2 * i + 1] = hexdig[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void
crypto_random(void *buf, size_t n)
{
	/* A token without entropy would be worse than no service: abort. */
	if (RAND_bytes(buf, (int)n) != 1) {
		fputs("kesu: no random bytes available\n", stderr);
		abort();
	}
}

void
crypto_random_hex(char *out, size_t nbytes)
{
	unsigned char b[64];

	while (nbytes > 0) {
		size_t k = nbytes > sizeof(b) ? sizeof(b) : nbytes;
		crypto_random(b, k);
		tohex(out, b, k);
		out += 2 * k;
		nbytes -= k;
	}
	*out = '\0';
}

void
crypto_sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (EVP_Digest(data, n, md, &len, EVP_sha256(), NULL) != 1 || len != 32)
		abort();
	tohex(out, md, 32);
}

int
crypto_streq(const char *a, const char *b)
{
	size_t la, lb;

	if (a == NULL || b == NULL)
		return 0;
	la = strlen(a);
	lb = strlen(b);
	/* Lengths of tokens are public; their contents are not. */
	if (la != lb)
		return 0;
	return CRYPTO_memcmp(a, b, la) == 0;
}
