// Localised messages. Findings and fix titles are written as `Msg` values (a key and parameters) and rendered in the
// client's locale by the adapters; English is rendered into `Finding.message` for the CLI and as the fallback.
// Each rule keeps its catalogue in its own file (`Rule.messages`); the engine's own messages live in core catalogues.
// test/i18n fails when a key is missing in a language or placeholders differ.

export const LOCALES = ['en', 'zh-cn'] as const;
export type Locale = (typeof LOCALES)[number];

export type MsgParam = string | number | Msg;

export interface Msg {
  readonly key: string;
  readonly params?: Readonly<Record<string, MsgParam>>;
}

export type Catalog = Readonly<Record<string, string>>;
export type Catalogs = Readonly<Record<Locale, Catalog>>;

export function msg(key: string, params?: Readonly<Record<string, MsgParam>>): Msg {
  return params ? { key, params } : { key };
}

export function isMsg(value: unknown): value is Msg {
  return typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string';
}

/** `zh-CN`, `zh-cn`, `zh-Hans`, `zh` → `zh-cn`; anything else → `en`. */
export function normalizeLocale(tag: string | undefined | null): Locale {
  const t = (tag ?? '').toLowerCase();
  return t === 'zh' || t.startsWith('zh-cn') || t.startsWith('zh-hans') || t.startsWith('zh-sg') ? 'zh-cn' : 'en';
}

/** Placeholder names of a template: `{name}`. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] ?? '').sort();
}

export class MessageRegistry {
  private readonly catalogs = new Map<Locale, Map<string, string>>(LOCALES.map((l) => [l, new Map()]));

  add(catalogs: Catalogs): this {
    for (const locale of LOCALES) {
      const target = this.catalogs.get(locale);
      for (const [k, v] of Object.entries(catalogs[locale])) target?.set(k, v);
    }
    return this;
  }

  keys(locale: Locale): string[] {
    return [...(this.catalogs.get(locale)?.keys() ?? [])];
  }

  template(locale: Locale, key: string): string | undefined {
    return this.catalogs.get(locale)?.get(key);
  }

  /** Renders a message; a key missing in `locale` falls back to English, then to the key itself. */
  render(locale: Locale, m: Msg | string): string {
    if (typeof m === 'string') return m;
    const template = this.template(locale, m.key) ?? this.template('en', m.key) ?? m.key;
    return template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => {
      const p = m.params?.[name];
      if (p === undefined) return whole;
      return typeof p === 'object' ? this.render(locale, p) : String(p);
    });
  }
}
