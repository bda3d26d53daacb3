// The locales a company may choose (BCP 47). The locale decides how the web app writes and
// reads amounts and dates: a decimal comma in Danish, German and Swedish, the day before the
// month everywhere but en-US. The API itself always speaks decimal strings and ISO dates.
export const companyLocales = ['en-GB', 'en-US', 'da-DK', 'de-DE', 'sv-SE'] as const;
export type CompanyLocale = (typeof companyLocales)[number];

export function isCompanyLocale(value: string): value is CompanyLocale {
  return (companyLocales as readonly string[]).includes(value);
}
