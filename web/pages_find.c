#include "http.h"

const struct route find_routes[] = {
	{ NULL, NULL, NULL },
};
