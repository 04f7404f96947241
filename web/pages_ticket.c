#include "http.h"

const struct route ticket_routes[] = {
	{ NULL, NULL, NULL },
};
