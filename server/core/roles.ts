/** What an account may do: every signed-in user is a `user`; `admin`s also run the admin console. */
export const ROLES = ["user", "admin"] as const;
export type Role = (typeof ROLES)[number];
