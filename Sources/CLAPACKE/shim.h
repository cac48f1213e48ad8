// The C interface to LAPACK (Debian: liblapacke-dev), backed by OpenBLAS's LAPACK.
#include <lapacke.h>
