#include "http.h"

const struct route devmail_routes[] = {
	{ NULL, NULL, NULL },
};
