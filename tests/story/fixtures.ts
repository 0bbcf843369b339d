/** Story fixtures: RSS bodies of one wire story, its republication, and another story on the same topic. */

/** The wire's original. */
export const WIRE = {
  title: 'Storm Amelia shuts ports along the Atlantic coast',
  link: 'https://wire.example/2026/11/storm-amelia-ports',
  date: 'Thu, 26 Nov 2026 06:00:00 GMT',
  text:
    'Port authorities in Brest, Saint-Nazaire and La Rochelle suspended all ship movements on Thursday as Storm Amelia brought gusts of up to 160 km/h to the Atlantic coast. ' +
    'Ferries to Ireland and the Channel Islands were cancelled until at least Friday evening, and around 40,000 homes in Brittany lost power overnight. ' +
    'Meteorologists said the storm would weaken as it moved inland but warned of flooding along the Loire estuary at high tide.',
};

/** The same story republished by another outlet: another link, an "UPDATE 2-" title, a dateline and credits. */
export const REPUBLISHED = {
  title: `UPDATE 2-${WIRE.title}`,
  link: 'https://courier.example/news/2026/storm-amelia',
  date: 'Thu, 26 Nov 2026 07:30:00 GMT',
  text: `PARIS, Nov 26 (Global Wire) - ${WIRE.text} (Reporting by Anna Weber; Editing by Sarah Lee) Read more at the Courier.`,
};

/** Another story on the same topic (the same storm), not the same story. */
export const SAME_TOPIC = {
  title: 'Storm Amelia: insurers brace for record claims in Brittany',
  link: 'https://ledger.example/2026/11/amelia-insurers',
  date: 'Thu, 26 Nov 2026 09:00:00 GMT',
  text:
    'French insurers expect claims from Storm Amelia to exceed 800 million euros, the industry federation said, making it the costliest storm in Brittany since 1999. ' +
    'Roofs, greenhouses and fishing boats account for most of the early reports, and the government is expected to declare a natural disaster in three departments next week.',
};

/** One RSS item. */
function item(e: { title: string; link: string; date: string; text: string }): string {
  return `<item><title>${e.title}</title><link>${e.link}</link><guid>${e.link}</guid><pubDate>${e.date}</pubDate><description>${e.text}</description></item>`;
}

/** An RSS 2.0 body with the given entries. */
export function rss(title: string, entries: { title: string; link: string; date: string; text: string }[]): Uint8Array {
  return new TextEncoder().encode(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${title}</title><link>https://${title.toLowerCase()}.example/</link>${entries.map(item).join('')}</channel></rss>`);
}
