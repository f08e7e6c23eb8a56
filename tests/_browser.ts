// The browser for the HTML report tests: Debian's chromium, headless, driven by puppeteer-core over a pipe
// (--remote-debugging-pipe: no port, so the tests need no net permission). Tests skip with a message when
// chromium is missing; .ci/run installs it.
import puppeteer, { type Browser, type Page } from "puppeteer-core";

/** The chromium binary: $CHROMIUM or Debian's. */
export const CHROMIUM = Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium";

/** Whether chromium is installed (when not, the browser tests are skipped with this message). */
export function hasChromium(): boolean {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
}

/** The message a skipped browser test prints. */
export const NO_CHROMIUM =
  `${CHROMIUM} is missing: the browser tests of the HTML report are skipped ` +
  "(apt-get install -y chromium; .ci/run installs it)";

/** Starts headless chromium with a fresh profile, runs `fn`, and always closes it and removes the profile. */
export async function withBrowser<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  const profile = await Deno.makeTempDir({ prefix: "sweepstore-chromium-" });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    pipe: true,
    headless: true,
    userDataDir: profile,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    return await fn(browser);
  } finally {
    await browser.close();
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

/** A page and what it did: console errors, page errors and every request other than the file itself. */
export interface OpenedPage {
  page: Page;
  errors: string[];
  requests: string[];
}

/** Opens `file` (a path) from file:// at laptop size and waits until the report says it is ready. */
export async function openReport(browser: Browser, file: string): Promise<OpenedPage> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 800 });
  const url = new URL(`file://${file}`).href;
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warn") {
      errors.push(`console.${m.type()}: ${m.text()}`);
    }
  });
  page.on("pageerror", (e) => errors.push(`page error: ${(e as Error).message}`));
  page.on("request", (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  page.on("dialog", (d) => {
    errors.push(`dialog: ${d.message()}`);
    d.dismiss();
  });
  await page.goto(url, { waitUntil: "load" });
  await page.waitForSelector("body[data-ready]", { timeout: 30_000 });
  return { page, errors, requests };
}
