// Field 43, card acceptor name and location, in the 40-character layout Visa and most
// processors use: name in positions 1-25, city in 26-38, ISO 3166-1 alpha-2 country in 39-40.

export const acceptorNameLength = 25;
export const acceptorCityLength = 13;
export const acceptorCountryLength = 2;

export interface CardAcceptorLocation {
  name: string;
  city: string;
  country: string;
}

export function readCardAcceptorLocation(field43: string): CardAcceptorLocation {
  const cityStart = acceptorNameLength;
  const countryStart = cityStart + acceptorCityLength;
  return {
    name: field43.slice(0, cityStart).trim(),
    city: field43.slice(cityStart, countryStart).trim(),
    country: field43.slice(countryStart, countryStart + acceptorCountryLength).trim().toUpperCase(),
  };
}

/** Field 43 for a location; longer names and cities are cut to their positions. */
export function cardAcceptorField(location: CardAcceptorLocation): string {
  return (
    location.name.slice(0, acceptorNameLength).padEnd(acceptorNameLength) +
    location.city.slice(0, acceptorCityLength).padEnd(acceptorCityLength) +
    location.country.slice(0, acceptorCountryLength).padEnd(acceptorCountryLength)
  );
}
