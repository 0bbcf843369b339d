/**
 * Deterministic text for the benchmark workload: a seeded PRNG and news-like titles and HTML bodies
 * in English, Russian (for windows-1251 feeds) and French/German (for ISO-8859-1 feeds). Every
 * character a language uses is representable in the encoding its feeds are written in.
 */

/** A seeded pseudo-random source: `next()` in [0, 1). */
export interface Rng {
  next(): number;
  /** An integer in [min, max], inclusive. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return { next, int, pick: <T>(list: readonly T[]): T => list[int(0, list.length - 1)] as T };
}

/** The languages the workload writes in. */
export type WorkloadLang = 'en' | 'ru' | 'fr';

const WORDS: Record<WorkloadLang, readonly string[]> = {
  en: (
    'the a of to and in for on with that said officials government city council report year new people market ' +
    'company shares economy growth police court minister election vote campaign health hospital school students ' +
    'climate energy prices water power storm weather season team coach players match final league record ' +
    'research scientists study data survey technology software users security network launch plan budget tax ' +
    'spending debt bank rates inflation workers union strike deal talks agreement leaders summit border trade ' +
    'after before during while since according would could will has have was were is are been more than about ' +
    'local national regional federal public private major small early late last first second third week month'
  ).split(' '),
  ru: (
    'правительство город совет доклад год новый люди рынок компания акции экономика рост полиция суд министр ' +
    'выборы голосование кампания здоровье больница школа студенты климат энергия цены вода погода сезон команда ' +
    'тренер игроки матч финал лига рекорд исследование учёные данные опрос технологии безопасность сеть запуск ' +
    'план бюджет налог расходы долг банк ставки инфляция работники забастовка сделка переговоры соглашение ' +
    'лидеры саммит граница торговля после до во время по словам будет было были более около местный ' +
    'национальный региональный федеральный первый второй неделя месяц и в на с что не это как'
  ).split(' '),
  fr: (
    'le la les de des du et en pour sur avec que gouvernement ville conseil rapport année nouveau gens marché ' +
    'société économie croissance police tribunal ministre élection vote campagne santé hôpital école étudiants ' +
    'climat énergie prix eau météo saison équipe joueurs match finale ligue record recherche données enquête ' +
    'sécurité réseau lancement budget impôt dépenses dette banque taux inflation grève accord négociations ' +
    'dirigeants sommet frontière commerce après avant pendant selon sera était été plus première deuxième ' +
    'semaine mois über für Straße Regierung Größe Bürger Wähler Ärzte Schüler Zürich Köln Maß Brücke'
  ).split(' '),
};

/** The language's word list (for tests and the republishing tweaks). */
export function wordsOf(lang: WorkloadLang): readonly string[] {
  return WORDS[lang];
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A sentence of 8–22 words, capitalised, ending with a full stop. */
export function sentence(rng: Rng, lang: WorkloadLang): string {
  const words = WORDS[lang];
  const count = rng.int(8, 22);
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(rng.pick(words));
  return `${capitalise(out.join(' '))}.`;
}

/** A headline of 5–11 words. */
export function headline(rng: Rng, lang: WorkloadLang): string {
  const words = WORDS[lang];
  const count = rng.int(5, 11);
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(rng.pick(words));
  return capitalise(out.join(' '));
}

/** Escapes text for XML/HTML character data and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A URL-safe slug of ASCII letters and digits (non-ASCII words become their position). */
export function slug(text: string, fallback: number): string {
  const ascii = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return ascii.length >= 8 ? ascii : `story-${fallback}`;
}

/** The HTML body of a news story: 2–5 paragraphs of 2–5 sentences, a few links, an image, sometimes a list. */
export function storyHtml(rng: Rng, lang: WorkloadLang, site: string, storyNo: number): string {
  const paragraphs: string[] = [];
  const count = rng.int(2, 5);
  for (let p = 0; p < count; p++) {
    const sentences: string[] = [];
    const n = rng.int(2, 5);
    for (let s = 0; s < n; s++) sentences.push(escapeXml(sentence(rng, lang)));
    if (rng.next() < 0.6) {
      const at = rng.int(0, sentences.length - 1);
      const tracking = rng.next() < 0.3 ? '?utm_source=rss&amp;utm_medium=feed' : '';
      sentences[at] = `${sentences[at]} <a href="${site}/related/${storyNo}-${p}${tracking}">${escapeXml(headline(rng, lang))}</a>`;
    }
    if (rng.next() < 0.3) sentences[0] = `<strong>${sentences[0]}</strong>`;
    paragraphs.push(`<p>${sentences.join(' ')}</p>`);
  }
  const img = `<figure><img src="${site}/images/${storyNo}.jpg" alt="${escapeXml(headline(rng, lang))}" width="${rng.int(4, 12) * 100}" height="${rng.int(3, 8) * 100}"><figcaption>${escapeXml(sentence(rng, lang))}</figcaption></figure>`;
  paragraphs.splice(1, 0, img);
  if (rng.next() < 0.2) paragraphs.push(`<ul><li>${escapeXml(headline(rng, lang))}</li><li>${escapeXml(headline(rng, lang))}</li></ul>`);
  return paragraphs.join('\n');
}

/** A slightly different title for a republished story: a prefix, a suffix, or one word dropped. */
export function retitle(rng: Rng, title: string): string {
  const choice = rng.int(0, 2);
  if (choice === 0) return `UPDATE: ${title}`;
  if (choice === 1) return `${title} (report)`;
  const words = title.split(' ');
  if (words.length > 3) words.splice(rng.int(1, words.length - 1), 1);
  return words.join(' ');
}
