/**
 * Parameters of the simulated market that the reference data does not hold: which airports are
 * connecting hubs and whose, and which airlines are low-cost or premium. Airline names and
 * countries come from the airline table; a code here that the table lacks is skipped.
 */

/** Hub airport -> the carriers that connect passengers through it, main carrier first. */
export const HUBS: Record<string, string[]> = {
  // Europe
  LHR: ["BA", "VS"], CDG: ["AF"], AMS: ["KL"], FRA: ["LH"], MUC: ["LH"], MAD: ["IB"], BCN: ["VY"],
  FCO: ["AZ"], ZRH: ["LX"], VIE: ["OS"], CPH: ["SK"], ARN: ["SK"], OSL: ["SK", "DY"], HEL: ["AY"],
  IST: ["TK"], DUB: ["EI"], LIS: ["TP"], ATH: ["A3"], WAW: ["LO"], BRU: ["SN"], KEF: ["FI"],
  // Middle East and Africa
  DXB: ["EK"], DOH: ["QR"], AUH: ["EY"], RUH: ["SV"], JED: ["SV"], ADD: ["ET"], NBO: ["KQ"],
  JNB: ["SA"], CAI: ["MS"], CMN: ["AT"],
  // Americas
  JFK: ["AA", "DL", "B6"], EWR: ["UA"], ATL: ["DL"], ORD: ["UA", "AA"], DFW: ["AA"], DEN: ["UA"],
  LAX: ["AA", "DL", "UA"], SFO: ["UA"], SEA: ["AS", "DL"], IAH: ["UA"], MIA: ["AA"], BOS: ["B6", "DL"],
  CLT: ["AA"], MSP: ["DL"], DTW: ["DL"], PHX: ["AA"], YYZ: ["AC"], YVR: ["AC"], YUL: ["AC"],
  MEX: ["AM"], GRU: ["LA"], BOG: ["AV"], SCL: ["LA"], LIM: ["LA"], PTY: ["CM"], EZE: ["AR"],
  // Asia and Oceania
  HND: ["NH", "JL"], NRT: ["JL", "NH"], ICN: ["KE", "OZ"], PEK: ["CA"], PVG: ["MU"], CAN: ["CZ"],
  HKG: ["CX"], TPE: ["BR", "CI"], SIN: ["SQ"], KUL: ["MH"], BKK: ["TG"], DEL: ["AI"], BOM: ["AI"],
  MNL: ["PR"], CGK: ["GA"], SYD: ["QF"], MEL: ["QF"], BNE: ["QF"], AKL: ["NZ"],
};

/** Low-cost carriers: economy only, cheaper, no round-trip discount. */
export const LOW_COST = new Set([
  "FR", "U2", "W6", "VY", "DY", "D8", "EW", "HV", "TO", "LS", "V7", "W4", "PC", "XQ",
  "NK", "F9", "G4", "WN", "SY", "WS", "Y4", "VB", "G3", "AD", "H2",
  "AK", "FD", "QZ", "6E", "SG", "IX", "TR", "JQ", "3K", "5J", "Z2", "MM", "ZG", "7C", "LJ", "TW",
  "FZ", "G9", "J9", "XY",
]);

/** Carriers known for service and priced a little above the rest. */
export const PREMIUM = new Set(["EK", "QR", "SQ", "CX", "EY", "NH", "JL", "QF", "LX", "TK"]);

/** Low-cost carriers that fly anywhere within Europe, not only from their home country. */
export const PAN_EUROPEAN_LOW_COST = ["FR", "U2", "W6", "VY"];
