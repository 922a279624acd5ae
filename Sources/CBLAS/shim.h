// OpenBLAS's CBLAS interface (with openblas_set_num_threads) and LAPACKE.
// The include path comes from pkg-config (openblas); Debian puts it in openblas-pthread/.
#ifndef HEALTHGAP_CBLAS_SHIM_H
#define HEALTHGAP_CBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>
#endif
