// SPDX-License-Identifier: GPL-2.0
/* leoctl seal: pin leo's control plane to this executable. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "leoctl/cli.h"
#include "leoctl/commands.h"
#include "leoctl/format.h"
#include "leoctl/units.h"

#define SELF_EXE "/proc/self/exe"

/* SHA-256 of a file's contents: what IMA records as its sha256 digest. */
static int file_sha256(const char *path, uint8_t digest[LEO_DIGEST_LEN])
{
	unsigned char buf[65536];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	FILE *f = fopen(path, "rb");
	unsigned int len = 0;
	int ret = -EIO;
	size_t n;

	if (!f) {
		ret = -errno;
		goto out;
	}
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		goto out;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (!EVP_DigestUpdate(ctx, buf, n))
			goto out;
	if (ferror(f) || !EVP_DigestFinal_ex(ctx, digest, &len) ||
	    len != LEO_DIGEST_LEN)
		goto out;
	ret = 0;
out:
	if (f)
		fclose(f);
	EVP_MD_CTX_free(ctx);
	return ret;
}

static void report_sealed(const uint8_t digest[LEO_DIGEST_LEN])
{
	char hex[HEX32_STR_MAX];
	json_object *obj;

	format_hex32(digest, hex, sizeof(hex));
	if (!leoctl_json) {
		printf("sealed to executable sha256:%s\n", hex);
		return;
	}
	obj = json_object_new_object();
	json_object_object_add(obj, "sealed", json_object_new_boolean(1));
	json_object_object_add(obj, "exe_digest", json_object_new_string(hex));
	print_json(stdout, obj, 0);
}

int cmd_seal(int argc, char **argv)
{
	uint8_t digest[LEO_DIGEST_LEN];
	struct leo_nl *nl;
	int ret;

	if (argc > 1)
		return usage_error("seal", "seal: unexpected '%s'", argv[1]);
	ret = file_sha256(SELF_EXE, digest);
	if (ret) {
		fprintf(stderr, "leoctl: seal: cannot hash %s: %s\n", SELF_EXE,
			strerror(-ret));
		return LEOCTL_EXIT_ERROR;
	}
	ret = open_leo(&nl);
	if (ret)
		return ret;
	ret = leo_nl_seal(nl, digest);
	if (ret)
		ret = runtime_error(nl, ret, "seal");
	else
		report_sealed(digest);
	leo_nl_close(nl);
	return ret;
}
