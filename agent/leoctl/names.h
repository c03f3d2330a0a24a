/* SPDX-License-Identifier: GPL-2.0 */
/* The words leoctl uses for the enums of uapi/linux/leo.h, both ways. */
#ifndef LEOCTL_NAMES_H
#define LEOCTL_NAMES_H

/* Never NULL: unknown values come back as "unknown". */
const char *state_name(unsigned int state);
const char *mode_name(unsigned int mode);
const char *reason_name(unsigned int reason);
const char *event_name(unsigned int event);
const char *drop_reason_name(unsigned int reason);
const char *direction_name(unsigned int dir);
const char *stat_name(unsigned int stat);	/* JSON key, e.g. drop_no_peer */
const char *stat_label(unsigned int stat);	/* human label */

/* The value for @word, or -1. */
int state_value(const char *word);
int mode_value(const char *word);
int reason_value(const char *word);	/* only reasons a user may give */

/* "a, b or c": the accepted words, for error messages. */
const char *state_words(void);
const char *mode_words(void);
const char *reason_words(void);

#endif /* LEOCTL_NAMES_H */
