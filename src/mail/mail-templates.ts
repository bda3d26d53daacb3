// What Outlay's e-mails say, in the company's language: a subject and a lead sentence for each
// kind, the detail the notification carries, and a link into the web app. The HTML part says
// the same as the text part, escaped; it has no images or scripts, so nothing loads remotely.

/** The languages e-mails are written in; a company's locale picks one by its language. */
const languages = ['en', 'da', 'de', 'sv'] as const;
type Language = (typeof languages)[number];

export function languageOf(locale: string): Language {
  const language = locale.slice(0, 2).toLowerCase();
  return (languages as readonly string[]).includes(language) ? (language as Language) : 'en';
}

/** The kinds of e-mail, each with its subject and lead sentence per language. */
const wording = {
  invitation: {
    en: ['You are invited to {company} on Outlay', '{inviter} invited you to {company} on Outlay, where you get your company card and hand in receipts. Open the link to choose your password; it works until {expires}.'],
    da: ['Du er inviteret til {company} på Outlay', '{inviter} har inviteret dig til {company} på Outlay, hvor du får dit firmakort og afleverer kvitteringer. Åbn linket for at vælge din adgangskode; det virker indtil {expires}.'],
    de: ['Einladung zu {company} bei Outlay', '{inviter} hat Sie zu {company} bei Outlay eingeladen, wo Sie Ihre Firmenkarte erhalten und Belege einreichen. Öffnen Sie den Link, um Ihr Passwort zu wählen; er gilt bis {expires}.'],
    sv: ['Du är inbjuden till {company} på Outlay', '{inviter} har bjudit in dig till {company} på Outlay, där du får ditt företagskort och lämnar in kvitton. Öppna länken för att välja ditt lösenord; den gäller till {expires}.'],
  },
  password_reset: {
    en: ['Reset your Outlay password', 'Someone asked to reset the password of your Outlay account at {company}. If it was you, open the link within {minutes} minutes; it works once. If it was not, ignore this e-mail: your password stays as it is.'],
    da: ['Nulstil din adgangskode til Outlay', 'Nogen har bedt om at nulstille adgangskoden til din Outlay-konto hos {company}. Hvis det var dig, så åbn linket inden for {minutes} minutter; det virker én gang. Hvis ikke, så se bort fra denne e-mail: din adgangskode er uændret.'],
    de: ['Outlay-Passwort zurücksetzen', 'Jemand möchte das Passwort Ihres Outlay-Kontos bei {company} zurücksetzen. Wenn Sie das waren, öffnen Sie den Link innerhalb von {minutes} Minuten; er gilt einmal. Wenn nicht, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.'],
    sv: ['Återställ ditt lösenord till Outlay', 'Någon har bett om att återställa lösenordet till ditt Outlay-konto hos {company}. Om det var du, öppna länken inom {minutes} minuter; den fungerar en gång. Om inte, bortse från detta e-postmeddelande: ditt lösenord är oförändrat.'],
  },
  sign_in_locked_out: {
    en: ['Too many sign-in attempts on your Outlay account', 'Someone tried to sign in to your Outlay account at {company} too many times with a wrong password, so signing in is paused for a while. If it was not you, reset your password through the link. If it was you, wait a little and try again.'],
    da: ['For mange loginforsøg på din Outlay-konto', 'Nogen har forsøgt at logge ind på din Outlay-konto hos {company} for mange gange med en forkert adgangskode, så login er sat på pause et stykke tid. Hvis det ikke var dig, så nulstil din adgangskode via linket. Hvis det var dig, så vent lidt og prøv igen.'],
    de: ['Zu viele Anmeldeversuche bei Ihrem Outlay-Konto', 'Jemand hat zu oft versucht, sich mit einem falschen Passwort bei Ihrem Outlay-Konto bei {company} anzumelden; die Anmeldung ist daher eine Weile gesperrt. Wenn Sie das nicht waren, setzen Sie Ihr Passwort über den Link zurück. Wenn Sie es waren, warten Sie kurz und versuchen Sie es erneut.'],
    sv: ['För många inloggningsförsök på ditt Outlay-konto', 'Någon har försökt logga in på ditt Outlay-konto hos {company} för många gånger med fel lösenord, så inloggningen är pausad en stund. Om det inte var du, återställ ditt lösenord via länken. Om det var du, vänta en stund och försök igen.'],
  },
  receipt_wanted: {
    en: ['A receipt is wanted', 'Please hand in the receipt of this purchase.'],
    da: ['Der mangler en kvittering', 'Aflever venligst kvitteringen for dette køb.'],
    de: ['Ein Beleg wird benötigt', 'Bitte reichen Sie den Beleg für diesen Kauf ein.'],
    sv: ['Ett kvitto behövs', 'Lämna in kvittot för detta köp.'],
  },
  receipt_missing: {
    en: ['Reminder: a receipt is missing', 'A purchase on your company card still has no receipt.'],
    da: ['Påmindelse: en kvittering mangler', 'Et køb med dit firmakort mangler stadig en kvittering.'],
    de: ['Erinnerung: ein Beleg fehlt', 'Für einen Kauf mit Ihrer Firmenkarte fehlt noch der Beleg.'],
    sv: ['Påminnelse: ett kvitto saknas', 'Ett köp med ditt företagskort saknar fortfarande kvitto.'],
  },
  card_frozen_receipts: {
    en: ['Your card is frozen until receipts are in', 'Your company card was frozen because receipts are overdue. It opens again once they are handed in.'],
    da: ['Dit kort er spærret, indtil kvitteringerne er afleveret', 'Dit firmakort er spærret, fordi kvitteringer er forsinkede. Det åbnes igen, når de er afleveret.'],
    de: ['Ihre Karte ist gesperrt, bis die Belege vorliegen', 'Ihre Firmenkarte wurde gesperrt, weil Belege überfällig sind. Sie wird wieder freigegeben, sobald sie eingereicht sind.'],
    sv: ['Ditt kort är spärrat tills kvittona är inlämnade', 'Ditt företagskort har spärrats eftersom kvitton är försenade. Det öppnas igen när de är inlämnade.'],
  },
  card_unfrozen_receipts: {
    en: ['Your card works again', 'Thank you for the receipts: your company card works again.'],
    da: ['Dit kort virker igen', 'Tak for kvitteringerne: dit firmakort virker igen.'],
    de: ['Ihre Karte funktioniert wieder', 'Danke für die Belege: Ihre Firmenkarte funktioniert wieder.'],
    sv: ['Ditt kort fungerar igen', 'Tack för kvittona: ditt företagskort fungerar igen.'],
  },
  expense_to_review: {
    en: ['An expense waits for your review', 'An expense waits for your decision.'],
    da: ['En udgift venter på din godkendelse', 'En udgift venter på din beslutning.'],
    de: ['Eine Ausgabe wartet auf Ihre Prüfung', 'Eine Ausgabe wartet auf Ihre Entscheidung.'],
    sv: ['En utgift väntar på din granskning', 'En utgift väntar på ditt beslut.'],
  },
  expense_approved: {
    en: ['Your expense was approved', 'Your expense was approved.'],
    da: ['Din udgift er godkendt', 'Din udgift er godkendt.'],
    de: ['Ihre Ausgabe wurde genehmigt', 'Ihre Ausgabe wurde genehmigt.'],
    sv: ['Din utgift har godkänts', 'Din utgift har godkänts.'],
  },
  expense_rejected: {
    en: ['Your expense was rejected', 'Your expense was rejected.'],
    da: ['Din udgift er afvist', 'Din udgift er afvist.'],
    de: ['Ihre Ausgabe wurde abgelehnt', 'Ihre Ausgabe wurde abgelehnt.'],
    sv: ['Din utgift har avvisats', 'Din utgift har avvisats.'],
  },
  expense_changes_requested: {
    en: ['Changes are asked for on your expense', 'A reviewer asks you to change your expense.'],
    da: ['Der er bedt om ændringer i din udgift', 'En godkender beder dig ændre din udgift.'],
    de: ['Änderungen an Ihrer Ausgabe erbeten', 'Eine prüfende Person bittet Sie, Ihre Ausgabe zu ändern.'],
    sv: ['Ändringar efterfrågas i din utgift', 'En granskare ber dig ändra din utgift.'],
  },
  expense_comment: {
    en: ['A comment on an expense', 'Someone commented on an expense.'],
    da: ['En kommentar til en udgift', 'Nogen har kommenteret en udgift.'],
    de: ['Ein Kommentar zu einer Ausgabe', 'Jemand hat eine Ausgabe kommentiert.'],
    sv: ['En kommentar på en utgift', 'Någon har kommenterat en utgift.'],
  },
  wallet_low_balance: {
    en: ['The company wallet is running low', 'The company wallet is below its alert level. Cards are declined once it is empty: send a top-up by bank transfer.'],
    da: ['Firmaets saldo er ved at være lav', 'Firmaets saldo er under advarselsgrænsen. Kort afvises, når den er tom: send en indbetaling via bankoverførsel.'],
    de: ['Das Firmenguthaben wird knapp', 'Das Firmenguthaben liegt unter der Warnschwelle. Karten werden abgelehnt, sobald es leer ist: überweisen Sie eine Aufladung.'],
    sv: ['Företagets saldo börjar ta slut', 'Företagets saldo är under varningsnivån. Kort nekas när det är tomt: skicka en insättning via banköverföring.'],
  },
  payout_executed: {
    en: ['Reimbursements were paid', 'The bank statement shows reimbursements paid.'],
    da: ['Udlæg er udbetalt', 'Kontoudtoget viser udlæg udbetalt.'],
    de: ['Auslagen wurden erstattet', 'Der Kontoauszug zeigt die Erstattungen als bezahlt.'],
    sv: ['Utlägg har betalats ut', 'Kontoutdraget visar att utlägg har betalats ut.'],
  },
  subscription_late: {
    en: ['A subscription charge did not come', 'A subscription paid by card was not charged when it was due. It may have ended, or the card may be declining it.'],
    da: ['Et abonnement blev ikke trukket', 'Et abonnement, der betales med kort, blev ikke trukket, da det forfaldt. Det kan være opsagt, eller kortet afviser det.'],
    de: ['Eine Abo-Abbuchung blieb aus', 'Ein per Karte bezahltes Abonnement wurde zum Fälligkeitstag nicht abgebucht. Es ist vielleicht beendet, oder die Karte lehnt es ab.'],
    sv: ['En prenumeration drogs inte', 'En prenumeration som betalas med kort drogs inte när den förföll. Den kan ha avslutats, eller kortet nekar den.'],
  },
  subscription_increased: {
    en: ['A subscription costs more', 'A subscription paid by card was charged more than usual.'],
    da: ['Et abonnement koster mere', 'Et abonnement, der betales med kort, blev trukket med mere end normalt.'],
    de: ['Ein Abonnement kostet mehr', 'Ein per Karte bezahltes Abonnement wurde höher als üblich abgebucht.'],
    sv: ['En prenumeration kostar mer', 'En prenumeration som betalas med kort drogs med mer än vanligt.'],
  },
  budget_threshold: {
    en: ['A budget you own is filling up', 'Spending against a budget you own has reached one of its thresholds.'],
    da: ['Et budget, du ejer, er ved at være brugt', 'Forbruget på et budget, du ejer, har nået en af dets grænser.'],
    de: ['Ein Budget von Ihnen wird knapp', 'Die Ausgaben eines Budgets, das Sie verantworten, haben eine seiner Schwellen erreicht.'],
    sv: ['En budget du äger börjar ta slut', 'Utgifterna mot en budget du äger har nått en av dess gränser.'],
  },
} satisfies Record<string, Record<Language, readonly [subject: string, lead: string]>>;

export type MailKind = keyof typeof wording;

export function isMailKind(kind: string): kind is MailKind {
  return Object.hasOwn(wording, kind);
}

const openLabel: Record<Language, string> = { en: 'Open in Outlay', da: 'Åbn i Outlay', de: 'In Outlay öffnen', sv: 'Öppna i Outlay' };
const footer: Record<Language, string> = {
  en: 'Sent by Outlay for {company}. You get this e-mail because of your account there.',
  da: 'Sendt af Outlay for {company}. Du får denne e-mail på grund af din konto der.',
  de: 'Gesendet von Outlay für {company}. Sie erhalten diese E-Mail wegen Ihres Kontos dort.',
  sv: 'Skickat av Outlay för {company}. Du får detta e-postmeddelande på grund av ditt konto där.',
};

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

export interface MailInput {
  kind: MailKind;
  locale: string;
  /** Filled into the wording: {company}, and the kind's own ({inviter}, {expires}, {minutes}). */
  values: Record<string, string>;
  /** What the notification itself says, under the lead; none for invitations and resets. */
  detail?: { title: string; body: string };
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-z]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A subject line holds no line break: a header cannot be added through one. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').trim().slice(0, 200);
}

/** Where the link goes once the public URL is known (composeMail): before the signature. */
const signatureSeparator = '\n\n-- \n';
const htmlLinkPlace = '<!--link-->';

/** The message as stored: everything but the link, which needs the public URL. */
export function renderMail(input: MailInput): MailContent {
  const language = languageOf(input.locale);
  const [subjectTemplate, leadTemplate] = wording[input.kind][language];
  const subject = oneLine(fill(subjectTemplate, input.values));
  const lead = fill(leadTemplate, input.values);
  const detail = input.detail && input.detail.title !== '' ? [input.detail.title, input.detail.body].filter((line) => line !== '') : [];
  const foot = fill(footer[language], input.values);
  const text = [lead, ...(detail.length > 0 ? ['', ...detail] : [])].join('\n') + signatureSeparator + foot;
  const paragraphs = [`<p>${escapeHtml(lead)}</p>`];
  if (detail.length > 0) paragraphs.push(`<p><strong>${escapeHtml(detail[0]!)}</strong>${detail[1] ? `<br>${escapeHtml(detail[1])}` : ''}</p>`);
  paragraphs.push(htmlLinkPlace, `<p style="color:#666;font-size:12px">${escapeHtml(foot)}</p>`);
  const html = `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:sans-serif;line-height:1.5">${paragraphs.join('')}</body></html>`;
  return { subject, text, html };
}

/** The message as sent: the stored one with its link under the public URL. */
export function composeMail(stored: MailContent & { locale: string; linkPath: string | null }, publicUrl: string): MailContent {
  if (stored.linkPath === null) return { ...stored, html: stored.html.replace(htmlLinkPlace, () => '') };
  const label = openLabel[languageOf(stored.locale)];
  const link = `${publicUrl.replace(/\/+$/, '')}${stored.linkPath}`;
  const cut = stored.text.lastIndexOf(signatureSeparator);
  const text = cut < 0 ? `${stored.text}\n\n${label}: ${link}` : `${stored.text.slice(0, cut)}\n\n${label}: ${link}${stored.text.slice(cut)}`;
  const html = stored.html.replace(htmlLinkPlace, () => `<p><a href="${escapeHtml(link)}">${escapeHtml(label)}</a></p>`);
  return { subject: stored.subject, text, html };
}
