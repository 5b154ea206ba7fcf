/**
 * `npm run admin:grant -- <email>`: makes that address an admin (creating the account if it has
 * not signed in yet). On the embedded engine, stop the app first (one process opens the data
 * folder at a time), or set ADMIN_EMAILS instead, which grants the role at sign-in.
 */
import "./load-env";
import { z } from "zod";
import { openScriptDatabase } from "./database";
import { describeDatabaseFailure } from "@/db/describe-failure";
import { migrate } from "@/db/migrate";
import { grantAdmin } from "@/db/queries/users";

const email = z.email().safeParse(process.argv[2]?.trim());
if (!email.success) {
  console.error("Usage: npm run admin:grant -- you@example.com");
  process.exit(2);
}

const database = await openScriptDatabase();
try {
  await migrate(database);
  const { user, changed } = await grantAdmin(database.db, email.data, "npm run admin:grant");
  console.log(changed ? `${user.email} is now an admin (${database.location}).` : `${user.email} was already an admin.`);
} catch (error) {
  console.error(describeDatabaseFailure(database.engine, database.location, error));
  process.exitCode = 1;
} finally {
  await database.close();
}
