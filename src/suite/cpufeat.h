/* cpufeat.h - the CPU's cryptographic features from CPUID, and which of them the
 * crypto libraries use (tool_ prefix). */
#ifndef TOOL_CPUFEAT_H
#define TOOL_CPUFEAT_H

#include <jansson.h>

/* {"cpu": {"aes_ni": true, "pclmulqdq": .., "sha": .., "avx": .., "avx2": .., "avx512f": ..,
 *  "vaes": .., "vpclmulqdq": .., "ssse3": .., "sse41": ..}, "openssl": {...},
 *  "libsodium": {...}}: what CPUID says the processor offers, and what each library's
 * dispatch sees (OpenSSL: the CPU's features less those its OPENSSL_ia32cap environment
 * variable masks, the variable itself as "OPENSSL_ia32cap" when set; libsodium: its own
 * sodium_runtime_has_* answers).  Non-x86 processors give an empty "cpu". */
json_t *tool_cpufeat_capture(void);

#endif /* TOOL_CPUFEAT_H */
