/* crypto.c: random tokens, SHA-256, HMAC-SHA256 and constant-time comparison (Nettle, getrandom). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <nettle/hmac.h>
#include <nettle/sha2.h>

#include "crypto.h"

/*
 * Why not libcrypto (issue 10, pages): OpenSSL 3 sets up its providers and its DRBG at the
 * first digest or random call, about 3 MB of every worker's memory and 6 M instructions, for
 * what a page needs: the SHA-256 of a token, a request id, the HMAC of a CSRF cookie. The
 * kernel's getrandom() is the same CSPRNG OpenSSL seeds from. SHA-256 and HMAC come from
 * Nettle (Debian nettle-dev), a small, well-kept library that every worker maps already:
 * libldap is linked against GnuTLS, which is built on Nettle, so it costs no memory; it has
 * no global state to set up and uses the CPU's SHA extensions where there are some. Checked
 * against the FIPS 180 and RFC 4231 vectors in tests/unit/check_security.c. kesu-admin's chain
 * verification (audit_verify.c) keeps OpenSSL's EVP digest.
 */

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
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);
		if (got < 0 && errno == EINTR)
			continue;
		/* A token without entropy would be worse than no service: abort. */
		if (got <= 0) {
			fputs("kesu: no random bytes available\n", stderr);
			abort();
		}
		p += got;
		n -= (size_t)got;
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

/* ---- SHA-256 and HMAC-SHA256: Nettle ---- */

void
crypto_sha256_init(struct crypto_sha256 *c)
{
	sha256_init(&c->ctx);
}

void
crypto_sha256_update(struct crypto_sha256 *c, const void *data, size_t n)
{
	sha256_update(&c->ctx, n, data);
}

void
crypto_sha256_final(struct crypto_sha256 *c, unsigned char md[32])
{
	sha256_digest(&c->ctx, SHA256_DIGEST_SIZE, md);
	explicit_bzero(c, sizeof(*c));
}

void
crypto_sha256_hex(const void *data, size_t n, char out[65])
{
	struct sha256_ctx c;
	unsigned char md[SHA256_DIGEST_SIZE];

	sha256_init(&c);
	sha256_update(&c, n, data);
	sha256_digest(&c, SHA256_DIGEST_SIZE, md);
	tohex(out, md, SHA256_DIGEST_SIZE);
}

void
crypto_hmac_sha256(const void *key, size_t klen, const void *msg, size_t n, unsigned char mac[32])
{
	struct hmac_sha256_ctx c;

	hmac_sha256_set_key(&c, klen, key);
	hmac_sha256_update(&c, n, msg);
	hmac_sha256_digest(&c, SHA256_DIGEST_SIZE, mac);
	explicit_bzero(&c, sizeof(c));
}

int
crypto_streq(const char *a, const char *b)
{
	size_t la, lb;
	volatile unsigned char d = 0;

	if (a == NULL || b == NULL)
		return 0;
	la = strlen(a);
	lb = strlen(b);
	/* Lengths of tokens are public; their contents are not. */
	if (la != lb)
		return 0;
	for (size_t i = 0; i < la; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}
