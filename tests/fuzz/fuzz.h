/*
 * fuzz.h - the contract between a fuzz target and the mutation driver.
 */
#ifndef NT_FUZZ_H
#define NT_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* The target: must never crash, leak or misbehave on any input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Free what the target keeps between inputs (called by the driver at exit). */
void nt_fuzz_cleanup(void);

#endif
