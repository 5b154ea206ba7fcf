/** Where a visitor's "Track prices" waits while they sign in (a cookie of that browser only). */
export const PENDING_TRACK_COOKIE = "ft_pending_track";
export const PENDING_TRACK_PATH = "/tracked/pending";
