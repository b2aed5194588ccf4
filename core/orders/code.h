/*
 * Order codes (D9): 8 characters from an alphabet without look-alikes
 * (no 0/O, 1/I/L), drawn at random: 31^8 ≈ 8·10^11 codes, so the next code
 * cannot be guessed from the last, and a code is easy to read on the phone.
 */
#ifndef CPT_ORDER_CODE_H
#define CPT_ORDER_CODE_H

#include <stdbool.h>

#define ORDER_CODE_LEN 8

void order_code_new(char out[ORDER_CODE_LEN + 1]);
/* Normalises what a person typed ("k7qm-4tzp " → "K7QM4TZP") into out;
 * false when it cannot be a code. */
bool order_code_normalise(const char *in, char out[ORDER_CODE_LEN + 1]);

#endif
