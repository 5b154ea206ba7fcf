/**
 * IATA metropolitan area codes: one code for all the airports of a city, as travellers and
 * airline systems use them ("London, all airports"). Only codes that are not also an airport's
 * own code are listed (Berlin's BER, for example, is now the airport).
 */
export interface MetroDefinition {
  code: string;
  name: string;
  countryCode: string;
  airports: string[];
}

export const metroAreas: MetroDefinition[] = [
  { code: "LON", name: "London", countryCode: "GB", airports: ["LHR", "LGW", "STN", "LTN", "LCY", "SEN"] },
  { code: "NYC", name: "New York", countryCode: "US", airports: ["JFK", "EWR", "LGA"] },
  { code: "PAR", name: "Paris", countryCode: "FR", airports: ["CDG", "ORY", "BVA"] },
  { code: "TYO", name: "Tokyo", countryCode: "JP", airports: ["HND", "NRT"] },
  { code: "CHI", name: "Chicago", countryCode: "US", airports: ["ORD", "MDW"] },
  { code: "WAS", name: "Washington", countryCode: "US", airports: ["IAD", "DCA", "BWI"] },
  { code: "MIL", name: "Milan", countryCode: "IT", airports: ["MXP", "LIN", "BGY"] },
  { code: "ROM", name: "Rome", countryCode: "IT", airports: ["FCO", "CIA"] },
  { code: "STO", name: "Stockholm", countryCode: "SE", airports: ["ARN", "BMA", "NYO", "VST"] },
  { code: "MOW", name: "Moscow", countryCode: "RU", airports: ["SVO", "DME", "VKO", "ZIA"] },
  { code: "OSA", name: "Osaka", countryCode: "JP", airports: ["KIX", "ITM", "UKB"] },
  { code: "SPK", name: "Sapporo", countryCode: "JP", airports: ["CTS", "OKD"] },
  { code: "SEL", name: "Seoul", countryCode: "KR", airports: ["ICN", "GMP"] },
  { code: "BJS", name: "Beijing", countryCode: "CN", airports: ["PEK", "PKX"] },
  { code: "YTO", name: "Toronto", countryCode: "CA", airports: ["YYZ", "YTZ"] },
  { code: "BUE", name: "Buenos Aires", countryCode: "AR", airports: ["EZE", "AEP"] },
  { code: "SAO", name: "São Paulo", countryCode: "BR", airports: ["GRU", "CGH", "VCP"] },
  { code: "RIO", name: "Rio de Janeiro", countryCode: "BR", airports: ["GIG", "SDU"] },
  { code: "JKT", name: "Jakarta", countryCode: "ID", airports: ["CGK", "HLP"] },
  { code: "BUH", name: "Bucharest", countryCode: "RO", airports: ["OTP", "BBU"] },
  { code: "REK", name: "Reykjavík", countryCode: "IS", airports: ["KEF", "RKV"] },
  { code: "TCI", name: "Tenerife", countryCode: "ES", airports: ["TFS", "TFN"] },
];
