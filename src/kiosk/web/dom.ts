/** A tiny element builder: enough for six screens, no framework (issue 3 §6). */

type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === "html") element.innerHTML = String(value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** Puts `text` in a live region so screen readers announce it (WCAG 4.1.3). */
export function announce(region: HTMLElement, text: string): void {
  // Clearing first makes the same message announced again when it repeats.
  region.textContent = "";
  window.setTimeout(() => {
    region.textContent = text;
  }, 50);
}
