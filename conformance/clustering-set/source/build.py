import json, re, random
import os; HERE = os.path.dirname(os.path.abspath(__file__)); exec(open(os.path.join(HERE, 'stories.py')).read())
exec(open(os.path.join(HERE, 'negatives.py')).read())
rnd = random.Random(2026)
PLACE = {"valencia-floods": ("Spain", "VALENCIA"), "hokkaido-quake": ("Japan", "TOKYO"), "ecb-holds": ("Euro zone", "FRANKFURT"),
 "norvale-layoffs": ("Tech", "SAN FRANCISCO"), "athens-wildfire": ("Greece", "ATHENS"), "rover-clay": ("Space", "PASADENA"),
 "rovers-sack": ("Football", "BRISTOL"), "tennis-final": ("Tennis", "DUBAI"), "france-airline-strike": ("France", "PARIS"),
 "oil-jump": ("Oil", "LONDON"), "rsv-vaccine": ("Health", "AMSTERDAM"), "bridge-collapse": ("Portugal", "LISBON"),
 "train-derail": ("Ohio", "LEETONIA, Ohio"), "india-heat": ("India", "NEW DELHI"), "hospital-cyber": ("Germany", "BERLIN"),
 "bank-merger": ("Denmark", "COPENHAGEN"), "iceland-volcano": ("Iceland", "REYKJAVIK"), "syria-ceasefire": ("Syria", "ANKARA"),
 "museum-theft": ("Austria", "VIENNA"), "satellite-launch": ("Space", "PARIS"), "capetown-water": ("South Africa", "CAPE TOWN"),
 "germany-wage": ("Germany", "BERLIN"), "santiago-protest": ("Chile", "SANTIAGO"), "car-recall": ("Autos", "DETROIT"),
 "phone-launch": ("Tech", "AMSTERDAM"), "whale-stranding": ("New Zealand", "WELLINGTON"), "privacy-ruling": ("EU", "LUXEMBOURG"),
 "ship-stuck": ("Egypt", "CAIRO"), "brazil-dam": ("Brazil", "BELO HORIZONTE"), "painting-auction": ("Art", "NEW YORK"),
 "marathon-record": ("Athletics", "BERLIN"), "philippines-typhoon": ("Philippines", "MANILA"), "alps-avalanche": ("France", "CHAMONIX"),
 "measles-outbreak": ("Texas", "AUSTIN, Texas"), "blackout": ("Argentina", "BUENOS AIRES"), "crypto-collapse": ("Crypto", "SINGAPORE"),
 "climate-deal": ("COP30", "BELEM, Brazil"), "iss-leak": ("Space", "HOUSTON"), "chess-title": ("Chess", "SINGAPORE"),
 "coral-bleaching": ("Australia", "SYDNEY"), "house-prices": ("Britain", "LONDON"), "wolf-return": ("Denmark", "COPENHAGEN"),
 "robot-surgery": ("Medicine", "STRASBOURG")}
AGENCIES = ["Reuters", "AFP", "AP", "dpa"]
OUTLETS = [("The Daily Courier", "dailycourier.example"), ("Metro Herald", "metroherald.example"), ("Newsline 24", "newsline24.example"), ("The Evening Post", "eveningpost.example")]
REPORTERS = ["Anna Ringstrom", "Marta Lopez", "Tim Hepher", "Ece Toksabay", "Kirsten Donovan", "Jan Harvey", "Sudip Kar-Gupta", "Emma Farge"]

def slug(s): return re.sub(r'[^a-z0-9]+', '-', s.lower()).strip('-')[:50]
def track(domain, sid): return f"https://{domain}/news/{sid}?utm_source=rss&utm_medium=feed&utm_campaign=syndication&fbclid=IwAR{rnd.randrange(10**8)}"

def wire(sid, title, text, i):
    country, city = PLACE[sid]
    prefix = ["UPDATE 2-", "EXCLUSIVE: ", f"{country}: ", "WRAPUP 1-", "BREAKING: ", f"UPDATE 1-{country}: "][i % 6]
    agency = AGENCIES[i % 4]
    r1, r2 = REPORTERS[i % 8], REPORTERS[(i + 3) % 8]
    return prefix + title, f"{city} ({agency}) - {text}\n\n(Reporting by {r1}; Additional reporting by {r2}; Editing by Alex Richardson)"

def outlet(sid, title, text, i):
    name, dom = OUTLETS[i % 4]
    other = OUTLETS[(i + 1) % 4]
    return f"{title} | {name}", (f"{text}\n\n© 2026 {name}. All rights reserved.\n"
        f"This article originally appeared on {other[0]}.\nRead more at {track(other[1], slug(title))}")

def teaser(sid, title, text, i):
    words = text.split()
    n = max(8, round(len(words) * 0.3))
    name, dom = OUTLETS[(i + 2) % 4]
    return title, " ".join(words[:n]) + f"… Read more: {track(dom, slug(title))}"

def quotes(sid, title, text, i):
    t = title.replace("'", "’")
    body = text.replace("'", "’").replace(", ", ",  ").replace(". ", ".\n", 2)
    body = re.sub(r'"([^"]*)"', r'“\1”', body)
    words = body.split(" ")
    k = len(words) // 2
    words.insert(k, f"(https://t.co/{slug(title)[:6]}{i})")
    return t.replace(" ", "\u00a0", 1), " ".join(words)

FOREIGN = {
 "de": ("Internationale Presse: {kw}", "Die Nachrichtenagentur veröffentlichte am Abend einen ausführlichen Bericht über die Lage. In der englischen Originalmeldung heißt es:\n\n\"{en}\"\n\nDie Behörden vor Ort wollten sich zunächst nicht weiter äußern. Weitere Informationen werden im Laufe des Tages erwartet."),
 "fr": ("Revue de presse : {kw}", "L'agence de presse a diffusé une dépêche détaillée sur la situation. Voici l'extrait en anglais tel que publié :\n\n« {en} »\n\nLes autorités locales n'ont pas souhaité faire de commentaire pour le moment. De nouvelles informations sont attendues dans la journée."),
 "es": ("Prensa internacional: {kw}", "La agencia difundió un amplio despacho sobre lo ocurrido. El texto original en inglés dice así:\n\n\"{en}\"\n\nLas autoridades locales no quisieron hacer más comentarios por el momento. Se esperan más detalles a lo largo del día."),
 "it": ("Dalla stampa estera: {kw}", "L'agenzia ha diffuso un lungo dispaccio sulla vicenda. Ecco il testo originale in inglese:\n\n\"{en}\"\n\nLe autorità locali non hanno voluto commentare. Ulteriori dettagli sono attesi nel corso della giornata."),
}
def foreign(sid, title, text, i):
    lang = ["de", "fr", "es", "it"][i % 4]
    sentences = re.split(r'(?<=[.!?])\s+', text)
    en = " ".join(sentences[: max(2, (len(sentences) + 1) // 2)])
    kw = PLACE[sid][0]
    t, body = FOREIGN[lang]
    return t.format(kw=kw), body.format(en=en), lang

items = []
PLANS = [["wire", "teaser"], ["outlet", "quotes"], ["teaser", "foreign"], ["wire", "outlet", "quotes"]]
for i, (sid, title, text) in enumerate(STORIES):
    items.append({"id": f"{sid}/original", "story": sid, "kind": "version", "variation": "original", "title": title, "text": text, "lang": "en"})
    for v in PLANS[i % 4]:
        if v == "foreign":
            t, b, lang = foreign(sid, title, text, i)
            items.append({"id": f"{sid}/foreign-{lang}", "story": sid, "kind": "version", "variation": "foreign", "title": t, "text": b, "lang": lang})
            continue
        t, b = {"wire": wire, "outlet": outlet, "teaser": teaser, "quotes": quotes}[v](sid, title, text, i)
        items.append({"id": f"{sid}/{v}", "story": sid, "kind": "version", "variation": v, "title": t, "text": b, "lang": "en"})

for nid, near, title, text in SAME_TOPIC:
    items.append({"id": f"neg/{nid}", "story": f"neg/{nid}", "kind": "same-topic", "near": near, "title": title, "text": text, "lang": "en"})

DIGEST_TITLES = ["Morning briefing: what you need to know today", "Evening digest: the day's top stories", "World news in brief",
    "Your daily news roundup", "The week in review", "Today's headlines at a glance"]
base_titles = [(sid, t) for sid, t, _ in STORIES]
neg_titles = [t for _, _, t, _ in SAME_TOPIC]
for d in range(22):
    picks = [base_titles[(d * 2 + k) % len(base_titles)] for k in range(3)]
    others = rnd.sample(neg_titles, 4)
    lines = [t for _, t in picks] + others
    rnd.shuffle(lines)
    name, dom = OUTLETS[d % 4]
    body = "\n".join(f"• {l}" for l in lines)
    text = (f"Good morning. Here are the stories our editors are following today.\n{body}\n"
            f"Sign up for the {name} newsletter to get this briefing in your inbox every day.\n© 2026 {name}")
    items.append({"id": f"digest/{d}", "story": f"digest/{d}", "kind": "digest", "near": [s for s, _ in picks],
                  "title": f"{DIGEST_TITLES[d % len(DIGEST_TITLES)]} ({['Mon','Tue','Wed','Thu','Fri','Sat','Sun'][d % 7]} {d + 1} March)", "text": text, "lang": "en"})

doc = {
  "description": "Tributary story-clustering set. Base stories, same-topic negatives and digest wrappers are original writing about fictional 2026 events; versions apply the republishing variations named in `variation` (wire: desk prefix + dateline + reporting credits; outlet: outlet suffix + copyright + originally-appeared + tracked read-more link; teaser: first 30% of the words + tracked link; quotes: curly quotes, double spaces, line breaks, a t.co link, no-break space; foreign: another-language outlet quoting the first half of the story in English). Items with the same `story` are the same story; every other pair is a different story. `kind` says what an item is: version, same-topic (hard negative near the story named in `near`) or digest (a headline list including the titles of the stories in `near`).",
  "items": items,
}
json.dump(doc, open(os.path.join(HERE, '..', 'stories.json'), 'w'), ensure_ascii=False, indent=1)
from collections import Counter
print(Counter(i['kind'] for i in items), Counter(i.get('variation') for i in items))
