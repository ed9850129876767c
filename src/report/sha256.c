/* sha256.c - SHA-256 for a certificate's evidence, with libcrypto (OpenSSL). */
#include <openssl/evp.h>
#include <stdio.h>

#include "report.h"

int tool_sha256_hex(const void *data, size_t len, char out[65], char *err)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
        return tach__err(err, "SHA-256 failed (libcrypto)");
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
    return 0;
}
