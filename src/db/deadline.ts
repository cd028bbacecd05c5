// The driver takes a signal for every operation (it waits on it for server selection, a pooled connection and the
// command); its types list it for reads only.
declare module 'mongodb' {
  interface OperationOptions { signal?: AbortSignal | undefined }
}

/**
 * The client's deadline for one database operation, given with its options: the operation fails (a
 * `MongoOperationTimeoutError`, answered 503) once twice `MONGODB_TIMEOUT_MS` has passed. Each of its waits (server
 * selection, a pooled connection, a reply) is bounded by one timeout already, and the driver retries a read or a
 * write once; the deadline is for the wait no timeout covers. The MongoDB driver (7.9) writes a command to a
 * connection whose socket Node has just destroyed (the database closed it, its 'close' event not yet run) and then
 * waits for a 'drain' that never comes: neither `socketTimeoutMS` nor closing the client ends that wait, an aborted
 * signal does (and closes the connection). Without a timeout (a script's long work) there is no deadline.
 */
export function deadline (timeoutMs: number | undefined): { signal?: AbortSignal } {
  return timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(2 * timeoutMs) }
}

/** `maxTimeMS`, at which the server stops the work, and the client's deadline. */
export function bounds (maxTimeMS: number): { maxTimeMS: number, signal?: AbortSignal } {
  return { maxTimeMS, ...deadline(maxTimeMS) }
}
