/*
 * Module set-up.
 */
#include "booking.h"

#include <sodium.h>

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	/* tokens are made from libsodium's generator: refuse to load without it */
	if (sodium_init() < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not initialize libsodium")));
	booking_define_settings();
}
