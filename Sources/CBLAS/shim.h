// The CBLAS interface of OpenBLAS (Debian: libopenblas-dev).
#include <cblas.h>

// OpenBLAS extras: which kernel set is in use, and the thread count.
char *openblas_get_corename(void);
int openblas_get_num_threads(void);
void openblas_set_num_threads(int num_threads);
