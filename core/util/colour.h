/*
 * colour: the badge colours a shop chooses. A badge is white text on its
 * colour, so the colour must be dark enough for that text to be read
 * (WCAG 2.1 AA, a contrast of 4.5:1, what axe-core checks).
 */
#ifndef CPT_COLOUR_H
#define CPT_COLOUR_H

#include <stdbool.h>

/* "#rrggbb" (lower- or upper-case hex digits)? */
bool colour_valid(const char *s);
/* The contrast of white text on "#rrggbb", times 100 (450 = 4.5:1); 0 when
 * s is not such a colour. */
int colour_contrast_white(const char *s);
#define COLOUR_CONTRAST_MIN 450

#endif
