// zlib, for streaming gzip input and output.
#ifndef HEALTHGAP_CZLIB_SHIM_H
#define HEALTHGAP_CZLIB_SHIM_H
#include <zlib.h>
#endif
