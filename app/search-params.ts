/** A page's `searchParams` as URLSearchParams, repeated parameters kept. */
export function toSearchParams(record: Record<string, string | string[] | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(record)) {
    for (const v of [value ?? []].flat()) params.append(key, v);
  }
  return params;
}
