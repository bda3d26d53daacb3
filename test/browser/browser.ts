// Launches Debian's chromium through playwright-core for the browser tests and the
// screenshots. playwright-core downloads no browser; scripts/ensure-test-tools.sh installs one.
import { existsSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { projectRoot } from '../../src/shared/project-root.js';
import { chromiumExecutable } from '../../src/test-support/test-tools.js';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A browser with a fresh, throw-away profile (launch() makes a new user data dir). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs });
}

/** The server serves the web app from dist/web, which `npm run build:web` writes. */
export function assertWebAppBuilt(): void {
  const indexHtml = path.join(projectRoot, 'dist', 'web', 'index.html');
  if (!existsSync(indexHtml)) {
    throw new Error(`${indexHtml} is missing: build the web app first with \`npm run build:web\` (vite build).`);
  }
}

/** A phone held upright, touch first, as most of the app's people use it. */
export const phone: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

// Before login the app speaks the browser's language, after it the company's: the helpers
// below find the login form and the navigation in English and in Danish.
const logInName = /^(Log in|Log ind)$/;
const sectionsName = /^(Sections|Sektioner)$/;

/** Signs in through the login page, as a person does. */
export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('heading', { name: logInName }).waitFor();
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel(/Password|Adgangskode/).fill(password);
  await page.getByRole('button', { name: logInName }).click();
}

/** Opens the phone's section menu when the sections are folded behind it (a no-op on a
 * computer, where every section is in view). */
export async function openSectionMenu(page: Page): Promise<void> {
  const nav = page.getByRole('navigation', { name: sectionsName });
  await nav.waitFor();
  const menu = nav.getByRole('button', { name: /^Menu/ });
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
}

/** Opens one of the app's sections from the navigation under the header. */
export async function openSection(page: Page, name: string): Promise<void> {
  await openSectionMenu(page);
  await page.getByRole('navigation', { name: sectionsName }).getByRole('link', { name, exact: true }).click();
}

export interface AccessibilityViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is now and returns what it finds,
 * one entry per rule with the elements at fault. axe-core is injected from node_modules.
 */
export async function accessibilityViolations(page: Page): Promise<AccessibilityViolation[]> {
  // Evaluated through the DevTools protocol, not added as a <script>: the app's
  // Content-Security-Policy allows no script but its own files, and rightly refuses a tag.
  await page.evaluate(readFileSync(path.join(projectRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    // Runs in the page, where axe-core was just injected and `document` is the page's.
    const page = globalThis as unknown as { document: unknown; axe: { run: (context: unknown, options: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } };
    const result = await page.axe.run(page.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.map((node) => node.target.join(' ')) }));
  });
}
