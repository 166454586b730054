/**
 * A small scripted browser for login flows: a cookie jar, manual redirects, and HTML forms
 * submitted as a browser would (hidden fields plus the pressed button). It talks either to a Hono
 * app in-process (`app.request`, any origin maps to it) or to real servers over fetch.
 */

export type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

export interface Page {
  url: string;
  status: number;
  html: string;
  headers: Headers;
}

export interface LoginBrowser {
  cookies: Map<string, string>;
  /** GET, following redirects; the last response. */
  open(url: string): Promise<Page>;
  /** One request, no redirect following. */
  request(url: string, init?: RequestInit): Promise<Response>;
  /** Submits the page's first form (or the one posting to `action`), pressing `button` if given. */
  submit(page: Page, options?: { button?: { name: string; value: string }; action?: RegExp }): Promise<Page>;
  /** Follows a response's redirects. */
  follow(response: Response, url: string): Promise<Page>;
}

/** An in-process app as a fetcher: the request keeps its absolute URL, so the app sees the origin. */
export function appFetcher(app: { request(input: string, init?: RequestInit): Response | Promise<Response> }): Fetcher {
  return async (url, init) => app.request(url, init);
}

/** Real HTTP for absolute URLs on other origins, the app for the rest. */
export function mixedFetcher(appOrigin: string, app: Fetcher): Fetcher {
  return (url, init) =>
    new URL(url, appOrigin).origin === new URL(appOrigin).origin
      ? app(url, init)
      : fetch(url, { ...init, redirect: "manual" });
}

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`, "i").exec(tag);
  return match?.[1] === undefined ? undefined : decodeEntities(match[1]);
}

/** The forms of a page: action, method and hidden fields. */
export function formsOf(html: string): { action: string; method: string; fields: Record<string, string> }[] {
  return [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi)].map(([form]) => {
    const open = /<form\b[^>]*>/i.exec(form)?.[0] ?? "";
    const fields: Record<string, string> = {};
    for (const [input] of form.matchAll(/<input\b[^>]*>/gi)) {
      const name = attribute(input, "name");
      if (name !== undefined && attribute(input, "type") !== "submit") fields[name] = attribute(input, "value") ?? "";
    }
    return {
      action: attribute(open, "action") ?? "",
      method: (attribute(open, "method") ?? "get").toUpperCase(),
      fields,
    };
  });
}

export function createLoginBrowser(fetcher: Fetcher, origin: string): LoginBrowser {
  const cookies = new Map<string, string>();

  function store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = header.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === "") cookies.delete(name);
      else cookies.set(name, value);
    }
  }

  async function request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (cookies.size > 0) headers.set("cookie", [...cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    const response = await fetcher(new URL(url, origin).toString(), { ...init, headers, redirect: "manual" });
    store(response);
    return response;
  }

  async function follow(response: Response, url: string): Promise<Page> {
    let current = response;
    let currentUrl = new URL(url, origin).toString();
    for (let hops = 0; hops < 10 && current.status >= 300 && current.status < 400; hops++) {
      const location = current.headers.get("location");
      if (!location) break;
      currentUrl = new URL(location, currentUrl).toString();
      current = await request(currentUrl);
    }
    return { url: currentUrl, status: current.status, html: await current.text(), headers: current.headers };
  }

  return {
    cookies,
    request,
    follow,
    async open(url) {
      return follow(await request(url), url);
    },
    async submit(page, options = {}) {
      const forms = formsOf(page.html);
      const form = options.action ? forms.find((f) => options.action?.test(f.action)) : forms[0];
      if (!form) throw new Error(`no form on ${page.url}: ${page.html.slice(0, 300)}`);
      const fields = { ...form.fields, ...(options.button ? { [options.button.name]: options.button.value } : {}) };
      const target = new URL(form.action || page.url, page.url).toString();
      const response = await request(target, {
        method: form.method,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields).toString(),
      });
      return follow(response, target);
    },
  };
}
