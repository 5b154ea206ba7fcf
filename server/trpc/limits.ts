/** Most calls in one tRPC batch; the browser's link batches at most this many (client-safe). */
export const MAX_BATCH_SIZE = 20;
