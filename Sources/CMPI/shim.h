// The few MPI calls CityTwin makes (Open MPI; Debian: libopenmpi-dev, found through pkg-config `ompi-c`),
// as plain functions: MPI_COMM_WORLD, MPI_BYTE and MPI_STATUS_IGNORE are macros Swift cannot import.
// Every call works on MPI_COMM_WORLD with MPI_BYTE buffers; the return value is MPI's error code
// (MPI_SUCCESS = 0). Used only by the CityTwinMPI target.
#include <mpi.h>

/// MPI_Init_thread asking for MPI_THREAD_FUNNELED (only the main thread calls MPI); `provided` receives the level.
static inline int citytwin_mpi_init(int *provided) {
    return MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, provided);
}

static inline int citytwin_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }

/// Errors come back as return codes instead of aborting the job, so a rank can report them.
static inline int citytwin_mpi_errors_return(void) {
    return MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}

static inline int citytwin_mpi_rank(int *rank) { return MPI_Comm_rank(MPI_COMM_WORLD, rank); }

static inline int citytwin_mpi_size(int *size) { return MPI_Comm_size(MPI_COMM_WORLD, size); }

static inline int citytwin_mpi_send(const void *bytes, int count, int destination, int tag) {
    return MPI_Send(bytes, count, MPI_BYTE, destination, tag, MPI_COMM_WORLD);
}

/// Non-blocking probe for a message with `tag` from `source` (-1: any rank): *found is 1 when one is
/// waiting, with its sender and size in bytes.
static inline int citytwin_mpi_iprobe(int source, int tag, int *found, int *sender, int *count) {
    MPI_Status status;
    int code = MPI_Iprobe(source < 0 ? MPI_ANY_SOURCE : source, tag, MPI_COMM_WORLD, found, &status);
    if (code != MPI_SUCCESS || !*found) return code;
    *sender = status.MPI_SOURCE;
    return MPI_Get_count(&status, MPI_BYTE, count);
}

static inline int citytwin_mpi_receive(void *bytes, int count, int source, int tag) {
    return MPI_Recv(bytes, count, MPI_BYTE, source, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
}

/// The text of an MPI error code.
static inline void citytwin_mpi_error_text(int code, char *text, int *length) { MPI_Error_string(code, text, length); }

static inline int citytwin_mpi_max_error_text(void) { return MPI_MAX_ERROR_STRING; }

static inline int citytwin_mpi_finalize(void) { return MPI_Finalize(); }

static inline int citytwin_mpi_abort(int code) { return MPI_Abort(MPI_COMM_WORLD, code); }
