/** Reference tables for language tags: ISO 639-1 codes, and the spellings feeds use instead of them. */

/** Every ISO 639-1 two-letter code (including the deprecated iw, in, ji, jw, mo, mapped below). */
export const ISO_639_1 = new Set(
  ('aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ' +
    'ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik ' +
    'io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml ' +
    'mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd ' +
    'se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi ' +
    'vo wa wo xh yi yo za zh zu iw in ji jw mo').split(' '),
);

/** Deprecated or three-letter codes (ISO 639-2/B and /T) of common languages → the BCP 47 spelling. */
export const CODE_ALIASES: Record<string, string> = {
  iw: 'he', in: 'id', ji: 'yi', jw: 'jv', mo: 'ro',
  eng: 'en', fra: 'fr', fre: 'fr', deu: 'de', ger: 'de', spa: 'es', ita: 'it', por: 'pt', nld: 'nl',
  dut: 'nl', rus: 'ru', zho: 'zh', chi: 'zh', jpn: 'ja', kor: 'ko', ara: 'ar', heb: 'he', pol: 'pl',
  swe: 'sv', nor: 'no', nob: 'nb', nno: 'nn', dan: 'da', fin: 'fi', tur: 'tr', ell: 'el', gre: 'el',
  ces: 'cs', cze: 'cs', hun: 'hu', ron: 'ro', rum: 'ro', ukr: 'uk', hin: 'hi', ind: 'id', vie: 'vi',
  tha: 'th', fas: 'fa', per: 'fa', cat: 'ca', hrv: 'hr', srp: 'sr', slk: 'sk', slo: 'sk', slv: 'sl',
  bul: 'bg', lit: 'lt', lav: 'lv', est: 'et', isl: 'is', ice: 'is', gle: 'ga', cym: 'cy', wel: 'cy',
  msa: 'ms', may: 'ms', ben: 'bn', urd: 'ur', tam: 'ta', afr: 'af', epo: 'eo', lat: 'la', eus: 'eu',
  baq: 'eu', glg: 'gl',
};

/** Language names (English and native, lower-case) that feeds put where a code belongs. */
export const LANGUAGE_NAMES: Record<string, string> = {
  english: 'en', french: 'fr', 'français': 'fr', francais: 'fr', german: 'de', deutsch: 'de',
  spanish: 'es', 'español': 'es', espanol: 'es', castellano: 'es', italian: 'it', italiano: 'it',
  portuguese: 'pt', 'português': 'pt', portugues: 'pt', dutch: 'nl', nederlands: 'nl',
  russian: 'ru', 'русский': 'ru', chinese: 'zh', '中文': 'zh', '简体中文': 'zh-Hans', '繁體中文': 'zh-Hant',
  japanese: 'ja', '日本語': 'ja', korean: 'ko', '한국어': 'ko', arabic: 'ar', 'العربية': 'ar',
  hebrew: 'he', 'עברית': 'he', polish: 'pl', polski: 'pl', swedish: 'sv', svenska: 'sv',
  norwegian: 'no', norsk: 'no', danish: 'da', dansk: 'da', finnish: 'fi', suomi: 'fi',
  turkish: 'tr', 'türkçe': 'tr', turkce: 'tr', greek: 'el', 'ελληνικά': 'el', czech: 'cs',
  'čeština': 'cs', hungarian: 'hu', magyar: 'hu', romanian: 'ro', 'română': 'ro', ukrainian: 'uk',
  'українська': 'uk', hindi: 'hi', 'हिन्दी': 'hi', indonesian: 'id', 'bahasa indonesia': 'id',
  vietnamese: 'vi', 'tiếng việt': 'vi', thai: 'th', 'ไทย': 'th', persian: 'fa', farsi: 'fa',
  'فارسی': 'fa', catalan: 'ca', 'català': 'ca', croatian: 'hr', hrvatski: 'hr', serbian: 'sr',
  'српски': 'sr', slovak: 'sk', 'slovenčina': 'sk', slovenian: 'sl', slovene: 'sl',
  'slovenščina': 'sl', bulgarian: 'bg', 'български': 'bg', lithuanian: 'lt', 'lietuvių': 'lt',
  latvian: 'lv', 'latviešu': 'lv', estonian: 'et', eesti: 'et', icelandic: 'is', 'íslenska': 'is',
  irish: 'ga', gaeilge: 'ga', welsh: 'cy', cymraeg: 'cy', malay: 'ms', 'bahasa melayu': 'ms',
  bengali: 'bn', 'বাংলা': 'bn', urdu: 'ur', 'اردو': 'ur', tamil: 'ta', 'தமிழ்': 'ta',
  afrikaans: 'af', esperanto: 'eo', latin: 'la', basque: 'eu', euskara: 'eu', galician: 'gl',
  galego: 'gl', 'american english': 'en-US', 'british english': 'en-GB',
};

/** Tags that say "no particular language" (undetermined, multiple, not linguistic, uncoded). */
export const NO_LANGUAGE = new Set(['und', 'mul', 'zxx', 'mis']);
