import { customType } from "drizzle-orm/pg-core";

/**
 * Text compared byte-wise (COLLATE "C"). Prefix search on it is a plain btree range scan
 * (`term >= 'lon' AND term < 'lon\uffff'`) whose plan does not depend on the locale or on
 * the parameter being known at plan time, so it uses the index in prepared statements too.
 */
export const textC = customType<{ data: string; driverData: string }>({
  dataType() {
    return 'text COLLATE "C"';
  },
});
