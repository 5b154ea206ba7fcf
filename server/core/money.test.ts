import { describe, expect, it } from "vitest";
import { countryCurrency } from "./country-currency";
import { convert, currencyExponent, formatMoney, parseDecimal, toMajor, toMinor } from "./money";

describe("money", () => {
  it("knows minor units per currency", () => {
    expect(currencyExponent("GBP")).toBe(2);
    expect(currencyExponent("JPY")).toBe(0);
    expect(toMinor(452.3, "GBP")).toBe(45230);
    expect(toMinor(452.3, "JPY")).toBe(452);
    expect(toMajor({ amountMinor: 45230, currency: "GBP" })).toBe(452.3);
    expect(toMinor(0.015, "USD")).toBe(2);
  });

  it("parses decimal strings exactly", () => {
    expect(parseDecimal("452.30", "GBP")).toBe(45230);
    expect(parseDecimal("452.3", "GBP")).toBe(45230);
    expect(parseDecimal("452", "GBP")).toBe(45200);
    expect(parseDecimal("12000", "JPY")).toBe(12000);
    expect(parseDecimal("12000.00", "JPY")).toBe(12000);
    expect(parseDecimal("0.10", "EUR")).toBe(10);
    expect(() => parseDecimal("1.234", "EUR")).toThrow(RangeError);
    expect(() => parseDecimal("abc", "EUR")).toThrow(RangeError);
    expect(() => parseDecimal("1e5", "EUR")).toThrow(RangeError);
  });

  it("converts with reference rates and formats", () => {
    expect(convert({ amountMinor: 10000, currency: "EUR" }, "GBP")).toEqual({ amountMinor: 8500, currency: "GBP" });
    expect(convert({ amountMinor: 10000, currency: "EUR" }, "JPY")).toEqual({ amountMinor: 16200, currency: "JPY" });
    expect(convert({ amountMinor: 8500, currency: "GBP" }, "GBP")).toEqual({ amountMinor: 8500, currency: "GBP" });
    expect(() => convert({ amountMinor: 1, currency: "XXX" }, "GBP")).toThrow(RangeError);
    expect(formatMoney({ amountMinor: 45230, currency: "GBP" })).toBe("£452.30");
  });

  it("knows the currency a country pays in, when the app quotes it", () => {
    expect(countryCurrency("GB")).toBe("GBP");
    expect(countryCurrency("FR")).toBe("EUR");
    expect(countryCurrency("JP")).toBe("JPY");
    expect(countryCurrency("KE")).toBe("USD");
    expect(countryCurrency("??")).toBe("USD");
  });
});
