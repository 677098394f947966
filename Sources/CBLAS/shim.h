// OpenBLAS's C interface, as Debian's libopenblas-dev installs it.
#include <cblas.h>
