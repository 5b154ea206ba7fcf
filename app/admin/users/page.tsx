import type { Route } from "next";
import Link from "next/link";
import { FilterForm, queryStrings, SelectFilter, TextFilter } from "@/components/admin/filter-form";
import { formatCount } from "@/components/admin/format";
import { DisableButton, RoleForm } from "@/components/admin/user-controls";
import { Badge, EmptyState, listHref, mutedClass, PageHeader, Pager, Problem, rowClass, TableFrame, tableClass, tdClass, theadRowClass, thClass } from "@/components/admin/ui";
import { formatMoment } from "@/components/format";
import { usersInput } from "@/server/core/admin-input";
import { ROLES } from "@/server/core/roles";
import { getAppContext } from "@/server/context";
import { pageData } from "@/server/page-data";
import { listUsers } from "@/server/services/admin/users";
import { hereWith, requireAdmin } from "../access";

export const metadata = { title: "Users" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const PAGE_SIZE = 50;

/** Accounts newest first, searchable by address or name, with their role and whether they are disabled. */
export default async function UsersPage({ searchParams }: Props) {
  const params = await searchParams;
  const viewer = await requireAdmin(hereWith("/admin/users", params));
  const filters = queryStrings(params, ["q", "role"]);
  const cursor = queryStrings(params, ["cursor"]).cursor;
  const ctx = await getAppContext();
  const read = await pageData(() => listUsers(ctx, usersInput.parse({ query: filters.q, role: filters.role, cursor, limit: PAGE_SIZE })));
  // The input names the search "query"; the form's field is "q".
  const errors = read.ok ? null : { ...read.errors, ...(read.errors.query ? { q: read.errors.query } : {}) };
  const filtered = Object.keys(filters).length > 0;
  return (
    <div className="space-y-5">
      <PageHeader title="Users">
        <p>Every account, newest first. A role change is in force on the user&apos;s next request; disabling an account ends its sessions and stops its API keys.</p>
      </PageHeader>

      <FilterForm action="/admin/users" label="Search users" clearHref={filtered ? "/admin/users" : undefined}>
        <TextFilter name="q" label="Email or name" type="search" value={filters.q} errors={errors} maxLength={200} wide />
        <SelectFilter name="role" label="Role" value={filters.role} errors={errors} options={ROLES.map((r) => [r, r === "admin" ? "Admins" : "Users"] as const)} />
      </FilterForm>

      {!read.ok ? (
        <Problem>
          {read.errors.cursor ? "This page of users no longer exists." : "The search does not hold up: see the messages beside the fields."}{" "}
          <Link href={listHref("/admin/users", read.errors.cursor ? filters : {}) as Route} className="underline">
            See the newest users
          </Link>
          .
        </Problem>
      ) : read.data.items.length === 0 ? (
        <EmptyState title={cursor ? "No older users." : filtered ? "Nobody matches." : "No users yet."}>
          {filtered ? <p>Search by a part of an address or a name.</p> : null}
        </EmptyState>
      ) : (
        <>
          <TableFrame label="Users">
            <table className={tableClass}>
              <caption className="sr-only">Users, newest first{filtered ? ", filtered" : ""}</caption>
              <thead>
                <tr className={theadRowClass}>
                  <th scope="col" className={thClass}>User</th>
                  <th scope="col" className={thClass}>Role</th>
                  <th scope="col" className={`${thClass} text-right`}>Tracked routes</th>
                  <th scope="col" className={thClass}>Last seen</th>
                  <th scope="col" className={thClass}>Joined</th>
                  <th scope="col" className={thClass}>Account</th>
                </tr>
              </thead>
              <tbody>
                {read.data.items.map((u) => {
                  const who = u.email ?? u.name ?? u.id;
                  return (
                    <tr key={u.id} className={rowClass} data-testid="admin-user" data-email={u.email ?? ""}>
                      <th scope="row" className={`${tdClass} font-normal`}>
                        <span className="block font-medium">
                          {u.email ?? "(no address)"}
                          {u.id === viewer.id ? <span className={`font-normal ${mutedClass}`}> (you)</span> : null}
                        </span>
                        {u.name ? <span className={`block text-xs ${mutedClass}`}>{u.name}</span> : null}
                      </th>
                      <td className={tdClass}>
                        <RoleForm userId={u.id} role={u.role} who={who} />
                      </td>
                      <td className={`${tdClass} text-right tabular-nums`}>{formatCount(u.trackedRoutes)}</td>
                      <td className={`${tdClass} whitespace-nowrap`}>{u.lastSeenAt ? formatMoment(u.lastSeenAt) : "never"}</td>
                      <td className={`${tdClass} whitespace-nowrap`}>{formatMoment(u.createdAt)}</td>
                      <td className={tdClass}>
                        <div className="flex flex-col items-start gap-1">
                          {u.disabledAt ? <Badge tone="bad">disabled {formatMoment(u.disabledAt)}</Badge> : <Badge tone="good">active</Badge>}
                          <DisableButton userId={u.id} disabled={u.disabledAt !== null} who={who} />
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableFrame>
          <Pager
            first={cursor ? listHref("/admin/users", filters) : null}
            next={read.data.nextCursor ? listHref("/admin/users", { ...filters, cursor: read.data.nextCursor }) : null}
          />
        </>
      )}
    </div>
  );
}
