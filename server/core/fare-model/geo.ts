export interface Point {
  latitude: number;
  longitude: number;
}

const R = 6371;
const rad = Math.PI / 180;

/** Great-circle distance in kilometres. */
export function distanceKm(a: Point, b: Point): number {
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** -1 (due west) .. 1 (due east): the jet streams make eastbound flights shorter. */
export function eastwardness(a: Point, b: Point): number {
  let dLon = b.longitude - a.longitude;
  if (dLon > 180) dLon -= 360;
  if (dLon < -180) dLon += 360;
  const dLat = b.latitude - a.latitude;
  const length = Math.hypot(dLon * Math.cos(((a.latitude + b.latitude) / 2) * rad), dLat);
  return length === 0 ? 0 : (dLon * Math.cos(((a.latitude + b.latitude) / 2) * rad)) / length;
}

/**
 * Gate-to-gate minutes: taxi and climb, then about 830 km/h, 5% quicker eastbound and 5%
 * slower westbound; rounded to 5 minutes as schedules are. LHR-JFK comes out near 8 h
 * westbound and 7 h eastbound, as flown.
 */
export function blockMinutes(a: Point, b: Point): number {
  const km = distanceKm(a, b);
  const wind = 1 - 0.05 * eastwardness(a, b);
  return Math.max(35, Math.round(((40 + (km / 830) * 60) * wind) / 5) * 5);
}
