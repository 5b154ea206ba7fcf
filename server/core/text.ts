/** Letters that Unicode decomposition leaves alone but a traveller types in plain Latin. */
const FOLD: Record<string, string> = {
  ø: "o",
  æ: "ae",
  œ: "oe",
  ß: "ss",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
};

/**
 * Lower case, accents and punctuation removed, words separated by single spaces:
 * "São Paulo–Guarulhos" -> "sao paulo guarulhos". The autocomplete index and the query go
 * through the same function, which is what makes the lookup accent- and case-insensitive.
 */
export function normalizeSearchText(input: string): string {
  return input
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[øæœßłđðþı]/g, (ch) => FOLD[ch] ?? ch)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export function searchWords(input: string): string[] {
  const normalized = normalizeSearchText(input);
  return normalized ? [...new Set(normalized.split(" "))] : [];
}

/**
 * How a place reads to a traveller: "Gatwick Airport, London"; a name that already says its city
 * stands alone ("London Heathrow Airport"); a metro code reads "London (all airports)".
 */
export function placeName(place: { kind?: "airport" | "metro"; name: string; city: string | null }): string {
  if (place.kind === "metro") return `${place.city ?? place.name} (all airports)`;
  return place.city && !place.name.includes(place.city) ? `${place.name}, ${place.city}` : place.name;
}

/** NUL, escape, line breaks and the other control characters: never part of a search term or code. */
const CONTROL_CHARACTER = /\p{Cc}/u;

export function hasControlCharacters(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

export const CONTROL_CHARACTERS_MESSAGE = "must not contain control characters";
