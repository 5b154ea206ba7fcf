/**
 * Money is an integer amount of minor units plus an ISO 4217 code. Exponents are ISO's: JPY and
 * KRW have none, most currencies two.
 */
export interface Money {
  amountMinor: number;
  currency: string;
}

const EXPONENT: Record<string, number> = { JPY: 0, KRW: 0, ISK: 0, CLP: 0, VND: 0, HUF: 2 };

export function currencyExponent(currency: string): number {
  return EXPONENT[currency] ?? 2;
}

/** 45230 GBP -> 452.3 */
export function toMajor(money: Money): number {
  return money.amountMinor / 10 ** currencyExponent(money.currency);
}

/** 452.3 GBP -> 45230, rounding half away from zero. */
export function toMinor(amount: number, currency: string): number {
  const scaled = amount * 10 ** currencyExponent(currency);
  return Math.sign(scaled) * Math.round(Math.abs(scaled));
}

/** A decimal string such as "452.30" (Duffel's format) -> minor units, exactly. */
export function parseDecimal(amount: string, currency: string): number {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new RangeError(`Not a decimal amount: ${JSON.stringify(amount)}`);
  const exponent = currencyExponent(currency);
  const fraction = (match[3] ?? "").padEnd(exponent, "0");
  if (fraction.length > exponent && /[1-9]/.test(fraction.slice(exponent))) {
    throw new RangeError(`${amount} ${currency} has more decimals than the currency allows`);
  }
  const minor = Number(match[2]) * 10 ** exponent + (exponent ? Number(fraction.slice(0, exponent)) : 0);
  return match[1] ? -minor : minor;
}

export function formatMoney(money: Money, locale = "en-GB"): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency: money.currency }).format(toMajor(money));
}

/**
 * Currencies the app quotes in, with reference rates per euro. The rates drive only the
 * simulated market (and are labelled so); real providers quote their own currency.
 */
export const REFERENCE_RATES_PER_EUR: Record<string, number> = {
  EUR: 1,
  USD: 1.08,
  GBP: 0.85,
  CHF: 0.95,
  CAD: 1.47,
  AUD: 1.64,
  NZD: 1.79,
  JPY: 162,
  KRW: 1450,
  CNY: 7.8,
  HKD: 8.45,
  SGD: 1.45,
  INR: 90,
  AED: 3.97,
  SEK: 11.4,
  NOK: 11.6,
  DKK: 7.46,
  PLN: 4.3,
  CZK: 25.1,
  HUF: 395,
  TRY: 35,
  BRL: 5.9,
  MXN: 19.5,
  ZAR: 19.9,
  THB: 38.5,
};

export const SUPPORTED_CURRENCIES = Object.keys(REFERENCE_RATES_PER_EUR).sort();

/** Converts with the reference rates, rounding to whole minor units. */
export function convert(money: Money, to: string): Money {
  if (money.currency === to) return money;
  const from = REFERENCE_RATES_PER_EUR[money.currency];
  const rate = REFERENCE_RATES_PER_EUR[to];
  if (from === undefined || rate === undefined) throw new RangeError(`No reference rate for ${money.currency} -> ${to}`);
  return { amountMinor: toMinor((toMajor(money) / from) * rate, to), currency: to };
}
